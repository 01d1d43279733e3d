/*
 * pane_locks.c - lock waits: deadlocks first (the cycle, edge by edge, in
 * the alert style), then every lock that threads wait on, with its owner
 * (and where the owner is now), its waiters and how long they have
 * waited. Enter on a lock shows its owner's stack in the threads pane.
 *
 * Two empty states are told apart: the snapshot has no lock analysis at
 * all (locks NULL), or it has one and no thread waits on a lock.
 */
#include "ui_pane.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define COMPACT_WAITERS 3

/* The pane's state is its list: the locks themselves, in the analysis's
 * order (a row is also the lock's index: the drawing below relies on it). */
static void locks_refresh(void *data, const struct ui *u, const struct snapshot *s)
{
	(void)u;
	int n = s->locks ? s->nlocks : 0;
	ui_list_reset(data, n);
	for (int i = 0; i < n; i++)
		ui_list_add(data, i);
}

static const char *lock_name(const struct snap_lock *l, char *b, size_t n)
{
	if (l->symbol) {
		char sym[96];
		snprintf(b, n, "%s", fmt_clean(sym, sizeof(sym), l->symbol));
	} else {
		snprintf(b, n, "0x%llx", (unsigned long long)l->address);
	}
	return b;
}

static const char *thread_name(const struct snapshot *s, int tid, char *b, size_t n)
{
	int i = ui_thread_index(s, tid);
	return i >= 0 ? fmt_clean(b, n, s->threads[i].name) : "";
}

/* Waiter lines shown under a lock. */
static int shown_waiters(const struct snap_lock *l, bool all)
{
	if (all || l->nwaiters <= COMPACT_WAITERS + 1)
		return l->nwaiters;
	return COMPACT_WAITERS;
}

static int lock_lines(const struct snap_lock *l, bool all)
{
	int w = shown_waiters(l, all);
	return 1 + w + (w < l->nwaiters ? 1 : 0);
}

/* Who holds the lock, for the OWNER column. */
static void owner_text(const struct snapshot *s, const struct snap_lock *l, char *b, size_t n)
{
	char nm[64];
	if (l->owner_tid > 0)
		snprintf(b, n, "%d %s", l->owner_tid, thread_name(s, l->owner_tid, nm, sizeof(nm)));
	else if (l->kind == LOCK_KIND_RWLOCK && l->readers > 0)
		snprintf(b, n, "%d reader%s", l->readers, l->readers > 1 ? "s" : "");
	else if (l->kind == LOCK_KIND_CONDVAR)
		snprintf(b, n, "(none: cond wait)");
	else if (l->kind == LOCK_KIND_SEMAPHORE)
		snprintf(b, n, "(none: semaphore)");
	else
		snprintf(b, n, "unknown");
}

/* Where the owner is: its function, state, what it waits on, how long. */
static void owner_where(const struct snap_lock *l, char *b, size_t n)
{
	char fn[128], arg[200], d[32];
	fmt_clean(fn, sizeof(fn), l->owner_function ? l->owner_function : "-");
	if (!l->owner_state || l->owner_state == '?') {
		snprintf(b, n, "%s", fn);
		return;
	}
	const char *what = l->owner_syscall_arg[0] ? fmt_clean(arg, sizeof(arg), l->owner_syscall_arg)
			   : l->owner_syscall;
	bool blocked = !isnan(l->owner_blocked_s) && l->owner_blocked_s > 0;
	snprintf(b, n, "%s [%c%s%s%s%s]", fn, l->owner_state, what[0] ? " " : "", what,
		 blocked ? " for " : "", blocked ? fmt_dur(d, sizeof(d), l->owner_blocked_s) : "");
}

/* The selected lock's owner in full: what it does and its stack. */
static void draw_owner(const struct snapshot *s, const struct snap_lock *l, const struct view *v, int y)
{
	char owner[96], where[300], f[256];
	view_fill(v, y, CV_HEAD);
	owner_text(s, l, owner, sizeof(owner));
	owner_where(l, where, sizeof(where));
	view_printf(v, y++, 0, CV_HEAD, " holder of %s: %s", l->symbol ? fmt_clean(f, sizeof(f), l->symbol) : "the lock",
		    owner);
	view_printf(v, y++, 1, CV_NORMAL, "now in %s", where);
	if (!l->owner_stack || l->nowner_stack == 0) {
		view_put(v, y, 1, CV_DIM, "no stack of the holder in this snapshot");
		return;
	}
	for (int k = 0; k < l->nowner_stack && y < v->h; k++, y++) {
		const char *fn = ui_frame_name(s, l->owner_stack[k]);
		int x = view_printf(v, y, 1, CV_DIM, "#%-3d", k);
		view_put(v, y, x + 1, CV_NORMAL, fmt_clean(f, sizeof(f), fn ? fn : "?"));
	}
}

static int draw_deadlocks(const struct snapshot *s, const struct view *v, int y)
{
	for (int i = 0; i < s->ndeadlocks && y < v->h; i++) {
		const struct snap_deadlock *d = &s->deadlocks[i];
		char a[32];
		view_fill(v, y, CV_ALERT);
		view_printf(v, y++, 0, CV_ALERT, " DEADLOCK %d: %d threads wait for each other, no progress for %s",
			    i + 1, d->ntids, fmt_dur(a, sizeof(a), d->stalled_s));
		for (int k = 0; k < d->ntids && y < v->h; k++) {
			int next = d->tids[(k + 1) % d->ntids];
			char nm[64], lk[128], sym[96];
			if (k < d->nlocks && d->symbols && d->symbols[k] && v->w < 120)
				snprintf(lk, sizeof(lk), "%s", fmt_clean(sym, sizeof(sym), d->symbols[k]));
			else if (k < d->nlocks && d->symbols && d->symbols[k])
				snprintf(lk, sizeof(lk), "%s (0x%llx)", fmt_clean(sym, sizeof(sym), d->symbols[k]),
					 (unsigned long long)d->locks[k]);
			else if (k < d->nlocks)
				snprintf(lk, sizeof(lk), "0x%llx", (unsigned long long)d->locks[k]);
			else
				snprintf(lk, sizeof(lk), "a lock");
			char fn[128] = "", kind[40] = "";
			if (d->functions && d->functions[k]) {
				char f[96];
				snprintf(fn, sizeof(fn), " in %s", fmt_clean(f, sizeof(f), d->functions[k]));
			}
			if (d->kinds && k < d->nlocks && d->kinds[k])
				snprintf(kind, sizeof(kind), "%s ", lock_kind_name(d->kinds[k]));
			view_printf(v, y++, 2, CV_ALERT, "thread %d %s%s waits for %s%s, held by thread %d", d->tids[k],
				    thread_name(s, d->tids[k], nm, sizeof(nm)), fn, kind, lk, next);
		}
	}
	return y;
}

static void locks_draw(void *data, const struct ui *u, const struct snapshot *s, const struct view *v,
		       bool focused)
{
	struct ui_list *ps = data;
	if (!s->locks) {
		ui_title(v, UI_PANE_LOCKS, ps, focused, "not analysed");
		view_put(v, 1, 1, CV_DIM, "lock waits not analysed in this snapshot");
		return;
	}
	int ndl = s->deadlocks ? s->ndeadlocks : 0;
	int waiting = 0;
	for (int i = 0; i < s->nlocks; i++)
		waiting += s->locks[i].nwaiters;
	if (ndl)
		ui_title(v, UI_PANE_LOCKS, ps, focused, "%d DEADLOCK%s, %d locks, %d waiting threads", ndl,
			 ndl > 1 ? "S" : "", s->nlocks, waiting);
	else
		ui_title(v, UI_PANE_LOCKS, ps, focused, "%d locks, %d waiting threads", s->nlocks, waiting);
	if (s->nlocks == 0 && ndl == 0) {
		view_put(v, 1, 1, CV_OK, "no lock waits: no thread is blocked on a lock");
		return;
	}
	int y = draw_deadlocks(s, v, 1);
	if (y >= v->h || s->nlocks == 0)
		return;
	bool wide = v->w >= 120;
	int lw = wide ? 28 : 20, kw = wide ? 8 : 7, ow = wide ? 24 : 18;
	y = ui_heading(v, y, " %-*s %-*s %-*s %7s %8s  %s", lw - 1, "LOCK", kw, "KIND", ow, "OWNER", "WAITERS",
		       "MAX WAIT", wide ? "FLAGS, WAITERS TREND        OWNER IS IN" : "OWNER IS IN");
	ui_list_clamp(ps, 1);
	/* Full-screen with room: the selected lock's holder below the list. */
	int detail = 0;
	if (!u->overview && focused && v->h - y >= 16)
		detail = (v->h - y) / 3 > 12 ? 12 : (v->h - y) / 3;
	int avail = v->h - y - detail;
	struct view list = view_sub(v, 0, 0, v->h - detail, v->w);
	/* Variable-height items: scroll until the cursor's lock fits. */
	if (ps->scroll > ps->cursor)
		ps->scroll = ps->cursor;
	for (;;) {
		int need = 0;
		for (int i = ps->scroll; i <= ps->cursor; i++)
			need += lock_lines(&s->locks[i], !u->overview);
		if (need <= avail || ps->scroll >= ps->cursor)
			break;
		ps->scroll++;
	}
	ps->page = avail > 1 ? avail / 2 : 1;
	if (detail)
		draw_owner(s, &s->locks[ps->cursor], v, v->h - detail);
	v = &list;
	for (int i = ps->scroll; i < s->nlocks && y < v->h; i++) {
		const struct snap_lock *l = &s->locks[i];
		bool sel = focused && i == ps->cursor;
		int style = sel ? CV_SEL : l->in_deadlock ? CV_ALERT : l->contended ? CV_WARN : CV_NORMAL;
		char name[128], owner[96], nm[64], a[32], where[300], fn[128];
		if (sel)
			view_fill(v, y, CV_SEL);
		lock_name(l, name, sizeof(name));
		owner_text(s, l, owner, sizeof(owner));
		owner_where(l, where, sizeof(where));
		int x = view_put_col(v, y, 1, lw - 1, style, name);
		x = view_put_col(v, y, x + 1, kw, style, lock_kind_name(l->kind));
		x = view_put_col(v, y, x + 1, ow, style, owner);
		x = view_printf(v, y, x + 1, style, "%7d %8s  ", l->nwaiters, fmt_dur(a, sizeof(a), l->max_wait_s));
		if (wide) {
			/* Flags and the waiter count over the last readings. */
			int fx = x;
			if (l->in_deadlock)
				fx = view_put(v, y, fx, sel ? CV_SEL : CV_ALERT, "DEADLOCK ");
			if (l->contended)
				fx = view_put(v, y, fx, sel ? CV_SEL : CV_WARN, "CONTENDED ");
			if (l->nwaiters_history > 1) {
				double h[64];
				int nh = l->nwaiters_history < 64 ? l->nwaiters_history : 64;
				for (int k = 0; k < nh; k++)
					h[k] = l->waiters_history[l->nwaiters_history - nh + k];
				char sp[256];
				struct view cell = view_sub(v, y, fx, 1, x + 27 - fx);
				view_put(&cell, 0, 0, sel ? CV_SEL : CV_DIM,
					 fmt_spark(sp, sizeof(sp), h, nh, x + 27 - fx, u->opts.utf8));
			}
			x += 28;
		}
		view_put(v, y, x, style, where);
		y++;
		int nw = shown_waiters(l, !u->overview);
		for (int k = 0; k < nw && y < v->h; k++) {
			const struct snap_lock_waiter *w = &l->waiters[k];
			view_printf(v, y++, 4, l->in_deadlock ? CV_ALERT : CV_DIM, "<- %d %s waits %s%s%s in %s", w->tid,
				    thread_name(s, w->tid, nm, sizeof(nm)), fmt_dur(a, sizeof(a), w->wait_s),
				    w->mode ? " to " : "", lock_mode_name(w->mode),
				    w->function ? fmt_clean(fn, sizeof(fn), w->function) : "?");
		}
		if (nw < l->nwaiters && y < v->h)
			view_printf(v, y++, 4, CV_DIM, "... and %d more waiters (4 shows them all)", l->nwaiters - nw);
	}
}

static bool locks_key(void *data, struct ui *u, const struct snapshot *s, int key)
{
	int i = ui_list_selected(data);
	if (key != UI_KEY_ENTER || i < 0)
		return false;
	const struct snap_lock *l = &s->locks[i];
	int tid = l->owner_tid > 0 ? l->owner_tid : l->nwaiters ? l->waiters[0].tid : 0;
	if (!tid)
		return true;
	u->overview = false;
	ui_show(u, UI_PANE_THREADS, &(struct pane_target){.filter = "", .tid = tid});
	return true;
}

/* Rows for the overview: every deadlock line, every lock and a few of
 * its waiters. */
static int locks_want(void *data, const struct snapshot *s)
{
	(void)data;
	int lines = 3;
	for (int i = 0; s->deadlocks && i < s->ndeadlocks; i++)
		lines += 1 + s->deadlocks[i].ntids;
	for (int i = 0; s->locks && i < s->nlocks; i++)
		lines += 1 + (s->locks[i].nwaiters < 5 ? s->locks[i].nwaiters : 4);
	return lines;
}

static const char *const locks_help[] = {
	"Enter\tthe stack of the lock's owner (or first waiter)",
	NULL,
};

const struct pane pane_locks = {
	.name = "locks", .title = "Lock waits", .tab = "Locks", .hotkey = '4',
	.init = ui_list_new, .free = ui_list_free, .refresh = locks_refresh,
	.draw = locks_draw, .key = locks_key, .want = locks_want, .help = locks_help,
};
