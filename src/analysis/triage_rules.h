/*
 * triage_rules.h - what the checklist's files share, private to
 * src/analysis/triage*.c: the thresholds (documented with their reasons
 * in doc/triage-rules.md), the verdict a rule fills and the EV/NEXT
 * macros that append to it, the history trends and helpers over threads
 * (triage_evidence.c), and the rules themselves (triage_resources.c,
 * triage_waits.c), which triage.c lists in its table in walk order.
 *
 * Why a header of its own: the rules were one 1500-line file; split by
 * family they still share one vocabulary, and this is it. Nothing here
 * is part of triage.h's interface.
 */
#ifndef CDTOP_TRIAGE_RULES_H
#define CDTOP_TRIAGE_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include "snapshot.h"
#include "util.h"

/* ---- thresholds (doc/triage-rules.md) ---------------------------------- */

#define TREND_MIN_POINTS 5          /* history points needed to judge a slope */
#define TREND_MIN_SPAN_S 4.0        /* ... and the seconds they must span */
#define CPU_RECENT_S 10             /* screen: CPU over the last 10 history points */

#define CPU_USER_WARN 50.0          /* % of one CPU in user mode */
#define CPU_USER_ALERT 90.0
#define CPU_SYS_WARN 20.0           /* % of one CPU in the kernel */
#define CPU_SYS_ALERT 50.0
#define CPU_BUSY 20.0               /* below this the process is not "busy" */

#define THROTTLE_WARN 5.0           /* % of CFS periods throttled */
#define THROTTLE_ALERT 25.0
#define INVOL_WARN 1000.0           /* involuntary context switches per second */

#define MAJFLT_WARN 10.0            /* major faults per second */
#define MAJFLT_ALERT 100.0
#define SWAP_WARN_KB 1024           /* swapped-out KiB */
#define SWAP_ALERT_PCT 25.0         /* swap as % of RSS + swap */

/* Growth over the history: warn/alert when the fitted rise is at least
 * the absolute figure AND the percentage of the starting value. */
#define THR_GROW_WARN 5
#define THR_GROW_WARN_PCT 10.0
#define THR_GROW_ALERT 20
#define THR_GROW_ALERT_PCT 50.0
#define GR_GROW_WARN 50
#define GR_GROW_WARN_PCT 10.0
#define GR_GROW_ALERT 500
#define GR_GROW_ALERT_PCT 50.0
#define RSS_GROW_WARN_KB (16 * 1024)
#define RSS_GROW_WARN_PCT 10.0
#define RSS_GROW_ALERT_KB (64 * 1024)
#define RSS_GROW_ALERT_PCT 50.0
#define FD_GROW_WARN 10
#define FD_GROW_WARN_PCT 10.0
#define FD_GROW_ALERT 50
#define FD_GROW_ALERT_PCT 50.0

#define FD_LIMIT_WARN_PCT 50.0      /* open fds as % of RLIMIT_NOFILE */
#define FD_LIMIT_ALERT_PCT 80.0

#define CLOSE_WAIT_WARN 10          /* sockets in CLOSE_WAIT */
#define CLOSE_WAIT_ALERT 100
#define TIME_WAIT_WARN 2000         /* TIME_WAIT sockets (ephemeral ports) */
#define TIME_WAIT_ALERT 10000

#define DSTATE_WARN_S 1.0           /* a thread in D for this long */
#define DSTATE_ALERT_S 10.0
#define DSTATE_ALERT_PCT 25.0       /* ... or this share of threads in D */

#define HOT_MIN_SAMPLES 20          /* on-CPU samples needed to name a hot function */
#define HOT_WARN_PCT 25.0           /* flat % of on-CPU samples */
#define HOT_ALERT_PCT 50.0
#define ALLOC_PCT 20.0              /* cum % in malloc/GC functions: allocation pressure */

#define SAME_MIN_THREADS 4          /* a group of blocked threads worth naming */
#define SAME_WARN_PCT 50.0          /* share of all thread samples (wall) in one waiting place */

#define GR_SAME_MIN 100             /* goroutines in one (stack, wait reason) group */
#define GR_SAME_PCT 50.0
#define GR_SAME_ALERT 1000
#define GR_RUNNABLE_MIN 100         /* runnable goroutines (scheduler overload) */
#define GR_RUNNABLE_PER_CPU 10

#define LOCK_WARN_WAITERS 2         /* waiters of one lock (with a wait >= 1 s) */
#define LOCK_ALERT_WAITERS 3        /* waiters of a lock the analysis calls contended */
#define LOCK_ALERT_PCT 50.0         /* ... or this share of the threads */

/* ---- statuses ----------------------------------------------------------- */

/* The verdicts are the model's check statuses (snapshot_enums.h), in
 * order of severity; short names for the rules below. */
enum st { ST_OK = CHECK_ST_OK, ST_UNKNOWN = CHECK_ST_UNKNOWN, ST_WARN = CHECK_ST_WARN,
	  ST_ALERT = CHECK_ST_ALERT, ST_MANUAL = CHECK_ST_MANUAL };

struct verdict {
	int st;
	char ev[640];
	char next[768];
};

#define EV(v, ...) str_appendf((v)->ev, sizeof((v)->ev), __VA_ARGS__)
#define NEXT(v, ...) str_appendf((v)->next, sizeof((v)->next), __VA_ARGS__)

static inline int worse(int a, int b)
{
	return a > b ? a : b;
}

/* x, or 0 when unknown (NaN). */
static inline double nz(double x)
{
	return isnan(x) ? 0 : x;
}

/* ---- history trends and helpers (triage_evidence.c) --------------------- */

enum hfield { H_THREADS, H_FDS, H_RSS, H_GOROUTINES };

struct trend {
	bool ok;                        /* enough points over enough time */
	int n;                          /* known points */
	double span;                    /* seconds from first to last known point */
	double first, last, min, max;
	double slope;                   /* least-squares units per second */
	double rise;                    /* slope * span: the fitted growth */
	int ups, downs;                 /* steps up and down between points */
};

/* The trend of field f over s->history: least-squares slope, first and
 * last known points, steps up and down; ok when it is long enough. */
struct trend triage_trend_of(const struct snapshot *s, enum hfield f);

/* Status of a growth: rise over both the absolute and relative bars. */
int triage_growth_status(const struct trend *t, double warn_abs, double warn_pct,
			 double alert_abs, double alert_pct);

/* "threads 4 -> 34 over 6 s (+5.0/s; up in 6 of 6 steps)" */
void triage_trend_evidence(struct verdict *v, const char *what, const struct trend *t, bool kb);

/* Unknown verdict for a trend that is too short. */
bool triage_trend_too_short(struct verdict *v, const char *what, const struct trend *t);

/* Process CPU user/sys (% of one CPU) and the seconds it covers. On the
 * screen the window is one refresh; the last history points smooth it. */
void triage_cpu_figures(const struct snapshot *s, double *user, double *sys, double *span);

/* The thread count: the threads listed, else the process's figure. */
int64_t triage_nthreads_of(const struct snapshot *s);

/* The most frequent of n strings (sorted in place); *count gets how
 * often it occurs. NULL when n is 0. O(n log n). */
const char *triage_most_common(const char **keys, int n, int *count);

/* ---- the rules ---------------------------------------------------------- */

/* Each fills v from s: a status, the evidence with its figures and, when
 * the case calls for it, a hint put before the table's next step. */

/* The resource picture (triage_resources.c). */
void triage_rule_cpu_user(const struct snapshot *s, struct verdict *v);
void triage_rule_cpu_sys(const struct snapshot *s, struct verdict *v);
void triage_rule_cpu_starved(const struct snapshot *s, struct verdict *v);
void triage_rule_rss_growth(const struct snapshot *s, struct verdict *v);
void triage_rule_memory_pressure(const struct snapshot *s, struct verdict *v);
void triage_rule_threads_growth(const struct snapshot *s, struct verdict *v);
void triage_rule_goroutines_growth(const struct snapshot *s, struct verdict *v);
void triage_rule_fd_limit(const struct snapshot *s, struct verdict *v);
void triage_rule_fd_growth(const struct snapshot *s, struct verdict *v);
void triage_rule_close_wait(const struct snapshot *s, struct verdict *v);
void triage_rule_time_wait(const struct snapshot *s, struct verdict *v);
void triage_rule_d_state(const struct snapshot *s, struct verdict *v);

/* Where the time goes (triage_waits.c). */
void triage_rule_hot_function(const struct snapshot *s, struct verdict *v);
void triage_rule_blocked_same_place(const struct snapshot *s, struct verdict *v);
void triage_rule_goroutines_blocked(const struct snapshot *s, struct verdict *v);
void triage_rule_lock_contention(const struct snapshot *s, struct verdict *v);
void triage_rule_deadlock(const struct snapshot *s, struct verdict *v);

#endif
