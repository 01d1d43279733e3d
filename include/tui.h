/*
 * tui.h - the interactive screen on a terminal: the only module that
 * includes curses. It feeds keys and snapshots to the dashboard (ui.h)
 * and copies the rendered canvas to the terminal.
 *
 * The screen does not watch the target itself: for a live target the
 * program hands it a struct tui_source (snapshots in, requests out; the
 * program's worker thread implements it over the session), and the flag
 * that asks it to end. So this view depends on no program or collector
 * header, and the program depends on the view, never the other way.
 */
#ifndef CDTOP_TUI_H
#define CDTOP_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "cdtop.h"
#include "snapshot.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24

struct triage_answers;

/* What happened to a live target besides a new snapshot, reported once. */
struct tui_event {
	bool exited;                    /* the target is gone: no more snapshots */
	int fatal;                      /* CDTOP_EXIT_* of an error that ends the screen; 0 none */
	char message[CDTOP_ERRLEN];     /* "" none */
};

/* Where a live screen's snapshots come from and where its requests go.
 * Each function gets ctx; none blocks on a sampling round except pause,
 * which waits for the round in progress to end. */
struct tui_source {
	void *ctx;
	int fd;                         /* becomes readable when something was published */
	/* The newest snapshot (caller owns it), or NULL when nothing new; ev
	 * gets an event not reported before (zeroed when none). */
	struct snapshot *(*take)(void *ctx, struct tui_event *ev);
	/* Start a new profile window (forget the samples so far). */
	void (*reset_profile)(void *ctx);
	/* The engineer's answers to the manual checklist items (copied). */
	void (*set_answers)(void *ctx, const struct triage_answers *a);
	/* Hold between sampling rounds (no target thread stopped), return
	 * once held: for suspending cdtop (Ctrl-Z). */
	void (*pause)(void *ctx);
	/* Let a paused source go on. */
	void (*resume)(void *ctx);
};

struct tui_opts {
	double delay;                   /* refresh interval, seconds */
	const char *out_dir;            /* where `s` saves; NULL = current directory */
	const char *replay_path;        /* the file shown by tui_replay, for the status line */
	const char *stacks_off;         /* tui_run: why there are no stacks; NULL when sampled */
	const char *warning;            /* tui_run: shown on the status line at start; NULL none */
	const volatile sig_atomic_t *stop;  /* non-zero asks the screen to end (SIGINT, SIGTERM,
					   SIGHUP); NULL never */
};

/* Run the screen on the live source src until the user quits, *opts->stop
 * is set or the source reports a fatal event. The terminal is restored on
 * every exit path. Returns an exit code (CDTOP_EXIT_*); on failure a
 * one-line message is in err. */
int tui_run(const struct tui_source *src, const struct tui_opts *opts, char *err, size_t errlen);

/* Show the loaded snapshot s read-only (marked REPLAY) until the user
 * quits; takes ownership of s. Returns an exit code, message in err. */
int tui_replay(struct snapshot *s, const struct tui_opts *opts, char *err, size_t errlen);

#endif
