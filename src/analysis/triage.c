/*
 * triage.c - the built-in triage checklist (see triage.h): the on-call
 * knowledge of doc/triage-rules.md (from the project's triage notes and
 * the incident write-ups behind them) as rules over a snapshot.
 *
 * Pure analysis: it reads a struct snapshot (live or loaded from a file)
 * and writes s->checklist; no /proc, no ptrace, no curses. Each rule is a
 * function filling a verdict: a status, the evidence with the figures it
 * used, and the next step (the pane to open, what to look for, the usual
 * causes). Thresholds are the named constants below, documented with
 * their reasons in doc/triage-rules.md; they are set so that a healthy
 * idle process gets no warn or alert, and a rule that needs a trend says
 * "unknown" until the history is long enough to judge one.
 *
 * The walk order is the one engineers follow ("macro to micro"): scope
 * questions a person answers, then the resource picture, then where the
 * time goes. The summary ranks the same items by severity instead.
 */
#include "triage.h"
#include "frame.h"
#include "syscall_names.h"
#include "units.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int worse(int a, int b)
{
	return a > b ? a : b;
}

/* ---- history trends ----------------------------------------------------- */

enum hfield { H_THREADS, H_FDS, H_RSS, H_GOROUTINES };

static int64_t hval(const struct snap_hist *h, enum hfield f)
{
	switch (f) {
	case H_THREADS: return h->threads;
	case H_FDS: return h->fds;
	case H_RSS: return h->rss_kb;
	case H_GOROUTINES: return h->goroutines;
	}
	return SNAP_UNKNOWN;
}

struct trend {
	bool ok;                        /* enough points over enough time */
	int n;                          /* known points */
	double span;                    /* seconds from first to last known point */
	double first, last, min, max;
	double slope;                   /* least-squares units per second */
	double rise;                    /* slope * span: the fitted growth */
	int ups, downs;                 /* steps up and down between points */
};

static struct trend trend_of(const struct snapshot *s, enum hfield f)
{
	struct trend t = {0};
	double sx = 0, sy = 0, sxx = 0, sxy = 0, t0 = NAN, prev = NAN;
	for (int i = 0; i < s->nhistory; i++) {
		int64_t v = hval(&s->history[i], f);
		if (v < 0)
			continue;
		double x = s->history[i].t, y = (double)v;
		if (isnan(t0)) {
			t0 = x;
			t.first = t.min = t.max = y;
		}
		x -= t0;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
		t.n++;
		t.span = x;
		t.last = y;
		t.min = y < t.min ? y : t.min;
		t.max = y > t.max ? y : t.max;
		if (!isnan(prev)) {
			t.ups += y > prev;
			t.downs += y < prev;
		}
		prev = y;
	}
	double d = t.n * sxx - sx * sx;
	t.slope = t.n >= 2 && d > 0 ? (t.n * sxy - sx * sy) / d : 0;
	t.rise = t.slope * t.span;
	t.ok = t.n >= TREND_MIN_POINTS && t.span >= TREND_MIN_SPAN_S;
	return t;
}

/* Status of a growth: rise over both the absolute and relative bars. */
static int growth_status(const struct trend *t, double warn_abs, double warn_pct,
			 double alert_abs, double alert_pct)
{
	double base = t->first > 0 ? t->first : 1;
	double pct = 100.0 * t->rise / base;
	/* Only a rise that the latest point still shows counts. */
	if (t->last - t->first < t->rise / 2)
		return ST_OK;
	if (t->rise >= alert_abs && pct >= alert_pct)
		return ST_ALERT;
	if (t->rise >= warn_abs && pct >= warn_pct)
		return ST_WARN;
	return ST_OK;
}

/* "threads 4 -> 34 over 6 s (+5.0/s; up in 6 of 6 steps)" */
static void trend_evidence(struct verdict *v, const char *what, const struct trend *t, bool kb)
{
	char a[32], b[32], r[32];
	double per = t->span >= 120 ? 60.0 : 1.0;
	const char *unit = per > 1 ? "min" : "s";
	if (kb) {
		units_kib(a, sizeof(a), t->first, 0);
		units_kib(b, sizeof(b), t->last, 0);
		units_kib(r, sizeof(r), t->slope * per, UNITS_SIGNED);
	} else {
		snprintf(a, sizeof(a), "%.0f", t->first);
		snprintf(b, sizeof(b), "%.0f", t->last);
		snprintf(r, sizeof(r), "%.1f", t->slope * per);
	}
	char w[32];
	EV(v, "%s %s -> %s %s (fitted %s%s/%s; up in %d, down in %d of %d steps)", what, a, b,
	   units_window(w, sizeof(w), t->span), t->slope >= 0 ? "+" : "", r, unit, t->ups, t->downs,
	   t->n - 1);
}

/* Unknown verdict for a trend that is too short. */
static bool trend_too_short(struct verdict *v, const char *what, const struct trend *t)
{
	if (t->ok)
		return false;
	v->st = ST_UNKNOWN;
	if (t->n == 0)
		EV(v, "%s not recorded in the history", what);
	else
		EV(v, "history too short to judge a slope: %d point%s over %.0f s (need %d over %.0f s); "
		   "keep watching or take a longer --duration", t->n, t->n == 1 ? "" : "s", t->span,
		   TREND_MIN_POINTS, TREND_MIN_SPAN_S);
	return true;
}

/* ---- helpers over threads and stacks ------------------------------------ */

static double nz(double x)
{
	return isnan(x) ? 0 : x;
}

/* Process CPU user/sys (% of one CPU) and the seconds it covers. On the
 * screen the window is one refresh; the last history points smooth it. */
static void cpu_figures(const struct snapshot *s, double *user, double *sys, double *span)
{
	*user = s->proc.cpu_user_pct;
	*sys = s->proc.cpu_sys_pct;
	*span = s->window_s;
	if (!isnan(s->window_s) && s->window_s >= 5.0)
		return;
	double u = 0, y = 0;
	int n = 0;
	for (int i = s->nhistory - 1; i >= 0 && n < CPU_RECENT_S; i--) {
		const struct snap_hist *h = &s->history[i];
		if (isnan(h->cpu_user_pct) || isnan(h->cpu_sys_pct))
			continue;
		u += h->cpu_user_pct;
		y += h->cpu_sys_pct;
		n++;
	}
	if (n >= 3 && (isnan(*span) || n > *span)) {
		*user = u / n;
		*sys = y / n;
		*span = n;
	}
}

static int64_t nthreads_of(const struct snapshot *s)
{
	if (s->threads && s->nthreads > 0)
		return s->nthreads;
	return s->proc.threads;
}

static const char *frame_fn(const struct snapshot *s, int fr)
{
	return s->profile && fr >= 0 && fr < s->profile->nframes ? s->profile->frames[fr].function : "?";
}

/* The first program frame of a stack (frame.h), or its innermost frame. */
static int stack_anchor(const struct snapshot *s, const int *fr, int n)
{
	int i = frame_first_program(s->profile, fr, n);
	return i >= 0 ? fr[i] : n ? fr[0] : -1;
}

/* "__lll_lock_wait <- pthread_mutex_lock <- post_ledger <- worker <- ...". */
static void stack_words(const struct snapshot *s, const int *fr, int n, char *b, size_t len)
{
	const char *names[FRAME_CHAIN_MAX];
	for (int i = 0; i < n && i < FRAME_CHAIN_MAX; i++)
		names[i] = frame_fn(s, fr[i]);
	frame_chain(names, n, b, len);
}

/* Does any frame of the stack satisfy the frame.h predicate is? */
static bool stack_has(const struct snapshot *s, const int *fr, int n, bool (*is)(const char *))
{
	for (int i = 0; i < n; i++)
		if (is(frame_fn(s, fr[i])))
			return true;
	return false;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The most frequent of n strings (sorted in place); *count gets how
 * often it occurs. NULL when n is 0. O(n log n). */
static const char *most_common(const char **keys, int n, int *count)
{
	qsort(keys, (size_t)n, sizeof(*keys), cmp_strp);
	const char *best = NULL;
	*count = 0;
	for (int i = 0; i < n;) {
		int k = i;
		while (k < n && strcmp(keys[k], keys[i]) == 0)
			k++;
		if (k - i > *count) {
			*count = k - i;
			best = keys[i];
		}
		i = k;
	}
	return best;
}

/* ---- the rules ---------------------------------------------------------- */

static void rule_cpu_user(const struct snapshot *s, struct verdict *v)
{
	double u, y, span;
	char w[32];
	cpu_figures(s, &u, &y, &span);
	if (isnan(u)) {
		v->st = ST_UNKNOWN;
		EV(v, "CPU use unknown: one reading only (it needs a window of two readings)");
		return;
	}
	double tot = u + nz(y);
	EV(v, "user %.0f%% / sys %.0f%% of one CPU %s", u, nz(y), units_window(w, sizeof(w), span));
	if (tot > 0)
		EV(v, " (%.0f%% of it in user mode)", 100.0 * u / tot);
	int ncpu = s->host.ncpu;
	if (ncpu > 0)
		EV(v, "; %d CPU%s online", ncpu, ncpu == 1 ? "" : "s");
	/* A pegged thread is the classic hot loop, whatever the process total. */
	const struct snap_thread *peg = NULL;
	for (int i = 0; s->threads && i < s->nthreads; i++)
		if (!isnan(s->threads[i].cpu_user_pct) && s->threads[i].cpu_user_pct >= CPU_USER_ALERT &&
		    (!peg || s->threads[i].cpu_user_pct > peg->cpu_user_pct))
			peg = &s->threads[i];
	if (peg)
		EV(v, "; thread %d (%s) alone at %.0f%% user", peg->tid, peg->name, peg->cpu_user_pct);
	v->st = u >= CPU_USER_ALERT ? ST_ALERT : u >= CPU_USER_WARN ? ST_WARN : ST_OK;
	if (v->st != ST_OK && y > u)
		v->st = ST_WARN;        /* busy, but the kernel side dominates: see cpu-sys */
}

static void rule_cpu_sys(const struct snapshot *s, struct verdict *v)
{
	double u, y, span;
	char w[32];
	cpu_figures(s, &u, &y, &span);
	if (isnan(y)) {
		v->st = ST_UNKNOWN;
		EV(v, "CPU use unknown: one reading only (it needs a window of two readings)");
		return;
	}
	EV(v, "sys %.0f%% / user %.0f%% of one CPU %s", y, nz(u), units_window(w, sizeof(w), span));
	if (!isnan(s->proc.ctx_vol_per_s))
		EV(v, "; context switches %.0f/s voluntary, %.0f/s involuntary", s->proc.ctx_vol_per_s,
		   nz(s->proc.ctx_invol_per_s));
	int64_t nt = nthreads_of(s);
	if (nt > 0)
		EV(v, "; %lld thread%s", (long long)nt, nt == 1 ? "" : "s");
	v->st = y >= CPU_SYS_ALERT ? ST_ALERT : y >= CPU_SYS_WARN ? ST_WARN : ST_OK;
}

static void rule_cpu_starved(const struct snapshot *s, struct verdict *v)
{
	double th = s->proc.cgroup_throttled_pct, inv = s->proc.ctx_invol_per_s;
	char w[32];
	if (isnan(th) && isnan(inv)) {
		v->st = ST_UNKNOWN;
		EV(v, "cgroup cpu.stat not found and no context-switch rate yet");
		return;
	}
	if (!isnan(th)) {
		EV(v, "cgroup %s throttled in %.1f%% of its CPU periods %s", s->proc.cgroup_path ?
		   s->proc.cgroup_path : "?", th, units_window(w, sizeof(w), s->window_s));
		v->st = th >= THROTTLE_ALERT ? ST_ALERT : th >= THROTTLE_WARN ? ST_WARN : ST_OK;
	} else {
		EV(v, "cgroup throttling unknown (no cpu.stat)");
		v->st = ST_UNKNOWN;
	}
	if (!isnan(inv)) {
		EV(v, "; involuntary context switches %.0f/s (voluntary %.0f/s)", inv,
		   nz(s->proc.ctx_vol_per_s));
		if (inv >= INVOL_WARN && inv >= nz(s->proc.ctx_vol_per_s))
			v->st = worse(v->st == ST_UNKNOWN ? ST_OK : v->st, ST_WARN);
		else if (v->st == ST_UNKNOWN)
			v->st = ST_OK;
	}
}

static void rule_rss_growth(const struct snapshot *s, struct verdict *v)
{
	struct trend t = trend_of(s, H_RSS);
	if (trend_too_short(v, "RSS", &t))
		return;
	trend_evidence(v, "RSS", &t, true);
	const struct snap_process *p = &s->proc;
	char a[32];
	if (p->rss_anon_kb >= 0 && p->rss_kb > 0)
		EV(v, "; now %s, %.0f%% anonymous", units_kib(a, sizeof(a), (double)p->rss_kb, 0),
		   100.0 * (double)p->rss_anon_kb / (double)p->rss_kb);
	v->st = growth_status(&t, RSS_GROW_WARN_KB, RSS_GROW_WARN_PCT, RSS_GROW_ALERT_KB, RSS_GROW_ALERT_PCT);
	if (v->st != ST_OK && t.downs == 0)
		EV(v, "; never fell");
}

static void rule_memory_pressure(const struct snapshot *s, struct verdict *v)
{
	const struct snap_process *p = &s->proc;
	double maj = p->flt_maj_per_s;
	char a[32];
	if (isnan(maj) && p->swap_kb < 0) {
		v->st = ST_UNKNOWN;
		EV(v, "major faults and swap unknown");
		return;
	}
	v->st = ST_OK;
	if (!isnan(maj)) {
		EV(v, "major page faults %.1f/s", maj);
		v->st = maj >= MAJFLT_ALERT ? ST_ALERT : maj >= MAJFLT_WARN ? ST_WARN : ST_OK;
	} else {
		EV(v, "major faults unknown (one reading)");
	}
	if (p->swap_kb >= 0) {
		EV(v, "; swap %s", units_kib(a, sizeof(a), (double)p->swap_kb, 0));
		if (p->swap_kb >= SWAP_WARN_KB) {
			double pct = p->rss_kb >= 0 ? 100.0 * (double)p->swap_kb / (double)(p->rss_kb + p->swap_kb)
						    : 100.0;
			EV(v, " (%.0f%% of the process's memory)", pct);
			v->st = worse(v->st, pct >= SWAP_ALERT_PCT ? ST_ALERT : ST_WARN);
		}
	}
}

static void rule_threads_growth(const struct snapshot *s, struct verdict *v)
{
	struct trend t = trend_of(s, H_THREADS);
	if (trend_too_short(v, "thread count", &t))
		return;
	trend_evidence(v, "threads", &t, false);
	v->st = growth_status(&t, THR_GROW_WARN, THR_GROW_WARN_PCT, THR_GROW_ALERT, THR_GROW_ALERT_PCT);
	double u, y, span;
	cpu_figures(s, &u, &y, &span);
	if (v->st != ST_OK && !isnan(u))
		EV(v, "; CPU %.0f%% of one CPU", u + nz(y));
	if (v->st != ST_OK && !isnan(u) && u + nz(y) >= CPU_USER_WARN)
		NEXT(v, "Threads and CPU rising together: busy loops with no exit condition; open the top "
			"functions in cpu mode (funcs). ");
}

static void rule_goroutines_growth(const struct snapshot *s, struct verdict *v)
{
	if (s->proc.runtime != PROC_RUNTIME_GO && !s->goroutines) {
		v->st = ST_OK;
		EV(v, "not a Go program: no goroutines");
		return;
	}
	struct trend t = trend_of(s, H_GOROUTINES);
	if (t.n == 0 && !s->goroutines) {
		v->st = ST_UNKNOWN;
		EV(v, "goroutines were not read (Go runtime structures unavailable in this snapshot)");
		return;
	}
	if (trend_too_short(v, "goroutine count", &t)) {
		if (s->goroutines && s->goroutines->count >= 0)
			EV(v, "; %lld goroutines now", (long long)s->goroutines->count);
		return;
	}
	trend_evidence(v, "goroutines", &t, false);
	v->st = growth_status(&t, GR_GROW_WARN, GR_GROW_WARN_PCT, GR_GROW_ALERT, GR_GROW_ALERT_PCT);
}

static void rule_fd_limit(const struct snapshot *s, struct verdict *v)
{
	const struct snap_fds *f = &s->proc.fds;
	if (f->open < 0) {
		v->st = ST_UNKNOWN;
		EV(v, "open fds unknown (/proc/PID/fd unreadable)");
		return;
	}
	EV(v, "%lld fds open", (long long)f->open);
	if (f->file >= 0)
		EV(v, " (file %lld, socket %lld, pipe %lld, anon_inode %lld, other %lld)",
		   (long long)f->file, (long long)f->socket, (long long)f->pipe, (long long)f->anon_inode,
		   (long long)f->other);
	if (f->limit == INT64_MAX) {
		EV(v, "; no limit (RLIMIT_NOFILE unlimited)");
		v->st = ST_OK;
	} else if (f->limit <= 0) {
		EV(v, "; limit unknown");
		v->st = ST_UNKNOWN;
	} else {
		double pct = 100.0 * (double)f->open / (double)f->limit;
		EV(v, " of a limit of %lld (%.0f%%)", (long long)f->limit, pct);
		v->st = pct >= FD_LIMIT_ALERT_PCT ? ST_ALERT : pct >= FD_LIMIT_WARN_PCT ? ST_WARN : ST_OK;
	}
}

static void rule_fd_growth(const struct snapshot *s, struct verdict *v)
{
	struct trend t = trend_of(s, H_FDS);
	if (trend_too_short(v, "fd count", &t))
		return;
	trend_evidence(v, "fds", &t, false);
	v->st = growth_status(&t, FD_GROW_WARN, FD_GROW_WARN_PCT, FD_GROW_ALERT, FD_GROW_ALERT_PCT);
	const struct snap_fds *f = &s->proc.fds;
	if (v->st != ST_OK && f->limit > 0 && f->limit != INT64_MAX && t.slope > 0 &&
	    (double)f->open < (double)f->limit) {
		double left = ((double)f->limit - (double)f->open) / t.slope;
		EV(v, "; at this rate the limit of %lld is reached in %.0f %s", (long long)f->limit,
		   left >= 120 ? left / 60 : left, left >= 120 ? "min" : "s");
	}
}

static void rule_close_wait(const struct snapshot *s, struct verdict *v)
{
	const struct snap_tcp *t = &s->proc.tcp;
	if (!t->known) {
		v->st = ST_UNKNOWN;
		EV(v, "TCP sockets unknown (the process's fds are unreadable)");
		return;
	}
	int64_t cw = t->count[TCP_ST_CLOSE_WAIT], all = 0;
	for (int i = 1; i < TCP_ST_MAX; i++)
		all += t->count[i];
	EV(v, "%lld socket%s in CLOSE_WAIT of %lld TCP sockets (ESTABLISHED %lld, LISTEN %lld)",
	   (long long)cw, cw == 1 ? "" : "s", (long long)all, (long long)t->count[TCP_ST_ESTABLISHED],
	   (long long)t->count[TCP_ST_LISTEN]);
	/* Name the peer most of them came from, when the sockets are known. */
	if (cw > 0 && s->sockets && s->nsockets > 0) {
		const char **keys = xmalloc(sizeof(*keys) * (size_t)s->nsockets);
		int n = 0, best;
		for (int i = 0; i < s->nsockets; i++)
			if (s->sockets[i].state == TCP_ST_CLOSE_WAIT)
				keys[n++] = s->sockets[i].local;
		const char *local = most_common(keys, n, &best);
		if (local)
			EV(v, "; %d of them on local %s", best, local);
		free(keys);
	}
	v->st = cw >= CLOSE_WAIT_ALERT ? ST_ALERT : cw >= CLOSE_WAIT_WARN ? ST_WARN : ST_OK;
}

static void rule_time_wait(const struct snapshot *s, struct verdict *v)
{
	const struct snap_process *p = &s->proc;
	/* A process's own TIME_WAIT count is 0 (those sockets have no owner
	 * any more); the namespace-wide count is what runs out of ports. */
	int64_t tw = p->netns_time_wait;
	if (p->tcp.known && p->tcp.count[TCP_ST_TIME_WAIT] > 0 && p->tcp.count[TCP_ST_TIME_WAIT] > tw)
		tw = p->tcp.count[TCP_ST_TIME_WAIT];
	if (tw < 0) {
		v->st = ST_UNKNOWN;
		EV(v, "TIME_WAIT count unknown (/proc/PID/net/sockstat unreadable)");
	} else {
		EV(v, "%lld TCP socket%s in TIME_WAIT in the process's network namespace (they have no "
		   "owner: every process of the namespace counts)", (long long)tw, tw == 1 ? "" : "s");
		if (p->tcp.known)
			EV(v, "; the process holds %lld ESTABLISHED", (long long)p->tcp.count[TCP_ST_ESTABLISHED]);
		v->st = tw >= TIME_WAIT_ALERT ? ST_ALERT : tw >= TIME_WAIT_WARN ? ST_WARN : ST_OK;
	}
}

static void rule_d_state(const struct snapshot *s, struct verdict *v)
{
	if (!s->threads) {
		v->st = ST_UNKNOWN;
		EV(v, "threads unknown (/proc/PID/task unreadable)");
		return;
	}
	int nd = 0;
	const struct snap_thread *longest = NULL;
	for (int i = 0; i < s->nthreads; i++) {
		const struct snap_thread *t = &s->threads[i];
		if (t->state != 'D')
			continue;
		nd++;
		if (!longest || nz(t->blocked_s) > nz(longest->blocked_s))
			longest = t;
	}
	EV(v, "%d of %d threads in D (uninterruptible) state", nd, s->nthreads);
	v->st = ST_OK;
	if (longest) {
		double b = longest->blocked_s;
		EV(v, "; longest: thread %d (%s)", longest->tid, longest->name);
		if (!isnan(b))
			EV(v, " for %.1f s", b);
		if (longest->wchan[0])
			EV(v, " in %s", longest->wchan);
		if (longest->syscall[0])
			EV(v, " (%s)", longest->syscall);
		double pct = s->nthreads ? 100.0 * nd / s->nthreads : 0;
		if ((!isnan(b) && b >= DSTATE_ALERT_S) || (pct >= DSTATE_ALERT_PCT && nd >= 2))
			v->st = ST_ALERT;
		else if (isnan(b) || b >= DSTATE_WARN_S)
			v->st = ST_WARN;
	}
}

static void rule_hot_function(const struct snapshot *s, struct verdict *v)
{
	const struct snap_profile *p = s->profile;
	if (!p) {
		v->st = ST_UNKNOWN;
		EV(v, "no stacks sampled (--no-stacks, or ptrace not permitted: see errors)");
		return;
	}
	/* Recount in cpu mode whatever mode the table was computed in. */
	int64_t *flat = xcalloc((size_t)p->nframes + 1, sizeof(int64_t));
	bool *is_alloc = xcalloc((size_t)p->nframes + 1, sizeof(bool));
	for (int i = 0; i < p->nframes; i++)
		is_alloc[i] = frame_is_alloc(p->frames[i].function);
	int64_t total = 0, alloc = 0;
	for (int i = 0; i < p->nstacks; i++) {
		const struct snap_stack *st = &p->stacks[i];
		if (!st->running || st->nframes == 0)
			continue;
		total += st->count;
		flat[st->frames[0]] += st->count;
		for (int k = 0; k < st->nframes; k++)
			if (is_alloc[st->frames[k]]) {
				alloc += st->count;
				break;
			}
	}
	free(is_alloc);
	int best = -1;
	for (int i = 0; i < p->nframes; i++)
		if (flat[i] > 0 && (best < 0 || flat[i] > flat[best]))
			best = i;
	double u, y, span;
	cpu_figures(s, &u, &y, &span);
	double cpu = nz(u) + nz(y);
	if (total < HOT_MIN_SAMPLES || best < 0) {
		v->st = isnan(u) || cpu >= CPU_BUSY ? ST_UNKNOWN : ST_OK;
		EV(v, "%lld on-CPU samples of %lld", (long long)total, (long long)p->samples_total);
		if (v->st == ST_OK)
			EV(v, "; the process is mostly idle (CPU %.0f%% of one CPU): no hot spot to chase", cpu);
		else
			EV(v, ": too few to name a hot function (need %d)", HOT_MIN_SAMPLES);
	} else {
		double pct = 100.0 * (double)flat[best] / (double)total;
		EV(v, "%s (%s) in %.0f%% of %lld on-CPU samples (flat)", p->frames[best].function,
		   frame_module_name(p->frames[best].module),
		   pct, (long long)total);
		if (!isnan(u))
			EV(v, "; process CPU %.0f%% of one CPU", cpu);
		double apct = 100.0 * (double)alloc / (double)total;
		if (apct >= ALLOC_PCT)
			EV(v, "; malloc/GC functions in %.0f%% of them: allocation pressure", apct);
		if (!isnan(u) && cpu < CPU_BUSY)
			v->st = ST_OK;  /* a hot spot of an idle process is no incident */
		else
			v->st = pct >= HOT_ALERT_PCT ? ST_ALERT : pct >= HOT_WARN_PCT ? ST_WARN : ST_OK;
		if (v->st == ST_OK && apct >= ALLOC_PCT && cpu >= CPU_BUSY)
			v->st = ST_WARN;
	}
	free(flat);
}

/* Waiting stacks of the wall profile, merged over threads. */
struct place {
	const struct snap_stack *st;    /* one of the group's stacks (frames) */
	int64_t count;                  /* samples in this place, all threads */
	int nthreads;                   /* threads seen waiting here */
	double max_wait_s;              /* longest current wait of those threads */
};

static int cmp_stack_frames(const void *a, const void *b)
{
	const struct snap_stack *x = *(const struct snap_stack *const *)a;
	const struct snap_stack *y = *(const struct snap_stack *const *)b;
	if (x->nframes != y->nframes)
		return x->nframes - y->nframes;
	return memcmp(x->frames, y->frames, sizeof(int) * (size_t)x->nframes);
}

static int cmp_thread_tid(const void *a, const void *b)
{
	int x = (*(const struct snap_thread *const *)a)->tid, y = (*(const struct snap_thread *const *)b)->tid;
	return (x > y) - (x < y);
}

/* Thread tid in `byid` (s->threads sorted by tid), or NULL. */
static const struct snap_thread *thread_by_tid(const struct snap_thread **byid, int n, int tid)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (byid[mid]->tid == tid)
			return byid[mid];
		if (byid[mid]->tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The place (stack) where threads spent the most waiting samples. */
static bool wall_place(const struct snapshot *s, struct place *out, int64_t *total)
{
	const struct snap_profile *p = s->profile;
	*total = 0;
	memset(out, 0, sizeof(*out));
	if (!p || p->nstacks == 0)
		return false;
	const struct snap_stack **v = xmalloc(sizeof(*v) * (size_t)p->nstacks);
	int n = 0;
	for (int i = 0; i < p->nstacks; i++) {
		*total += p->stacks[i].count;
		if (!p->stacks[i].running && p->stacks[i].nframes > 0)
			v[n++] = &p->stacks[i];
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_stack_frames);
	int nt = s->threads ? s->nthreads : 0;
	const struct snap_thread **byid = xmalloc(sizeof(*byid) * (size_t)(nt + 1));
	for (int i = 0; i < nt; i++)
		byid[i] = &s->threads[i];
	qsort(byid, (size_t)nt, sizeof(*byid), cmp_thread_tid);
	for (int i = 0; i < n;) {
		struct place g = {.st = v[i]};
		int k = i;
		for (; k < n && cmp_stack_frames(&v[k], &v[i]) == 0; k++) {
			g.count += v[k]->count;
			g.nthreads++;   /* stacks are merged per thread: one entry each */
			const struct snap_thread *t = thread_by_tid(byid, nt, v[k]->tid);
			if (t)
				g.max_wait_s = fmax(g.max_wait_s, nz(t->blocked_s));
		}
		if (g.count > out->count)
			*out = g;
		i = k;
	}
	free(byid);
	free(v);
	return out->count > 0;
}

/* Without a profile: the largest group of blocked threads by syscall and
 * wchan. Returns its size; *best_idx a thread of it, *max_wait the
 * longest wait in it. */
static int syscall_place(const struct snapshot *s, int *best_idx, double *max_wait)
{
	int n = 0, bestn = 0;
	char (*keys)[112] = xmalloc(sizeof(*keys) * (size_t)(s->nthreads + 1));
	const char **kp = xmalloc(sizeof(*kp) * (size_t)(s->nthreads + 1));
	for (int i = 0; i < s->nthreads; i++) {
		const struct snap_thread *t = &s->threads[i];
		if (t->state == 'R' || t->state == 'Z' || t->state == 'X')
			continue;
		snprintf(keys[n], sizeof(keys[n]), "%s\x1f%s", t->syscall, t->wchan);
		kp[n] = keys[n];
		n++;
	}
	const char *best = most_common(kp, n, &bestn);
	*best_idx = -1;
	*max_wait = 0;
	for (int i = 0, k = 0; best && i < s->nthreads; i++) {
		const struct snap_thread *t = &s->threads[i];
		if (t->state == 'R' || t->state == 'Z' || t->state == 'X')
			continue;
		if (strcmp(keys[k++], best) == 0) {
			if (*best_idx < 0)
				*best_idx = i;
			*max_wait = fmax(*max_wait, nz(t->blocked_s));
		}
	}
	free(kp);
	free(keys);
	return bestn;
}

/* The lock thread tid waits for (s->locks), or NULL. */
static const struct snap_lock *lock_of_thread(const struct snapshot *s, int tid)
{
	for (int i = 0; s->locks && i < s->nlocks; i++)
		for (int k = 0; k < s->locks[i].nwaiters; k++)
			if (s->locks[i].waiters[k].tid == tid)
				return &s->locks[i];
	return NULL;
}

/* Waiting for an event (work to arrive, a thread to end), not for a lock
 * somebody holds. */
static bool is_event_wait(enum lock_kind kind)
{
	return kind == LOCK_KIND_CONDVAR || kind == LOCK_KIND_SEMAPHORE || kind == LOCK_KIND_JOIN;
}

static void rule_blocked_same_place(const struct snapshot *s, struct verdict *v)
{
	if (!s->threads || s->nthreads == 0) {
		v->st = ST_UNKNOWN;
		EV(v, "threads unknown (/proc/PID/task unreadable)");
		return;
	}
	int nb = 0, n = s->nthreads;
	for (int i = 0; i < n; i++)
		nb += s->threads[i].state != 'R';
	EV(v, "%d of %d threads blocked now", nb, n);
	v->st = ST_OK;
	struct place g;
	int64_t total;
	bool lock = false, idle = false;
	int nthreads;
	double share;
	if (wall_place(s, &g, &total)) {
		char where[256];
		const struct snap_stack *st = g.st;
		int anchor = stack_anchor(s, st->frames, st->nframes);
		stack_words(s, st->frames, st->nframes, where, sizeof(where));
		share = 100.0 * (double)g.count / (double)total;
		nthreads = g.nthreads;
		EV(v, "; wall profile: %d thread%s waited in %s (%s), %.0f%% of all %lld thread samples",
		   g.nthreads, g.nthreads == 1 ? "" : "s", frame_fn(s, anchor), where, share, (long long)total);
		if (g.max_wait_s > 0)
			EV(v, "; longest current wait there %.1f s", g.max_wait_s);
		lock = stack_has(s, st->frames, st->nframes, frame_is_lock_acquire);
		idle = !lock && stack_has(s, st->frames, st->nframes, frame_is_idle_wait);
	} else {
		int best;
		double maxw;
		nthreads = syscall_place(s, &best, &maxw);
		if (best < 0) {
			EV(v, "; none waiting");
			return;
		}
		const struct snap_thread *t = &s->threads[best];
		share = 100.0 * nthreads / n;
		EV(v, "; largest group now: %d thread%s in syscall %s%s%s (no stacks: grouped by syscall and "
		   "wchan)", nthreads, nthreads == 1 ? "" : "s", t->syscall[0] ? t->syscall : "?",
		   t->wchan[0] ? ", wchan " : "", t->wchan);
		if (maxw > 0)
			EV(v, "; longest wait %.1f s", maxw);
		idle = syscall_is_idle(t->syscall);
		/* A futex wait is named by the lock analysis: a pool parked on
		 * a condvar or semaphore is idle, a mutex queue is a lock. */
		const struct snap_lock *l = lock_of_thread(s, t->tid);
		if (l) {
			lock = !is_event_wait(l->kind);
			idle = !lock;
			EV(v, "; they wait on %s %s", lock_kind_name(l->kind), l->symbol ? l->symbol : "(heap object)");
		}
	}
	if (nthreads >= SAME_MIN_THREADS && share >= SAME_WARN_PCT) {
		if (lock) {
			v->st = ST_ALERT;
			EV(v, "; they wait for a lock");
		} else if (idle) {
			EV(v, "; an idle wait (workers waiting for work): normal unless their number grows");
		} else {
			v->st = ST_WARN;
		}
	}
}

static void rule_goroutines_blocked(const struct snapshot *s, struct verdict *v)
{
	const struct snap_goroutines *g = s->goroutines;
	if (!g) {
		v->st = s->proc.runtime == PROC_RUNTIME_GO ? ST_UNKNOWN : ST_OK;
		EV(v, v->st == ST_OK ? "not a Go program: no goroutines"
		   : "goroutines were not read (Go runtime structures unavailable in this snapshot)");
		return;
	}
	const struct snap_gr_group *big = NULL;
	for (int i = 0; i < g->ngroups; i++) {
		const struct snap_gr_group *x = &g->groups[i];
		if (x->status == GR_STATUS_RUNNING || x->status == GR_STATUS_RUNNABLE)
			continue;
		if (!big || x->count > big->count)
			big = x;
	}
	int64_t runnable = 0;
	for (int i = 0; i < g->nby_status; i++)
		if (strcmp(g->by_status[i].name, gr_status_name(GR_STATUS_RUNNABLE)) == 0)
			runnable = g->by_status[i].count;
	EV(v, "%lld goroutines, %lld runnable", (long long)g->count, (long long)runnable);
	v->st = ST_OK;
	if (big) {
		EV(v, "; largest group: %lld %s", (long long)big->count, gr_status_name(big->status));
		if (big->wait_reason[0])
			EV(v, " (%s)", big->wait_reason);
		int at = frame_go_anchor(big->frames, big->nframes);
		char where[256];
		EV(v, " in %s (%s)", at >= 0 && big->frames[at] ? big->frames[at] : "?",
		   frame_chain((const char *const *)big->frames, big->nframes, where, sizeof(where)));
		if (!isnan(big->max_wait_s))
			EV(v, ", longest %.0f s", big->max_wait_s);
		double pct = g->count > 0 ? 100.0 * (double)big->count / (double)g->count : 0;
		static const char *const idle_reasons[] = {"IO wait", "sleep", "GC worker (idle)",
							   "timer goroutine (idle)", "force gc (idle)",
							   "finalizer wait", "GC sweep wait",
							   "GC scavenge wait", NULL};
		bool idle = false;
		for (int k = 0; idle_reasons[k]; k++)
			idle = idle || strcmp(big->wait_reason, idle_reasons[k]) == 0;
		if (big->count >= GR_SAME_MIN && pct >= GR_SAME_PCT && !idle)
			v->st = big->count >= GR_SAME_ALERT ? ST_ALERT : ST_WARN;
	}
	int ncpu = s->host.ncpu > 0 ? s->host.ncpu : 1;
	if (runnable >= GR_RUNNABLE_MIN && runnable >= (int64_t)GR_RUNNABLE_PER_CPU * ncpu) {
		EV(v, "; %lld runnable for %d CPUs: scheduler overload", (long long)runnable, ncpu);
		v->st = worse(v->st, ST_WARN);
	}
}

static void rule_lock_contention(const struct snapshot *s, struct verdict *v)
{
	if (!s->locks) {
		v->st = ST_UNKNOWN;
		EV(v, "lock analysis not available in this snapshot");
		return;
	}
	const struct snap_lock *worst = NULL;
	int with_waiters = 0, in_cycle = 0, events = 0;
	for (int i = 0; i < s->nlocks; i++) {
		const struct snap_lock *l = &s->locks[i];
		/* Event waits (an idle pool on a condvar, a semaphore, a join)
		 * are not contention; deadlocked locks have their own item. */
		if (l->in_deadlock) {
			in_cycle++;
			continue;
		}
		if (is_event_wait(l->kind)) {
			events++;
			continue;
		}
		if (l->nwaiters == 0)
			continue;
		with_waiters++;
		if (!worst || l->nwaiters > worst->nwaiters ||
		    (l->nwaiters == worst->nwaiters && nz(l->max_wait_s) > nz(worst->max_wait_s)))
			worst = l;
	}
	v->st = ST_OK;
	if (!worst) {
		EV(v, "no thread waits on a lock");
		if (in_cycle || events)
			EV(v, " outside %s%s%s", in_cycle ? "a deadlock" : "", in_cycle && events ? " and " : "",
			   events ? "event waits (condvar, semaphore, join)" : "");
		EV(v, " (%d lock%s seen)", s->nlocks, s->nlocks == 1 ? "" : "s");
	} else {
		if (worst->symbol)
			EV(v, "%s (%s at 0x%llx)", worst->symbol, lock_kind_name(worst->kind),
			   (unsigned long long)worst->address);
		else
			EV(v, "%s lock at 0x%llx", lock_kind_name(worst->kind), (unsigned long long)worst->address);
		EV(v, ": %d waiter%s", worst->nwaiters, worst->nwaiters == 1 ? "" : "s");
		if (!isnan(worst->max_wait_s))
			EV(v, ", longest wait %.1f s", worst->max_wait_s);
		if (worst->owner_tid > 0) {
			EV(v, "; held by thread %d", worst->owner_tid);
			if (worst->owner_function)
				EV(v, " in %s", worst->owner_function);
			if (worst->owner_syscall[0])
				EV(v, " (blocked in %s)", worst->owner_syscall);
		}
		if (worst->nwaiters_history > 0) {
			EV(v, "; waiters per poll:");
			int from = worst->nwaiters_history > 8 ? worst->nwaiters_history - 8 : 0;
			for (int k = from; k < worst->nwaiters_history; k++)
				EV(v, " %d", worst->waiters_history[k]);
		}
		if (worst->contended)
			EV(v, "; contended across polls");
		if (with_waiters > 1)
			EV(v, "; %d locks with waiters", with_waiters);
		int64_t nt = nthreads_of(s);
		double pct = nt > 0 ? 100.0 * worst->nwaiters / (double)nt : 0;
		if ((worst->contended && worst->nwaiters >= LOCK_ALERT_WAITERS) ||
		    (worst->nwaiters >= LOCK_ALERT_WAITERS && pct >= LOCK_ALERT_PCT))
			v->st = ST_ALERT;
		else if (worst->contended ||
			 (worst->nwaiters >= LOCK_WARN_WAITERS && nz(worst->max_wait_s) >= 1.0))
			v->st = ST_WARN;
	}
}

static void rule_deadlock(const struct snapshot *s, struct verdict *v)
{
	if (!s->deadlocks) {
		v->st = ST_UNKNOWN;
		EV(v, "lock analysis not available in this snapshot");
		return;
	}
	if (s->ndeadlocks == 0) {
		v->st = ST_OK;
		EV(v, "no cycle in the wait-for graph");
	} else {
		v->st = ST_ALERT;
		for (int i = 0; i < s->ndeadlocks && i < 3; i++) {
			const struct snap_deadlock *d = &s->deadlocks[i];
			EV(v, "%sthreads", i ? "; " : "");
			for (int k = 0; k < d->ntids; k++)
				EV(v, " %d ->", d->tids[k]);
			EV(v, " %d wait on each other's locks:", d->ntids ? d->tids[0] : 0);
			for (int k = 0; k < d->ntids && k < d->nlocks; k++) {
				EV(v, "%s thread %d", k ? ";" : "", d->tids[k]);
				if (d->functions && d->functions[k])
					EV(v, " in %s", d->functions[k]);
				EV(v, " waits for ");
				if (d->symbols && d->symbols[k])
					EV(v, "%s", d->symbols[k]);
				else
					EV(v, "0x%llx", (unsigned long long)d->locks[k]);
				EV(v, " held by %d", d->tids[(k + 1) % d->ntids]);
			}
			if (!isnan(d->stalled_s))
				EV(v, "; no progress for %.0f s", d->stalled_s);
		}
		if (s->ndeadlocks > 3)
			EV(v, "; %d cycles in all", s->ndeadlocks);
	}
}

/* ---- manual items ------------------------------------------------------- */

struct manual {
	const char *id, *title, *next;
};

static const struct manual manuals[] = {
	{"manual-traffic", "Is traffic (QPS) up?",
	 "Compare the request rate with its usual level. If traffic explains the load, scale out or "
	 "rate-limit; if it does not, the cause is inside (code, data, a dependency)."},
	{"manual-deploy", "Recent deploy or config change?",
	 "A change shortly before the symptom is the first suspect: compare the times, and roll back "
	 "if it matches (have a rollback plan before you act)."},
	{"manual-heavy", "Unusually large requests or a heavy operation running?",
	 "Large payloads, a bulk import or a user querying a huge range: find the request in the logs; "
	 "hot functions in serialization, sorting or validation point the same way."},
	{"manual-scope", "Only this instance affected (not the whole fleet)?",
	 "One instance only: suspect the node or the instance's config (noisy neighbour, bad host, "
	 "uneven load). The whole fleet: traffic, a dependency or the code itself."},
	{"manual-errors", "Errors rising along with latency?",
	 "Errors and latency rising together point at a dependency (database, cache, third-party API): "
	 "look for threads blocked in read/recv/poll and connections piling up to one peer."},
};
#define NMANUAL ((int)(sizeof(manuals) / sizeof(manuals[0])))

static const struct manual *manual_find(const char *id)
{
	for (int i = 0; i < NMANUAL; i++)
		if (strcmp(manuals[i].id, id) == 0)
			return &manuals[i];
	return NULL;
}

/* ---- the table ---------------------------------------------------------- */

struct rule {
	const char *id;
	const char *title;
	enum check_pane pane;
	int rank;                       /* among equal statuses: lower = more specific cause */
	void (*eval)(const struct snapshot *s, struct verdict *v);
	const char *next;               /* the next step: what to open, what to look for, causes */
};

static const struct rule rules[] = {
	{"cpu-user", "CPU busy in user code", CHECK_PANE_FUNCS, 60, rule_cpu_user,
	 "Open the top functions (funcs, cpu mode): the #1 function by flat% is the suspect, "
	 "cum% shows the caller that drives it. Usual causes of user CPU: a hot loop or "
	 "inefficient algorithm, heavy serialization (JSON of big objects), regex backtracking, "
	 "reflection-based validation, an unbounded retry loop, allocation/GC churn "
	 "(malloc, runtime.mallocgc, runtime.gcBgMarkWorker high in the list)."},
	{"cpu-sys", "CPU busy in the kernel (sys)", CHECK_PANE_THREADS, 55, rule_cpu_sys,
	 "Kernel time: look for lock contention (locks pane: many waiters on one lock), too many "
	 "threads or goroutines (scheduler overhead: count and its slope), a syscall storm of tiny "
	 "reads/writes (threads pane: the syscall column; funcs: kernel-entry wrappers such as "
	 "write, read, futex, sched_yield on top), frequent atomics."},
	{"cpu-starved", "CPU starvation: cgroup throttling, preemption", CHECK_PANE_OVERVIEW, 40, rule_cpu_starved,
	 "CPU starvation: the cgroup's CPU limit (quota) is too low for the load, or noisy "
	 "neighbours keep preempting it. Compare cpu.max with the CPU the process wants; raise "
	 "the limit or move the instance. Throttling shows as latency spikes, not as high CPU."},
	{"rss-growth", "Memory (RSS) growing", CHECK_PANE_OVERVIEW, 30, rule_rss_growth,
	 "RSS that rises steadily and never falls is a leak: a global map or cache without "
	 "eviction, slices keeping big backing arrays, leaked threads or goroutines holding "
	 "memory, resources never closed. Anonymous growth is heap; file growth is mapped files. "
	 "Correlate with the thread, goroutine and fd slopes (overview)."},
	{"memory-pressure", "Major page faults and swap", CHECK_PANE_OVERVIEW, 45, rule_memory_pressure,
	 "Memory pressure: pages are read back from disk or swap, so every touch of cold memory "
	 "waits on IO. Check the host's free memory and the cgroup memory limit; look for the "
	 "RSS growth behind it."},
	{"threads-growth", "Thread count growing", CHECK_PANE_THREADS, 25, rule_threads_growth,
	 "A thread count that keeps rising with low CPU is a leak of blocked workers: a mutex "
	 "never unlocked, a queue with no consumer, a join/notify mismatch, IO without a timeout, "
	 "timers created in a loop. Group the blocked threads by stack (threads pane, or funcs in "
	 "wall mode): the largest group with the same stack is the leak site."},
	{"goroutines-growth", "Goroutine count growing", CHECK_PANE_GOROUTINES, 24, rule_goroutines_growth,
	 "Goroutines that keep rising are a leak: a goroutine per request blocked on a channel "
	 "with no partner or on a call without a timeout, a WaitGroup Add/Done mismatch, a select "
	 "with no ready case, time.After in a loop, context cancellation not observed. Open the "
	 "goroutines pane: the largest group (same stack and wait reason) is the leak site; fix "
	 "with context timeouts."},
	{"fd-limit", "File descriptors near the limit", CHECK_PANE_FILES, 15, rule_fd_limit,
	 "Near the limit, accept() and open() start failing with EMFILE. Open the files pane: "
	 "the type that dominates (files, sockets, pipes) points at what is not closed: files, "
	 "connections, database handles. Raising the limit only buys time."},
	{"fd-growth", "File descriptors growing", CHECK_PANE_FILES, 22, rule_fd_growth,
	 "A steadily rising fd count is a descriptor leak: files, connections or DB handles "
	 "opened per request and never closed. Files pane: which type grows, and what the newest "
	 "descriptors point at."},
	{"tcp-close-wait", "Sockets piling up in CLOSE_WAIT", CHECK_PANE_FILES, 12, rule_close_wait,
	 "CLOSE_WAIT means the peer closed and this process never closed its end: a connection "
	 "leak in the application (e.g. HTTP response bodies not closed, a handler returning "
	 "without close). Files pane: the sockets in CLOSE_WAIT and their local/remote address "
	 "show which client or server code path forgets to close."},
	{"tcp-time-wait", "TIME_WAIT pile-up (short connections)", CHECK_PANE_FILES, 35, rule_time_wait,
	 "Many TIME_WAIT sockets mean many short connections without keep-alive or pooling; "
	 "the risk is running out of ephemeral ports (connect() fails with EADDRNOTAVAIL). Reuse "
	 "connections (HTTP keep-alive, a connection pool). Which peer: ss -tan state time-wait "
	 "in the process's network namespace (nsenter -t PID -n)."},
	{"threads-d-state", "Threads stuck in D state (disk/NFS IO)", CHECK_PANE_THREADS, 20, rule_d_state,
	 "D state is a wait inside the kernel that signals cannot interrupt: disk or NFS IO "
	 "stalls, a hung storage device, page faults on a slow filesystem. Threads pane: the "
	 "wchan column names the kernel function; check the device (iostat) and mounts."},
	{"hot-function", "One function dominates the CPU samples", CHECK_PANE_FUNCS, 10, rule_hot_function,
	 "Top functions (funcs, cpu mode): the #1 function by flat% is where the CPU goes; its "
	 "callers (cum%) say which request path drives it. If malloc/free or runtime.mallocgc/"
	 "gcBgMarkWorker dominate, it is allocation pressure: reuse buffers, allocate less per "
	 "request."},
	{"blocked-same-place", "Most threads blocked in the same place", CHECK_PANE_THREADS, 18,
	 rule_blocked_same_place,
	 "Where blocked threads wait (threads pane; funcs in wall mode): a lock wait means a "
	 "lock held too long (see locks); read/recv/poll on a socket means IO without a timeout "
	 "or a slow dependency (check the TCP sockets and the peer); a queue or condition wait "
	 "with no consumer means a stuck pipeline. If the thread count also grows, this group is "
	 "the leak site."},
	{"goroutines-blocked", "Most goroutines blocked in the same place", CHECK_PANE_GOROUTINES, 14,
	 rule_goroutines_blocked,
	 "Goroutines pane: thousands in chan receive/send or select at one function are a leak "
	 "(a goroutine per request calling out with no timeout: use context timeouts); goroutines "
	 "in semacquire/sync.Mutex.Lock are waiting on a lock (an AB-BA deadlock if two wait "
	 "forever); many in IO wait on outbound connections mean a slow dependency; many runnable "
	 "mean scheduler overload."},
	{"lock-contention", "Lock contention", CHECK_PANE_LOCKS, 5, rule_lock_contention,
	 "Many threads waiting on one lock: a coarse lock or a long critical section (IO or "
	 "heavy work under the lock). Locks pane: the lock's name, its owner and where the owner "
	 "is now; shorten the critical section, move IO out of it, shard the lock or use a "
	 "read-write lock."},
	{"deadlock", "Deadlock (threads waiting on each other's locks)", CHECK_PANE_LOCKS, 0, rule_deadlock,
	 "Two or more threads each waiting for a lock another one holds (AB-BA ordering) never "
	 "recover by themselves. Locks pane: the cycle with both locks and both holders and where "
	 "each took its first lock. Fix: take locks in one global order, or use timeouts "
	 "(trylock). A restart is the stop-gap."},
};
#define NRULES ((int)(sizeof(rules) / sizeof(rules[0])))

/* ---- public functions --------------------------------------------------- */

/* A real answer (yes, no, unknown), not NONE or out of range. */
static bool answer_given(enum check_answer a)
{
	return a > CHECK_ANSWER_NONE && a < CHECK_ANSWER_COUNT;
}

int triage_answer(struct triage_answers *a, const char *id, enum check_answer answer, const char *note)
{
	if (!id || !manual_find(id) || (answer != CHECK_ANSWER_NONE && !answer_given(answer)))
		return -1;
	int i;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->item[i].id, id) == 0)
			break;
	if (i == a->n) {
		if (a->n >= TRIAGE_MAX_MANUAL)
			return -1;
		memset(&a->item[i], 0, sizeof(a->item[i]));
		str_copy(a->item[i].id, id, sizeof(a->item[i].id));
		a->n++;
	}
	if (answer != CHECK_ANSWER_NONE)
		a->item[i].answer = answer;
	if (note)
		str_copy(a->item[i].note, note, sizeof(a->item[i].note));
	return 0;
}

void triage_answers_from(struct triage_answers *a, const struct snapshot *s)
{
	for (int i = 0; s->checklist && i < s->nchecks; i++) {
		const struct snap_check *c = &s->checklist[i];
		if (!manual_find(c->id))
			continue;
		bool has_answer = answer_given(c->answer);
		if (!has_answer && !(c->note && c->note[0]))
			continue;
		triage_answer(a, c->id, has_answer ? c->answer : CHECK_ANSWER_NONE, c->note ? c->note : NULL);
	}
}

/* Copy of a string without control characters (notes are typed by a person). */
static char *clean_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return d;
}

static void fill_manual(struct snap_check *c, const struct manual *m, const struct triage_answers *a)
{
	str_copy(c->id, m->id, sizeof(c->id));
	str_copy(c->title, m->title, sizeof(c->title));
	c->status = CHECK_ST_MANUAL;
	c->pane = CHECK_PANE_OVERVIEW;
	c->next_step = xstrdup(m->next);
	const char *ans = NULL, *note = NULL;
	for (int i = 0; a && i < a->n; i++)
		if (strcmp(a->item[i].id, m->id) == 0) {
			ans = answer_given(a->item[i].answer) ? check_answer_name(a->item[i].answer) : NULL;
			note = a->item[i].note[0] ? a->item[i].note : NULL;
			if (ans)
				c->answer = a->item[i].answer;
		}
	if (note)
		c->note = clean_dup(note);
	char ev[256];
	if (ans && note)
		snprintf(ev, sizeof(ev), "answered %s: %s", ans, note);
	else if (ans)
		snprintf(ev, sizeof(ev), "answered %s", ans);
	else if (note)
		snprintf(ev, sizeof(ev), "not answered; note: %s", note);
	else
		snprintf(ev, sizeof(ev), "not answered yet: a question only a person can answer");
	c->evidence = clean_dup(ev);
}

void triage_evaluate(struct snapshot *s, const struct triage_answers *answers)
{
	for (int i = 0; s->checklist && i < s->nchecks; i++)
		snap_check_fini(&s->checklist[i]);
	free(s->checklist);
	s->nchecks = NMANUAL + NRULES;
	s->checklist = xcalloc((size_t)s->nchecks, sizeof(*s->checklist));
	for (int i = 0; i < NMANUAL; i++)
		fill_manual(&s->checklist[i], &manuals[i], answers);
	for (int i = 0; i < NRULES; i++) {
		struct snap_check *c = &s->checklist[NMANUAL + i];
		struct verdict v;
		memset(&v, 0, sizeof(v));
		v.st = ST_UNKNOWN;
		rules[i].eval(s, &v);
		str_copy(c->id, rules[i].id, sizeof(c->id));
		str_copy(c->title, rules[i].title, sizeof(c->title));
		c->status = (enum check_status)v.st;
		c->pane = rules[i].pane;
		c->evidence = xstrdup(v.ev);
		/* A rule may put a case-specific hint before the general step. */
		size_t n = strlen(v.next) + strlen(rules[i].next) + 1;
		c->next_step = xmalloc(n);
		snprintf(c->next_step, n, "%s%s", v.next, rules[i].next);
	}
}

enum check_status triage_worst(const struct snapshot *s)
{
	int w = ST_OK;
	for (int i = 0; s->checklist && i < s->nchecks; i++) {
		int st = (int)s->checklist[i].status;
		if (st != ST_MANUAL)
			w = worse(w, st);
	}
	return (enum check_status)w;
}

/* ---- summary order ------------------------------------------------------ */

static int rank_of(const char *id)
{
	for (int i = 0; i < NRULES; i++)
		if (strcmp(rules[i].id, id) == 0)
			return rules[i].rank;
	return 100;
}

/* Does item x (status sx, rank rx) come before item y in the summary? */
static bool ranks_before(int sx, int rx, int sy, int ry)
{
	if (sx != sy)
		return sx > sy;
	return rx < ry;
}

int triage_order(const struct snapshot *s, int *order)
{
	int n = s->checklist ? s->nchecks : 0;
	int *rank = xmalloc(sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		rank[i] = rank_of(s->checklist[i].id);
	/* Insertion sort in walk order: stable, so equal items keep it. */
	for (int i = 0; i < n; i++) {
		int st = (int)s->checklist[i].status, k = i;
		for (; k > 0; k--) {
			int prev = order[k - 1];
			if (!ranks_before(st, rank[i], (int)s->checklist[prev].status, rank[prev]))
				break;
			order[k] = prev;
		}
		order[k] = i;
	}
	free(rank);
	return n;
}
