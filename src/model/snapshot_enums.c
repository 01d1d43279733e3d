/*
 * snapshot_enums.c - the one name table of each of the snapshot's enums
 * (snapshot_enums.h): enum to string for the writers and the screen,
 * string to enum for the loader and option parsing. The strings are the
 * snapshot format's (doc/snapshot-format.md) and must not change.
 */
#include "snapshot_enums.h"

#include <stddef.h>
#include <string.h>

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* names[v], or "" when v is out of range (or unnamed). */
static const char *name_of(const char *const *names, int n, int v)
{
	return v >= 0 && v < n && names[v] ? names[v] : "";
}

/* The index of s in names, or -1. */
static int index_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static const char *const tcp_names[TCP_ST_MAX] = {
	[TCP_ST_ESTABLISHED] = "ESTABLISHED", [TCP_ST_SYN_SENT] = "SYN_SENT",
	[TCP_ST_SYN_RECV] = "SYN_RECV", [TCP_ST_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_ST_FIN_WAIT2] = "FIN_WAIT2", [TCP_ST_TIME_WAIT] = "TIME_WAIT",
	[TCP_ST_CLOSE] = "CLOSE", [TCP_ST_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_ST_LAST_ACK] = "LAST_ACK", [TCP_ST_LISTEN] = "LISTEN",
	[TCP_ST_CLOSING] = "CLOSING",
};

const char *tcp_state_name(int st)
{
	return st > 0 && st < TCP_ST_MAX ? tcp_names[st] : NULL;
}

bool tcp_state_from_name(const char *s, enum tcp_state *out)
{
	int i = index_of(tcp_names, TCP_ST_MAX, s);
	if (i > 0)
		*out = (enum tcp_state)i;
	return i > 0;
}

static const char *const tcp_source_names[TCP_SOURCE_COUNT] = {"", "netlink", "proc"};

const char *tcp_source_name(enum tcp_source v)
{
	return name_of(tcp_source_names, TCP_SOURCE_COUNT, (int)v);
}

/* One enum's pair of functions over its table. */
#define NAMES(type, table)                                                   \
	const char *type##_name(enum type v)                                 \
	{                                                                    \
		return name_of(table, NELEM(table), (int)v);                 \
	}                                                                    \
	bool type##_from_name(const char *s, enum type *out)                 \
	{                                                                    \
		int i = index_of(table, NELEM(table), s);                    \
		if (i >= 0)                                                  \
			*out = (enum type)i;                                 \
		return i >= 0;                                               \
	}

static const char *const runtime_names[PROC_RUNTIME_COUNT] = {"native", "go"};
NAMES(proc_runtime, runtime_names)

static const char *const lock_kind_names[LOCK_KIND_COUNT] = {
	[LOCK_KIND_NONE] = "", [LOCK_KIND_MUTEX] = "mutex", [LOCK_KIND_RWLOCK] = "rwlock",
	[LOCK_KIND_CONDVAR] = "condvar", [LOCK_KIND_PI_MUTEX] = "pi_mutex",
	[LOCK_KIND_INTERNAL] = "internal", [LOCK_KIND_JOIN] = "join",
	[LOCK_KIND_SEMAPHORE] = "semaphore", [LOCK_KIND_UNKNOWN] = "unknown",
};
NAMES(lock_kind, lock_kind_names)

static const char *const lock_mode_names[LOCK_MODE_COUNT] = {"", "read", "write"};
NAMES(lock_mode, lock_mode_names)

static const char *const gr_status_names[GR_STATUS_COUNT] = {
	[GR_STATUS_UNKNOWN] = "unknown", [GR_STATUS_IDLE] = "idle", [GR_STATUS_RUNNABLE] = "runnable",
	[GR_STATUS_RUNNING] = "running", [GR_STATUS_SYSCALL] = "syscall", [GR_STATUS_WAITING] = "waiting",
	[GR_STATUS_MORIBUND] = "moribund", [GR_STATUS_DEAD] = "dead", [GR_STATUS_ENQUEUE] = "enqueue",
	[GR_STATUS_COPYSTACK] = "copystack", [GR_STATUS_PREEMPTED] = "preempted",
	[GR_STATUS_LEAKED] = "leaked",
};
NAMES(gr_status, gr_status_names)

static const char *const check_status_names[CHECK_ST_COUNT] = {
	[CHECK_ST_OK] = "ok", [CHECK_ST_UNKNOWN] = "unknown", [CHECK_ST_WARN] = "warn",
	[CHECK_ST_ALERT] = "alert", [CHECK_ST_MANUAL] = "manual",
};
NAMES(check_status, check_status_names)

static const char *const check_pane_names[CHECK_PANE_COUNT] = {
	[CHECK_PANE_NONE] = "", [CHECK_PANE_OVERVIEW] = "overview", [CHECK_PANE_FUNCS] = "funcs",
	[CHECK_PANE_THREADS] = "threads", [CHECK_PANE_LOCKS] = "locks", [CHECK_PANE_FILES] = "files",
	[CHECK_PANE_GOROUTINES] = "goroutines",
};
NAMES(check_pane, check_pane_names)

static const char *const check_answer_names[CHECK_ANSWER_COUNT] = {"", "yes", "no", "unknown"};
NAMES(check_answer, check_answer_names)

static const char *const profile_mode_names[PROFILE_MODE_COUNT] = {"", "cpu", "wall", "auto"};
NAMES(profile_mode, profile_mode_names)
