/*
 * report_text.c - the snapshot as a plain-text report meant to be pasted
 * into a ticket or an incident channel: the same figures as the JSON,
 * laid out for a person, widest-impact first. Unknown figures print "-".
 * Deadlocks and lock waits come right after the header: when a process
 * hangs they are the answer, and they must not scroll out of a paste.
 */
#include "report.h"
#include "frame.h"
#include "units.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREAD_ROWS 40
#define REPORT_WIDTH 78           /* wrap the checklist text for a ticket */
#define MAX_LOCK_ROWS 20
#define MAX_WAITER_ROWS 8
#define MAX_GR_GROUPS 10       /* goroutine groups printed */
#define MAX_GR_FRAMES 16       /* frames printed per group */

static const char *fnum(char *buf, size_t n, double v, const char *fmt)
{
	if (isnan(v))
		return "-";
	snprintf(buf, n, fmt, v);
	return buf;
}

static const char *fint(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		return "-";
	if (v == INT64_MAX)
		return "unlimited";
	snprintf(buf, n, "%lld", (long long)v);
	return buf;
}

/* Size in KiB as "812 MiB" / "3.2 GiB" (units.h); "-" when unknown. */
static const char *fkb(char *buf, size_t n, int64_t kb)
{
	return units_kib(buf, n, (double)kb, 0);
}

static int cmp_thread_cpu(const void *a, const void *b)
{
	const struct snap_thread *x = a, *y = b;
	double cx = (isnan(x->cpu_user_pct) ? 0 : x->cpu_user_pct) + (isnan(x->cpu_sys_pct) ? 0 : x->cpu_sys_pct);
	double cy = (isnan(y->cpu_user_pct) ? 0 : y->cpu_user_pct) + (isnan(y->cpu_sys_pct) ? 0 : y->cpu_sys_pct);
	if (cx != cy)
		return cx < cy ? 1 : -1;
	double bx = isnan(x->blocked_s) ? 0 : x->blocked_s, by = isnan(y->blocked_s) ? 0 : y->blocked_s;
	if (bx != by)
		return bx < by ? 1 : -1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static const struct snap_thread *find_thread(const struct snapshot *s, int tid)
{
	for (int i = 0; s->threads && i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

/* "lock_b 0x5600aa10" or "0x5600aa10" (name sanitized, caller's buffer). */
static const char *lock_label(char *buf, size_t n, const char *symbol, uint64_t addr)
{
	if (symbol) {
		char *clean = utf8_sanitize(symbol);
		snprintf(buf, n, "%s 0x%llx", clean, (unsigned long long)addr);
		free(clean);
	} else {
		snprintf(buf, n, "0x%llx", (unsigned long long)addr);
	}
	return buf;
}

/* " (name)" of a thread, sanitized, or "". */
static const char *thread_label(char *buf, size_t n, const struct snapshot *s, int tid)
{
	const struct snap_thread *t = find_thread(s, tid);
	buf[0] = '\0';
	if (t) {
		char *clean = utf8_sanitize(t->name);
		snprintf(buf, n, " (%s)", clean);
		free(clean);
	}
	return buf;
}

static void write_deadlocks(const struct snapshot *s, FILE *f)
{
	if (!s->deadlocks || s->ndeadlocks == 0)
		return;
	char a[64], lb[320], tn[96], on[96], w[64];
	fprintf(f, "\nDEADLOCKS (%d): threads waiting for each other in a cycle, no progress\n",
		s->ndeadlocks);
	for (int i = 0; i < s->ndeadlocks; i++) {
		const struct snap_deadlock *d = &s->deadlocks[i];
		fprintf(f, "  deadlock %d: %d thread%s, no progress for %s\n", i + 1, d->ntids,
			d->ntids == 1 ? "" : "s", fnum(a, sizeof(a), d->stalled_s, "%.1f s"));
		for (int k = 0; k < d->ntids; k++) {
			int next = d->tids[(k + 1) % d->ntids];
			const char *fn = d->functions && d->functions[k] ? d->functions[k] : "?";
			char *cfn = utf8_sanitize(fn);
			str_copy(w, next == d->tids[k] ? "itself" : "", sizeof(w));
			if (!w[0])
				snprintf(w, sizeof(w), "%d%s", next, thread_label(on, sizeof(on), s, next));
			fprintf(f, "    thread %d%s in %s waits for %s %s held by %s\n", d->tids[k],
				thread_label(tn, sizeof(tn), s, d->tids[k]), cfn,
				d->kinds && d->kinds[k] ? lock_kind_name(d->kinds[k]) : "lock",
				lock_label(lb, sizeof(lb), d->symbols ? d->symbols[k] : NULL, d->locks[k]), w);
			free(cfn);
		}
	}
}

static void write_locks(const struct snapshot *s, FILE *f)
{
	if (!s->locks)
		return;
	char a[64], b[64], lb[320], on[96];
	if (s->nlocks == 0) {
		fprintf(f, "\nLocks: no thread waits on a lock\n");
		return;
	}
	int rows = s->nlocks < MAX_LOCK_ROWS ? s->nlocks : MAX_LOCK_ROWS;
	fprintf(f, "\nLocks (%d with waiters, most important first%s)\n", s->nlocks,
		rows < s->nlocks ? ", first 20" : "");
	for (int i = 0; i < rows; i++) {
		const struct snap_lock *l = &s->locks[i];
		fprintf(f, "  %s %s%s%s: %d waiter%s, longest %s", lock_label(lb, sizeof(lb), l->symbol, l->address),
			lock_kind_name(l->kind), l->in_deadlock ? " DEADLOCKED" : "", l->contended ? " CONTENDED" : "",
			l->nwaiters, l->nwaiters == 1 ? "" : "s", fnum(a, sizeof(a), l->max_wait_s, "%.1f s"));
		if (l->readers > 0)
			fprintf(f, ", held by %d reader%s", l->readers, l->readers == 1 ? "" : "s");
		fputc('\n', f);
		if (l->owner_tid > 0) {
			fprintf(f, "    %s %d%s", l->kind == LOCK_KIND_JOIN ? "joining thread" : "held by",
				l->owner_tid, thread_label(on, sizeof(on), s, l->owner_tid));
			if (l->owner_state != '?' && l->owner_state)
				fprintf(f, ", state %c", l->owner_state);
			if (l->owner_function) {
				char *c = utf8_sanitize(l->owner_function);
				fprintf(f, ", in %s", c);
				free(c);
			}
			if (l->owner_syscall[0])
				fprintf(f, ", blocked in %s(%s) for %s", l->owner_syscall, l->owner_syscall_arg,
					fnum(b, sizeof(b), l->owner_blocked_s, "%.1f s"));
			else if (l->owner_state == 'R')
				fprintf(f, ", running");
			fputc('\n', f);
		} else if (l->kind == LOCK_KIND_CONDVAR || l->kind == LOCK_KIND_SEMAPHORE) {
			fprintf(f, "    waiting for a signal (no owner)\n");
		} else {
			fprintf(f, "    holder unknown (the lock does not record it)\n");
		}
		for (int k = 0; k < l->nwaiters && k < MAX_WAITER_ROWS; k++) {
			const struct snap_lock_waiter *w = &l->waiters[k];
			char *fn = utf8_sanitize(w->function ? w->function : "?");
			fprintf(f, "    waiter %d%s%s%s for %s in %s\n", w->tid, thread_label(on, sizeof(on), s, w->tid),
				w->mode ? " to " : "", lock_mode_name(w->mode), fnum(a, sizeof(a), w->wait_s, "%.1f s"),
				fn);
			free(fn);
		}
		if (l->nwaiters > MAX_WAITER_ROWS)
			fprintf(f, "    ... %d more waiters\n", l->nwaiters - MAX_WAITER_ROWS);
		if (l->nwaiters_history > 1) {
			fprintf(f, "    waiters at each poll:");
			int from = l->nwaiters_history > 30 ? l->nwaiters_history - 30 : 0;
			for (int k = from; k < l->nwaiters_history; k++)
				fprintf(f, " %d", l->waiters_history[k]);
			fputc('\n', f);
		}
	}
}

/* "waiting 205, runnable 2" from a list of counts. */
static void write_counts(FILE *f, const struct snap_count *c, int n)
{
	for (int i = 0; i < n; i++) {
		char *nm = utf8_sanitize(c[i].name);
		fprintf(f, "%s%s %lld", i ? ", " : "", nm, (long long)c[i].count);
		free(nm);
	}
	if (!n)
		fputs("-", f);
	fputc('\n', f);
}

static void write_goroutines(const struct snap_goroutines *g, FILE *f)
{
	char a[64], b[64], c[64];
	fprintf(f, "\nGoroutines: %s (%s; %s runtime goroutines not counted), read in %s ms, "
		"layout %s\n", fint(a, sizeof(a), g->count), g->go_version[0] ? g->go_version : "Go version unknown",
		fint(b, sizeof(b), g->system), fnum(c, sizeof(c), g->read_ms, "%.1f"),
		g->layout[0] ? g->layout : "-");
	fputs("  by status: ", f);
	write_counts(f, g->by_status, g->nby_status);
	fputs("  by wait reason: ", f);
	write_counts(f, g->by_wait_reason, g->nby_wait_reason);
	if (g->created_during_read > 0 || g->moved_during_read > 0)
		fprintf(f, "  during the read: %lld created, %lld ran while their stack was read\n",
			(long long)g->created_during_read, (long long)g->moved_during_read);
	int rows = g->ngroups < MAX_GR_GROUPS ? g->ngroups : MAX_GR_GROUPS;
	fprintf(f, "  groups (same stack, status and wait reason; %d, largest first%s)\n", g->ngroups,
		rows < g->ngroups ? ", first 10" : "");
	for (int i = 0; i < rows; i++) {
		const struct snap_gr_group *gr = &g->groups[i];
		char *reason = utf8_sanitize(gr->wait_reason);
		fprintf(f, "  %6lld %s%s%s", (long long)gr->count, gr_status_name(gr->status),
			reason[0] ? ", " : "", reason);
		free(reason);
		if (!isnan(gr->max_wait_s))
			fprintf(f, ", waiting >= %.0f s", gr->max_wait_s);
		if (!isnan(gr->stalled_s) && gr->stalled_s >= 1.0)
			fprintf(f, ", no progress for %.0f s", gr->stalled_s);
		for (int k = 0; k < gr->ntids; k++)
			fprintf(f, "%s%d", k ? "," : ", on thread ", gr->tids[k]);
		if (gr->deadlock_hint)
			fputs("  <- DEADLOCK? (mutex wait, no progress over the window)", f);
		fputc('\n', f);
		for (int k = 0; k < gr->nframes && k < MAX_GR_FRAMES; k++) {
			char *fn = utf8_sanitize(gr->frames[k]);
			fprintf(f, "           %s\n", fn);
			free(fn);
		}
		if (gr->nframes > MAX_GR_FRAMES)
			fprintf(f, "           ... %d more\n", gr->nframes - MAX_GR_FRAMES);
		if (!gr->nframes)
			fprintf(f, "           (no stack: %s)\n", gr->status == GR_STATUS_RUNNING ?
				"running, its thread was not sampled" : "not readable");
	}
}

/* The first two lines: version, pid, host, kernel, CPUs; time and window. */
static void write_header(const struct snapshot *s, FILE *f)
{
	const struct snap_process *p = &s->proc;
	char a[64], ts[32] = "-";
	if (!isnan(s->taken_at))
		fmt_utc_iso(s->taken_at, ts, sizeof(ts));
	char *comm = utf8_sanitize(p->comm);

	char pidb[24], ncpub[24];
	fprintf(f, "cdtop %s snapshot of pid %s (%s) on %s, kernel %s, %s CPUs\n",
		s->cdtop_version, fint(pidb, sizeof(pidb), p->pid), comm,
		s->host.hostname[0] ? s->host.hostname : "-", s->host.kernel[0] ? s->host.kernel : "-",
		fint(ncpub, sizeof(ncpub), s->host.ncpu));
	fprintf(f, "taken %s over a %s s window%s\n", ts, fnum(a, sizeof(a), s->window_s, "%.1f"),
		s->replay ? " (replayed from a file)" : "");
	free(comm);
}

/* Process: exe, command line, state, parent, uptime, runtime, threads. */
static void write_process(const struct snap_process *p, FILE *f)
{
	char a[64], b[64], ppidb[24];
	fprintf(f, "Process\n");
	if (p->exe) {
		char *exe = utf8_sanitize(p->exe);
		fprintf(f, "  exe       %s\n", exe);
		free(exe);
	}
	if (p->argv) {
		fprintf(f, "  cmdline  ");
		for (int i = 0; i < p->argc; i++) {
			char *arg = utf8_sanitize(p->argv[i] ? p->argv[i] : "");
			fprintf(f, " %s", arg);
			free(arg);
		}
		fputc('\n', f);
	}
	fprintf(f, "  state %c, ppid %s, up %s s, runtime %s, %s threads\n",
		p->state == '?' ? '-' : p->state, fint(ppidb, sizeof(ppidb), p->ppid),
		fnum(a, sizeof(a), p->uptime_s, "%.0f"), proc_runtime_name(p->runtime), fint(b, sizeof(b), p->threads));
}

/* CPU: user, sys, context switches, cgroup throttling. */
static void write_cpu(const struct snap_process *p, FILE *f)
{
	char a[64], b[64], c[64];
	fprintf(f, "\nCPU (%% of one CPU)\n  user %s   sys %s   total %s\n",
		fnum(a, sizeof(a), p->cpu_user_pct, "%.1f%%"), fnum(b, sizeof(b), p->cpu_sys_pct, "%.1f%%"),
		fnum(c, sizeof(c), p->cpu_total_pct, "%.1f%%"));
	fprintf(f, "  context switches/s: voluntary %s, involuntary %s\n",
		fnum(a, sizeof(a), p->ctx_vol_per_s, "%.1f"), fnum(b, sizeof(b), p->ctx_invol_per_s, "%.1f"));
	fprintf(f, "  cgroup %s, CPU throttled %s of periods\n", p->cgroup_path ? p->cgroup_path : "-",
		fnum(c, sizeof(c), p->cgroup_throttled_pct, "%.1f%%"));
}

/* Memory: sizes, page faults, IO rates. */
static void write_memory(const struct snap_process *p, FILE *f)
{
	char a[64], b[64], c[64], d[64], e[64], g[64];
	fprintf(f, "\nMemory\n  RSS %s (anon %s, file %s, shmem %s)   VSZ %s   swap %s\n",
		fkb(a, sizeof(a), p->rss_kb), fkb(b, sizeof(b), p->rss_anon_kb), fkb(c, sizeof(c), p->rss_file_kb),
		fkb(d, sizeof(d), p->rss_shmem_kb), fkb(e, sizeof(e), p->vsz_kb), fkb(g, sizeof(g), p->swap_kb));
	fprintf(f, "  faults/s: minor %s, major %s\n", fnum(a, sizeof(a), p->flt_min_per_s, "%.1f"),
		fnum(b, sizeof(b), p->flt_maj_per_s, "%.1f"));
	fprintf(f, "  IO/s: read %s, write %s\n", units_bytes(a, sizeof(a), p->io_read_bps, 0),
		units_bytes(b, sizeof(b), p->io_write_bps, 0));
}

/* File descriptors: open of limit, by type. */
static void write_fds(const struct snap_process *p, FILE *f)
{
	char a[64], b[64];
	fprintf(f, "\nFile descriptors\n  open %s of limit %s", fint(a, sizeof(a), p->fds.open),
		fint(b, sizeof(b), p->fds.limit));
	if (p->fds.open >= 0)
		fprintf(f, "   (file %lld, socket %lld, pipe %lld, anon_inode %lld, other %lld)",
			(long long)p->fds.file, (long long)p->fds.socket, (long long)p->fds.pipe,
			(long long)p->fds.anon_inode, (long long)p->fds.other);
	fputc('\n', f);
}

/* TCP sockets of the process by state, and the namespace's TIME_WAIT. */
static void write_tcp(const struct snap_process *p, FILE *f)
{
	fprintf(f, "\nTCP sockets of the process");
	if (p->tcp.known) {
		if (p->tcp.source)
			fprintf(f, " (from %s)", tcp_source_name(p->tcp.source));
		fprintf(f, "\n ");
		for (int st = 1; st < TCP_ST_MAX; st++)
			if (p->tcp.count[st] || st == TCP_ST_ESTABLISHED || st == TCP_ST_LISTEN ||
			    st == TCP_ST_CLOSE_WAIT || st == TCP_ST_TIME_WAIT)
				fprintf(f, " %s %lld", tcp_state_name(st), (long long)p->tcp.count[st]);
		fputc('\n', f);
		if (p->netns_time_wait >= 0)
			fprintf(f, "  TIME_WAIT in the process's network namespace (no owner): %lld\n",
				(long long)p->netns_time_wait);
	} else {
		fprintf(f, "\n  unknown\n");
	}
}

/* History: first and last point of RSS, threads, fds, goroutines
 * (s->nhistory > 0). */
static void write_history(const struct snapshot *s, FILE *f)
{
	char a[64], b[64], c[64], d[64], e[64], g[64];
	const struct snap_hist *h0 = &s->history[0], *hn = &s->history[s->nhistory - 1];
	fprintf(f, "\nHistory (%d points over %.0f s): RSS %s -> %s, threads %s -> %s, fds %s -> %s\n",
		s->nhistory, hn->t - h0->t, fkb(a, sizeof(a), h0->rss_kb), fkb(b, sizeof(b), hn->rss_kb),
		fint(c, sizeof(c), h0->threads), fint(d, sizeof(d), hn->threads),
		fint(e, sizeof(e), h0->fds), fint(g, sizeof(g), hn->fds));
	if (h0->goroutines >= 0 || hn->goroutines >= 0) {
		fprintf(f, "  goroutines %s -> %s", fint(a, sizeof(a), h0->goroutines),
			fint(b, sizeof(b), hn->goroutines));
		if (h0->goroutines >= 0 && hn->goroutines >= 0 && hn->t > h0->t)
			fprintf(f, " (%+.1f/s)", (double)(hn->goroutines - h0->goroutines) / (hn->t - h0->t));
		fputc('\n', f);
	}
}

/* Threads, busiest first, at most MAX_THREAD_ROWS (s->nthreads > 0). */
static void write_threads(const struct snapshot *s, FILE *f)
{
	const struct snap_profile *pr = s->profile;
	char a[64], b[64], c[64];
	struct snap_thread *t = xmalloc(sizeof(*t) * (size_t)s->nthreads);
	memcpy(t, s->threads, sizeof(*t) * (size_t)s->nthreads);
	qsort(t, (size_t)s->nthreads, sizeof(*t), cmp_thread_cpu);
	int rows = s->nthreads < MAX_THREAD_ROWS ? s->nthreads : MAX_THREAD_ROWS;
	fprintf(f, "\nThreads (%d, busiest first%s)\n", s->nthreads,
		rows < s->nthreads ? ", first 40" : "");
	fprintf(f, "  %8s %-16s %s %7s %7s %-18s %-22s %9s  %-24s %s\n", "TID", "NAME", "S", "USER%",
		"SYS%", "SYSCALL", "WCHAN", "BLOCKED", "FUNCTION", "WAITING ON");
	for (int i = 0; i < rows; i++) {
		char *nm = utf8_sanitize(t[i].name), nmcol[80], fncol[128];
		utf8_cols(nmcol, sizeof(nmcol), nm, 16, true);
		const char *fn = pr && t[i].top_frame >= 0 && t[i].top_frame < pr->nframes
				 ? pr->frames[t[i].top_frame].function : "-";
		char *cfn = utf8_sanitize(fn);
		utf8_cols(fncol, sizeof(fncol), cfn, 24, true);
		char *arg = utf8_sanitize(t[i].syscall_arg[0] ? t[i].syscall_arg : "-");
		fprintf(f, "  %8d %s %c %7s %7s %-18.18s %-22.22s %9s  %s %s\n", t[i].tid, nmcol,
			t[i].state, fnum(a, sizeof(a), t[i].cpu_user_pct, "%.1f"),
			fnum(b, sizeof(b), t[i].cpu_sys_pct, "%.1f"),
			t[i].syscall[0] ? t[i].syscall : "-", t[i].wchan[0] ? t[i].wchan : "-",
			fnum(c, sizeof(c), t[i].blocked_s, "%.1fs"), fncol, arg);
		free(nm);
		free(cfn);
		free(arg);
	}
	free(t);
}

/* Top functions of the stack profile, with the sampler's pauses. */
static void write_profile(const struct snap_profile *pr, FILE *f)
{
	char a[64], b[64], c[64];
	fprintf(f, "\nTop functions (%s mode: %s; %lld samples at %.0f Hz over %.1f s)\n",
		profile_mode_name(pr->mode), pr->mode == PROFILE_MODE_CPU ? "threads on CPU only" : "every thread, "
		"running or waiting", (long long)pr->samples, pr->frequency_hz, pr->duration_s);
	fprintf(f, "  threads held stopped per sample: p50 %s us, p99 %s us, max %s us (%lld stops)\n",
		fnum(a, sizeof(a), pr->pause_us_p50, "%.0f"), fnum(b, sizeof(b), pr->pause_us_p99, "%.0f"),
		fnum(c, sizeof(c), pr->pause_us_max, "%.0f"), (long long)pr->stops);
	if (pr->status[0])
		fprintf(f, "  note: %s\n", pr->status);
	fprintf(f, "  %8s %6s %8s %6s  %s\n", "flat", "flat%", "cum", "cum%", "function (module)");
	for (int i = 0; i < pr->ntop && i < 25; i++) {
		const struct snap_top *t = &pr->top[i];
		char *fn = utf8_sanitize(pr->frames[t->frame].function);
		fprintf(f, "  %8lld %5.1f%% %8lld %5.1f%%  %s (%s)\n", (long long)t->flat, t->flat_pct,
			(long long)t->cum, t->cum_pct, fn, frame_module_name(pr->frames[t->frame].module));
		free(fn);
	}
}

/* What is missing from the snapshot and why (s->nerrors > 0). */
static void write_errors(const struct snapshot *s, FILE *f)
{
	fprintf(f, "\nNot shown (what is missing and why)\n");
	for (int i = 0; i < s->nerrors; i++)
		fprintf(f, "  [%s] %s\n", s->errors[i].source, s->errors[i].message);
}

int report_text_write(const struct snapshot *s, FILE *f)
{
	const struct snap_process *p = &s->proc;
	write_header(s, f);
	if (s->checklist) {
		fputc('\n', f);
		report_triage_summary_write(s, f, REPORT_WIDTH);
	}
	write_deadlocks(s, f);
	write_locks(s, f);
	fputc('\n', f);

	write_process(p, f);
	write_cpu(p, f);
	write_memory(p, f);
	write_fds(p, f);
	write_tcp(p, f);
	if (s->nhistory > 0)
		write_history(s, f);

	if (s->goroutines)
		write_goroutines(s->goroutines, f);
	if (s->threads && s->nthreads)
		write_threads(s, f);
	if (s->profile)
		write_profile(s->profile, f);

	if (s->checklist) {
		fputc('\n', f);
		report_triage_checklist_write(s, f, REPORT_WIDTH);
	}

	if (s->nerrors)
		write_errors(s, f);
	if (ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}
