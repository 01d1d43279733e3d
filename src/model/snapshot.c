/*
 * snapshot.c - life cycle of struct snapshot: creation with every figure
 * unknown, error records, and freeing.
 */
#include "snapshot.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void snap_process_clear(struct snap_process *p)
{
	memset(p, 0, sizeof(*p));
	p->pid = p->ppid = SNAP_UNKNOWN;
	p->state = '?';
	p->uptime_s = NAN;
	p->runtime = PROC_RUNTIME_NATIVE;
	p->threads = SNAP_UNKNOWN;
	p->cpu_user_pct = p->cpu_sys_pct = p->cpu_total_pct = NAN;
	p->rss_kb = p->rss_anon_kb = p->rss_file_kb = SNAP_UNKNOWN;
	p->rss_shmem_kb = p->vsz_kb = p->swap_kb = SNAP_UNKNOWN;
	p->fds.open = p->fds.limit = SNAP_UNKNOWN;
	p->fds.file = p->fds.socket = p->fds.pipe = SNAP_UNKNOWN;
	p->fds.anon_inode = p->fds.other = SNAP_UNKNOWN;
	p->tcp.known = false;
	p->ctx_vol_per_s = p->ctx_invol_per_s = NAN;
	p->flt_min_per_s = p->flt_maj_per_s = NAN;
	p->io_read_bps = p->io_write_bps = NAN;
	p->cgroup_throttled_pct = NAN;
	p->netns_time_wait = SNAP_UNKNOWN;
}

struct snapshot *snapshot_new(void)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	str_copy(s->cdtop_version, PACKAGE_VERSION, sizeof(s->cdtop_version));
	s->taken_at = NAN;
	s->window_s = NAN;
	s->host.ncpu = SNAP_UNKNOWN;
	snap_process_clear(&s->proc);
	return s;
}

void snapshot_add_error(struct snapshot *s, const char *source, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->errors = xrealloc(s->errors, sizeof(*s->errors) * (size_t)(s->nerrors + 1));
	struct snap_error *e = &s->errors[s->nerrors++];
	str_copy(e->source, source, sizeof(e->source));
	e->message = xstrdup(msg);
}

void snap_process_free_strings(struct snap_process *p)
{
	free(p->exe);
	if (p->argv)
		for (int i = 0; i < p->argc; i++)
			free(p->argv[i]);
	free(p->argv);
	free(p->cgroup_path);
	p->exe = p->cgroup_path = NULL;
	p->argv = NULL;
	p->argc = 0;
}

void snap_profile_free(struct snap_profile *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nframes; i++) {
		free(p->frames[i].function);
		free(p->frames[i].module);
	}
	free(p->frames);
	for (int i = 0; i < p->nstacks; i++)
		free(p->stacks[i].frames);
	free(p->stacks);
	free(p->top);
	free(p);
}

void snap_goroutines_free(struct snap_goroutines *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->ngroups; i++) {
		for (int k = 0; k < g->groups[i].nframes; k++)
			free(g->groups[i].frames[k]);
		free(g->groups[i].frames);
		free(g->groups[i].goids);
		free(g->groups[i].tids);
	}
	free(g->groups);
	free(g->by_status);
	free(g->by_wait_reason);
	free(g);
}

void snap_check_fini(struct snap_check *c)
{
	free(c->evidence);
	free(c->next_step);
	free(c->note);
	c->evidence = c->next_step = c->note = NULL;
}

void snapshot_free_analysis(struct snapshot *s)
{
	for (int i = 0; s->locks && i < s->nlocks; i++) {
		struct snap_lock *l = &s->locks[i];
		free(l->symbol);
		free(l->owner_function);
		for (int k = 0; k < l->nwaiters; k++)
			free(l->waiters[k].function);
		free(l->waiters);
		free(l->waiters_history);
		free(l->owner_stack);
	}
	free(s->locks);
	s->locks = NULL;
	s->nlocks = 0;
	for (int i = 0; s->deadlocks && i < s->ndeadlocks; i++) {
		struct snap_deadlock *d = &s->deadlocks[i];
		for (int k = 0; k < d->nlocks; k++)
			free(d->symbols ? d->symbols[k] : NULL);
		for (int k = 0; d->functions && k < d->ntids; k++)
			free(d->functions[k]);
		free(d->symbols);
		free(d->kinds);
		free(d->functions);
		free(d->tids);
		free(d->locks);
	}
	free(s->deadlocks);
	s->deadlocks = NULL;
	s->ndeadlocks = 0;
	snap_goroutines_free(s->goroutines);
	s->goroutines = NULL;
	for (int i = 0; s->checklist && i < s->nchecks; i++)
		snap_check_fini(&s->checklist[i]);
	free(s->checklist);
	s->checklist = NULL;
	s->nchecks = 0;
	free(s->sockets);
	s->sockets = NULL;
	s->nsockets = 0;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	snap_process_free_strings(&s->proc);
	free(s->history);
	if (s->threads)
		for (int i = 0; i < s->nthreads; i++) {
			free(s->threads[i].stack);
			free(s->threads[i].futex.symbol);
		}
	free(s->threads);
	snap_profile_free(s->profile);
	snapshot_free_analysis(s);
	for (int i = 0; i < s->nerrors; i++)
		free(s->errors[i].message);
	free(s->errors);
	free(s);
}
