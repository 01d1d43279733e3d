/*
 * snapbuild.c - the unit tests' snapshot builder (see snapbuild.h): the
 * small steps every fixture is made of, and the rich snapshot the
 * loader and writer tests share.
 */
#include "snapbuild.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct snapshot *snapbuild_new(int pid, const char *comm, double window_s)
{
	struct snapshot *s = snapshot_new();
	s->taken_at = SNAPBUILD_TAKEN_AT;
	s->window_s = window_s;
	s->proc.pid = pid;
	s->proc.ppid = 1;
	str_copy(s->proc.comm, comm, sizeof(s->proc.comm));
	s->proc.state = 'S';
	return s;
}

int snapbuild_frame(struct snap_profile *p, const char *fn, const char *mod)
{
	for (int i = 0; i < p->nframes; i++)
		if (strcmp(p->frames[i].function, fn) == 0 && strcmp(p->frames[i].module, mod) == 0)
			return i;
	p->frames = xrealloc(p->frames, sizeof(*p->frames) * (size_t)(p->nframes + 1));
	p->frames[p->nframes].function = xstrdup(fn);
	p->frames[p->nframes].module = xstrdup(mod);
	return p->nframes++;
}

struct snap_stack *snapbuild_stack(struct snap_profile *p, int tid, bool running, int64_t count, int n,
				   const int *fr)
{
	p->stacks = xrealloc(p->stacks, sizeof(*p->stacks) * (size_t)(p->nstacks + 1));
	struct snap_stack *st = &p->stacks[p->nstacks++];
	memset(st, 0, sizeof(*st));
	st->count = count;
	st->tid = tid;
	st->running = running;
	st->nframes = n;
	st->frames = xcalloc((size_t)n + 1, sizeof(int));
	memcpy(st->frames, fr, sizeof(int) * (size_t)n);
	p->samples_total += count;
	return st;
}

bool snapbuild_is_libc(const char *fn)
{
	return fn[0] == '_' || strncmp(fn, "pthread", 7) == 0 || strncmp(fn, "clock_", 6) == 0 ||
	       strncmp(fn, "epoll_", 6) == 0 || strcmp(fn, "read") == 0 || strcmp(fn, "malloc") == 0 ||
	       strcmp(fn, "start_thread") == 0;
}

struct snap_stack *snapbuild_stack_folded(struct snap_profile *p, int tid, bool running, int64_t count,
					  const char *folded, const char *exe)
{
	char buf[1024];
	str_copy(buf, folded, sizeof(buf));
	int fr[32], n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ";", &save); tok && n < 32; tok = strtok_r(NULL, ";", &save))
		fr[n++] = snapbuild_frame(p, tok, snapbuild_is_libc(tok) ? SNAPBUILD_LIBC : exe);
	return snapbuild_stack(p, tid, running, count, n, fr);
}

struct snap_thread *snapbuild_thread(struct snapshot *s, int tid, const char *name, char state,
				     double user_pct, double sys_pct, const char *syscall, double blocked_s)
{
	s->threads = xrealloc(s->threads, sizeof(*s->threads) * (size_t)(s->nthreads + 1));
	struct snap_thread *t = &s->threads[s->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	str_copy(t->name, name, sizeof(t->name));
	t->state = state;
	t->cpu_user_pct = user_pct;
	t->cpu_sys_pct = sys_pct;
	str_copy(t->syscall, syscall, sizeof(t->syscall));
	t->syscall_known = true;
	t->blocked_s = blocked_s;
	t->top_frame = -1;
	t->ctx_vol = t->ctx_invol = SNAP_UNKNOWN;
	return t;
}

void snapbuild_thread_stack(struct snap_thread *t, int n, const int *fr)
{
	free(t->stack);
	t->stack = xcalloc((size_t)n + 1, sizeof(int));
	memcpy(t->stack, fr, sizeof(int) * (size_t)n);
	t->nstack = n;
}

struct snapshot *snapbuild_rich(void)
{
	struct snapshot *s = snapbuild_new(4242, "edc-import", 10.004);
	str_copy(s->host.hostname, "testhost", sizeof(s->host.hostname));
	str_copy(s->host.kernel, "6.1.0-test", sizeof(s->host.kernel));
	s->host.ncpu = 2;

	struct snap_process *p = &s->proc;
	p->exe = xstrdup("/usr/bin/edc-import");
	p->argc = 3;
	p->argv = xcalloc(3, sizeof(char *));
	p->argv[0] = xstrdup("edc-import");
	p->argv[1] = xstrdup("say \"hi\"\tC:\\x");
	p->argv[2] = xstrdup("\xe4\xb8\xad\xe6\x96\x87");     /* 中文 */
	p->uptime_s = 3600.54;
	p->threads = 4;
	p->cpu_user_pct = 182.04;
	p->cpu_sys_pct = 6.0;
	p->cpu_total_pct = 188.0;
	p->rss_kb = 812000;
	p->rss_anon_kb = 800000;
	p->rss_file_kb = 12000;
	p->rss_shmem_kb = 0;
	p->swap_kb = 0;
	p->fds.open = 10;
	p->fds.limit = 1024;
	p->fds.file = 5;
	p->fds.socket = 3;
	p->fds.pipe = 1;
	p->fds.anon_inode = 1;
	p->fds.other = 0;
	p->tcp.known = true;
	for (int st = 1; st < TCP_ST_MAX; st++)
		p->tcp.count[st] = st;
	p->tcp.count[TCP_ST_TIME_WAIT] = 0;
	p->netns_time_wait = 2841;
	p->ctx_vol_per_s = 10.0;
	p->flt_min_per_s = 0.0;
	p->flt_maj_per_s = 1.5;
	p->io_write_bps = 12345678901.0;
	p->cgroup_path = xstrdup("/system.slice/x.service");
	p->cgroup_throttled_pct = 0.0;

	s->nhistory = 3;
	s->history = xcalloc(3, sizeof(*s->history));
	for (int i = 0; i < 3; i++)
		s->history[i] = (struct snap_hist){ .t = i * 1.0, .cpu_user_pct = i ? 180.0 + i : NAN,
						    .cpu_sys_pct = i ? 6.0 : NAN, .rss_kb = 800000 + 6000 * i,
						    .threads = 4, .fds = i == 1 ? SNAP_UNKNOWN : 10,
						    .goroutines = 100 + i };

	struct snap_profile *pr = xcalloc(1, sizeof(*pr));
	s->profile = pr;
	pr->mode = PROFILE_MODE_CPU;
	pr->frequency_hz = 48.7;
	pr->requested_hz = 49.0;
	pr->samples = 900;
	pr->stops = 1000;
	pr->pause_us_p50 = 21.0;
	pr->pause_us_p99 = 60.3;
	pr->pause_us_max = NAN;
	pr->duration_s = 10.0;
	str_copy(pr->status, "rate lowered to 48.7 Hz", sizeof(pr->status));
	/* samples_total: 1800, the sum of these stacks */
	snapbuild_stack_folded(pr, 4242, true, 800, "validate_record;process_line;main", "/usr/bin/edc-import");
	snapbuild_stack_folded(pr, 4242, true, 100, "strlen;validate_record;process_line;main", "/usr/bin/edc-import");
	snapbuild_stack_folded(pr, 4243, false, 450, "__lll_lock_wait;pthread_mutex_lock;post_ledger;worker;start_thread",
			       "/usr/bin/edc-import");
	snapbuild_stack_folded(pr, 4244, false, 450, "edc-import+0x1234;0x7f00dead;w\"q\\", "[unknown]");
	pr->ntop = 2;
	pr->top = xcalloc(2, sizeof(*pr->top));
	pr->top[0] = (struct snap_top){ .frame = pr->stacks[0].frames[0], .flat = 800, .cum = 900,
					.flat_pct = 88.9, .cum_pct = 100.0 };
	pr->top[1] = (struct snap_top){ .frame = pr->stacks[1].frames[0], .flat = 100, .cum = 100,
					.flat_pct = 11.1, .cum_pct = 11.1 };

	s->nthreads = 4;
	s->threads = xcalloc(4, sizeof(*s->threads));
	struct snap_thread *t = s->threads;
	for (int i = 0; i < 4; i++) {
		t[i].tid = 4242 + i;
		t[i].top_frame = -1;
		t[i].ctx_vol = t[i].ctx_invol = SNAP_UNKNOWN;
	}
	str_copy(t[0].name, "edc-import", sizeof(t[0].name));
	t[0].state = 'R';
	t[0].cpu_user_pct = 95.1;
	t[0].cpu_sys_pct = 0.0;
	t[0].syscall_known = true;
	t[0].blocked_s = 0.0;
	t[0].nstack = 3;
	t[0].stack = xcalloc(3, sizeof(int));
	memcpy(t[0].stack, pr->stacks[0].frames, 3 * sizeof(int));
	t[0].top_frame = pr->stacks[0].frames[0];
	t[0].ctx_vol = 12;
	t[0].ctx_invol = 3400;
	str_copy(t[1].name, "worker-1", sizeof(t[1].name));
	t[1].state = 'S';
	t[1].cpu_user_pct = 0.0;
	t[1].cpu_sys_pct = 0.0;
	str_copy(t[1].syscall, "futex", sizeof(t[1].syscall));
	t[1].syscall_known = true;
	str_copy(t[1].wchan, "futex_wait_queue", sizeof(t[1].wchan));
	t[1].blocked_s = 12.5;
	str_copy(t[1].syscall_arg, "futex 0x5600aa10", sizeof(t[1].syscall_arg));
	t[1].nstack = 5;
	t[1].stack = xcalloc(5, sizeof(int));
	memcpy(t[1].stack, pr->stacks[2].frames, 5 * sizeof(int));
	t[1].top_frame = pr->stacks[2].frames[2];
	t[1].ctx_vol = 5;
	t[1].ctx_invol = 0;
	t[1].stalled_polls = 9;
	t[1].futex.valid = true;
	t[1].futex.addr = 0x5600aa10;
	t[1].futex.op = 0;
	t[1].futex.private_op = true;
	t[1].futex.val = 2;
	t[1].futex.mem_ok = true;
	t[1].futex.mem_base = 0x5600a9f0;
	for (int k = 0; k < SNAP_FUTEX_WORDS; k++)
		t[1].futex.mem[k] = k == 8 ? 2 : k == 10 ? 4245 : 0xffffffffu - (uint32_t)k;
	t[1].futex.symbol = xstrdup("ledger_lock");
	t[1].futex.symbol_addr = 0x5600aa10;
	t[1].futex.symbol_size = 40;
	t[1].lock_addr = 0x5600aa10;
	str_copy(t[2].name, "bad\xff\xfe\x01x", sizeof(t[2].name));  /* sanitized by the writer */
	t[2].state = 'D';
	t[2].cpu_user_pct = NAN;
	t[2].cpu_sys_pct = NAN;
	t[2].blocked_s = NAN;
	str_copy(t[3].name, "w\"q\\", sizeof(t[3].name));
	t[3].state = 'S';
	t[3].cpu_user_pct = 0.0;
	t[3].cpu_sys_pct = 0.0;
	str_copy(t[3].syscall, "futex", sizeof(t[3].syscall));
	t[3].syscall_known = true;
	t[3].blocked_s = 3.0;
	t[3].futex.valid = true;
	t[3].futex.addr = 0xffffffffffff0000ULL;
	t[3].futex.op = -1;

	s->nsockets = 2;
	s->sockets = xcalloc(2, sizeof(*s->sockets));
	s->sockets[0] = (struct snap_socket){ .fd = 7, .inode = 123456, .state = TCP_ST_CLOSE_WAIT,
					      .local = "127.0.0.1:8080", .remote = "127.0.0.1:40312",
					      .rx_queue = 1, .tx_queue = 0 };
	s->sockets[1] = (struct snap_socket){ .fd = -1, .inode = 99, .state = TCP_ST_LISTEN,
					      .local = "[::1]:443", .remote = "",
					      .rx_queue = SNAP_UNKNOWN, .tx_queue = 128 };

	s->nlocks = 2;
	s->locks = xcalloc(2, sizeof(*s->locks));
	struct snap_lock *l = &s->locks[0];
	l->address = 0x5600aa10;
	l->symbol = xstrdup("ledger_lock");
	l->kind = LOCK_KIND_MUTEX;
	l->owner_tid = 4245;
	l->owner_function = xstrdup("post_ledger");
	l->owner_state = 'S';
	str_copy(l->owner_syscall, "futex", sizeof(l->owner_syscall));
	l->nwaiters = 2;
	l->waiters = xcalloc(2, sizeof(*l->waiters));
	l->waiters[0] = (struct snap_lock_waiter){ .tid = 4243, .wait_s = 12.5, .function = xstrdup("post_ledger") };
	l->waiters[1] = (struct snap_lock_waiter){ .tid = 4244, .wait_s = NAN, .mode = LOCK_MODE_WRITE };
	l->max_wait_s = 12.5;
	l->nwaiters_history = 3;
	l->waiters_history = xcalloc(3, sizeof(int));
	l->waiters_history[0] = 1;
	l->waiters_history[1] = 2;
	l->waiters_history[2] = 2;
	l->contended = true;
	l->in_deadlock = true;
	str_copy(l->owner_syscall_arg, "fd 3: pipe:[61939]", sizeof(l->owner_syscall_arg));
	l->owner_blocked_s = 12.6;
	l->nowner_stack = 3;
	l->owner_stack = xcalloc(3, sizeof(int));
	memcpy(l->owner_stack, pr->stacks[2].frames + 2, 3 * sizeof(int));
	l->readers = SNAP_UNKNOWN;
	l->size = 40;
	l->waiters[0].futex = 0x5600aa10;
	l = &s->locks[1];
	l->readers = 3;
	l->owner_blocked_s = NAN;
	l->address = 0x10;
	l->kind = LOCK_KIND_UNKNOWN;
	l->owner_tid = SNAP_UNKNOWN;
	l->owner_state = '?';
	l->max_wait_s = NAN;

	s->ndeadlocks = 1;
	s->deadlocks = xcalloc(1, sizeof(*s->deadlocks));
	struct snap_deadlock *d = s->deadlocks;
	d->ntids = d->nlocks = 2;
	d->tids = xcalloc(2, sizeof(int));
	d->tids[0] = 4243;
	d->tids[1] = 4245;
	d->locks = xcalloc(2, sizeof(uint64_t));
	d->locks[0] = 0x5600aa10;
	d->locks[1] = 0x5600aa38;
	d->symbols = xcalloc(2, sizeof(char *));
	d->symbols[0] = xstrdup("ledger_lock");
	d->stalled_s = 7.0;
	d->functions = xcalloc(2, sizeof(char *));
	d->functions[0] = xstrdup("post_ledger");
	d->kinds = xcalloc(2, sizeof(*d->kinds));
	d->kinds[0] = LOCK_KIND_MUTEX;
	d->kinds[1] = LOCK_KIND_RWLOCK;

	struct snap_goroutines *g = xcalloc(1, sizeof(*g));
	s->goroutines = g;
	g->count = 210;
	str_copy(g->go_version, "go1.19.8", sizeof(g->go_version));
	g->nby_status = 3;
	g->by_status = xcalloc(3, sizeof(*g->by_status));
	g->by_status[0] = (struct snap_count){ "waiting", 205 };
	g->by_status[1] = (struct snap_count){ "runnable", 2 };
	g->by_status[2] = (struct snap_count){ "running", 3 };
	g->nby_wait_reason = 2;
	g->by_wait_reason = xcalloc(2, sizeof(*g->by_wait_reason));
	g->by_wait_reason[0] = (struct snap_count){ "chan receive", 200 };
	g->by_wait_reason[1] = (struct snap_count){ "semacquire", 5 };
	g->ngroups = 2;
	g->groups = xcalloc(2, sizeof(*g->groups));
	g->groups[0].count = 200;
	g->groups[0].status = GR_STATUS_WAITING;
	str_copy(g->groups[0].wait_reason, "chan receive", sizeof(g->groups[0].wait_reason));
	g->groups[0].max_wait_s = 300.0;
	g->groups[0].nframes = 3;
	g->groups[0].frames = xcalloc(3, sizeof(char *));
	g->groups[0].frames[0] = xstrdup("runtime.gopark");
	g->groups[0].frames[1] = xstrdup("runtime.chanrecv");
	g->groups[0].frames[2] = xstrdup("main.submitToHIS");
	g->groups[0].ngoids = 2;
	g->groups[0].goids = xcalloc(2, sizeof(int64_t));
	g->groups[0].goids[0] = 17;
	g->groups[0].goids[1] = 9000000000LL;
	g->groups[1].count = 3;
	g->groups[1].status = GR_STATUS_RUNNING;
	g->groups[1].max_wait_s = NAN;
	g->read_ms = 1.1;
	str_copy(g->layout, "dwarf", sizeof(g->layout));

	s->nchecks = 2;
	s->checklist = xcalloc(2, sizeof(*s->checklist));
	struct snap_check *c = &s->checklist[0];
	str_copy(c->id, "manual-deploy", sizeof(c->id));
	str_copy(c->title, "Recent deploy or config change?", sizeof(c->title));
	c->status = CHECK_ST_MANUAL;
	c->answer = CHECK_ANSWER_YES;
	c->note = xstrdup("v2.3 rolled out 09:40, \"cache\" flag on");
	c->evidence = xstrdup("answered yes");
	c = &s->checklist[1];
	str_copy(c->id, "cpu-user", sizeof(c->id));
	str_copy(c->title, "CPU: user vs system time", sizeof(c->title));
	c->status = CHECK_ST_ALERT;
	c->evidence = xstrdup("user 182% / sys 6% of one CPU over 10 s");
	c->next_step = xstrdup("open funcs");
	c->pane = CHECK_PANE_FUNCS;

	snapshot_add_error(s, "io", "cannot read /proc/%d/io", 4242);
	snapshot_add_error(s, "stacks", "%s", "x\xe2\x80\x94y");
	return s;
}
