/*
 * pane_funcs.c - the top functions pane, pprof style: flat (samples with
 * the function innermost) and cum (anywhere on the stack), in cpu mode
 * (threads on a CPU: where CPU time goes) or wall mode (every thread:
 * where threads wait), for the whole process or one thread.
 *
 * The table is recomputed here from the snapshot's merged samples
 * (profile_compute_top is pure), so `w` and the per-thread view answer at
 * once, even while frozen or in a replay, without asking the sampler.
 * The recomputed table is the pane's own (struct funcs): the snapshot
 * keeps the table it was built with, and a save takes the pane's.
 */
#include "ui_pane.h"
#include "frame.h"
#include "profile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct funcs {
	struct ui_list list;            /* first (ui_pane.h): indices into the table shown, filtered */
	enum profile_mode mode;         /* CPU/WALL chosen with w; NONE = the snapshot's */
	int tid;                        /* functions of this thread only; 0 = all */
	bool by_cum;                    /* sorted by cum instead of flat */
	/* The table recomputed for mode and tid; while `own` is false the
	 * snapshot's table is shown. */
	bool own;
	struct snap_top *top; int ntop;
	int64_t samples;                /* samples counted in own_mode */
	enum profile_mode own_mode;     /* CPU/WALL */
	/* What a save writes in place of the snapshot's profile: the
	 * snapshot's with the whole process's table in the mode shown
	 * (compute_into; rebuilt by each save). */
	struct snap_profile saved;
};

_Static_assert(offsetof(struct funcs, list) == 0, "a pane's state begins with its list");

/* The table shown: the pane's own, or the snapshot's. */
struct table {
	const struct snap_top *top; int ntop;
	int64_t samples;
	enum profile_mode mode;
};

static struct table table_of(const struct funcs *f, const struct snap_profile *p)
{
	if (f->own)
		return (struct table){f->top, f->ntop, f->samples, f->own_mode};
	return (struct table){p->top, p->ntop, p->samples, p->mode};
}

static void *funcs_init(void)
{
	return xcalloc(1, sizeof(struct funcs));
}

/* Forget the tables computed for the previous snapshot. */
static void drop_tables(struct funcs *f)
{
	free(f->top);
	free(f->saved.top);
	f->top = NULL;
	f->ntop = 0;
	f->own = false;
	memset(&f->saved, 0, sizeof(f->saved));
}

static void funcs_free(void *data)
{
	struct funcs *f = data;
	drop_tables(f);
	ui_list_fini(&f->list);
	free(f);
}

/* p with its table recomputed for mode and tid, into out: a copy that
 * borrows p's frames and samples and owns its top (profile_compute_top
 * is pure analysis and writes only into out). */
static void compute_into(struct snap_profile *out, const struct snap_profile *p, enum profile_mode mode, int tid)
{
	*out = *p;
	out->top = NULL;
	out->ntop = 0;
	profile_compute_top(out, mode, tid);
}

static const struct snap_top *sort_top;

static int cmp_by_cum(const void *a, const void *b)
{
	const struct snap_top *x = &sort_top[*(const int *)a];
	const struct snap_top *y = &sort_top[*(const int *)b];
	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	if (x->flat != y->flat)
		return x->flat < y->flat ? 1 : -1;
	return *(const int *)a - *(const int *)b;
}

static void funcs_refresh(void *data, const struct ui *u, const struct snapshot *s)
{
	(void)u;
	struct funcs *f = data;
	drop_tables(f);
	const struct snap_profile *p = s->profile;
	if (!p) {
		ui_list_reset(&f->list, 0);
		return;
	}
	if (f->mode || f->tid) {
		struct snap_profile c;
		compute_into(&c, p, f->mode ? f->mode : p->mode, f->tid);
		f->own = true;
		f->top = c.top;
		f->ntop = c.ntop;
		f->samples = c.samples;
		f->own_mode = c.mode;
	}
	struct table t = table_of(f, p);
	ui_list_reset(&f->list, t.ntop);
	for (int i = 0; i < t.ntop; i++) {
		const struct snap_frame *fr = &p->frames[t.top[i].frame];
		if (ui_match(fr->function, f->list.filter) || ui_match(frame_module_name(fr->module), f->list.filter))
			ui_list_add(&f->list, i);
	}
	if (f->by_cum) {
		sort_top = t.top;
		ui_list_sort(&f->list, cmp_by_cum);
		sort_top = NULL;
	}
}

static void funcs_draw(void *data, const struct ui *u, const struct snapshot *s, const struct view *v,
		       bool focused)
{
	struct funcs *f = data;
	const struct snap_profile *p = s->profile;
	char scope[96] = "all threads";
	if (f->tid) {
		int ti = ui_thread_index(s, f->tid);
		char nm[64];
		snprintf(scope, sizeof(scope), "thread %d %s", f->tid,
			 ti >= 0 ? fmt_clean(nm, sizeof(nm), s->threads[ti].name) : "(gone)");
	}
	if (!p) {
		ui_title(v, UI_PANE_FUNCS, &f->list, focused, "no stacks");
		view_printf(v, 1, 1, CV_WARN, "stacks off: %s",
			    u->opts.stacks_off ? u->opts.stacks_off : "this snapshot has no profile");
		view_put(v, 2, 1, CV_DIM, "Threads, locks, files and sockets still come from /proc.");
		return;
	}
	struct table tb = table_of(f, p);
	ui_title(v, UI_PANE_FUNCS, &f->list, focused, "%s, %s, %lld samples over %.0fs%s", profile_mode_name(tb.mode), scope,
		 (long long)tb.samples, p->duration_s, f->by_cum ? ", by cum" : "");
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
	ui_heading(v, 1, "%6s %6s %7s %7s  %-s", "FLAT%", "CUM%", "FLAT", "CUM",
		   wide ? "FUNCTION                                          MODULE" : "FUNCTION");
	int rows = v->h - 2;
	if (tb.ntop == 0) {
		view_printf(v, 2, 1, CV_DIM, "no %s samples yet%s", profile_mode_name(tb.mode),
			    tb.mode == PROFILE_MODE_CPU ? " (no thread was on a CPU; w shows wall time)" : "");
		return;
	}
	if (ui_list_none(v, 2, &f->list, "function"))
		return;
	struct ui_list *l = &f->list;
	ui_list_clamp(l, rows);
	int fn_w = wide ? 49 : v->w - 30;
	for (int i = 0; i < rows && l->scroll + i < l->nrows; i++) {
		int r = l->scroll + i;
		const struct snap_top *t = &tb.top[l->rows[r]];
		const struct snap_frame *fr = &p->frames[t->frame];
		bool sel = focused && r == l->cursor;
		int style = sel ? CV_SEL : CV_NORMAL;
		char fn[512], num[64];
		if (sel)
			view_fill(v, 2 + i, CV_SEL);
		snprintf(num, sizeof(num), "%5.1f%% %5.1f%% %7lld %7lld  ", t->flat_pct, t->cum_pct,
			 (long long)t->flat, (long long)t->cum);
		int x = view_put(v, 2 + i, 0, style, num);
		fmt_clean(fn, sizeof(fn), fr->function);
		if (wide) {
			x = view_put_col(v, 2 + i, x, fn_w, style, fn);
			view_put(v, 2 + i, x + 1, sel ? CV_SEL : CV_DIM, frame_module_name(fr->module));
		} else {
			view_put(v, 2 + i, x, style, fn);
		}
	}
}

static bool funcs_key(void *data, struct ui *u, const struct snapshot *s, int key)
{
	struct funcs *f = data;
	switch (key) {
	case '<': case '>':
		f->by_cum = !f->by_cum;
		funcs_refresh(f, u, s);
		ui_status(u, CV_NORMAL, "top functions sorted by %s", f->by_cum ? "cum" : "flat");
		return true;
	case UI_KEY_ENTER: {
		/* The threads this function is innermost in: filter the threads
		 * pane by its name (threads match on their top function). */
		const struct snap_profile *p = s->profile;
		int row = ui_list_selected(&f->list);
		if (!p || row < 0)
			return true;
		char name[64];
		fmt_clean(name, sizeof(name), p->frames[table_of(f, p).top[row].frame].function);
		u->overview = false;
		ui_show(u, UI_PANE_THREADS, &(struct pane_target){.filter = name});
		return true;
	}
	default:
		return false;
	}
}

/* w and a work whatever pane has the focus. */
static bool funcs_anykey(void *data, struct ui *u, const struct snapshot *s, int key)
{
	struct funcs *f = data;
	switch (key) {
	case 'w':
		if (!s || !s->profile) {
			ui_status(u, CV_DIM, "no stacks: no top functions to switch");
			return true;
		}
		f->mode = table_of(f, s->profile).mode == PROFILE_MODE_CPU ? PROFILE_MODE_WALL : PROFILE_MODE_CPU;
		funcs_refresh(f, u, s);
		ui_status(u, CV_NORMAL, "%s", f->mode == PROFILE_MODE_CPU
			  ? "cpu mode: samples of threads on a CPU (where CPU time goes)"
			  : "wall mode: samples of every thread (where threads run or wait)");
		return true;
	case 'a':
		f->tid = 0;
		if (s)
			funcs_refresh(f, u, s);
		ui_status(u, CV_NORMAL, "top functions of all threads");
		return true;
	default:
		return false;
	}
}

/* Another pane asks for one thread's functions (f in the threads pane). */
static void funcs_show(void *data, const struct pane_target *t)
{
	struct funcs *f = data;
	if (t->filter)
		str_copy(f->list.filter, t->filter, sizeof(f->list.filter));
	f->tid = t->tid;
	f->list.cursor = 0;
}

/* A save holds the whole process's table in the mode shown (even while
 * one thread's is on screen). */
static void funcs_save(void *data, const struct snapshot *s, struct snapshot *out)
{
	struct funcs *f = data;
	if (!s->profile || !f->mode)
		return;   /* the snapshot's own table: the whole process in its mode */
	free(f->saved.top);
	compute_into(&f->saved, s->profile, f->mode, 0);
	out->profile = &f->saved;
}

static int funcs_tid(const void *data)
{
	return ((const struct funcs *)data)->tid;
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
	.init = funcs_init, .free = funcs_free, .refresh = funcs_refresh,
	.draw = funcs_draw, .key = funcs_key, .anykey = funcs_anykey, .show = funcs_show,
	.save = funcs_save, .tid = funcs_tid, .help = funcs_help,
};
