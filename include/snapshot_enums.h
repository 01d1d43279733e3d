/*
 * snapshot_enums.h - the fixed vocabularies of the snapshot: TCP states,
 * the target's runtime, lock kinds and modes, goroutine statuses, the
 * checklist's statuses, panes and answers, and the profile's mode.
 *
 * The model, the analysis and the screen compare these as enums; the
 * strings exist only at the boundary (the JSON and text writers, the
 * loader, the panes' display text, option parsing), and each enum has
 * exactly one name table, here (snapshot_enums.c). The names are those of
 * doc/snapshot-format.md. A value 0 named "" means "not recorded" where a
 * field can be empty or null in a file.
 *
 * Each enum has NAME_name(v) (the string; "" for a value out of range)
 * and NAME_from_name(s, &v) (false when s is not one of the names).
 */
#ifndef CDTOP_SNAPSHOT_ENUMS_H
#define CDTOP_SNAPSHOT_ENUMS_H

#include <stdbool.h>

/* TCP states, numbered as in the kernel (include/net/tcp_states.h). */
enum tcp_state {
	TCP_ST_ESTABLISHED = 1, TCP_ST_SYN_SENT, TCP_ST_SYN_RECV,
	TCP_ST_FIN_WAIT1, TCP_ST_FIN_WAIT2, TCP_ST_TIME_WAIT, TCP_ST_CLOSE,
	TCP_ST_CLOSE_WAIT, TCP_ST_LAST_ACK, TCP_ST_LISTEN, TCP_ST_CLOSING,
	TCP_ST_MAX
};

/* Name of a TCP state as in the snapshot ("ESTABLISHED"), or NULL. */
const char *tcp_state_name(int st);
bool tcp_state_from_name(const char *s, enum tcp_state *out);

/* Where the TCP counts came from (not in the JSON file: NONE when loaded). */
enum tcp_source { TCP_SOURCE_NONE, TCP_SOURCE_NETLINK, TCP_SOURCE_PROC, TCP_SOURCE_COUNT };
const char *tcp_source_name(enum tcp_source v);

/* The runtime the target's executable was built with: "native", "go". */
enum proc_runtime { PROC_RUNTIME_NATIVE, PROC_RUNTIME_GO, PROC_RUNTIME_COUNT };
const char *proc_runtime_name(enum proc_runtime v);
bool proc_runtime_from_name(const char *s, enum proc_runtime *out);

/* What a futex wait is (locks.h): "mutex", "rwlock", ... "unknown" (any
 * other futex); NONE "" when not recorded (a file without it). */
enum lock_kind {
	LOCK_KIND_NONE, LOCK_KIND_MUTEX, LOCK_KIND_RWLOCK, LOCK_KIND_CONDVAR, LOCK_KIND_PI_MUTEX,
	LOCK_KIND_INTERNAL, LOCK_KIND_JOIN, LOCK_KIND_SEMAPHORE, LOCK_KIND_UNKNOWN, LOCK_KIND_COUNT
};
const char *lock_kind_name(enum lock_kind v);
bool lock_kind_from_name(const char *s, enum lock_kind *out);

/* How an rwlock waiter wants it: "read", "write"; NONE "" otherwise. */
enum lock_mode { LOCK_MODE_NONE, LOCK_MODE_READ, LOCK_MODE_WRITE, LOCK_MODE_COUNT };
const char *lock_mode_name(enum lock_mode v);
bool lock_mode_from_name(const char *s, enum lock_mode *out);

/* A goroutine's status as the snapshot names it ("waiting", ...); the Go
 * runtime's own numbering is the reader's business. UNKNOWN "unknown" for
 * a status outside Go's table. */
enum gr_status {
	GR_STATUS_UNKNOWN, GR_STATUS_IDLE, GR_STATUS_RUNNABLE, GR_STATUS_RUNNING, GR_STATUS_SYSCALL,
	GR_STATUS_WAITING, GR_STATUS_MORIBUND, GR_STATUS_DEAD, GR_STATUS_ENQUEUE, GR_STATUS_COPYSTACK,
	GR_STATUS_PREEMPTED, GR_STATUS_LEAKED, GR_STATUS_COUNT
};
const char *gr_status_name(enum gr_status v);
bool gr_status_from_name(const char *s, enum gr_status *out);

/* A checklist item's status. OK to ALERT are in order of severity;
 * MANUAL (a question for a person) is outside that order. */
enum check_status {
	CHECK_ST_OK, CHECK_ST_UNKNOWN, CHECK_ST_WARN, CHECK_ST_ALERT, CHECK_ST_MANUAL, CHECK_ST_COUNT
};
const char *check_status_name(enum check_status v);
bool check_status_from_name(const char *s, enum check_status *out);

/* The pane that shows a checklist item's evidence; NONE "" for none. */
enum check_pane {
	CHECK_PANE_NONE, CHECK_PANE_OVERVIEW, CHECK_PANE_FUNCS, CHECK_PANE_THREADS, CHECK_PANE_LOCKS,
	CHECK_PANE_FILES, CHECK_PANE_GOROUTINES, CHECK_PANE_COUNT
};
const char *check_pane_name(enum check_pane v);
bool check_pane_from_name(const char *s, enum check_pane *out);

/* A person's answer to a manual checklist item; NONE "" not answered. */
enum check_answer { CHECK_ANSWER_NONE, CHECK_ANSWER_YES, CHECK_ANSWER_NO, CHECK_ANSWER_UNKNOWN, CHECK_ANSWER_COUNT };
const char *check_answer_name(enum check_answer v);
bool check_answer_from_name(const char *s, enum check_answer *out);

/* Which samples the top-functions table counts: CPU (threads that were
 * running) or WALL (every sample). AUTO asks for the choice to be made
 * from the CPU use (profile_auto_mode); NONE "" is "not chosen" (the
 * screen: the snapshot's own mode; a file without one). */
enum profile_mode { PROFILE_MODE_NONE, PROFILE_MODE_CPU, PROFILE_MODE_WALL, PROFILE_MODE_AUTO, PROFILE_MODE_COUNT };
const char *profile_mode_name(enum profile_mode v);
bool profile_mode_from_name(const char *s, enum profile_mode *out);

#endif
