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

/* Run the screen on observer `o`, refreshing every `delay` seconds, until
 * the user quits or SIGINT/SIGTERM. The terminal is restored on every
 * exit path. Returns an exit code (CDTOP_EXIT_*); on failure a one-line
 * message is in err. */
int tui_run(struct observer *o, double delay, char *err, size_t errlen);

#endif
