/*
 * session.h - one observed process and everything that watches it: the
 * observer (/proc readings over time), the stack profiler (ptrace), and
 * the readers and trackers that later analysis needs at every poll (lock
 * waits, goroutines). It builds the analysed snapshot that every view
 * shows, so the headless --snapshot, the live screen and a saved file
 * always agree.
 *
 * Order of work at a snapshot: observer figures -> profile samples -> top
 * functions -> per-thread details (futex words, fd targets) -> analysis
 * (locks, goroutines, triage). Views get a finished struct snapshot and
 * never reach back into the session.
 *
 * The session also owns what the program would otherwise take from the
 * collectors: cdtop's own priority while it watches, the default
 * sampling rate, and the release of process-wide collector state. So the
 * program (main.c, tui_worker.c) includes this header and no collector's.
 */
#ifndef CDTOP_SESSION_H
#define CDTOP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "snapshot.h"
#include "triage.h"

#define SESSION_DEFAULT_HZ 49.0         /* stack samples per second per thread (-F) */
#define SESSION_DEFAULT_NICE (-10)      /* cdtop's own nice value when permitted (--nice) */

/* The span a snapshot's rates cover. */
enum session_window {
	SESSION_WINDOW_ALL,             /* from the first poll to the latest (headless --snapshot) */
	SESSION_WINDOW_LAST,            /* between the last two polls (the live screen) */
};

struct session_opts {
	int pid;
	double hz;                      /* stack samples per second per thread */
	int nice;                       /* cdtop's own nice value while it watches, and real-time
					   priority while it holds threads stopped, each when
					   permitted; 0 = neither */
	enum profile_mode mode;         /* CPU, WALL or AUTO (NONE: AUTO) */
	bool no_stacks;                 /* never use ptrace */
	bool quiet;                     /* do not print warnings to stderr */
	bool stacks_once;               /* only for session_write_stacks: no lock, Go or
					   deadlock bookkeeping */
};

struct session;

/* Open the process and start watching it (set cdtop's priority per
 * o->nice, first reading, first stack round). Returns CDTOP_EXIT_OK and *out, or an exit code with a one-line
 * message in err. A refused ptrace is not an error: the session goes on
 * without stacks (session_stacks_off says why). */
int session_open(struct session **out, const struct session_opts *o, char *err, size_t errlen);

/* Why there are no stacks ("--no-stacks", or the ptrace refusal with its
 * fix), or NULL when stacks are sampled. */
const char *session_stacks_off(const struct session *s);

/* Warnings about missing permissions found at open (NULL-terminated). */
const char *const *session_warnings(const struct session *s);

/* Run a stack round if one is due. Returns seconds until the next one,
 * or -1 when there is no sampling. */
double session_tick(struct session *s);

/* Take a /proc reading now (and feed the per-poll trackers). Returns
 * CDTOP_EXIT_OK, or CDTOP_EXIT_EXITED with a message when the process is
 * gone. */
int session_poll(struct session *s, char *err, size_t errlen);

/* Build the analysed snapshot over window w, top functions in `mode`
 * (CPU, WALL, AUTO; NONE = the session's mode). Never NULL;
 * caller frees with snapshot_free. */
struct snapshot *session_snapshot(struct session *s, enum session_window w, enum profile_mode mode);

/* The answers to the checklist's manual items that every snapshot of
 * this session is evaluated with (triage.h); the screen records into it
 * with triage_answer. Owned by the session. */
struct triage_answers *session_answers(struct session *s);

/* Forget the stack samples taken so far (a new profile window). */
void session_reset_profile(struct session *s);

/* Grab every thread once and print its stack (--stacks). Returns 0, or -1
 * on a write error or when stacks are not available (message in err). */
int session_write_stacks(struct session *s, FILE *f, char *err, size_t errlen);

/* Stop watching and free everything, process-wide collector state
 * included (libproc2's context; the next session opens it again); no
 * thread is left traced. NULL is a no-op. */
void session_free(struct session *s);

#endif
