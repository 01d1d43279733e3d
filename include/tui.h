/*
 * tui.h - the interactive ncurses screen. The only module that includes
 * curses. It reads snapshots from an observer and never touches /proc
 * itself.
 */
#ifndef CDTOP_TUI_H
#define CDTOP_TUI_H

#include <stddef.h>
#include "observer.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24

struct profiler;

struct tui_opts {
	double delay;                   /* refresh interval, seconds */
	const char *mode;               /* "cpu", "wall" or "auto" */
	const char *stacks_off;         /* why there is no profiler, or NULL */
};

/* Run the screen on observer `o` (and profiler `prof`, may be NULL),
 * until the user quits or SIGINT/SIGTERM/SIGHUP. The terminal is restored
 * on every exit path. Returns an exit code (CDTOP_EXIT_*); on failure a
 * one-line message is in err. */
int tui_run(struct observer *o, struct profiler *prof, const struct tui_opts *opts,
	    char *err, size_t errlen);

#endif
