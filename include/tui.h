/*
 * tui.h - the interactive ncurses screen. The only module that includes
 * curses. It reads snapshots from a session and never touches /proc
 * itself.
 */
#ifndef CDTOP_TUI_H
#define CDTOP_TUI_H

#include <stddef.h>
#include "session.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24

struct tui_opts {
	double delay;                   /* refresh interval, seconds */
	const char *mode;               /* "cpu", "wall" or "auto" */
};

/* Run the screen on session `ss` until the user quits or SIGINT/SIGTERM/SIGHUP. The terminal is restored
 * on every exit path. Returns an exit code (CDTOP_EXIT_*); on failure a
 * one-line message is in err. */
int tui_run(struct session *ss, const struct tui_opts *opts, char *err, size_t errlen);

#endif
