/*
 * observer.c - one process watched over time.
 *
 * Each poll takes a reading from every collector (process, threads, fds,
 * TCP) and folds it into per-thread tracks and a history ring. A
 * snapshot is derived on demand for a window: the whole observation (the
 * headless --snapshot) or the last poll interval (the live screen), so
 * rates always say over what span they were measured.
 *
 * Blocked time: a thread seen in the same syscall with the same first
 * argument at two polls, whose schedstat run time did not move in
 * between, has not run since; its blocked time counts from the first poll
 * that saw it there. This is a lower bound (we cannot see what happened
 * before cdtop came) and needs no ptrace.
 *
 * The pid is guarded against reuse by its start time (stat field 22).
 */
#include "observer.h"
#include "cdtop.h"
#include "collect.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <libproc2/misc.h>

#define HIST_MAX 3600          /* one hour of per-second points */
#define RUN_SLACK_NS 2000000   /* run time a "still blocked" thread may gain between polls */
#define SYS_RESTART_SYSCALL 219
#define MAX_WARN 8

struct thread_track {
	int tid;
	struct thread_reading cur;
	double first_t, prev_t;         /* times of the first and previous reading */
	uint64_t first_ut, first_st, prev_ut, prev_st;
	int64_t first_cv, first_ci, prev_cv, prev_ci; /* ctx switches; 0 = born since */
	bool blocked;                   /* in the same syscall since blocked_since */
	double blocked_since;
	long sc_nr;                     /* the syscall it is blocked in, as first seen */
	uint64_t sc_arg0;
	uint64_t sc_args[6];            /* its arguments, as first seen (a restart keeps them) */
	int stalled;                    /* polls in that wait with no context switch */
};

struct observer {
	int pid;
	int piddir;
	long hz;
	uint64_t starttime;
	int npolls;
	struct process_reading first, prev, cur;
	struct snap_process ident;      /* exe, argv, runtime: read once */
	struct thread_track *tracks;
	int ntracks;
	struct fd_reading fds;
	struct snap_tcp tcp;
	struct snap_socket *socks;      /* the process's TCP sockets at the last poll, NULL unknown */
	int nsocks;
	char tcp_err[256];
	int64_t netns_tw;               /* TIME_WAIT in the process's netns, -1 unknown */
	int threads_err;
	/* history ring */
	struct snap_hist hist[HIST_MAX];
	int hist_len, hist_head;
	int hist_added;                 /* npolls when the newest point was added */
	int execs;                      /* exec's seen (identity re-read) */
	double hist_t0;
	struct process_reading hist_prev;
	const char *warnings[MAX_WARN + 1];
	char warnbuf[MAX_WARN][512];
	int nwarn;
};

static void add_warning(struct observer *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_warning(struct observer *o, const char *fmt, ...)
{
	if (o->nwarn >= MAX_WARN)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->warnbuf[o->nwarn], sizeof(o->warnbuf[0]), fmt, ap);
	va_end(ap);
	o->warnings[o->nwarn] = o->warnbuf[o->nwarn];
	o->nwarn++;
	o->warnings[o->nwarn] = NULL;
}

const char *const *observer_warnings(const struct observer *o)
{
	return o->warnings;
}

/* The sentence that says how to get read access to another user's process. */
static const char *grant_hint(void)
{
	return "run cdtop as the process's user, or as root, or give it CAP_SYS_PTRACE "
	       "(sudo setcap cap_sys_ptrace+ep $(command -v cdtop))";
}

int observer_open(struct observer **out, int pid, bool first_reading, char *err, size_t errlen)
{
	char path[64], buf[4096];
	*out = NULL;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	int piddir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0) {
		if (errno == EACCES || errno == EPERM) {
			snprintf(err, errlen, "permission denied opening %s: %s", path, grant_hint());
			return CDTOP_EXIT_PERMISSION;
		}
		snprintf(err, errlen, "no such process: %d", pid);
		return CDTOP_EXIT_NO_PROCESS;
	}
	ssize_t n = read_file_at(piddir, "stat", buf, sizeof(buf));
	if (n < 0 && (n == -EACCES || n == -EPERM)) {
		close(piddir);
		snprintf(err, errlen, "permission denied reading %s/stat (is /proc mounted with hidepid?): %s",
			 path, grant_hint());
		return CDTOP_EXIT_PERMISSION;
	}
	struct task_stat st;
	if (n <= 0 || parse_task_stat(buf, &st) < 0) {
		close(piddir);
		snprintf(err, errlen, "no such process: %d", pid);
		return CDTOP_EXIT_NO_PROCESS;
	}
	if (st.flags & PF_KTHREAD_FLAG) {
		close(piddir);
		snprintf(err, errlen, "pid %d (%s) is a kernel thread: it has no user space to observe",
			 pid, st.comm);
		return CDTOP_EXIT_KTHREAD;
	}
	if (st.state == 'Z' || st.state == 'X') {
		close(piddir);
		snprintf(err, errlen, "pid %d (%s) is a zombie: it has exited and waits for its parent "
			 "(pid %d) to reap it", pid, st.comm, st.ppid);
		return CDTOP_EXIT_ZOMBIE;
	}
	/* /proc/TID exists for non-leader threads too; point at the process. */
	if (read_file_at(piddir, "status", buf, sizeof(buf)) > 0) {
		char *tg = strstr(buf, "\nTgid:");
		int tgid = tg ? atoi(tg + 6) : pid;
		if (tgid != pid) {
			close(piddir);
			snprintf(err, errlen, "%d is a thread of process %d: use -p %d", pid, tgid, tgid);
			return CDTOP_EXIT_NO_PROCESS;
		}
	}

	struct observer *o = xcalloc(1, sizeof(*o));
	o->pid = pid;
	o->piddir = piddir;
	o->hz = procps_hertz_get();
	if (o->hz <= 0)
		o->hz = sysconf(_SC_CLK_TCK);
	o->starttime = st.starttime;
	o->warnings[0] = NULL;
	snap_process_clear(&o->ident);
	process_read_identity(piddir, &o->ident);
	o->ident.runtime = runtime_detect(piddir);

	/* Say up front what we will not be able to see. */
	int fd = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		add_warning(o, "cannot read /proc/%d/fd (permission denied): file descriptors and TCP "
			    "sockets are not shown; %s", pid, grant_hint());
	if (fd >= 0)
		close(fd);
	if (read_file_at(piddir, "io", buf, sizeof(buf)) < 0)
		add_warning(o, "cannot read /proc/%d/io: IO rates are not shown; %s", pid, grant_hint());

	int rc = first_reading ? observer_poll(o, err, errlen) : CDTOP_EXIT_OK;
	if (rc != CDTOP_EXIT_OK) {
		observer_free(o);
		return rc;
	}
	*out = o;
	return CDTOP_EXIT_OK;
}

/* Fold a new thread reading list (sorted by tid) into the tracks. */
static void merge_threads(struct observer *o, struct thread_reading *rd, int n, double t)
{
	struct thread_track *nt = xcalloc((size_t)n + 1, sizeof(*nt));
	int j = 0;
	for (int i = 0; i < n; i++) {
		struct thread_reading *r = &rd[i];
		while (j < o->ntracks && o->tracks[j].tid < r->tid)
			j++;
		struct thread_track *old = (j < o->ntracks && o->tracks[j].tid == r->tid) ? &o->tracks[j] : NULL;
		struct thread_track *k = &nt[i];
		k->tid = r->tid;
		if (old) {
			/* o->cur still holds the previous poll here. */
			k->first_t = old->first_t;
			k->first_ut = old->first_ut;
			k->first_st = old->first_st;
			k->prev_t = o->cur.t;
			k->prev_ut = old->cur.st.utime;
			k->prev_st = old->cur.st.stime;
			k->first_cv = old->first_cv;
			k->first_ci = old->first_ci;
			k->prev_cv = old->cur.ctx_vol;
			k->prev_ci = old->cur.ctx_invol;
		} else {
			k->first_t = k->prev_t = t;
			k->first_ut = k->prev_ut = r->st.utime;
			k->first_st = k->prev_st = r->st.stime;
			/* A thread first seen after the first poll was born
			 * inside the window: all its switches count. */
			bool born = o->npolls > 0;
			k->first_cv = k->prev_cv = born ? 0 : r->ctx_vol;
			k->first_ci = k->prev_ci = born ? 0 : r->ctx_invol;
		}
		bool in_sys = r->sc_ok && r->sc.kind == SYSCALL_IN && r->st.state != 'R';
		if (in_sys) {
			/* A sleep interrupted by a stop (ours: the stack sampler)
			 * resumes as restart_syscall: still the same wait, and the
			 * argument registers are still the original call's (a
			 * restart of a different, later wait has other ones). Our
			 * interrupt also makes the thread run for microseconds,
			 * so "has not run" allows RUN_SLACK_NS between polls. */
			bool restarted = r->sc.nr == SYS_RESTART_SYSCALL && old && old->blocked &&
					 r->sc.args[0] == old->sc_args[0] && r->sc.args[1] == old->sc_args[1];
			bool same = old && old->blocked && old->cur.run_ns >= 0 && r->run_ns >= 0 &&
				    r->run_ns - old->cur.run_ns <= RUN_SLACK_NS &&
				    (restarted || (old->sc_nr == r->sc.nr && old->sc_arg0 == r->sc.args[0]));
			k->blocked = true;
			k->blocked_since = same ? old->blocked_since : t;
			k->sc_nr = same ? old->sc_nr : r->sc.nr;
			k->sc_arg0 = same ? old->sc_arg0 : r->sc.args[0];
			memcpy(k->sc_args, same ? old->sc_args : r->sc.args, sizeof(k->sc_args));
			bool still = same && r->ctx_vol >= 0 && r->ctx_vol == old->cur.ctx_vol &&
				     r->ctx_invol == old->cur.ctx_invol;
			k->stalled = still ? old->stalled + 1 : 0;
		}
		k->cur = *r;
	}
	free(o->tracks);
	o->tracks = nt;
	o->ntracks = n;
}

static void history_add(struct observer *o)
{
	struct process_reading *c = &o->cur, *p = &o->hist_prev;
	if (o->hist_len && c->t - p->t < 0.95)
		return;  /* one point per second at most */
	struct snap_hist h;
	if (!o->hist_len)
		o->hist_t0 = c->t;
	h.t = c->t - o->hist_t0;
	double dt = c->t - p->t;
	if (o->hist_len && dt > 0) {
		h.cpu_user_pct = (double)(c->utime - p->utime) / (double)o->hz / dt * 100.0;
		h.cpu_sys_pct = (double)(c->stime - p->stime) / (double)o->hz / dt * 100.0;
	} else {
		h.cpu_user_pct = h.cpu_sys_pct = NAN;
	}
	h.rss_kb = c->rss_kb;
	h.threads = c->threads;
	h.fds = o->fds.err ? SNAP_UNKNOWN : o->fds.open;
	h.goroutines = SNAP_UNKNOWN;
	int idx = (o->hist_head + o->hist_len) % HIST_MAX;
	if (o->hist_len == HIST_MAX) {
		idx = o->hist_head;
		o->hist_head = (o->hist_head + 1) % HIST_MAX;
	} else {
		o->hist_len++;
	}
	o->hist[idx] = h;
	o->hist_prev = *c;
	o->hist_added = o->npolls;
}

void observer_set_goroutines(struct observer *o, int64_t n)
{
	if (o->hist_len && o->hist_added == o->npolls)
		o->hist[(o->hist_head + o->hist_len - 1) % HIST_MAX].goroutines = n;
}

enum proc_runtime observer_runtime(const struct observer *o)
{
	return o->ident.runtime;
}

int observer_execs(const struct observer *o)
{
	return o->execs;
}

int observer_poll(struct observer *o, char *err, size_t errlen)
{
	struct process_reading r;
	int rc = process_read(o->pid, o->piddir, &r);
	if (rc == -ESRCH || (rc == 0 && (r.starttime != o->starttime || r.state == 'Z' || r.state == 'X'))) {
		snprintf(err, errlen, "process %d exited%s", o->pid,
			 o->npolls ? " during the observation window" : "");
		return CDTOP_EXIT_EXITED;
	}
	if (rc < 0) {
		snprintf(err, errlen, "cannot read /proc/%d: %s", o->pid, strerror(-rc));
		return rc == -EACCES || rc == -EPERM ? CDTOP_EXIT_PERMISSION : CDTOP_EXIT_INTERNAL;
	}

	struct thread_reading *tr;
	int nt;
	o->threads_err = threads_read(o->piddir, &tr, &nt);
	if (o->threads_err == 0) {
		merge_threads(o, tr, nt, r.t);
		free(tr);
	}

	fds_reading_fini(&o->fds);
	fds_read(o->piddir, &o->fds);
	o->tcp_err[0] = '\0';
	free(o->socks);
	o->socks = NULL;
	o->nsocks = 0;
	if (o->fds.err == 0)
		tcp_count(o->pid, o->piddir, o->fds.sock_inos, o->fds.sock_fds, o->fds.nsock, &o->tcp,
			  &o->socks, &o->nsocks, o->tcp_err, sizeof(o->tcp_err));
	else
		memset(&o->tcp, 0, sizeof(o->tcp));
	/* TIME_WAIT sockets have no owner: count the namespace's (the
	 * text file shows the target's namespace, no setns needed). */
	char sockstat[1024];
	o->netns_tw = read_file_at(o->piddir, "net/sockstat", sockstat, sizeof(sockstat)) > 0
		      ? parse_sockstat_tw(sockstat) : -1;

	/* exec keeps the pid and start time but changes the program:
	 * re-read exe and cmdline when the name changes. */
	if (o->npolls && strcmp(r.comm, o->cur.comm) != 0) {
		snap_process_free_strings(&o->ident);
		process_read_identity(o->piddir, &o->ident);
		o->ident.runtime = runtime_detect(o->piddir);
		o->execs++;
	}
	if (!o->npolls)
		o->first = r;
	o->prev = o->npolls ? o->cur : r;
	o->cur = r;
	o->npolls++;
	history_add(o);
	return CDTOP_EXIT_OK;
}

static double rate(uint64_t a, uint64_t b, double dt)
{
	return dt > 0 && b >= a ? (double)(b - a) / dt : NAN;
}

/* Scale user and sys down together so that they sum to at most cap. */
static void clamp_cpu(double *user, double *sys, double cap)
{
	double tot = *user + *sys;
	if (cap > 0 && tot > cap) {
		*user *= cap / tot;
		*sys *= cap / tot;
	}
}

static void fill_host(struct snap_host *h)
{
	if (gethostname(h->hostname, sizeof(h->hostname)) < 0)
		h->hostname[0] = '\0';
	h->hostname[sizeof(h->hostname) - 1] = '\0';
	struct utsname u;
	if (uname(&u) == 0)
		str_copy(h->kernel, u.release, sizeof(h->kernel));
	h->ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* Identity and state of the process at the current reading c. */
static void fill_process(const struct observer *o, const struct process_reading *c, struct snap_process *p)
{
	double hz = (double)o->hz;
	p->pid = o->pid;
	p->ppid = c->ppid;
	str_copy(p->comm, c->comm, sizeof(p->comm));
	p->exe = o->ident.exe ? xstrdup(o->ident.exe) : NULL;
	if (o->ident.argv) {
		p->argc = o->ident.argc;
		p->argv = xcalloc((size_t)p->argc + 1, sizeof(char *));
		for (int i = 0; i < p->argc; i++)
			p->argv[i] = xstrdup(o->ident.argv[i]);
	}
	p->state = c->state;
	double up;
	if (procps_uptime(&up, NULL) >= 0)
		p->uptime_s = up - (double)c->starttime / hz;
	p->runtime = o->ident.runtime;
	p->threads = c->threads;
}

/* Context switches per second summed over the live threads since the
 * window's start; left unset when a thread's counts are unknown. A thread
 * that exited takes its last partial interval with it, which can only
 * under-count. */
static void fill_ctx_switches(const struct observer *o, enum obs_window w, double dt, struct snap_process *p)
{
	int64_t vol = 0, invol = 0;
	bool known = true;
	for (int i = 0; i < o->ntracks; i++) {
		const struct thread_track *k = &o->tracks[i];
		int64_t bv = w == OBS_WINDOW_ALL ? k->first_cv : k->prev_cv;
		int64_t bi = w == OBS_WINDOW_ALL ? k->first_ci : k->prev_ci;
		if (k->cur.ctx_vol < 0 || bv < 0) {
			known = false;
			break;
		}
		if (k->cur.ctx_vol >= bv)
			vol += k->cur.ctx_vol - bv;
		if (k->cur.ctx_invol >= bi)
			invol += k->cur.ctx_invol - bi;
	}
	if (known) {
		p->ctx_vol_per_s = (double)vol / dt;
		p->ctx_invol_per_s = (double)invol / dt;
	}
}

/* The process's rates between readings b and c, dt seconds apart (> 0):
 * CPU, faults, context switches, IO, cgroup throttling. */
static void fill_rates(const struct observer *o, enum obs_window w, const struct process_reading *b,
		       const struct process_reading *c, double dt, int ncpu, struct snap_process *p)
{
	double hz = (double)o->hz;
	p->cpu_user_pct = (double)(c->utime - b->utime) / hz / dt * 100.0;
	p->cpu_sys_pct = (double)(c->stime - b->stime) / hz / dt * 100.0;
	/* Tick counts (10 ms) over a window measured in ns can overshoot
	 * by a tick: never show more than the CPUs could give. */
	double cap = 100.0 * (double)(c->threads < ncpu ? c->threads : ncpu);
	clamp_cpu(&p->cpu_user_pct, &p->cpu_sys_pct, cap);
	p->cpu_total_pct = p->cpu_user_pct + p->cpu_sys_pct;
	p->flt_min_per_s = rate(b->minflt, c->minflt, dt);
	p->flt_maj_per_s = rate(b->majflt, c->majflt, dt);
	if (!o->threads_err)
		fill_ctx_switches(o, w, dt, p);
	if (b->io_ok && c->io_ok) {
		p->io_read_bps = rate(b->io_read, c->io_read, dt);
		p->io_write_bps = rate(b->io_write, c->io_write, dt);
	}
	if (b->cg_ok && c->cg_ok) {
		uint64_t per = c->cg_periods - b->cg_periods;
		uint64_t thr = c->cg_throttled - b->cg_throttled;
		p->cgroup_throttled_pct = per ? (double)thr / (double)per * 100.0 : 0.0;
	}
}

/* Memory sizes and the cgroup at the current reading c. */
static void fill_memory(const struct process_reading *c, struct snap_process *p)
{
	p->rss_kb = c->rss_kb;
	p->rss_anon_kb = c->rss_anon_kb;
	p->rss_file_kb = c->rss_file_kb;
	p->rss_shmem_kb = c->rss_shmem_kb;
	p->vsz_kb = c->vsz_kb;
	p->swap_kb = c->swap_kb;
	if (c->cgroup_path[0])
		p->cgroup_path = xstrdup(c->cgroup_path);
}

/* File descriptors, TCP states and sockets of the last poll, with an
 * error entry for each that could not be read. */
static void fill_fds_tcp(const struct observer *o, struct snapshot *s)
{
	struct snap_process *p = &s->proc;
	p->fds.limit = o->fds.limit;
	if (o->fds.err == 0) {
		p->fds.open = o->fds.open;
		p->fds.file = o->fds.by_type[FD_FILE];
		p->fds.socket = o->fds.by_type[FD_SOCKET];
		p->fds.pipe = o->fds.by_type[FD_PIPE];
		p->fds.anon_inode = o->fds.by_type[FD_ANON_INODE];
		p->fds.other = o->fds.by_type[FD_OTHER];
	} else {
		snapshot_add_error(s, "fds", "cannot read /proc/%d/fd: %s; %s", o->pid,
				   strerror(-o->fds.err), grant_hint());
	}
	p->tcp = o->tcp;
	p->netns_time_wait = o->netns_tw;
	if (o->socks) {
		s->sockets = xmalloc(sizeof(*s->sockets) * (size_t)(o->nsocks + 1));
		memcpy(s->sockets, o->socks, sizeof(*s->sockets) * (size_t)o->nsocks);
		s->nsockets = o->nsocks;
	}
	if (o->tcp_err[0])
		snapshot_add_error(s, "tcp", "%s", o->tcp_err);
	else if (o->fds.err)
		snapshot_add_error(s, "tcp", "TCP sockets unknown: the process's fds are unreadable");
}

/* One thread of the snapshot from its track; now is the current
 * reading's time. */
static void fill_thread(const struct thread_track *k, enum obs_window w, double now, double hz,
			struct snap_thread *t)
{
	t->tid = k->tid;
	str_copy(t->name, k->cur.name, sizeof(t->name));
	t->state = k->cur.st.state;
	double bt = w == OBS_WINDOW_ALL ? k->first_t : k->prev_t;
	uint64_t bu = w == OBS_WINDOW_ALL ? k->first_ut : k->prev_ut;
	uint64_t bs = w == OBS_WINDOW_ALL ? k->first_st : k->prev_st;
	double tdt = now - bt;
	if (tdt > 0) {
		t->cpu_user_pct = (double)(k->cur.st.utime - bu) / hz / tdt * 100.0;
		t->cpu_sys_pct = (double)(k->cur.st.stime - bs) / hz / tdt * 100.0;
		clamp_cpu(&t->cpu_user_pct, &t->cpu_sys_pct, 100.0);
	} else {
		t->cpu_user_pct = t->cpu_sys_pct = NAN;
	}
	t->syscall_known = k->cur.sc_ok;
	if (k->cur.sc_ok && k->cur.sc.kind == SYSCALL_IN) {
		long nr = k->blocked ? k->sc_nr : k->cur.sc.nr;
		const char *nm = syscall_name(nr);
		if (nm)
			str_copy(t->syscall, nm, sizeof(t->syscall));
		else
			snprintf(t->syscall, sizeof(t->syscall), "syscall_%ld", nr);
	}
	str_copy(t->wchan, k->cur.wchan, sizeof(t->wchan));
	t->top_frame = -1;
	t->ctx_vol = k->cur.ctx_vol;
	t->ctx_invol = k->cur.ctx_invol;
	t->stalled_polls = k->blocked ? k->stalled : 0;
	if (t->state == 'R')
		t->blocked_s = 0.0;
	else if (k->blocked)
		t->blocked_s = now - k->blocked_since;
	else if (k->cur.sc_ok)
		t->blocked_s = 0.0;
	else
		t->blocked_s = NAN;
}

/* Every tracked thread, or an error entry when /proc/PID/task was
 * unreadable. */
static void fill_threads(const struct observer *o, enum obs_window w, struct snapshot *s)
{
	if (o->threads_err) {
		snapshot_add_error(s, "threads", "cannot read /proc/%d/task: %s", o->pid,
				   strerror(-o->threads_err));
		return;
	}
	s->threads = xcalloc((size_t)o->ntracks + 1, sizeof(*s->threads));
	s->nthreads = o->ntracks;
	int unreadable_sc = 0;
	for (int i = 0; i < o->ntracks; i++) {
		fill_thread(&o->tracks[i], w, o->cur.t, (double)o->hz, &s->threads[i]);
		if (!o->tracks[i].cur.sc_ok)
			unreadable_sc++;
	}
	if (unreadable_sc)
		snapshot_add_error(s, "threads", "cannot read the current syscall of %d thread(s) "
				   "(/proc/%d/task/*/syscall); %s", unreadable_sc, o->pid, grant_hint());
}

/* The history ring, oldest first. */
static void fill_history(const struct observer *o, struct snapshot *s)
{
	s->history = xcalloc((size_t)o->hist_len + 1, sizeof(*s->history));
	s->nhistory = o->hist_len;
	for (int i = 0; i < o->hist_len; i++)
		s->history[i] = o->hist[(o->hist_head + i) % HIST_MAX];
}

struct snapshot *observer_snapshot(struct observer *o, enum obs_window w)
{
	struct snapshot *s = snapshot_new();
	const struct process_reading *b = w == OBS_WINDOW_ALL ? &o->first : &o->prev, *c = &o->cur;
	double dt = c->t - b->t;

	s->taken_at = now_real();
	s->window_s = dt;
	fill_host(&s->host);

	fill_process(o, c, &s->proc);
	if (dt > 0)
		fill_rates(o, w, b, c, dt, s->host.ncpu, &s->proc);
	fill_memory(c, &s->proc);
	fill_fds_tcp(o, s);
	if (!c->io_ok)
		snapshot_add_error(s, "io", "cannot read /proc/%d/io; %s", o->pid, grant_hint());
	if (!c->cg_ok)
		snapshot_add_error(s, "cgroup", "no cpu.stat found for the process's cgroup: "
				   "CPU throttling unknown");
	fill_threads(o, w, s);
	fill_history(o, s);
	return s;
}

int observer_piddir(const struct observer *o)
{
	return o->piddir;
}

void observer_settle(struct observer *o)
{
	for (int i = 0; i < o->ntracks; i++) {
		struct thread_track *k = &o->tracks[i];
		if (k->blocked && k->cur.st.state != 'D')
			thread_read_progress(o->piddir, k->tid, &k->cur.ctx_vol, &k->cur.ctx_invol,
					     &k->cur.run_ns);
	}
}

int observer_waits(const struct observer *o, struct thread_wait **out)
{
	int n = 0;
	*out = xcalloc((size_t)o->ntracks + 1, sizeof(**out));
	for (int i = 0; i < o->ntracks; i++) {
		const struct thread_track *k = &o->tracks[i];
		if (!k->blocked)
			continue;
		struct thread_wait *w = &(*out)[n++];
		w->tid = k->tid;
		w->state = k->cur.st.state;
		w->nr = k->sc_nr;
		memcpy(w->args, k->sc_args, sizeof(w->args));
	}
	return n;
}

void observer_free(struct observer *o)
{
	if (!o)
		return;
	close(o->piddir);
	fds_reading_fini(&o->fds);
	free(o->socks);
	free(o->tracks);
	snap_process_free_strings(&o->ident);
	free(o);
}
