/*
 * tui.h - the interactive screen on a terminal: the only module that
 * includes curses. It feeds keys and snapshots to the dashboard (ui.h),
 * copies the rendered canvas to the terminal, and for a live target runs
 * the session in a worker thread (tui_worker.h) so keys never wait on
 * the sampler.
 */
#ifndef CDTOP_TUI_H
#define CDTOP_TUI_H

#include <stddef.h>
#include "session.h"
#include "snapshot.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24

struct tui_opts {
	double delay;                   /* refresh interval, seconds */
	const char *mode;               /* "cpu", "wall" or "auto" */
	const char *out_dir;            /* where `s` saves; NULL = current directory */
	const char *replay_path;        /* the file shown by tui_replay, for the status line */
};

/* Run the screen on session `ss` until the user quits or SIGINT/SIGTERM/
 * SIGHUP. The terminal is restored on every exit path. Returns an exit
 * code (CDTOP_EXIT_*); on failure a one-line message is in err. The
 * session is the caller's again when this returns. */
int tui_run(struct session *ss, const struct tui_opts *opts, char *err, size_t errlen);

/* Show the loaded snapshot s read-only (marked REPLAY) until the user
 * quits; takes ownership of s. Returns an exit code, message in err. */
int tui_replay(struct snapshot *s, const struct tui_opts *opts, char *err, size_t errlen);

#endif
