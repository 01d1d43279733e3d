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
 *
 * The screen sees the worker only as a struct tui_source (tui.h): the
 * program starts the worker, hands the screen that interface, and stops
 * the worker when the screen returns.
 */
#ifndef CDTOP_TUI_WORKER_H
#define CDTOP_TUI_WORKER_H

#include <stddef.h>
#include "session.h"
#include "tui.h"

struct tui_worker;

/* Start the worker on session ss (which it uses exclusively until
 * tui_worker_stop), polling every delay seconds and building snapshots
 * in mode (CPU, WALL, AUTO). The worker blocks the terminal and
 * job-control signals, so they reach the UI thread. Returns NULL with a
 * message in err when the thread cannot be created. */
struct tui_worker *tui_worker_start(struct session *ss, double delay, enum profile_mode mode,
				    char *err, size_t errlen);

/* The worker as the screen's live source: take the newest snapshot (the
 * lock is held only to swap a pointer), reset the profile (a snapshot
 * with the emptied profile is published at once), pass the checklist
 * answers, pause/resume between sampling rounds, the wake-up fd. Valid
 * until tui_worker_stop. */
struct tui_source tui_worker_source(struct tui_worker *w);

/* Stop the worker, wait for its current round to end and free it. The
 * session is the caller's again. NULL is a no-op. */
void tui_worker_stop(struct tui_worker *w);

#endif
