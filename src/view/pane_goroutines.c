/*
 * pane_goroutines.c - goroutines of a Go target, grouped by identical
 * stack and wait reason, largest group first: a leak shows as thousands
 * of goroutines in "chan receive" at the same function. Each group names
 * the first frame of the program itself (the runtime's and the standard
 * library's synchronisation frames skipped), how long it has made no
 * progress, and a mutex wait that never moved is flagged as a possible
 * deadlock. Enter unfolds the group's whole stack and the threads that
 * run it.
 */
#include "ui_pane.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The group's function: frame_go_anchor's choice (package main first,
 * the runtime and the standard library's waiting code skipped). */
static const char *group_function(const struct snap_gr_group *g)
{
	int i = frame_go_anchor(g->frames, g->nframes);
	return i >= 0 ? g->frames[i] : NULL;
}

static bool group_matches(const struct snap_gr_group *g, const char *f)
{
	if (!f[0] || ui_match(gr_status_name(g->status), f) || ui_match(g->wait_reason, f))
		return true;
	for (int i = 0; i < g->nframes; i++)
		if (ui_match(g->frames[i], f))
			return true;
	return false;
}

struct goroutines {
	struct ui_list list;            /* first (ui_pane.h): indices into the groups, filtered */
	int open;                       /* group whose frames are shown; -1 none */
};
_Static_assert(offsetof(struct goroutines, list) == 0, "a pane's state begins with its list");

static void *gr_init(void)
{
	struct goroutines *g = xcalloc(1, sizeof(*g));
	g->open = -1;
	return g;
}

static void gr_refresh(void *data, const struct ui *u, const struct snapshot *s)
{
	(void)u;
	struct goroutines *st = data;
	const struct snap_goroutines *g = s->goroutines;
	ui_list_reset(&st->list, g ? g->ngroups : 0);
	if (!g)
		return;
	for (int i = 0; i < g->ngroups; i++)
		if (group_matches(&g->groups[i], st->list.filter))
			ui_list_add(&st->list, i);
	if (st->open >= g->ngroups)
		st->open = -1;
}

/* "waiting 205, runnable 2" from a count list, into b. */
static char *counts(char *b, size_t n, const struct snap_count *c, int nc)
{
	size_t len = 0;
	b[0] = '\0';
	for (int i = 0; i < nc && len + 1 < n; i++) {
		int k = snprintf(b + len, n - len, "%s%s %lld", i ? ", " : "", c[i].name, (long long)c[i].count);
		if (k < 0)
			break;
		len += (size_t)k;
	}
	return b;
}

static void gr_draw(void *data, const struct ui *u, const struct snapshot *s, const struct view *v,
		    bool focused)
{
	(void)u;
	struct goroutines *st = data;
	struct ui_list *ps = &st->list;
	const struct snap_goroutines *g = s->goroutines;
	if (!g) {
		ui_title(v, UI_PANE_GOROUTINES, ps, focused, "%s", s->proc.runtime != PROC_RUNTIME_GO ? "none" : "not read");
		if (s->proc.runtime != PROC_RUNTIME_GO) {
			view_printf(v, 1, 1, CV_DIM, "not a Go program (runtime: %s): no goroutines",
				    proc_runtime_name(s->proc.runtime));
		} else {
			const char *why = NULL;
			for (int i = 0; i < s->nerrors; i++)
				if (strcmp(s->errors[i].source, "goroutines") == 0)
					why = s->errors[i].message;
			view_printf(v, 1, 1, CV_WARN, "Go program, goroutines not read%s%s", why ? ": " : "",
				    why ? why : "");
		}
		return;
	}
	char a[32], buf[1024];
	char sys[48] = "", took[48] = "";
	if (g->system > 0)
		snprintf(sys, sizeof(sys), " (+%lld of the runtime)", (long long)g->system);
	if (g->read_ms > 0)
		snprintf(took, sizeof(took), ", read in %.1f ms", g->read_ms);
	ui_title(v, UI_PANE_GOROUTINES, ps, focused, "%lld goroutines%s in %d groups, %s%s", (long long)g->count,
		 sys, g->ngroups, g->go_version[0] ? g->go_version : "Go", took);
	int y = 1;
	view_put(v, y, 1, CV_LABEL, "by status ");
	view_put(v, y++, 12, CV_NORMAL, counts(buf, sizeof(buf), g->by_status, g->nby_status));
	if (y < v->h && g->nby_wait_reason) {
		view_put(v, y, 1, CV_LABEL, "waiting on");
		view_put(v, y++, 12, CV_NORMAL, counts(buf, sizeof(buf), g->by_wait_reason, g->nby_wait_reason));
	}
	if (y >= v->h)
		return;
	if (g->ngroups == 0) {
		view_put(v, y, 1, CV_DIM, "no goroutine groups");
		return;
	}
	int ww = v->w < 100 ? 18 : 22;   /* wait reason column */
	y = ui_heading(v, y, "%8s %-10s %-*s %8s %8s  %s", "COUNT", "STATUS", ww, "WAIT REASON", "MAX WAIT",
		       "STALLED", "FUNCTION (Enter: whole stack)");
	if (ui_list_none(v, y, ps, "group"))
		return;
	int avail = v->h - y;
	int open_lines = 0;
	if (st->open >= 0)
		open_lines = g->groups[st->open].nframes;
	ui_list_clamp(ps, avail > open_lines + 1 ? avail - open_lines : 1);
	for (int r = ps->scroll; r < ps->nrows && y < v->h; r++) {
		const struct snap_gr_group *gr = &g->groups[ps->rows[r]];
		bool sel = focused && r == ps->cursor;
		int style = sel ? CV_SEL : gr->deadlock_hint ? CV_ALERT : CV_NORMAL;
		const char *fn = group_function(gr);
		char f[256], b[32];
		if (sel)
			view_fill(v, y, CV_SEL);
		int x = view_printf(v, y, 0, style, "%8lld ", (long long)gr->count);
		x = view_put_col(v, y, x, 10, style, gr_status_name(gr->status));
		x = view_put_col(v, y, x + 1, ww, style, gr->wait_reason[0] ? gr->wait_reason : "-");
		x = view_printf(v, y, x + 1, style, "%8s %8s  ", fmt_dur(a, sizeof(a), gr->max_wait_s),
				fmt_dur(b, sizeof(b), gr->stalled_s));
		if (gr->deadlock_hint)
			x = view_put(v, y, x, sel ? CV_SEL : CV_ALERT, "DEADLOCK? ");
		view_put(v, y++, x, style, fmt_clean(f, sizeof(f), fn ? fn : "?"));
		if (ps->rows[r] == st->open) {
			for (int k = 0; k < gr->nframes && y < v->h; k++)
				view_printf(v, y++, 10, CV_DIM, "#%-2d %s", k, fmt_clean(f, sizeof(f), gr->frames[k]));
			if (gr->ngoids && y < v->h) {
				int x2 = view_put(v, y, 10, CV_DIM, "goroutines");
				for (int k = 0; k < gr->ngoids; k++)
					x2 = view_printf(v, y, x2, CV_DIM, " %lld", (long long)gr->goids[k]);
				y++;
			}
			if (gr->ntids && y < v->h) {
				int x2 = view_put(v, y, 10, CV_DIM, "running on threads");
				for (int k = 0; k < gr->ntids; k++)
					x2 = view_printf(v, y, x2, CV_DIM, " %d", gr->tids[k]);
				y++;
			}
			if (gr->deadlock_hint && y < v->h)
				view_put(v, y++, 10, CV_ALERT, "waits on a sync.Mutex and made no progress over "
					 "the whole window: a possible deadlock");
		}
	}
}

static bool gr_key(void *data, struct ui *u, const struct snapshot *s, int key)
{
	(void)u;
	(void)s;
	struct goroutines *st = data;
	int g = ui_list_selected(&st->list);
	if (key != UI_KEY_ENTER || g < 0)
		return false;
	st->open = st->open == g ? -1 : g;
	return true;
}

/* Rows for the overview: the two count lines, the heading, the groups. */
static int gr_want(void *data, const struct snapshot *s)
{
	(void)s;
	return 4 + ((struct goroutines *)data)->list.nrows;
}

static const char *const gr_help[] = {
	"Enter\tunfold / fold the selected group's stack",
	"/\tfilter groups by function, status or wait reason",
	NULL,
};

const struct pane pane_goroutines = {
	.name = "goroutines", .title = "Goroutines", .tab = "Go", .hotkey = '6',
	.init = gr_init, .free = ui_list_free, .refresh = gr_refresh,
	.draw = gr_draw, .key = gr_key, .want = gr_want, .help = gr_help,
};
