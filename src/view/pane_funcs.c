/*
 * pane_funcs.c - the top functions pane, pprof style: flat (samples with
 * the function innermost) and cum (anywhere on the stack), in cpu mode
 * (threads on a CPU: where CPU time goes) or wall mode (every thread:
 * where threads wait), for the whole process or one thread.
 *
 * The table is recomputed here from the snapshot's merged samples
 * (profile_compute_top is pure), so `w` and the per-thread view answer at
 * once, even while frozen or in a replay, without asking the sampler.
 */
#include "ui_pane.h"
#include "profile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *module_base(const char *m)
{
	const char *b = m ? strrchr(m, '/') : NULL;
	return b ? b + 1 : m ? m : "";
}

static const struct snap_profile *sort_profile;

static int cmp_by_cum(const void *a, const void *b)
{
	const struct snap_top *x = &sort_profile->top[*(const int *)a];
	const struct snap_top *y = &sort_profile->top[*(const int *)b];
	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	if (x->flat != y->flat)
		return x->flat < y->flat ? 1 : -1;
	return *(const int *)a - *(const int *)b;
}

static void funcs_refresh(struct ui *u)
{
	free(u->fn_rows);
	u->fn_rows = NULL;
	u->nfn_rows = 0;
	struct snap_profile *p = u->snap ? u->snap->profile : NULL;
	if (!p)
		return;
	if (u->mode[0] || u->func_tid)
		profile_compute_top(p, u->mode[0] ? u->mode : p->mode, u->func_tid);
	u->fn_rows = xcalloc((size_t)p->ntop + 1, sizeof(int));
	const char *filter = u->ps[UI_PANE_FUNCS].filter;
	for (int i = 0; i < p->ntop; i++) {
		const struct snap_frame *f = &p->frames[p->top[i].frame];
		if (ui_match(f->function, filter) || ui_match(module_base(f->module), filter))
			u->fn_rows[u->nfn_rows++] = i;
	}
	if (u->func_by_cum) {
		sort_profile = p;
		qsort(u->fn_rows, (size_t)u->nfn_rows, sizeof(int), cmp_by_cum);
		sort_profile = NULL;
	}
}

static int funcs_count(const struct ui *u)
{
	return u->nfn_rows;
}

static void funcs_draw(struct ui *u, const struct view *v, bool focused)
{
	const struct snapshot *s = u->snap;
	const struct snap_profile *p = s->profile;
	char scope[96] = "all threads";
	if (u->func_tid) {
		int ti = ui_thread_index(s, u->func_tid);
		char nm[64];
		snprintf(scope, sizeof(scope), "thread %d %s", u->func_tid,
			 ti >= 0 ? fmt_clean(nm, sizeof(nm), s->threads[ti].name) : "(gone)");
	}
	if (!p) {
		ui_title(u, v, UI_PANE_FUNCS, focused, "no stacks");
		view_printf(v, 1, 1, CV_WARN, "stacks off: %s",
			    u->opts.stacks_off ? u->opts.stacks_off : "this snapshot has no profile");
		view_put(v, 2, 1, CV_DIM, "Threads, locks, files and sockets still come from /proc.");
		return;
	}
	ui_title(u, v, UI_PANE_FUNCS, focused, "%s, %s, %lld samples over %.0fs%s", p->mode, scope,
		 (long long)p->samples, p->duration_s, u->func_by_cum ? ", by cum" : "");
	if (v->h < 2)
		return;
	/* The sampler's note (rate lowered, process stopped) first. */
	struct view table = *v;
	if (p->status[0] && v->h > 4) {
		char note[600];
		view_put(v, 1, 1, CV_WARN, fmt_clean(note, sizeof(note), p->status));
		table = view_sub(v, 1, 0, v->h - 1, v->w);
		v = &table;
	}
	bool wide = v->w >= 100;
	char hdr[256];
	snprintf(hdr, sizeof(hdr), "%6s %6s %7s %7s  %-s", "FLAT%", "CUM%", "FLAT", "CUM",
		 wide ? "FUNCTION                                          MODULE" : "FUNCTION");
	view_fill(v, 1, CV_HEAD);
	view_put(v, 1, 0, CV_HEAD, hdr);
	int rows = v->h - 2;
	if (p->ntop == 0) {
		view_printf(v, 2, 1, CV_DIM, "no %s samples yet%s", p->mode,
			    strcmp(p->mode, "cpu") == 0 ? " (no thread was on a CPU; w shows wall time)" : "");
		return;
	}
	if (u->nfn_rows == 0) {
		view_put(v, 2, 1, CV_DIM, "no function matches the filter (/ to change it)");
		return;
	}
	ui_clamp(u, UI_PANE_FUNCS, rows);
	struct ui_pane_state *ps = &u->ps[UI_PANE_FUNCS];
	int fn_w = wide ? 49 : v->w - 30;
	for (int i = 0; i < rows && ps->scroll + i < u->nfn_rows; i++) {
		int r = ps->scroll + i;
		const struct snap_top *t = &p->top[u->fn_rows[r]];
		const struct snap_frame *f = &p->frames[t->frame];
		bool sel = focused && r == ps->cursor;
		int style = sel ? CV_SEL : CV_NORMAL;
		char fn[512], num[64];
		if (sel)
			view_fill(v, 2 + i, CV_SEL);
		snprintf(num, sizeof(num), "%5.1f%% %5.1f%% %7lld %7lld  ", t->flat_pct, t->cum_pct,
			 (long long)t->flat, (long long)t->cum);
		int x = view_put(v, 2 + i, 0, style, num);
		fmt_clean(fn, sizeof(fn), f->function);
		if (wide) {
			x = view_put_col(v, 2 + i, x, fn_w, style, fn);
			view_put(v, 2 + i, x + 1, sel ? CV_SEL : CV_DIM, module_base(f->module));
		} else {
			view_put(v, 2 + i, x, style, fn);
		}
	}
}

static bool funcs_key(struct ui *u, int key)
{
	switch (key) {
	case '<': case '>':
		u->func_by_cum = !u->func_by_cum;
		funcs_refresh(u);
		ui_status(u, CV_NORMAL, "top functions sorted by %s", u->func_by_cum ? "cum" : "flat");
		return true;
	case UI_KEY_ENTER: {
		/* The threads this function is innermost in: filter the threads
		 * pane by its name (threads match on their top function). */
		const struct snap_profile *p = u->snap ? u->snap->profile : NULL;
		if (!p || u->nfn_rows == 0)
			return true;
		const struct snap_top *t = &p->top[u->fn_rows[u->ps[UI_PANE_FUNCS].cursor]];
		fmt_clean(u->ps[UI_PANE_THREADS].filter, sizeof(u->ps[UI_PANE_THREADS].filter),
			  p->frames[t->frame].function);
		u->focus = UI_PANE_THREADS;
		u->overview = false;
		u->ps[UI_PANE_THREADS].cursor = 0;
		ui_panes[UI_PANE_THREADS]->refresh(u);
		return true;
	}
	default:
		return false;
	}
}

static const char *const funcs_help[] = {
	"w\tcpu / wall time (threads on a CPU / every thread)",
	"a\tall threads again (after f in the threads pane)",
	"< >\tsort by flat / cum",
	"Enter\tthe threads whose top function is this one",
	"z\tstart a new profile window (forget samples so far)",
	NULL,
};

const struct pane pane_funcs = {
	.name = "funcs", .title = "Top functions", .tab = "Funcs", .hotkey = '2',
	.refresh = funcs_refresh, .count = funcs_count, .draw = funcs_draw, .key = funcs_key,
	.help = funcs_help,
};
