/*
 * test_triage.c - every rule of the triage checklist (triage.c) from
 * fixture snapshots: a healthy idle process built in C and the real idle
 * snapshot in $FIXTURES/snapshots give no warn or alert; each rule fires
 * (warn, alert) on data made to show its symptom, stays silent when the
 * symptom is absent, and says unknown when its data is missing (NULL =
 * not analysed) or the history is too short. Also: manual answers kept
 * through a saved file, triage_worst, the summary's ranking and wrapping,
 * and the real snapshots of the test targets.
 */
#include "snapshot.h"
#include "snapshot_load.h"
#include "report.h"
#include "triage.h"
#include "util.h"
#include "check.h"
#include "fixtures.h"
#include "snapbuild.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct snap_check *item(const struct snapshot *s, const char *id)
{
	for (int i = 0; s->checklist && i < s->nchecks; i++)
		if (strcmp(s->checklist[i].id, id) == 0)
			return &s->checklist[i];
	return NULL;
}

/* Evaluate s and check item id has status want and evidence containing
 * each of the NULL-terminated strings that follow. */
static void expect_(int line, struct snapshot *s, const char *id, const char *want, ...)
{
	triage_evaluate(s, NULL);
	const struct snap_check *c = item(s, id);
	check_count++;
	if (!c) {
		fprintf(stderr, "%s:%d: FAIL: no item %s\n", __FILE__, line, id);
		check_failed++;
		return;
	}
	if (strcmp(check_status_name(c->status), want) != 0) {
		fprintf(stderr, "%s:%d: FAIL: %s is %s, expected %s; evidence: %s\n", __FILE__, line, id,
			check_status_name(c->status), want, c->evidence);
		check_failed++;
	}
	va_list ap;
	va_start(ap, want);
	const char *sub;
	while ((sub = va_arg(ap, const char *))) {
		check_count++;
		if (!c->evidence || !strstr(c->evidence, sub)) {
			fprintf(stderr, "%s:%d: FAIL: %s evidence \"%s\" lacks \"%s\"\n", __FILE__, line, id,
				c->evidence ? c->evidence : "(null)", sub);
			check_failed++;
		}
	}
	va_end(ap);
	/* Every automatic item names a pane and a next step. */
	CHECK(c->next_step && strlen(c->next_step) > 20);
	CHECK(c->pane != CHECK_PANE_NONE);
}
#define EXPECT(s, id, want, ...) expect_(__LINE__, s, id, want, ##__VA_ARGS__, (const char *)NULL)

#define EXE "/srv/app/bin/edc-import"

/* Grow the thread table to n threads, new ones sleeping in main's pool. */
static struct snap_thread *set_threads(struct snapshot *s, int n)
{
	for (int i = s->nthreads; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "worker-%d", i);
		struct snap_thread *t = snapbuild_thread(s, 1000 + i, name, 'S', 0, 0, "clock_nanosleep", 9.0);
		t->ctx_vol = t->ctx_invol = 1;
	}
	s->proc.threads = s->nthreads;
	return s->threads;
}

/* Add the folded stack "a;b;c" (snapbuild_stack_folded: libc names in
 * libc, the others in EXE) for thread t, and give t the same stack. */
static void thread_stack(struct snapshot *s, struct snap_thread *t, bool running, int64_t count,
			 const char *folded)
{
	struct snap_stack *st = snapbuild_stack_folded(s->profile, t->tid, running, count, folded, EXE);
	snapbuild_thread_stack(t, st->nframes, st->frames);
}

/* A healthy idle native process observed for 10 s: one thread asleep,
 * nothing growing, everything analysed and clean. */
static struct snapshot *healthy(void)
{
	struct snapshot *s = snapbuild_new(1000, "edc-import", 10.0);
	snapbuild_host(s, "h", "", 2);
	struct snap_process *p = &s->proc;
	p->exe = xstrdup(EXE);
	p->uptime_s = 3600;
	snapbuild_cpu(s, 0.2, 0.1, 0.3);
	snapbuild_memory(s, 30000, 20000, 0, 0);      /* rss 50000 */
	p->vsz_kb = 200000;
	p->fds = (struct snap_fds){ .open = 12, .limit = 1024, .file = 6, .socket = 3, .pipe = 2,
				    .anon_inode = 1, .other = 0 };
	p->tcp.known = true;
	p->tcp.count[TCP_ST_ESTABLISHED] = 2;
	p->tcp.count[TCP_ST_LISTEN] = 1;
	p->netns_time_wait = 3;
	p->ctx_vol_per_s = 1.0;
	p->ctx_invol_per_s = 0.0;
	p->flt_min_per_s = 0.0;
	p->flt_maj_per_s = 0.0;
	p->io_read_bps = p->io_write_bps = 0;
	p->cgroup_path = xstrdup("/system.slice/edc.service");
	p->cgroup_throttled_pct = 0.0;
	s->nhistory = 11;
	s->history = xcalloc(11, sizeof(*s->history));
	for (int i = 0; i < 11; i++)
		s->history[i] = (struct snap_hist){ .t = i, .cpu_user_pct = i ? 0.2 : NAN,
						    .cpu_sys_pct = i ? 0.1 : NAN,
						    .rss_kb = 50000 + (i % 2) * 4, .threads = 1,
						    .fds = 12, .goroutines = SNAP_UNKNOWN };
	set_threads(s, 1);
	s->profile = xcalloc(1, sizeof(*s->profile));
	s->profile->mode = PROFILE_MODE_WALL;
	s->profile->frequency_hz = 49;
	thread_stack(s, &s->threads[0], false, 490, "clock_nanosleep;__nanosleep;idle_loop;main");
	s->locks = xcalloc(1, sizeof(*s->locks));
	s->deadlocks = xcalloc(1, sizeof(*s->deadlocks));
	s->sockets = xcalloc(1, sizeof(*s->sockets));
	return s;
}

static void set_hist(struct snapshot *s, int n, double dt, void (*fn)(struct snap_hist *h, int i))
{
	free(s->history);
	s->nhistory = n;
	s->history = xcalloc((size_t)n, sizeof(*s->history));
	for (int i = 0; i < n; i++) {
		s->history[i] = (struct snap_hist){ .t = i * dt, .cpu_user_pct = i ? 0.2 : NAN,
						    .cpu_sys_pct = i ? 0.1 : NAN, .rss_kb = 50000,
						    .threads = 1, .fds = 12, .goroutines = SNAP_UNKNOWN };
		fn(&s->history[i], i);
	}
}

static void no_warn_or_alert(struct snapshot *s, const char *what)
{
	triage_evaluate(s, NULL);
	CHECK(s->nchecks >= 20);
	for (int i = 0; i < s->nchecks; i++) {
		const struct snap_check *c = &s->checklist[i];
		check_count++;
		if (c->status == CHECK_ST_WARN || c->status == CHECK_ST_ALERT) {
			fprintf(stderr, "FAIL: %s: %s is %s: %s\n", what, c->id, check_status_name(c->status), c->evidence);
			check_failed++;
		}
	}
	CHECK(triage_worst(s) != CHECK_ST_WARN && triage_worst(s) != CHECK_ST_ALERT);
}

static void test_healthy(void)
{
	struct snapshot *s = healthy();
	no_warn_or_alert(s, "healthy constructed snapshot");
	/* Walk order: the five manual questions first, then the rules. */
	CHECK_STR(s->checklist[0].id, "manual-traffic");
	CHECK_STR(s->checklist[4].id, "manual-errors");
	for (int i = 0; i < 5; i++) {
		CHECK_EQ_INT(s->checklist[i].status, CHECK_ST_MANUAL);
		CHECK(s->checklist[i].answer == CHECK_ANSWER_NONE);
	}
	CHECK_STR(s->checklist[5].id, "cpu-user");
	CHECK_EQ_INT(triage_worst(s), CHECK_ST_OK);
	/* With everything analysed, every automatic item has a verdict. */
	for (int i = 5; i < s->nchecks; i++)
		if (s->checklist[i].status != CHECK_ST_OK)
			fprintf(stderr, "note: healthy: %s is %s: %s\n", s->checklist[i].id,
				check_status_name(s->checklist[i].status), s->checklist[i].evidence);
	EXPECT(s, "cpu-user", "ok", "user 0% / sys 0% of one CPU over 10 s");
	EXPECT(s, "tcp-time-wait", "ok", "3 TCP sockets in TIME_WAIT");
	EXPECT(s, "lock-contention", "ok", "no thread waits on a lock");
	EXPECT(s, "deadlock", "ok", "no cycle");
	EXPECT(s, "blocked-same-place", "ok", "1 of 1 threads blocked", "idle_loop");
	EXPECT(s, "hot-function", "ok", "0 on-CPU samples", "mostly idle");
	EXPECT(s, "goroutines-growth", "ok", "not a Go program");
	snapshot_free(s);
}

static void test_cpu(void)
{
	struct snapshot *s = healthy();
	s->proc.cpu_user_pct = 182.04;
	s->proc.cpu_sys_pct = 6.0;
	EXPECT(s, "cpu-user", "alert", "user 182% / sys 6% of one CPU over 10 s", "97% of it in user mode");
	EXPECT(s, "cpu-sys", "ok", "sys 6%");
	s->proc.cpu_user_pct = 60;
	EXPECT(s, "cpu-user", "warn", "user 60%");
	s->proc.cpu_user_pct = 40;
	EXPECT(s, "cpu-user", "ok", "user 40%");
	/* Sys-dominated: cpu-sys alerts, cpu-user at most warns. */
	s->proc.cpu_user_pct = 95;
	s->proc.cpu_sys_pct = 120;
	s->proc.ctx_vol_per_s = 25000;
	EXPECT(s, "cpu-sys", "alert", "sys 120% / user 95%", "25000/s voluntary");
	EXPECT(s, "cpu-user", "warn");
	s->proc.cpu_user_pct = 2;
	s->proc.cpu_sys_pct = 25;
	EXPECT(s, "cpu-sys", "warn", "sys 25%");
	/* A single pegged thread is named. */
	s->proc.cpu_sys_pct = 0;
	s->proc.cpu_user_pct = 99;
	set_threads(s, 2)[1].cpu_user_pct = 99;
	EXPECT(s, "cpu-user", "alert", "thread 1001 (worker-1) alone at 99% user");
	/* One reading: unknown. */
	s->proc.cpu_user_pct = s->proc.cpu_sys_pct = NAN;
	s->window_s = 0;
	for (int i = 0; i < s->nhistory; i++)
		s->history[i].cpu_user_pct = s->history[i].cpu_sys_pct = NAN;
	EXPECT(s, "cpu-user", "unknown");
	EXPECT(s, "cpu-sys", "unknown");
	snapshot_free(s);

	/* The screen's 1 s window: smoothed over the last history points. */
	s = healthy();
	s->window_s = 1.0;
	s->proc.cpu_user_pct = 0;       /* this second happened to be quiet */
	for (int i = 1; i < s->nhistory; i++)
		s->history[i].cpu_user_pct = 150;
	EXPECT(s, "cpu-user", "alert", "user 150%", "over 10 s");
	snapshot_free(s);
}

static void test_starved(void)
{
	struct snapshot *s = healthy();
	s->proc.cgroup_throttled_pct = 30;
	EXPECT(s, "cpu-starved", "alert", "throttled in 30.0% of its CPU periods");
	s->proc.cgroup_throttled_pct = 6;
	EXPECT(s, "cpu-starved", "warn", "6.0%");
	s->proc.cgroup_throttled_pct = 0;
	s->proc.ctx_invol_per_s = 3000;
	EXPECT(s, "cpu-starved", "warn", "involuntary context switches 3000/s");
	s->proc.cgroup_throttled_pct = NAN;
	s->proc.ctx_invol_per_s = NAN;
	EXPECT(s, "cpu-starved", "unknown");
	snapshot_free(s);
}

static void rss_leak(struct snap_hist *h, int i) { h->rss_kb = 100000 + 20000 * i; }
static void rss_sawtooth(struct snap_hist *h, int i) { h->rss_kb = 100000 + (i % 2) * 60000; }
static void rss_spike_back(struct snap_hist *h, int i) { h->rss_kb = i < 8 ? 100000 + 30000 * i : 100000; }
static void rss_small(struct snap_hist *h, int i) { h->rss_kb = 100000 + 1000 * i; }
static void rss_mid(struct snap_hist *h, int i) { h->rss_kb = 100000 + 3000 * i; }

static void test_rss(void)
{
	struct snapshot *s = healthy();
	set_hist(s, 11, 1.0, rss_leak);
	EXPECT(s, "rss-growth", "alert", "RSS 98 MiB -> 293 MiB over 10 s", "+20 MiB/s", "never fell",
	       "up in 10, down in 0 of 10 steps");
	set_hist(s, 11, 1.0, rss_mid);
	EXPECT(s, "rss-growth", "warn");
	set_hist(s, 11, 1.0, rss_small);
	EXPECT(s, "rss-growth", "ok");
	set_hist(s, 11, 1.0, rss_sawtooth);
	EXPECT(s, "rss-growth", "ok");
	set_hist(s, 11, 1.0, rss_spike_back);
	EXPECT(s, "rss-growth", "ok");
	/* Minutes: the rate is per minute. */
	set_hist(s, 11, 60.0, rss_leak);
	EXPECT(s, "rss-growth", "alert", "over 10 min", "/min");
	/* Too short a history to judge a slope. */
	set_hist(s, 4, 1.0, rss_leak);
	EXPECT(s, "rss-growth", "unknown", "history too short", "4 points over 3 s");
	set_hist(s, 20, 0.1, rss_leak);
	EXPECT(s, "rss-growth", "unknown", "20 points over 2 s");
	snapshot_free(s);
}

static void test_memory_pressure(void)
{
	struct snapshot *s = healthy();
	s->proc.flt_maj_per_s = 150;
	EXPECT(s, "memory-pressure", "alert", "major page faults 150.0/s");
	s->proc.flt_maj_per_s = 12;
	EXPECT(s, "memory-pressure", "warn");
	s->proc.flt_maj_per_s = 0.5;
	s->proc.swap_kb = 4096;
	EXPECT(s, "memory-pressure", "warn", "swap 4.0 MiB", "(8% of");
	s->proc.swap_kb = 40000;
	EXPECT(s, "memory-pressure", "alert", "(44% of");
	s->proc.swap_kb = SNAP_UNKNOWN;
	s->proc.flt_maj_per_s = NAN;
	EXPECT(s, "memory-pressure", "unknown");
	snapshot_free(s);
}

static void thr_leak(struct snap_hist *h, int i) { h->threads = 4 + 5 * i; }
static void thr_pool(struct snap_hist *h, int i) { h->threads = 8 + (i == 5); }
static void thr_slow(struct snap_hist *h, int i) { h->threads = 40 + i; }

static void test_threads_growth(void)
{
	struct snapshot *s = healthy();
	set_hist(s, 11, 1.0, thr_leak);
	EXPECT(s, "threads-growth", "alert", "threads 4 -> 54 over 10 s", "+5.0/s");
	set_hist(s, 11, 1.0, thr_slow);
	EXPECT(s, "threads-growth", "warn", "threads 40 -> 50");
	set_hist(s, 11, 1.0, thr_pool);
	EXPECT(s, "threads-growth", "ok");
	/* CPU rising too: the next step says busy loop. */
	set_hist(s, 11, 1.0, thr_leak);
	s->proc.cpu_user_pct = 90;
	triage_evaluate(s, NULL);
	CHECK(strstr(item(s, "threads-growth")->next_step, "busy loops") != NULL);
	set_hist(s, 3, 1.0, thr_leak);
	EXPECT(s, "threads-growth", "unknown", "history too short");
	snapshot_free(s);
}

static void gr_leak(struct snap_hist *h, int i) { h->goroutines = 200 + 300 * i; }
static void gr_flat(struct snap_hist *h, int i) { h->goroutines = 200 + (i % 3); }

static void test_goroutines(void)
{
	struct snapshot *s = healthy();
	s->proc.runtime = PROC_RUNTIME_GO;
	EXPECT(s, "goroutines-growth", "unknown", "not read");
	EXPECT(s, "goroutines-blocked", "unknown", "not read");
	struct snap_goroutines *g = snapbuild_goroutines(s, 3200, "");
	snapbuild_count(&g->by_status, &g->nby_status, "waiting", 3195);
	snapbuild_count(&g->by_status, &g->nby_status, "runnable", 5);
	snapbuild_gr_group(g, 3000, GR_STATUS_WAITING, "chan receive", 290,
			   (const char *const[]){ "runtime.gopark", "runtime.chanrecv1", "main.submitToHIS", NULL });
	snapbuild_gr_group(g, 195, GR_STATUS_WAITING, "IO wait", NAN, NULL);
	set_hist(s, 11, 1.0, gr_leak);
	EXPECT(s, "goroutines-growth", "alert", "goroutines 200 -> 3200 over 10 s");
	/* Named by the program's frame, the runtime's in the chain. */
	EXPECT(s, "goroutines-blocked", "alert", "3000 waiting (chan receive) in main.submitToHIS "
	       "(runtime.gopark <- runtime.chanrecv1 <- main.submitToHIS)", "longest 290 s");
	g->groups[0].count = 300;
	g->count = 500;
	EXPECT(s, "goroutines-blocked", "warn", "300 waiting (chan receive)");
	/* Idle network waits are no leak. */
	str_copy(g->groups[0].wait_reason, "IO wait", sizeof(g->groups[0].wait_reason));
	EXPECT(s, "goroutines-blocked", "ok");
	g->by_status[1].count = 400;
	EXPECT(s, "goroutines-blocked", "warn", "400 runnable for 2 CPUs: scheduler overload");
	set_hist(s, 11, 1.0, gr_flat);
	EXPECT(s, "goroutines-growth", "ok", "goroutines 200 -> 201");
	snapshot_free(s);
}

static void test_fds(void)
{
	struct snapshot *s = healthy();
	s->proc.fds.open = 900;
	s->proc.fds.file = 894;
	EXPECT(s, "fd-limit", "alert", "900 fds open (file 894,", "of a limit of 1024 (88%)");
	s->proc.fds.open = 600;
	EXPECT(s, "fd-limit", "warn", "(59%)");
	s->proc.fds.limit = INT64_MAX;
	EXPECT(s, "fd-limit", "ok", "no limit");
	s->proc.fds.limit = SNAP_UNKNOWN;
	EXPECT(s, "fd-limit", "unknown", "limit unknown");
	s->proc.fds.open = SNAP_UNKNOWN;
	EXPECT(s, "fd-limit", "unknown", "unreadable");
	snapshot_free(s);
}

static void fd_leak(struct snap_hist *h, int i) { h->fds = 10 + 20 * i; }
static void fd_churn(struct snap_hist *h, int i) { h->fds = 10 + (i % 4) * 5; }

static void test_fd_growth(void)
{
	struct snapshot *s = healthy();
	set_hist(s, 11, 1.0, fd_leak);
	s->proc.fds.open = 210;
	EXPECT(s, "fd-growth", "alert", "fds 10 -> 210 over 10 s", "+20.0/s",
	       "the limit of 1024 is reached in 41 s");
	set_hist(s, 11, 1.0, fd_churn);
	EXPECT(s, "fd-growth", "ok");
	snapshot_free(s);
}

static void test_tcp(void)
{
	struct snapshot *s = healthy();
	s->proc.tcp.count[TCP_ST_CLOSE_WAIT] = 150;
	free(s->sockets);
	s->nsockets = 3;
	s->sockets = xcalloc(3, sizeof(*s->sockets));
	s->sockets[0] = (struct snap_socket){ .fd = 5, .state = TCP_ST_CLOSE_WAIT, .local = "10.0.0.1:8080",
					      .remote = "10.0.0.9:5000" };
	s->sockets[1] = (struct snap_socket){ .fd = 6, .state = TCP_ST_CLOSE_WAIT, .local = "10.0.0.1:8080",
					      .remote = "10.0.0.9:5001" };
	s->sockets[2] = (struct snap_socket){ .fd = 7, .state = TCP_ST_ESTABLISHED, .local = "10.0.0.1:8080" };
	EXPECT(s, "tcp-close-wait", "alert", "150 sockets in CLOSE_WAIT of 153 TCP sockets",
	       "2 of them on local 10.0.0.1:8080");
	s->proc.tcp.count[TCP_ST_CLOSE_WAIT] = 12;
	EXPECT(s, "tcp-close-wait", "warn", "12 sockets");
	s->proc.tcp.count[TCP_ST_CLOSE_WAIT] = 2;
	EXPECT(s, "tcp-close-wait", "ok", "2 sockets in CLOSE_WAIT");
	s->proc.tcp.known = false;
	EXPECT(s, "tcp-close-wait", "unknown");
	s->proc.tcp.known = true;
	s->proc.netns_time_wait = 2841;
	EXPECT(s, "tcp-time-wait", "warn", "2841 TCP sockets in TIME_WAIT in the process's network namespace");
	s->proc.netns_time_wait = 12000;
	EXPECT(s, "tcp-time-wait", "alert");
	s->proc.netns_time_wait = SNAP_UNKNOWN;
	EXPECT(s, "tcp-time-wait", "unknown");
	snapshot_free(s);
}

static void test_d_state(void)
{
	struct snapshot *s = healthy();
	struct snap_thread *t = set_threads(s, 4);
	t[2].state = 'D';
	t[2].blocked_s = 12;
	str_copy(t[2].wchan, "nfs_wait_bit_killable", sizeof(t[2].wchan));
	str_copy(t[2].syscall, "read", sizeof(t[2].syscall));
	EXPECT(s, "threads-d-state", "alert", "1 of 4 threads in D", "thread 1002 (worker-2) for 12.0 s in "
	       "nfs_wait_bit_killable (read)");
	t[2].blocked_s = 2;
	EXPECT(s, "threads-d-state", "warn");
	t[2].blocked_s = 0.2;
	EXPECT(s, "threads-d-state", "ok", "1 of 4 threads in D");
	t[1].state = t[3].state = 'D';
	EXPECT(s, "threads-d-state", "alert", "3 of 4");
	for (int i = 0; i < s->nthreads; i++)
		free(s->threads[i].stack);
	free(s->threads);
	s->threads = NULL;
	s->nthreads = 0;
	EXPECT(s, "threads-d-state", "unknown");
	EXPECT(s, "blocked-same-place", "unknown");
	snapshot_free(s);
}

static void test_hot_function(void)
{
	struct snapshot *s = healthy();
	s->proc.cpu_user_pct = 95;
	snapbuild_stack_folded(s->profile, 1000, true, 400, "validate_record;process_line;main", EXE);
	snapbuild_stack_folded(s->profile, 1000, true, 80, "strlen_avx2;validate_record;process_line;main", EXE);
	snapbuild_stack_folded(s->profile, 1000, true, 20, "parse;main", EXE);
	EXPECT(s, "hot-function", "alert", "validate_record (edc-import) in 80% of 500 on-CPU samples (flat)",
	       "process CPU 95%");
	/* The same profile from an idle process is no incident. */
	s->proc.cpu_user_pct = 3;
	for (int i = 1; i < s->nhistory; i++)
		s->history[i].cpu_user_pct = 3;
	EXPECT(s, "hot-function", "ok", "validate_record");
	snapshot_free(s);

	s = healthy();
	s->proc.cpu_user_pct = 80;
	snapbuild_stack_folded(s->profile, 1000, true, 30, "a;main", EXE);
	snapbuild_stack_folded(s->profile, 1000, true, 30, "b;main", EXE);
	snapbuild_stack_folded(s->profile, 1000, true, 40, "c;main", EXE);
	EXPECT(s, "hot-function", "warn", "c (edc-import) in 40%");
	snapbuild_stack_folded(s->profile, 1000, true, 60, "_int_malloc;malloc;build_index;main", EXE);
	EXPECT(s, "hot-function", "warn", "malloc/GC functions in 38% of them: allocation pressure");
	snapshot_free(s);

	s = healthy();
	s->proc.cpu_user_pct = 80;
	snapbuild_stack_folded(s->profile, 1000, true, 5, "a;main", EXE);
	EXPECT(s, "hot-function", "unknown", "too few");
	snap_profile_free(s->profile);
	s->profile = NULL;
	free(s->threads[0].stack);
	s->threads[0].stack = NULL;
	EXPECT(s, "hot-function", "unknown", "no stacks sampled");
	snapshot_free(s);
}

/* n threads blocked with the same stack (and syscall), each with as many
 * wall samples as the main thread. */
static void same_place(struct snapshot *s, int n, const char *folded, const char *syscall)
{
	struct snap_thread *t = set_threads(s, n + 1);
	for (int i = 1; i <= n; i++) {
		str_copy(t[i].syscall, syscall, sizeof(t[i].syscall));
		free(t[i].stack);
		thread_stack(s, &t[i], false, 490, folded);
	}
}

static void test_blocked_same_place(void)
{
	struct snapshot *s = healthy();
	same_place(s, 9, "__lll_lock_wait;pthread_mutex_lock;post_ledger;worker;start_thread", "futex");
	EXPECT(s, "blocked-same-place", "alert", "10 of 10 threads blocked now", "wall profile: 9 threads "
	       "waited in post_ledger (__lll_lock_wait <- pthread_mutex_lock <- post_ledger <- worker <- ...), "
	       "90% of all 4900 thread samples", "they wait for a lock");
	snapshot_free(s);

	s = healthy();
	same_place(s, 6, "read;recv_reply;call_his;handler;start_thread", "read");
	EXPECT(s, "blocked-same-place", "warn", "6 threads waited in recv_reply");
	/* The same threads, but they waited there only briefly: main's own
	 * wait dominates the wall samples. */
	s->profile->stacks[0].count = 490 * 20;
	EXPECT(s, "blocked-same-place", "ok", "1 thread waited in idle_loop");
	snapshot_free(s);

	/* An idle pool waiting for work is fine. */
	s = healthy();
	same_place(s, 16, "__futex_abstimed_wait_common;pthread_cond_wait;queue_pop;worker;start_thread", "futex");
	EXPECT(s, "blocked-same-place", "ok", "16 threads waited in queue_pop", "idle wait");
	snapshot_free(s);

	/* Without stacks: grouped by syscall and wchan. */
	s = healthy();
	same_place(s, 5, "read;recv_reply;call_his;handler;start_thread", "recvfrom");
	for (int i = 0; i < s->nthreads; i++) {
		free(s->threads[i].stack);
		s->threads[i].stack = NULL;
		str_copy(s->threads[i].wchan, "wait_woken", sizeof(s->threads[i].wchan));
	}
	snap_profile_free(s->profile);
	s->profile = NULL;
	EXPECT(s, "blocked-same-place", "warn", "largest group now: 5 threads in syscall recvfrom, wchan "
	       "wait_woken (no stacks");
	snapshot_free(s);

	/* Too few threads, or a minority, say nothing. */
	s = healthy();
	same_place(s, 3, "read;recv_reply;call_his;handler;start_thread", "read");
	EXPECT(s, "blocked-same-place", "ok");
	struct snap_thread *t = set_threads(s, 12);
	for (int i = 4; i < 12; i++)
		t[i].state = 'R';
	EXPECT(s, "blocked-same-place", "ok", "4 of 12 threads blocked now");
	snapshot_free(s);
}

static void test_locks(void)
{
	struct snapshot *s = healthy();
	snapshot_free_analysis(s);      /* locks and deadlocks NULL: not analysed */
	EXPECT(s, "lock-contention", "unknown", "not available");
	EXPECT(s, "deadlock", "unknown", "not available");
	set_threads(s, 8);
	struct snap_lock *l = snapbuild_lock(s, 0x5600aa10, "ledger_lock", LOCK_KIND_MUTEX, 1003, "post_ledger", '\0',
					     "write");
	l->nwaiters = 5;
	l->waiters = xcalloc(5, sizeof(*l->waiters));
	l->max_wait_s = 2.5;
	l->nwaiters_history = 3;
	l->waiters_history = snapbuild_ints(3, (const int[]){ 4, 5, 5 });
	l->contended = true;
	/* Idle workers on a condition variable are not contention. */
	struct snap_lock *cv = snapbuild_lock(s, 0x5600ab00, NULL, LOCK_KIND_CONDVAR, SNAP_UNKNOWN, NULL, '\0', NULL);
	cv->nwaiters = 7;
	cv->waiters = xcalloc(7, sizeof(*cv->waiters));
	cv->max_wait_s = 100;
	cv->contended = true;
	l = &s->locks[0];       /* the append moved it */
	EXPECT(s, "lock-contention", "alert", "ledger_lock (mutex at 0x5600aa10): 5 waiters, longest wait 2.5 s",
	       "held by thread 1003 in post_ledger (blocked in write)", "waiters per poll: 4 5 5",
	       "contended across polls");
	l->contended = false;
	l->nwaiters = 2;
	EXPECT(s, "lock-contention", "warn", "2 waiters");
	l->max_wait_s = 0.1;
	EXPECT(s, "lock-contention", "ok", "2 waiters");
	l->nwaiters = 0;
	EXPECT(s, "lock-contention", "ok", "no thread waits on a lock outside event waits (condvar, semaphore, join) (2 locks seen)");

	struct snap_deadlock *d = snapbuild_deadlock(s, 2, (const int[]){ 1001, 1002 },
						     (const uint64_t[]){ 0x5600aa10, 0x5600aa38 },
						     (const char *const[]){ "ledger_lock", NULL }, NULL, NULL, 7);
	EXPECT(s, "deadlock", "alert", "threads 1001 -> 1002 -> 1001 wait on each other's locks: thread 1001 "
	       "waits for ledger_lock held by 1002; thread 1002 waits for 0x5600aa38 held by 1001; no "
	       "progress for 7 s");
	d->functions = xcalloc(2, sizeof(char *));
	d->functions[0] = xstrdup("transfer");
	EXPECT(s, "deadlock", "alert", "thread 1001 in transfer waits for ledger_lock held by 1002");
	CHECK_EQ_INT(triage_worst(s), CHECK_ST_ALERT);
	snapshot_free(s);
}

static void test_answers(void)
{
	struct triage_answers a;
	memset(&a, 0, sizeof(a));
	CHECK_EQ_INT(triage_answer(&a, "manual-deploy", CHECK_ANSWER_YES, "v2.3 rolled out 09:40"), 0);
	CHECK_EQ_INT(triage_answer(&a, "manual-traffic", CHECK_ANSWER_NO, NULL), 0);
	CHECK_EQ_INT(triage_answer(&a, "manual-traffic", CHECK_ANSWER_NONE, "QPS flat\tsince 08:00"), 0);
	CHECK_EQ_INT(triage_answer(&a, "manual-scope", CHECK_ANSWER_COUNT, NULL), -1);
	CHECK_EQ_INT(triage_answer(&a, "cpu-user", CHECK_ANSWER_YES, NULL), -1);
	CHECK_EQ_INT(triage_answer(&a, "no-such-item", CHECK_ANSWER_YES, NULL), -1);
	CHECK_EQ_INT(triage_answer(&a, "manual-errors", CHECK_ANSWER_UNKNOWN, NULL), 0);
	CHECK_EQ_INT(a.n, 3);

	struct snapshot *s = healthy();
	triage_evaluate(s, &a);
	const struct snap_check *c = item(s, "manual-deploy");
	CHECK_EQ_INT(c->status, CHECK_ST_MANUAL);
	CHECK_EQ_INT(c->answer, CHECK_ANSWER_YES);
	CHECK_STR(c->note, "v2.3 rolled out 09:40");
	CHECK_STR(c->evidence, "answered yes: v2.3 rolled out 09:40");
	c = item(s, "manual-traffic");
	CHECK_EQ_INT(c->answer, CHECK_ANSWER_NO);
	CHECK_STR(c->note, "QPS flat since 08:00");     /* control characters dropped */
	c = item(s, "manual-heavy");
	CHECK(c->answer == CHECK_ANSWER_NONE && c->note == NULL);
	CHECK(strstr(c->evidence, "not answered") != NULL);
	CHECK_EQ_INT(triage_worst(s), CHECK_ST_OK);               /* manual items do not count */

	/* Saved and loaded: the answers come back. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK_EQ_INT(report_json_write(s, f), 0);
	fclose(f);
	char err[256];
	struct snapshot *l = snapshot_load_buffer(buf, len, err, sizeof(err));
	CHECK(l != NULL);
	if (l) {
		struct triage_answers b;
		memset(&b, 0, sizeof(b));
		triage_answers_from(&b, l);
		CHECK_EQ_INT(b.n, 3);
		triage_evaluate(l, &b);         /* re-evaluated after a replay: same answers */
		CHECK_EQ_INT(item(l, "manual-deploy")->answer, CHECK_ANSWER_YES);
		CHECK_STR(item(l, "manual-deploy")->note, "v2.3 rolled out 09:40");
		CHECK_EQ_INT(item(l, "manual-errors")->answer, CHECK_ANSWER_UNKNOWN);
		CHECK_STR(item(l, "manual-traffic")->note, "QPS flat since 08:00");
		snapshot_free(l);
	}
	free(buf);
	snapshot_free(s);
}

/* Every line at most width columns (UTF-8 aware), except one long word. */
static void check_width(const char *text, int width)
{
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		int cols = 0, words = 0;
		bool in = false;
		for (const char *q = p; q < e; q++) {
			cols += ((unsigned char)*q & 0xC0) != 0x80;
			if (*q != ' ' && !in)
				words++;
			in = *q != ' ';
		}
		check_count++;
		if (cols > width && words > 2)
			CHECK_FAIL_("line of %d columns > %d: %.*s", cols, width, (int)(e - p), p);
		p = *e ? e + 1 : e;
	}
}

static void test_summary(void)
{
	struct snapshot *s = healthy();
	struct triage_answers a;
	memset(&a, 0, sizeof(a));
	triage_answer(&a, "manual-deploy", CHECK_ANSWER_YES, "v2.3 at 09:40");
	s->proc.cpu_user_pct = 182;
	s->proc.cpu_sys_pct = 6;
	s->proc.tcp.count[TCP_ST_CLOSE_WAIT] = 20;
	s->ndeadlocks = 1;
	s->deadlocks = xrealloc(s->deadlocks, sizeof(*s->deadlocks));
	memset(s->deadlocks, 0, sizeof(*s->deadlocks));
	s->deadlocks->ntids = 2;
	s->deadlocks->tids = xcalloc(2, sizeof(int));
	s->deadlocks->tids[0] = 7;
	s->deadlocks->tids[1] = 8;
	s->deadlocks->stalled_s = NAN;
	triage_evaluate(s, &a);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK_EQ_INT(report_triage_summary_write(s, f, 72), 0);
	fclose(f);
	printf("--- summary at 72 columns ---\n%s---\n", buf);
	CHECK(strncmp(buf, "Most likely explanation (pid 1000 edc-import, over 10 s):\n", 58) == 0);
	const char *dl = strstr(buf, "ALERT  Deadlock"), *cpu = strstr(buf, "ALERT  CPU busy in user code");
	const char *cw = strstr(buf, "WARN   Sockets piling up in CLOSE_WAIT");
	CHECK(dl && cpu && cw);
	CHECK(dl && cpu && dl < cpu);           /* the specific cause ranks first */
	CHECK(cpu && cw && cpu < cw);           /* alerts before warnings */
	CHECK(strstr(buf, "-> locks:") != NULL);
	CHECK(strstr(buf, "Answers: Recent deploy or config change? yes (v2.3 at 09:40)") != NULL);
	CHECK(strstr(buf, "2 alert, 1 warn,") != NULL);
	check_width(buf, 72);
	free(buf);

	/* Nothing wrong: says so. Unwrapped: one line per item. */
	snapshot_free(s);
	s = healthy();
	triage_evaluate(s, NULL);
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK_EQ_INT(report_triage_summary_write(s, f, 0), 0);
	fclose(f);
	CHECK(strstr(buf, "No automatic check found a problem") != NULL);
	CHECK(strstr(buf, "ALERT") == NULL && strstr(buf, "WARN") == NULL);
	CHECK(strstr(buf, "0 alert, 0 warn,") != NULL);
	free(buf);
	snapshot_free(s);

	/* Not evaluated. */
	s = snapshot_new();
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK_EQ_INT(report_triage_summary_write(s, f, 80), 0);
	fclose(f);
	CHECK(strstr(buf, "not evaluated") != NULL);
	CHECK_EQ_INT(triage_worst(s), CHECK_ST_OK);
	free(buf);
	snapshot_free(s);
}

/* The real snapshots of the test targets (tests/fixtures/snapshots). */
static struct snapshot *fixture(const char *name)
{
	char path[4096], err[512];
	fixtures_path(path, sizeof(path), "snapshots", name);
	struct snapshot *s = snapshot_load(path, err, sizeof(err));
	if (!s)
		fprintf(stderr, "%s\n", err);
	CHECK(s != NULL);
	return s;
}

static void test_fixtures(void)
{
	struct snapshot *s = fixture("sleep_idle.json");
	if (s) {
		no_warn_or_alert(s, "sleep_idle.json");
		snapshot_free(s);
	}
	s = fixture("cpu_burn.json");
	if (s) {
		/* Taken on a shared machine: the level follows the figure. */
		double u = s->proc.cpu_user_pct;
		EXPECT(s, "cpu-user", u >= 90 ? "alert" : u >= 50 ? "warn" : "ok");
		CHECK(u >= 20);
		EXPECT(s, "hot-function", "alert", "burn_cpu (cpu_burn) in 100% of");
		EXPECT(s, "cpu-sys", "ok");
		snapshot_free(s);
	}
	s = fixture("rss_grow.json");
	if (s) {
		EXPECT(s, "rss-growth", "alert", "RSS 5.3 MiB -> 124 MiB over 6 s", "never fell");
		EXPECT(s, "threads-growth", "ok");
		snapshot_free(s);
	}
	s = fixture("fd_tcp.json");
	if (s) {
		EXPECT(s, "tcp-close-wait", "ok", "2 sockets in CLOSE_WAIT");
		EXPECT(s, "fd-limit", "ok");
		snapshot_free(s);
	}
	s = fixture("threads_mix.json");
	if (s) {
		EXPECT(s, "threads-d-state", "ok");
		EXPECT(s, "blocked-same-place", "ok", "3 of 4 threads blocked now");
		EXPECT(s, "hot-function", "alert", "burn_cpu (threads_mix)");
		snapshot_free(s);
	}
	s = fixture("thread_leak.json");
	if (s) {
		EXPECT(s, "threads-growth", "alert", "threads 2 -> 31 over 6 s");
		EXPECT(s, "blocked-same-place", "alert", "30 threads waited in post_ledger", "they wait for a lock");
		EXPECT(s, "lock-contention", "alert", "ledger_lock (mutex at 0x", "30 waiters",
		       "waiters per poll: 1 6 11 16 21 26 30");
		EXPECT(s, "deadlock", "ok");
		EXPECT(s, "cpu-user", "ok");
		snapshot_free(s);
	}
	s = fixture("conn_leak.json");
	if (s) {
		EXPECT(s, "tcp-close-wait", "alert", "123 sockets in CLOSE_WAIT of 124 TCP sockets",
		       "123 of them on local 127.0.0.1:43177");
		EXPECT(s, "fd-growth", "alert", "fds 10 -> 129 over 6 s");
		snapshot_free(s);
	}
	s = fixture("fd_leak.json");
	if (s) {
		EXPECT(s, "fd-limit", "alert", "156 fds open", "of a limit of 180 (87%)");
		EXPECT(s, "fd-growth", "alert", "the limit of 180 is reached in 1 s");
		EXPECT(s, "tcp-close-wait", "ok");
		snapshot_free(s);
	}
	s = fixture("deadlock_abba.json");
	if (s) {
		EXPECT(s, "deadlock", "alert", "thread 4600 in transfer waits for audit_lock held by 4601",
		       "thread 4601 in audit waits for accounts_lock held by 4600");
		EXPECT(s, "lock-contention", "ok", "outside a deadlock");
		snapshot_free(s);
	}
	s = fixture("lock_contention.json");
	if (s) {
		EXPECT(s, "lock-contention", "alert", "stats_lock (mutex at 0x", "7 waiters", "in update_stats",
		       "contended across polls");
		EXPECT(s, "deadlock", "ok");
		snapshot_free(s);
	}
	/* Each snapshot of the folder has its verdicts written down above. */
	CHECK_EQ_INT(fixtures_unnamed("snapshots"), 0);
}

int main(void)
{
	test_healthy();
	test_cpu();
	test_starved();
	test_rss();
	test_memory_pressure();
	test_threads_growth();
	test_goroutines();
	test_fds();
	test_fd_growth();
	test_tcp();
	test_d_state();
	test_hot_function();
	test_blocked_same_place();
	test_locks();
	test_answers();
	test_summary();
	test_fixtures();
	return CHECK_DONE();
}
