/*
 * observer.h - watches one process over time: takes readings from the
 * collectors, tracks threads across polls (CPU per thread, how long each
 * has been blocked in the same syscall), keeps a per-second history ring,
 * and turns the readings into a struct snapshot over a window.
 */
#ifndef CDTOP_OBSERVER_H
#define CDTOP_OBSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "collect.h"
#include "snapshot.h"

struct observer;

enum obs_window {
	OBS_WINDOW_ALL,     /* from the first poll to the latest (headless --snapshot) */
	OBS_WINDOW_LAST,    /* between the last two polls (the live screen) */
};

/* Start observing `pid`: checks it exists, is a user process (not a kernel
 * thread, zombie or non-leader thread) and is readable, and takes the
 * first reading unless first_reading is false (--stacks needs none; then
 * no snapshot may be taken before a poll). Returns CDTOP_EXIT_OK and *out,
 * or an exit code with a one-line message in err. */
int observer_open(struct observer **out, int pid, bool first_reading, char *err, size_t errlen);

/* Take a reading now. Returns CDTOP_EXIT_OK, or CDTOP_EXIT_EXITED (with a
 * message) when the process is gone or its pid was reused. */
int observer_poll(struct observer *o, char *err, size_t errlen);

/* Build a snapshot of the readings over window `w`. Never NULL; rates are
 * unknown (NAN) until two polls exist. Caller frees with snapshot_free. */
struct snapshot *observer_snapshot(struct observer *o, enum obs_window w);

/* Warnings about missing permissions found at open (one line each, with
 * the fix), or NULL-terminated empty list. Owned by the observer. */
const char *const *observer_warnings(const struct observer *o);

/* Record the goroutine count read at the latest poll in the history
 * point that poll added (if it added one: at most one point a second). */
void observer_set_goroutines(struct observer *o, int64_t n);

/* GO or NATIVE: the runtime of the program now running (re-read after
 * an exec). */
enum proc_runtime observer_runtime(const struct observer *o);

/* How many times the process was seen to exec another program (its
 * memory is then a different program's). */
int observer_execs(const struct observer *o);

/* The observed process's /proc directory, open for other collectors. */
int observer_piddir(const struct observer *o);

/* Take again the context switch counts and run time of the threads that
 * were blocked at the last reading (nothing else changes): after
 * something of ours woke them (the first stack round), so that the next
 * reading's "no progress" test compares with values after it. */
void observer_settle(struct observer *o);

/* The threads that were in a system call at the last reading, sorted by
 * tid, in a malloc'd array *out (caller frees). Returns the count. */
int observer_waits(const struct observer *o, struct thread_wait **out);

/* Stop observing and free everything. NULL is a no-op. */
void observer_free(struct observer *o);

#endif
