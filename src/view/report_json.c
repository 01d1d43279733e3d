/*
 * report_json.c - the snapshot as JSON, format "cdtop-snapshot" version 1
 * (doc/snapshot-format.md). Users script against this file, so every
 * field of the format is always present; what is not known is null,
 * never a made-up 0. Built as a jansson tree, written in one pass.
 */
#include "report.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <jansson.h>

static json_t *jnum(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *jint(int64_t v)
{
	return v < 0 || v == INT64_MAX ? json_null() : json_integer(v);
}

/* A JSON string of text the target chose (names, paths, argv): invalid
 * UTF-8 would make jansson refuse it, so it is sanitized first. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *clean = utf8_sanitize(s);
	j = json_string(clean);
	free(clean);
	return j ? j : json_string("");
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? jstr(s) : json_null();
}

/* An address as a hex string "0x5600aa10" (JSON numbers lose 64-bit precision). */
static json_t *jhex(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_string(b);
}

static json_t *jchar(char c)
{
	char b[2] = {c, 0};
	return c && c != '?' ? json_string(b) : json_null();
}

/* Round to 0.1 so files diff cleanly and stay small. */
static double r1(double v)
{
	return isnan(v) ? v : round(v * 10.0) / 10.0;
}

static json_t *process_json(const struct snap_process *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "pid", jint(p->pid));
	json_object_set_new(o, "ppid", jint(p->ppid));
	json_object_set_new(o, "comm", jstr(p->comm));
	json_object_set_new(o, "exe", jstr_or_null(p->exe));
	if (p->argv) {
		json_t *a = json_array();
		for (int i = 0; i < p->argc; i++)
			json_array_append_new(a, jstr(p->argv[i] ? p->argv[i] : ""));
		json_object_set_new(o, "cmdline", a);
	} else {
		json_object_set_new(o, "cmdline", json_null());
	}
	json_object_set_new(o, "state", jchar(p->state));
	json_object_set_new(o, "uptime_s", jnum(r1(p->uptime_s)));
	json_object_set_new(o, "runtime", json_string(proc_runtime_name(p->runtime)));
	json_object_set_new(o, "threads", jint(p->threads));

	json_t *cpu = json_object();
	json_object_set_new(cpu, "user_pct", jnum(r1(p->cpu_user_pct)));
	json_object_set_new(cpu, "sys_pct", jnum(r1(p->cpu_sys_pct)));
	json_object_set_new(cpu, "total_pct", jnum(r1(p->cpu_total_pct)));
	json_object_set_new(o, "cpu", cpu);

	json_t *mem = json_object();
	json_object_set_new(mem, "rss_kb", jint(p->rss_kb));
	json_object_set_new(mem, "rss_anon_kb", jint(p->rss_anon_kb));
	json_object_set_new(mem, "rss_file_kb", jint(p->rss_file_kb));
	json_object_set_new(mem, "rss_shmem_kb", jint(p->rss_shmem_kb));
	json_object_set_new(mem, "vsz_kb", jint(p->vsz_kb));
	json_object_set_new(mem, "swap_kb", jint(p->swap_kb));
	json_object_set_new(o, "memory", mem);

	json_t *fds = json_object();
	json_object_set_new(fds, "open", jint(p->fds.open));
	json_object_set_new(fds, "limit", jint(p->fds.limit));
	if (p->fds.open >= 0) {
		json_t *bt = json_object();
		json_object_set_new(bt, "file", jint(p->fds.file));
		json_object_set_new(bt, "socket", jint(p->fds.socket));
		json_object_set_new(bt, "pipe", jint(p->fds.pipe));
		json_object_set_new(bt, "anon_inode", jint(p->fds.anon_inode));
		json_object_set_new(bt, "other", jint(p->fds.other));
		json_object_set_new(fds, "by_type", bt);
	} else {
		json_object_set_new(fds, "by_type", json_null());
	}
	json_object_set_new(o, "fds", fds);

	if (p->tcp.known) {
		json_t *tcp = json_object();
		for (int st = 1; st < TCP_ST_MAX; st++)
			json_object_set_new(tcp, tcp_state_name(st), json_integer(p->tcp.count[st]));
		json_object_set_new(o, "tcp", tcp);
	} else {
		json_object_set_new(o, "tcp", json_null());
	}
	json_object_set_new(o, "netns_time_wait", jint(p->netns_time_wait));

	json_t *cs = json_object();
	json_object_set_new(cs, "voluntary", jnum(r1(p->ctx_vol_per_s)));
	json_object_set_new(cs, "involuntary", jnum(r1(p->ctx_invol_per_s)));
	json_object_set_new(o, "ctx_switches_per_s", cs);
	json_t *fl = json_object();
	json_object_set_new(fl, "minor", jnum(r1(p->flt_min_per_s)));
	json_object_set_new(fl, "major", jnum(r1(p->flt_maj_per_s)));
	json_object_set_new(o, "faults_per_s", fl);
	json_t *io = json_object();
	json_object_set_new(io, "read_bytes", jnum(r1(p->io_read_bps)));
	json_object_set_new(io, "write_bytes", jnum(r1(p->io_write_bps)));
	json_object_set_new(o, "io_per_s", io);
	json_t *cg = json_object();
	json_object_set_new(cg, "path", jstr_or_null(p->cgroup_path));
	json_object_set_new(cg, "cpu_throttled_pct", jnum(r1(p->cgroup_throttled_pct)));
	json_object_set_new(o, "cgroup", cg);
	return o;
}

static json_t *frames_json(const struct snap_profile *p, const int *fr, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, jstr(p->frames[fr[i]].function));
	return a;
}

static json_t *profile_json(const struct snap_profile *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "mode", json_string(profile_mode_name(p->mode)));
	json_object_set_new(o, "frequency_hz", jnum(r1(p->frequency_hz)));
	json_object_set_new(o, "samples", json_integer(p->samples));
	json_object_set_new(o, "pause_us_p50", jnum(r1(p->pause_us_p50)));
	json_object_set_new(o, "pause_us_max", jnum(r1(p->pause_us_max)));
	json_object_set_new(o, "pause_us_p99", jnum(r1(p->pause_us_p99)));
	json_object_set_new(o, "requested_hz", jnum(r1(p->requested_hz)));
	json_object_set_new(o, "samples_total", json_integer(p->samples_total));
	json_object_set_new(o, "stops", json_integer(p->stops));
	json_object_set_new(o, "duration_s", jnum(r1(p->duration_s)));
	json_object_set_new(o, "status", jstr_or_null(p->status));
	json_t *top = json_array();
	for (int i = 0; i < p->ntop; i++) {
		const struct snap_top *t = &p->top[i];
		json_t *r = json_object();
		json_object_set_new(r, "function", jstr(p->frames[t->frame].function));
		json_object_set_new(r, "module", jstr(p->frames[t->frame].module));
		json_object_set_new(r, "flat", json_integer(t->flat));
		json_object_set_new(r, "flat_pct", jnum(r1(t->flat_pct)));
		json_object_set_new(r, "cum", json_integer(t->cum));
		json_object_set_new(r, "cum_pct", jnum(r1(t->cum_pct)));
		json_array_append_new(top, r);
	}
	json_object_set_new(o, "top_functions", top);
	json_t *stacks = json_array();
	for (int i = 0; i < p->nstacks; i++) {
		const struct snap_stack *st = &p->stacks[i];
		json_t *r = json_object();
		json_object_set_new(r, "count", json_integer(st->count));
		json_object_set_new(r, "frames", frames_json(p, st->frames, st->nframes));
		json_t *mods = json_array();
		for (int k = 0; k < st->nframes; k++)
			json_array_append_new(mods, jstr(p->frames[st->frames[k]].module));
		json_object_set_new(r, "modules", mods);
		json_object_set_new(r, "tid", json_integer(st->tid));
		json_object_set_new(r, "running", json_boolean(st->running));
		json_array_append_new(stacks, r);
	}
	json_object_set_new(o, "stacks", stacks);
	return o;
}

static json_t *futex_json(const struct snap_futex *x)
{
	if (!x->valid)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "addr", jhex(x->addr));
	json_object_set_new(o, "op", json_integer(x->op));
	json_object_set_new(o, "private", json_boolean(x->private_op));
	json_object_set_new(o, "val", json_integer(x->val));
	json_object_set_new(o, "symbol", jstr_or_null(x->symbol));
	json_object_set_new(o, "symbol_addr", x->symbol ? jhex(x->symbol_addr) : json_null());
	json_object_set_new(o, "symbol_size", x->symbol ? json_integer((json_int_t)x->symbol_size)
						       : json_null());
	if (x->mem_ok) {
		json_object_set_new(o, "mem_base", jhex(x->mem_base));
		json_t *w = json_array();
		for (int i = 0; i < SNAP_FUTEX_WORDS; i++)
			json_array_append_new(w, json_integer(x->mem[i]));
		json_object_set_new(o, "mem", w);
	} else {
		json_object_set_new(o, "mem_base", json_null());
		json_object_set_new(o, "mem", json_null());
	}
	return o;
}

static json_t *thread_json(const struct snapshot *s, const struct snap_thread *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "tid", json_integer(t->tid));
	json_object_set_new(o, "name", jstr(t->name));
	json_object_set_new(o, "state", jchar(t->state));
	json_object_set_new(o, "cpu_user_pct", jnum(r1(t->cpu_user_pct)));
	json_object_set_new(o, "cpu_sys_pct", jnum(r1(t->cpu_sys_pct)));
	json_object_set_new(o, "syscall", jstr_or_null(t->syscall));
	json_object_set_new(o, "wchan", jstr_or_null(t->wchan));
	json_object_set_new(o, "blocked_s", jnum(r1(t->blocked_s)));
	json_object_set_new(o, "lock", t->lock_addr ? jhex(t->lock_addr)
				    : t->futex.valid ? jhex(t->futex.addr) : json_null());
	if (t->stack && s->profile)
		json_object_set_new(o, "stack", frames_json(s->profile, t->stack, t->nstack));
	else
		json_object_set_new(o, "stack", json_null());
	/* Added fields (format 1 grows only by adding). */
	json_object_set_new(o, "syscall_arg", jstr_or_null(t->syscall_arg));
	json_object_set_new(o, "top_function",
			    s->profile && t->top_frame >= 0 && t->top_frame < s->profile->nframes
			    ? jstr(s->profile->frames[t->top_frame].function) : json_null());
	json_object_set_new(o, "ctx_switches", t->ctx_vol < 0 ? json_null()
			    : json_pack("{s:I,s:I}", "voluntary", (json_int_t)t->ctx_vol,
					"involuntary", (json_int_t)t->ctx_invol));
	json_object_set_new(o, "stalled_polls", json_integer(t->stalled_polls));
	json_object_set_new(o, "futex", futex_json(&t->futex));
	return o;
}

static json_t *sockets_json(const struct snapshot *s)
{
	if (!s->sockets)
		return json_null();
	json_t *a = json_array();
	for (int i = 0; i < s->nsockets; i++) {
		const struct snap_socket *k = &s->sockets[i];
		json_t *o = json_object();
		json_object_set_new(o, "fd", jint(k->fd));
		json_object_set_new(o, "inode", json_integer((json_int_t)k->inode));
		json_object_set_new(o, "state", tcp_state_name(k->state) ? json_string(tcp_state_name(k->state))
								 : json_null());
		json_object_set_new(o, "local", jstr_or_null(k->local));
		json_object_set_new(o, "remote", jstr_or_null(k->remote));
		json_object_set_new(o, "rx_queue", jint(k->rx_queue));
		json_object_set_new(o, "tx_queue", jint(k->tx_queue));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *locks_json(const struct snapshot *s)
{
	if (!s->locks)
		return json_null();
	json_t *a = json_array();
	for (int i = 0; i < s->nlocks; i++) {
		const struct snap_lock *l = &s->locks[i];
		json_t *o = json_object();
		json_object_set_new(o, "address", jhex(l->address));
		json_object_set_new(o, "symbol", jstr_or_null(l->symbol));
		json_object_set_new(o, "kind", json_string(lock_kind_name(l->kind)));
		json_object_set_new(o, "owner_tid", jint(l->owner_tid));
		json_t *w = json_array(), *wd = json_array();
		for (int k = 0; k < l->nwaiters; k++) {
			const struct snap_lock_waiter *x = &l->waiters[k];
			json_array_append_new(w, json_integer(x->tid));
			json_t *d = json_object();
			json_object_set_new(d, "tid", json_integer(x->tid));
			json_object_set_new(d, "wait_s", jnum(r1(x->wait_s)));
			json_object_set_new(d, "mode", jstr_or_null(lock_mode_name(x->mode)));
			json_object_set_new(d, "function", jstr_or_null(x->function));
			json_object_set_new(d, "futex", x->futex ? jhex(x->futex) : json_null());
			json_array_append_new(wd, d);
		}
		json_object_set_new(o, "waiters", w);
		json_object_set_new(o, "max_wait_s", jnum(r1(l->max_wait_s)));
		json_object_set_new(o, "waiter_details", wd);
		json_object_set_new(o, "owner_function", jstr_or_null(l->owner_function));
		json_object_set_new(o, "owner_state", jchar(l->owner_state));
		json_object_set_new(o, "owner_syscall", jstr_or_null(l->owner_syscall));
		json_t *h = json_array();
		for (int k = 0; k < l->nwaiters_history; k++)
			json_array_append_new(h, json_integer(l->waiters_history[k]));
		json_object_set_new(o, "waiters_history", h);
		json_object_set_new(o, "contended", json_boolean(l->contended));
		json_object_set_new(o, "in_deadlock", json_boolean(l->in_deadlock));
		json_object_set_new(o, "owner_syscall_arg", jstr_or_null(l->owner_syscall_arg));
		json_object_set_new(o, "owner_blocked_s", jnum(r1(l->owner_blocked_s)));
		json_object_set_new(o, "owner_stack", l->owner_stack && s->profile
				    ? frames_json(s->profile, l->owner_stack, l->nowner_stack) : json_null());
		json_object_set_new(o, "readers", jint(l->readers));
		json_object_set_new(o, "size", l->size ? json_integer((json_int_t)l->size) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *deadlocks_json(const struct snapshot *s)
{
	if (!s->deadlocks)
		return json_null();
	json_t *a = json_array();
	for (int i = 0; i < s->ndeadlocks; i++) {
		const struct snap_deadlock *d = &s->deadlocks[i];
		json_t *o = json_object(), *t = json_array(), *l = json_array(), *n = json_array();
		for (int k = 0; k < d->ntids; k++)
			json_array_append_new(t, json_integer(d->tids[k]));
		for (int k = 0; k < d->nlocks; k++) {
			json_array_append_new(l, jhex(d->locks[k]));
			json_array_append_new(n, jstr_or_null(d->symbols ? d->symbols[k] : NULL));
		}
		json_object_set_new(o, "threads", t);
		json_object_set_new(o, "locks", l);
		json_object_set_new(o, "symbols", n);
		json_object_set_new(o, "stalled_s", jnum(r1(d->stalled_s)));
		json_t *fn = json_array(), *kd = json_array();
		for (int k = 0; k < d->ntids; k++)
			json_array_append_new(fn, jstr_or_null(d->functions ? d->functions[k] : NULL));
		for (int k = 0; k < d->nlocks; k++)
			json_array_append_new(kd, jstr_or_null(d->kinds ? lock_kind_name(d->kinds[k]) : NULL));
		json_object_set_new(o, "functions", fn);
		json_object_set_new(o, "kinds", kd);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *counts_json(const struct snap_count *c, int n)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(o, c[i].name, json_integer(c[i].count));
	return o;
}

static json_t *goroutines_json(const struct snap_goroutines *g)
{
	if (!g)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "count", jint(g->count));
	json_object_set_new(o, "go_version", jstr_or_null(g->go_version));
	json_object_set_new(o, "by_status", counts_json(g->by_status, g->nby_status));
	json_object_set_new(o, "by_wait_reason", counts_json(g->by_wait_reason, g->nby_wait_reason));
	json_t *a = json_array();
	for (int i = 0; i < g->ngroups; i++) {
		const struct snap_gr_group *gr = &g->groups[i];
		json_t *r = json_object(), *fr = json_array(), *ids = json_array();
		json_object_set_new(r, "count", json_integer(gr->count));
		json_object_set_new(r, "status", json_string(gr_status_name(gr->status)));
		json_object_set_new(r, "wait_reason", jstr_or_null(gr->wait_reason));
		for (int k = 0; k < gr->nframes; k++)
			json_array_append_new(fr, jstr(gr->frames[k]));
		json_object_set_new(r, "frames", fr);
		json_object_set_new(r, "max_wait_s", jnum(r1(gr->max_wait_s)));
		for (int k = 0; k < gr->ngoids; k++)
			json_array_append_new(ids, json_integer(gr->goids[k]));
		json_object_set_new(r, "goids", ids);
		json_t *tids = json_array();
		for (int k = 0; k < gr->ntids; k++)
			json_array_append_new(tids, json_integer(gr->tids[k]));
		json_object_set_new(r, "tids", tids);
		json_object_set_new(r, "stalled_s", jnum(r1(gr->stalled_s)));
		json_object_set_new(r, "deadlock_hint", json_boolean(gr->deadlock_hint));
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "groups", a);
	json_object_set_new(o, "read_ms", jnum(r1(g->read_ms)));
	json_object_set_new(o, "layout", jstr_or_null(g->layout));
	json_object_set_new(o, "system", jint(g->system));
	json_object_set_new(o, "created_during_read", jint(g->created_during_read));
	json_object_set_new(o, "moved_during_read", jint(g->moved_during_read));
	return o;
}

static json_t *checklist_json(const struct snapshot *s)
{
	if (!s->checklist)
		return json_null();
	json_t *a = json_array();
	for (int i = 0; i < s->nchecks; i++) {
		const struct snap_check *c = &s->checklist[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(c->id));
		json_object_set_new(o, "title", jstr(c->title));
		json_object_set_new(o, "status", json_string(check_status_name(c->status)));
		json_object_set_new(o, "evidence", jstr_or_null(c->evidence));
		json_object_set_new(o, "next_step", jstr_or_null(c->next_step));
		json_object_set_new(o, "pane", jstr_or_null(check_pane_name(c->pane)));
		json_object_set_new(o, "answer", jstr_or_null(check_answer_name(c->answer)));
		json_object_set_new(o, "note", jstr_or_null(c->note));
		json_array_append_new(a, o);
	}
	return a;
}

int report_json_write(const struct snapshot *s, FILE *f)
{
	json_t *root = json_object();
	char ts[32];
	json_object_set_new(root, "format", json_string("cdtop-snapshot"));
	json_object_set_new(root, "version", json_integer(SNAP_FORMAT_VERSION));
	json_object_set_new(root, "cdtop_version", json_string(s->cdtop_version));
	if (isnan(s->taken_at)) {
		json_object_set_new(root, "taken_at", json_null());
	} else {
		fmt_utc_iso(s->taken_at, ts, sizeof(ts));
		json_object_set_new(root, "taken_at", json_string(ts));
	}
	json_object_set_new(root, "window_s", jnum(isnan(s->window_s) ? s->window_s
						   : round(s->window_s * 1000.0) / 1000.0));
	json_t *host = json_object();
	json_object_set_new(host, "hostname", jstr(s->host.hostname));
	json_object_set_new(host, "kernel", json_string(s->host.kernel));
	json_object_set_new(host, "ncpu", jint(s->host.ncpu));
	json_object_set_new(root, "host", host);
	json_object_set_new(root, "process", process_json(&s->proc));

	json_t *hist = json_array();
	for (int i = 0; i < s->nhistory; i++) {
		const struct snap_hist *h = &s->history[i];
		json_t *o = json_object();
		json_object_set_new(o, "t", json_real(round(h->t * 10.0) / 10.0));
		json_object_set_new(o, "cpu_user_pct", jnum(r1(h->cpu_user_pct)));
		json_object_set_new(o, "cpu_sys_pct", jnum(r1(h->cpu_sys_pct)));
		json_object_set_new(o, "rss_kb", jint(h->rss_kb));
		json_object_set_new(o, "threads", jint(h->threads));
		json_object_set_new(o, "fds", jint(h->fds));
		json_object_set_new(o, "goroutines", jint(h->goroutines));
		json_array_append_new(hist, o);
	}
	json_object_set_new(root, "history", hist);

	if (s->threads) {
		json_t *th = json_array();
		for (int i = 0; i < s->nthreads; i++)
			json_array_append_new(th, thread_json(s, &s->threads[i]));
		json_object_set_new(root, "threads", th);
	} else {
		json_object_set_new(root, "threads", json_null());
	}
	json_object_set_new(root, "profile", s->profile ? profile_json(s->profile) : json_null());
	json_object_set_new(root, "locks", locks_json(s));
	json_object_set_new(root, "deadlocks", deadlocks_json(s));
	json_object_set_new(root, "goroutines", goroutines_json(s->goroutines));
	json_object_set_new(root, "checklist", checklist_json(s));
	json_object_set_new(root, "sockets", sockets_json(s));

	json_t *errs = json_array();
	for (int i = 0; i < s->nerrors; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "source", json_string(s->errors[i].source));
		json_object_set_new(e, "message", jstr(s->errors[i].message));
		json_array_append_new(errs, e);
	}
	json_object_set_new(root, "errors", errs);

	int rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (fputc('\n', f) == EOF || rc < 0) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}
