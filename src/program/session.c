/*
 * session.c - ties the collectors of one target together and builds the
 * analysed snapshot (see session.h). Kept small on purpose: each step is
 * a call into the module that owns it, so adding a collector or an
 * analysis is one line here and the views never change.
 *
 * Lock contention needs the past: at every poll the futex words that
 * threads sleep on go into the lock tracker (locks.c), from which each
 * lock's waiter count over time is read at snapshot time.
 */
#include "session.h"
#include "cdtop.h"
#include "collect.h"
#include "golang.h"
#include "goroutines.h"
#include "locks.h"
#include "observer.h"
#include "profile.h"
#include "profiler.h"
#include "triage.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define GO_REOPEN_S 10.0      /* retry opening the goroutine reader at most this often */

struct session {
	struct session_opts opts;
	struct observer *obs;
	struct profiler *prof;
	struct waits *waits;            /* what blocked threads wait on */
	struct lock_tracker *locks;     /* sleepers per futex word at each poll */
	char stacks_off[CDTOP_ERRLEN];
	struct triage_answers answers;  /* the engineer's answers to the manual items */
	/* Go targets: the goroutine reader and its progress tracker. */
	struct golang *go;
	struct gr_tracker *gtrack;
	char go_err[CDTOP_ERRLEN];      /* why goroutines are not read, "" when they are */
	double go_tried;                /* now_mono() of the last golang_open */
	int go_execs;                   /* observer_execs() when the reader was opened */
	bool go_seen;                   /* the target is a Go program */
};

/* Feed the contention tracker with the latest poll. */
static void track_locks(struct session *s)
{
	struct thread_wait *w;
	int n = observer_waits(s->obs, &w);
	uint64_t *words;
	int nw = waits_futex_words(s->waits, w, n, &words);
	lock_tracker_add(s->locks, words, nw);
	free(words);
	free(w);
}

/* Keep the goroutine reader in step with the program: open it for a Go
 * program (again after an exec or a failed read, at most every
 * GO_REOPEN_S), drop it for a native one. */
static void go_sync(struct session *s)
{
	s->go_seen = observer_runtime(s->obs) == PROC_RUNTIME_GO;
	if (s->go && observer_execs(s->obs) != s->go_execs) {
		golang_free(s->go);             /* another program now: its globals are elsewhere */
		s->go = NULL;
		s->go_tried = -GO_REOPEN_S;
	}
	if (!s->go_seen) {
		golang_free(s->go);
		s->go = NULL;
		s->go_err[0] = '\0';
		return;
	}
	if (s->go || now_mono() - s->go_tried < GO_REOPEN_S)
		return;
	s->go_tried = now_mono();
	s->go_execs = observer_execs(s->obs);
	s->go = golang_open(s->opts.pid, observer_piddir(s->obs), s->go_err, sizeof(s->go_err));
	if (s->go)
		s->go_err[0] = '\0';
	gr_tracker_reset(s->gtrack);
}

/* The goroutine count at a poll: g structs only, no stacks (with stacks
 * at the first poll, so the tracker can compare stack bytes later). */
static void go_poll(struct session *s, bool stacks)
{
	go_sync(s);
	if (!s->go)
		return;
	struct go_read r;
	if (golang_read(s->go, stacks, &r, s->go_err, sizeof(s->go_err)) < 0) {
		golang_free(s->go);
		s->go = NULL;
		return;
	}
	observer_set_goroutines(s->obs, goroutines_count(&r));
	gr_tracker_update(s->gtrack, &r);
	go_read_fini(&r);
}

/* The goroutines section of snap: a full read with stacks. */
static void go_fill(struct session *s, struct snapshot *snap)
{
	if (!s->go_seen)
		return;
	if (s->go) {
		struct go_read r;
		if (golang_read(s->go, true, &r, s->go_err, sizeof(s->go_err)) == 0) {
			gr_tracker_update(s->gtrack, &r);
			snap->goroutines = goroutines_build(&r, s->gtrack, snap, snap->window_s,
							    golang_version(s->go), golang_layout_source(s->go));
			go_read_fini(&r);
			if (golang_note(s->go))
				snapshot_add_error(snap, "goroutines", "%s", golang_note(s->go));
			return;
		}
		golang_free(s->go);
		s->go = NULL;
	}
	snapshot_add_error(snap, "goroutines", "goroutines not read: %s", s->go_err);
}

struct prof_start {
	int pid, piddir;
	double hz;
	char *err;
	size_t errlen;
	struct profiler *prof;
};

static void *prof_start_main(void *arg)
{
	struct prof_start *a = arg;
	a->prof = profiler_new(a->pid, a->piddir, a->hz, a->err, a->errlen);
	return NULL;
}

/* profiler_new runs the first stack round. A tracee belongs to the thread
 * that seized it, and a thread that did not stop in time is left
 * "pending", detached by the same thread once it stops; the live screen
 * samples from its worker thread afterwards and could never detach one
 * left by this thread. So the first round runs in a thread of its own:
 * when it ends, the kernel detaches whatever it still held (the pending
 * interrupt is dropped), and nothing can stay stopped. */
static struct profiler *start_profiler(int pid, int piddir, double hz, char *err, size_t errlen)
{
	struct prof_start a = {.pid = pid, .piddir = piddir, .hz = hz, .err = err, .errlen = errlen};
	pthread_t th;
	if (pthread_create(&th, NULL, prof_start_main, &a) != 0)
		return profiler_new(pid, piddir, hz, err, errlen);
	pthread_join(th, NULL);
	return a.prof;
}

/* On a saturated machine cdtop is one runnable task among many and gets
 * its share of a CPU late: threads it stopped wait for it, and a round
 * over them takes seconds. Like atop, run at a higher priority where
 * permitted (root, CAP_SYS_NICE); cdtop's CPU use is small, so this
 * changes when it runs, not how much. Threads made later (the first
 * round's, the screen's worker) inherit it. Refused: stay as we are. */
static void set_priority(int nice)
{
	if (nice != 0)
		(void)setpriority(PRIO_PROCESS, 0, nice);
	profiler_allow_realtime(nice != 0);
}

int session_open(struct session **out, const struct session_opts *o, char *err, size_t errlen)
{
	*out = NULL;
	set_priority(o->nice);
	struct observer *obs;
	int rc = observer_open(&obs, o->pid, !o->stacks_once, err, errlen);
	if (rc != CDTOP_EXIT_OK)
		return rc;
	struct session *s = xcalloc(1, sizeof(*s));
	s->opts = *o;
	s->opts.mode = o->mode != PROFILE_MODE_NONE ? o->mode : PROFILE_MODE_AUTO;
	s->obs = obs;
	s->waits = waits_new(o->pid, observer_piddir(obs));
	s->locks = lock_tracker_new();
	s->gtrack = gr_tracker_new();
	s->go_tried = -GO_REOPEN_S;
	if (!o->stacks_once) {
		track_locks(s);
		go_poll(s, true);
	}
	if (o->no_stacks) {
		str_copy(s->stacks_off, "stack sampling disabled (--no-stacks)", sizeof(s->stacks_off));
	} else {
		s->prof = start_profiler(o->pid, observer_piddir(obs), o->hz, s->stacks_off,
					 sizeof(s->stacks_off));
		if (s->prof && o->stacks_once) {
			s->stacks_off[0] = '\0';
		} else if (s->prof) {
			s->stacks_off[0] = '\0';
			/* The first stack round stopped every thread once, which
			 * shows as context switches: take the blocked threads'
			 * counts again, so "no progress since the last reading"
			 * (a deadlock's evidence) can hold one poll later. The
			 * 10 ms let the last threads go back to sleep first. */
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
			observer_settle(obs);
		}
	}
	*out = s;
	return CDTOP_EXIT_OK;
}

const char *session_stacks_off(const struct session *s)
{
	return s->prof ? NULL : s->stacks_off;
}

const char *const *session_warnings(const struct session *s)
{
	return observer_warnings(s->obs);
}

double session_tick(struct session *s)
{
	return s->prof ? profiler_tick(s->prof) : -1;
}

int session_poll(struct session *s, char *err, size_t errlen)
{
	int rc = observer_poll(s->obs, err, errlen);
	if (rc == CDTOP_EXIT_OK)
	{
		track_locks(s);
		go_poll(s, false);
	}
	return rc;
}

struct snapshot *session_snapshot(struct session *s, enum session_window w, enum profile_mode mode)
{
	struct snapshot *snap = observer_snapshot(s->obs, w == SESSION_WINDOW_ALL ? OBS_WINDOW_ALL
										   : OBS_WINDOW_LAST);
	if (s->prof) {
		profiler_fill(s->prof, snap);
		enum profile_mode m = mode != PROFILE_MODE_NONE ? mode : s->opts.mode;
		profile_compute_top(snap->profile, m == PROFILE_MODE_AUTO ? profile_auto_mode(snap) : m, 0);
	} else {
		snapshot_add_error(snap, "stacks", "%s", s->stacks_off);
	}
	struct thread_wait *tw;
	int n = observer_waits(s->obs, &tw);
	waits_fill(s->waits, snap, tw, n);
	free(tw);
	locks_analyse(snap, s->locks);
	go_fill(s, snap);
	triage_evaluate(snap, &s->answers);
	return snap;
}

struct triage_answers *session_answers(struct session *s)
{
	return &s->answers;
}

void session_reset_profile(struct session *s)
{
	if (s->prof)
		profiler_reset(s->prof);
}

int session_write_stacks(struct session *s, FILE *f, char *err, size_t errlen)
{
	if (!s->prof) {
		str_copy(err, s->stacks_off, errlen);
		return -1;
	}
	if (profiler_write_stacks(s->prof, f) < 0) {
		str_copy(err, "cannot write the stacks to standard output", errlen);
		return -1;
	}
	return 0;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	profiler_free(s->prof);
	waits_free(s->waits);
	lock_tracker_free(s->locks);
	golang_free(s->go);
	gr_tracker_free(s->gtrack);
	observer_free(s->obs);
	free(s);
	process_collector_fini();
}
