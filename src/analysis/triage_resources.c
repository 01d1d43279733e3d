/*
 * triage_resources.c - the checklist's resource rules, in walk order:
 * CPU in user code and in the kernel, CPU starvation (cgroup throttling,
 * preemption), RSS growth and memory pressure (major faults, swap),
 * growth of the thread, goroutine and fd counts, the fd limit, TCP
 * sockets in CLOSE_WAIT and TIME_WAIT, threads in D state.
 *
 * Why apart: they answer "is a resource running out or growing?" from
 * the process's figures and the history, the second step of the walk;
 * thresholds are in triage_rules.h, their reasons in doc/triage-rules.md.
 */
#include "triage_rules.h"
#include "units.h"

#include <stdlib.h>

void triage_rule_cpu_user(const struct snapshot *s, struct verdict *v)
{
	double u, y, span;
	char w[32];
	triage_cpu_figures(s, &u, &y, &span);
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

void triage_rule_cpu_sys(const struct snapshot *s, struct verdict *v)
{
	double u, y, span;
	char w[32];
	triage_cpu_figures(s, &u, &y, &span);
	if (isnan(y)) {
		v->st = ST_UNKNOWN;
		EV(v, "CPU use unknown: one reading only (it needs a window of two readings)");
		return;
	}
	EV(v, "sys %.0f%% / user %.0f%% of one CPU %s", y, nz(u), units_window(w, sizeof(w), span));
	if (!isnan(s->proc.ctx_vol_per_s))
		EV(v, "; context switches %.0f/s voluntary, %.0f/s involuntary", s->proc.ctx_vol_per_s,
		   nz(s->proc.ctx_invol_per_s));
	int64_t nt = triage_nthreads_of(s);
	if (nt > 0)
		EV(v, "; %lld thread%s", (long long)nt, nt == 1 ? "" : "s");
	v->st = y >= CPU_SYS_ALERT ? ST_ALERT : y >= CPU_SYS_WARN ? ST_WARN : ST_OK;
}

void triage_rule_cpu_starved(const struct snapshot *s, struct verdict *v)
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

void triage_rule_rss_growth(const struct snapshot *s, struct verdict *v)
{
	struct trend t = triage_trend_of(s, H_RSS);
	if (triage_trend_too_short(v, "RSS", &t))
		return;
	triage_trend_evidence(v, "RSS", &t, true);
	const struct snap_process *p = &s->proc;
	char a[32];
	if (p->rss_anon_kb >= 0 && p->rss_kb > 0)
		EV(v, "; now %s, %.0f%% anonymous", units_kib(a, sizeof(a), (double)p->rss_kb, 0),
		   100.0 * (double)p->rss_anon_kb / (double)p->rss_kb);
	v->st = triage_growth_status(&t, RSS_GROW_WARN_KB, RSS_GROW_WARN_PCT, RSS_GROW_ALERT_KB,
				     RSS_GROW_ALERT_PCT);
	if (v->st != ST_OK && t.downs == 0)
		EV(v, "; never fell");
}

void triage_rule_memory_pressure(const struct snapshot *s, struct verdict *v)
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

void triage_rule_threads_growth(const struct snapshot *s, struct verdict *v)
{
	struct trend t = triage_trend_of(s, H_THREADS);
	if (triage_trend_too_short(v, "thread count", &t))
		return;
	triage_trend_evidence(v, "threads", &t, false);
	v->st = triage_growth_status(&t, THR_GROW_WARN, THR_GROW_WARN_PCT, THR_GROW_ALERT,
				     THR_GROW_ALERT_PCT);
	double u, y, span;
	triage_cpu_figures(s, &u, &y, &span);
	if (v->st != ST_OK && !isnan(u))
		EV(v, "; CPU %.0f%% of one CPU", u + nz(y));
	if (v->st != ST_OK && !isnan(u) && u + nz(y) >= CPU_USER_WARN)
		NEXT(v, "Threads and CPU rising together: busy loops with no exit condition; open the top "
			"functions in cpu mode (funcs). ");
}

void triage_rule_goroutines_growth(const struct snapshot *s, struct verdict *v)
{
	if (s->proc.runtime != PROC_RUNTIME_GO && !s->goroutines) {
		v->st = ST_OK;
		EV(v, "not a Go program: no goroutines");
		return;
	}
	struct trend t = triage_trend_of(s, H_GOROUTINES);
	if (t.n == 0 && !s->goroutines) {
		v->st = ST_UNKNOWN;
		EV(v, "goroutines were not read (Go runtime structures unavailable in this snapshot)");
		return;
	}
	if (triage_trend_too_short(v, "goroutine count", &t)) {
		if (s->goroutines && s->goroutines->count >= 0)
			EV(v, "; %lld goroutines now", (long long)s->goroutines->count);
		return;
	}
	triage_trend_evidence(v, "goroutines", &t, false);
	v->st = triage_growth_status(&t, GR_GROW_WARN, GR_GROW_WARN_PCT, GR_GROW_ALERT, GR_GROW_ALERT_PCT);
}

void triage_rule_fd_limit(const struct snapshot *s, struct verdict *v)
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

void triage_rule_fd_growth(const struct snapshot *s, struct verdict *v)
{
	struct trend t = triage_trend_of(s, H_FDS);
	if (triage_trend_too_short(v, "fd count", &t))
		return;
	triage_trend_evidence(v, "fds", &t, false);
	v->st = triage_growth_status(&t, FD_GROW_WARN, FD_GROW_WARN_PCT, FD_GROW_ALERT, FD_GROW_ALERT_PCT);
	const struct snap_fds *f = &s->proc.fds;
	if (v->st != ST_OK && f->limit > 0 && f->limit != INT64_MAX && t.slope > 0 &&
	    (double)f->open < (double)f->limit) {
		double left = ((double)f->limit - (double)f->open) / t.slope;
		EV(v, "; at this rate the limit of %lld is reached in %.0f %s", (long long)f->limit,
		   left >= 120 ? left / 60 : left, left >= 120 ? "min" : "s");
	}
}

void triage_rule_close_wait(const struct snapshot *s, struct verdict *v)
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
		const char *local = triage_most_common(keys, n, &best);
		if (local)
			EV(v, "; %d of them on local %s", best, local);
		free(keys);
	}
	v->st = cw >= CLOSE_WAIT_ALERT ? ST_ALERT : cw >= CLOSE_WAIT_WARN ? ST_WARN : ST_OK;
}

void triage_rule_time_wait(const struct snapshot *s, struct verdict *v)
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

void triage_rule_d_state(const struct snapshot *s, struct verdict *v)
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
