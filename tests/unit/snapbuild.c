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

/* Grow array arr of n elements by one zeroed element; the new element. */
#define APPEND(arr, n) \
	((arr) = xrealloc((arr), sizeof(*(arr)) * (size_t)((n) + 1)), \
	 memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++])

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
	struct snap_stack *st = APPEND(p->stacks, p->nstacks);
	st->count = count;
	st->tid = tid;
	st->running = running;
	st->nframes = n;
	st->frames = snapbuild_ints(n, fr);
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
	struct snap_thread *t = APPEND(s->threads, s->nthreads);
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
	t->stack = snapbuild_ints(n, fr);
	t->nstack = n;
}

int *snapbuild_ints(int n, const int *v)
{
	int *c = xcalloc((size_t)n + 1, sizeof(int));
	if (n > 0)
		memcpy(c, v, sizeof(int) * (size_t)n);
	return c;
}

void snapbuild_host(struct snapshot *s, const char *hostname, const char *kernel, int ncpu)
{
	str_copy(s->host.hostname, hostname, sizeof(s->host.hostname));
	str_copy(s->host.kernel, kernel, sizeof(s->host.kernel));
	s->host.ncpu = ncpu;
}

void snapbuild_cpu(struct snapshot *s, double user_pct, double sys_pct, double total_pct)
{
	s->proc.cpu_user_pct = user_pct;
	s->proc.cpu_sys_pct = sys_pct;
	s->proc.cpu_total_pct = total_pct;
}

void snapbuild_memory(struct snapshot *s, int64_t anon_kb, int64_t file_kb, int64_t shmem_kb, int64_t swap_kb)
{
	s->proc.rss_anon_kb = anon_kb;
	s->proc.rss_file_kb = file_kb;
	s->proc.rss_shmem_kb = shmem_kb;
	s->proc.rss_kb = anon_kb + file_kb + shmem_kb;
	s->proc.swap_kb = swap_kb;
}

void snapbuild_cmdline(struct snapshot *s, const char *exe, const char *const *argv)
{
	struct snap_process *p = &s->proc;
	free(p->exe);
	p->exe = xstrdup(exe);
	for (int i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	for (p->argc = 0; argv[p->argc]; p->argc++)
		;
	p->argv = xcalloc((size_t)p->argc + 1, sizeof(char *));
	for (int i = 0; i < p->argc; i++)
		p->argv[i] = xstrdup(argv[i]);
}

static char *dup_or_null(const char *str)
{
	return str ? xstrdup(str) : NULL;
}

struct snap_lock *snapbuild_lock(struct snapshot *s, uint64_t address, const char *symbol, enum lock_kind kind,
				 int owner_tid, const char *owner_function, char owner_state,
				 const char *owner_syscall)
{
	struct snap_lock *l = APPEND(s->locks, s->nlocks);
	l->address = address;
	l->symbol = dup_or_null(symbol);
	l->kind = kind;
	l->owner_tid = owner_tid;
	l->owner_function = dup_or_null(owner_function);
	l->owner_state = owner_state;
	str_copy(l->owner_syscall, owner_syscall ? owner_syscall : "", sizeof(l->owner_syscall));
	return l;
}

struct snap_lock_waiter *snapbuild_waiter(struct snap_lock *l, int tid, double wait_s, const char *function)
{
	struct snap_lock_waiter *w = APPEND(l->waiters, l->nwaiters);
	w->tid = tid;
	w->wait_s = wait_s;
	w->function = dup_or_null(function);
	return w;
}

/* A copy of the n strings v (entries NULL stay NULL), or NULL when v is. */
static char **strs_or_null(int n, const char *const *v)
{
	if (!v)
		return NULL;
	char **c = xcalloc((size_t)n, sizeof(char *));
	for (int i = 0; i < n; i++)
		c[i] = dup_or_null(v[i]);
	return c;
}

struct snap_deadlock *snapbuild_deadlock(struct snapshot *s, int n, const int *tids, const uint64_t *locks,
					 const char *const *symbols, const char *const *functions,
					 const enum lock_kind *kinds, double stalled_s)
{
	struct snap_deadlock *d = APPEND(s->deadlocks, s->ndeadlocks);
	d->ntids = d->nlocks = n;
	d->tids = snapbuild_ints(n, tids);
	d->locks = xcalloc((size_t)n, sizeof(uint64_t));
	memcpy(d->locks, locks, sizeof(uint64_t) * (size_t)n);
	d->symbols = strs_or_null(n, symbols);
	d->functions = strs_or_null(n, functions);
	if (kinds) {
		d->kinds = xcalloc((size_t)n, sizeof(*d->kinds));
		memcpy(d->kinds, kinds, sizeof(*d->kinds) * (size_t)n);
	}
	d->stalled_s = stalled_s;
	return d;
}

struct snap_goroutines *snapbuild_goroutines(struct snapshot *s, int64_t count, const char *go_version)
{
	struct snap_goroutines *g = xcalloc(1, sizeof(*g));
	g->count = count;
	str_copy(g->go_version, go_version, sizeof(g->go_version));
	s->goroutines = g;
	return g;
}

void snapbuild_count(struct snap_count **list, int *n, const char *name, int64_t count)
{
	struct snap_count *c = APPEND(*list, *n);
	str_copy(c->name, name, sizeof(c->name));
	c->count = count;
}

struct snap_gr_group *snapbuild_gr_group(struct snap_goroutines *g, int64_t count, enum gr_status status,
					 const char *wait_reason, double max_wait_s, const char *const *frames)
{
	struct snap_gr_group *gr = APPEND(g->groups, g->ngroups);
	gr->count = count;
	gr->status = status;
	str_copy(gr->wait_reason, wait_reason, sizeof(gr->wait_reason));
	gr->max_wait_s = max_wait_s;
	while (frames && frames[gr->nframes])
		gr->nframes++;
	gr->frames = strs_or_null(gr->nframes, gr->nframes ? frames : NULL);
	return gr;
}

void snapbuild_gr_goids(struct snap_gr_group *gr, int n, const int64_t *goids)
{
	free(gr->goids);
	gr->goids = xcalloc((size_t)n + 1, sizeof(int64_t));
	memcpy(gr->goids, goids, sizeof(int64_t) * (size_t)n);
	gr->ngoids = n;
}

struct snap_check *snapbuild_check(struct snapshot *s, const char *id, const char *title, enum check_status status,
				   enum check_pane pane, const char *evidence, const char *next_step)
{
	struct snap_check *c = APPEND(s->checklist, s->nchecks);
	str_copy(c->id, id, sizeof(c->id));
	str_copy(c->title, title, sizeof(c->title));
	c->status = status;
	c->pane = pane;
	c->evidence = dup_or_null(evidence);
	c->next_step = dup_or_null(next_step);
	return c;
}

struct snapshot *snapbuild_rich(void)
{
	struct snapshot *s = snapbuild_new(4242, "edc-import", 10.004);
	snapbuild_host(s, "testhost", "6.1.0-test", 2);
	snapbuild_cmdline(s, "/usr/bin/edc-import",
			  (const char *const[]){ "edc-import", "say \"hi\"\tC:\\x",
						 "\xe4\xb8\xad\xe6\x96\x87" /* 中文 */, NULL });

	struct snap_process *p = &s->proc;
	p->uptime_s = 3600.54;
	p->threads = 4;
	snapbuild_cpu(s, 182.04, 6.0, 188.0);
	snapbuild_memory(s, 800000, 12000, 0, 0);     /* rss 812000 */
	p->fds = (struct snap_fds){ .open = 10, .limit = 1024, .file = 5, .socket = 3, .pipe = 1,
				    .anon_inode = 1, .other = 0 };
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

	struct snap_thread *t = snapbuild_thread(s, 4242, "edc-import", 'R', 95.1, 0.0, "", 0.0);
	snapbuild_thread_stack(t, 3, pr->stacks[0].frames);
	t->top_frame = pr->stacks[0].frames[0];
	t->ctx_vol = 12;
	t->ctx_invol = 3400;
	t = snapbuild_thread(s, 4243, "worker-1", 'S', 0.0, 0.0, "futex", 12.5);
	str_copy(t->wchan, "futex_wait_queue", sizeof(t->wchan));
	str_copy(t->syscall_arg, "futex 0x5600aa10", sizeof(t->syscall_arg));
	snapbuild_thread_stack(t, 5, pr->stacks[2].frames);
	t->top_frame = pr->stacks[2].frames[2];
	t->ctx_vol = 5;
	t->ctx_invol = 0;
	t->stalled_polls = 9;
	t->futex.valid = true;
	t->futex.addr = 0x5600aa10;
	t->futex.op = 0;
	t->futex.private_op = true;
	t->futex.val = 2;
	t->futex.mem_ok = true;
	t->futex.mem_base = 0x5600a9f0;
	for (int k = 0; k < SNAP_FUTEX_WORDS; k++)
		t->futex.mem[k] = k == 8 ? 2 : k == 10 ? 4245 : 0xffffffffu - (uint32_t)k;
	t->futex.symbol = xstrdup("ledger_lock");
	t->futex.symbol_addr = 0x5600aa10;
	t->futex.symbol_size = 40;
	t->lock_addr = 0x5600aa10;
	t = snapbuild_thread(s, 4244, "bad\xff\xfe\x01x", 'D', NAN, NAN, "", NAN);  /* sanitized by the writer */
	t->syscall_known = false;
	t = snapbuild_thread(s, 4245, "w\"q\\", 'S', 0.0, 0.0, "futex", 3.0);
	t->futex.valid = true;
	t->futex.addr = 0xffffffffffff0000ULL;
	t->futex.op = -1;

	s->nsockets = 2;
	s->sockets = xcalloc(2, sizeof(*s->sockets));
	s->sockets[0] = (struct snap_socket){ .fd = 7, .inode = 123456, .state = TCP_ST_CLOSE_WAIT,
					      .local = "127.0.0.1:8080", .remote = "127.0.0.1:40312",
					      .rx_queue = 1, .tx_queue = 0 };
	s->sockets[1] = (struct snap_socket){ .fd = -1, .inode = 99, .state = TCP_ST_LISTEN,
					      .local = "[::1]:443", .remote = "",
					      .rx_queue = SNAP_UNKNOWN, .tx_queue = 128 };

	struct snap_lock *l = snapbuild_lock(s, 0x5600aa10, "ledger_lock", LOCK_KIND_MUTEX, 4245, "post_ledger", 'S',
					     "futex");
	snapbuild_waiter(l, 4243, 12.5, "post_ledger")->futex = 0x5600aa10;
	snapbuild_waiter(l, 4244, NAN, NULL)->mode = LOCK_MODE_WRITE;
	l->max_wait_s = 12.5;
	l->nwaiters_history = 3;
	l->waiters_history = snapbuild_ints(3, (const int[]){ 1, 2, 2 });
	l->contended = true;
	l->in_deadlock = true;
	str_copy(l->owner_syscall_arg, "fd 3: pipe:[61939]", sizeof(l->owner_syscall_arg));
	l->owner_blocked_s = 12.6;
	l->nowner_stack = 3;
	l->owner_stack = snapbuild_ints(3, pr->stacks[2].frames + 2);
	l->readers = SNAP_UNKNOWN;
	l->size = 40;
	l = snapbuild_lock(s, 0x10, NULL, LOCK_KIND_UNKNOWN, SNAP_UNKNOWN, NULL, '?', NULL);
	l->readers = 3;
	l->owner_blocked_s = NAN;
	l->max_wait_s = NAN;

	snapbuild_deadlock(s, 2, (const int[]){ 4243, 4245 }, (const uint64_t[]){ 0x5600aa10, 0x5600aa38 },
			   (const char *const[]){ "ledger_lock", NULL }, (const char *const[]){ "post_ledger", NULL },
			   (const enum lock_kind[]){ LOCK_KIND_MUTEX, LOCK_KIND_RWLOCK }, 7.0);

	struct snap_goroutines *g = snapbuild_goroutines(s, 210, "go1.19.8");
	snapbuild_count(&g->by_status, &g->nby_status, "waiting", 205);
	snapbuild_count(&g->by_status, &g->nby_status, "runnable", 2);
	snapbuild_count(&g->by_status, &g->nby_status, "running", 3);
	snapbuild_count(&g->by_wait_reason, &g->nby_wait_reason, "chan receive", 200);
	snapbuild_count(&g->by_wait_reason, &g->nby_wait_reason, "semacquire", 5);
	struct snap_gr_group *gr = snapbuild_gr_group(g, 200, GR_STATUS_WAITING, "chan receive", 300.0,
						      (const char *const[]){ "runtime.gopark", "runtime.chanrecv",
									     "main.submitToHIS", NULL });
	snapbuild_gr_goids(gr, 2, (const int64_t[]){ 17, 9000000000LL });
	snapbuild_gr_group(g, 3, GR_STATUS_RUNNING, "", NAN, NULL);
	g->read_ms = 1.1;
	str_copy(g->layout, "dwarf", sizeof(g->layout));

	struct snap_check *c = snapbuild_check(s, "manual-deploy", "Recent deploy or config change?", CHECK_ST_MANUAL,
					       CHECK_PANE_NONE, "answered yes", NULL);
	c->answer = CHECK_ANSWER_YES;
	c->note = xstrdup("v2.3 rolled out 09:40, \"cache\" flag on");
	snapbuild_check(s, "cpu-user", "CPU: user vs system time", CHECK_ST_ALERT, CHECK_PANE_FUNCS,
			"user 182% / sys 6% of one CPU over 10 s", "open funcs");

	snapshot_add_error(s, "io", "cannot read /proc/%d/io", 4242);
	snapshot_add_error(s, "stacks", "%s", "x\xe2\x80\x94y");
	return s;
}
