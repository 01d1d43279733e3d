/*
 * tui_worker.h - the thread that watches the target for the live screen.
 *
 * A stack round over 10,000 threads takes more than a second, and the
 * screen must answer a key within 100 ms: so the session (sampler ticks,
 * /proc polls, analysed snapshots) runs in this worker thread and the UI
 * thread only reads keys and draws. The worker publishes each finished
 * snapshot through a mutex-protected slot (the newest replaces one the UI
 * has not taken) and makes a pipe readable so the UI wakes at once; the
 * UI takes ownership of what it takes, so drawing never waits on the
 * sampler. Once started, only the worker touches the session (ptrace
 * requests must come from the thread that seized).
 */
#ifndef CDTOP_TUI_WORKER_H
#define CDTOP_TUI_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include "cdtop.h"
#include "session.h"
#include "snapshot.h"
#include "triage.h"

struct tui_worker;

/* What happened besides a new snapshot, reported once. */
struct tui_worker_event {
	bool exited;                    /* the target is gone: no more snapshots */
	int fatal;                      /* CDTOP_EXIT_* of an error that ends the screen; 0 none */
	char message[CDTOP_ERRLEN];     /* "" none */
};

/* Start the worker on session ss (which it uses exclusively until
 * tui_worker_stop), polling every delay seconds and building snapshots
 * in mode ("cpu", "wall", "auto"). The worker blocks the terminal and
 * job-control signals, so they reach the UI thread. Returns NULL with a
 * message in err when the thread cannot be created. */
struct tui_worker *tui_worker_start(struct session *ss, double delay, const char *mode,
				    char *err, size_t errlen);

/* A descriptor that becomes readable when something was published. */
int tui_worker_fd(const struct tui_worker *w);

/* Take the newest snapshot (caller owns it), or NULL when nothing new;
 * ev (may be NULL) gets an event not reported before. Never blocks on a
 * sampling round: the lock is held only to swap a pointer. */
struct snapshot *tui_worker_take(struct tui_worker *w, struct tui_worker_event *ev);

/* Ask for a new profile window (forget the samples so far); a snapshot
 * with the emptied profile is published at once. */
void tui_worker_reset_profile(struct tui_worker *w);

/* Give the worker the engineer's answers to the manual checklist items;
 * the snapshots it builds from now on carry them (copied). */
void tui_worker_set_answers(struct tui_worker *w, const struct triage_answers *a);

/* Hold the worker between sampling rounds (no target thread stopped) and
 * return once it waits; for suspending cdtop (Ctrl-Z). */
void tui_worker_pause(struct tui_worker *w);

/* Let a paused worker go on. */
void tui_worker_resume(struct tui_worker *w);

/* Stop the worker, wait for its current round to end and free it. The
 * session is the caller's again. NULL is a no-op. */
void tui_worker_stop(struct tui_worker *w);

#endif
