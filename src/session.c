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
#include "locks.h"
#include "profiler.h"
#include "triage.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct session {
	struct session_opts opts;
	struct observer *obs;
	struct profiler *prof;
	struct waits *waits;            /* what blocked threads wait on */
	struct lock_tracker *locks;     /* sleepers per futex word at each poll */
	char stacks_off[CDTOP_ERRLEN];
	struct triage_answers answers;  /* the engineer's answers to the manual items */
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

int session_open(struct session **out, const struct session_opts *o, char *err, size_t errlen)
{
	*out = NULL;
	struct observer *obs;
	int rc = observer_open(&obs, o->pid, err, errlen);
	if (rc != CDTOP_EXIT_OK)
		return rc;
	struct session *s = xcalloc(1, sizeof(*s));
	s->opts = *o;
	s->opts.mode = o->mode ? o->mode : "auto";
	s->obs = obs;
	s->waits = waits_new(o->pid, observer_piddir(obs));
	s->locks = lock_tracker_new();
	track_locks(s);
	if (o->no_stacks) {
		str_copy(s->stacks_off, "stack sampling disabled (--no-stacks)", sizeof(s->stacks_off));
	} else {
		s->prof = profiler_new(o->pid, observer_piddir(obs), o->hz, s->stacks_off,
				       sizeof(s->stacks_off));
		if (s->prof) {
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
		track_locks(s);
	return rc;
}

struct snapshot *session_snapshot(struct session *s, enum obs_window w, const char *mode)
{
	struct snapshot *snap = observer_snapshot(s->obs, w);
	if (s->prof)
		profiler_fill(s->prof, snap, mode ? mode : s->opts.mode);
	else
		snapshot_add_error(snap, "stacks", "%s", s->stacks_off);
	struct thread_wait *tw;
	int n = observer_waits(s->obs, &tw);
	waits_fill(s->waits, snap, tw, n);
	free(tw);
	locks_analyse(snap, s->locks);
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
	observer_free(s->obs);
	free(s);
}
