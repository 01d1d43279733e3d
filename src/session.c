/*
 * session.c - ties the collectors of one target together and builds the
 * analysed snapshot (see session.h). Kept small on purpose: each step is
 * a call into the module that owns it, so adding a collector or an
 * analysis is one line here and the views never change.
 */
#include "session.h"
#include "cdtop.h"
#include "collect.h"
#include "profiler.h"
#include "triage.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct session {
	struct session_opts opts;
	struct observer *obs;
	struct profiler *prof;
	char stacks_off[CDTOP_ERRLEN];
	struct triage_answers answers;  /* the engineer's answers to the manual items */
};

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
	if (o->no_stacks) {
		str_copy(s->stacks_off, "stack sampling disabled (--no-stacks)", sizeof(s->stacks_off));
	} else {
		s->prof = profiler_new(o->pid, observer_piddir(obs), o->hz, s->stacks_off,
				       sizeof(s->stacks_off));
		if (s->prof)
			s->stacks_off[0] = '\0';
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
	return observer_poll(s->obs, err, errlen);
}

struct snapshot *session_snapshot(struct session *s, enum obs_window w, const char *mode)
{
	struct snapshot *snap = observer_snapshot(s->obs, w);
	if (s->prof)
		profiler_fill(s->prof, snap, mode ? mode : s->opts.mode);
	else
		snapshot_add_error(snap, "stacks", "%s", s->stacks_off);
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
	observer_free(s->obs);
	free(s);
}
