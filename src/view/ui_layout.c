/*
 * ui_layout.c - where things go on the screen: the header on top, the
 * key footer at the bottom with the status line or a prompt above it,
 * and in between the help, one pane full-screen, or the overview.
 *
 * The overview adapts to the terminal: at 80x24 the top functions and
 * the threads (plus lock waits when there are any); from 160 columns two
 * columns, functions and threads on the left, the checklist, lock waits,
 * files and sockets (and goroutines for Go) on the right; tall narrow
 * terminals stack more panes. Below 80x24 a "terminal too small" notice
 * replaces everything, since a mangled layout helps nobody.
 */
#include "ui_pane.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static const char *const global_help[] = {
	"q F10\tquit (the terminal is restored; Ctrl-C too)",
	"? h F1\tthis help (arrows scroll, any other key closes it)",
	"1\toverview: several panes at once, laid out for the terminal size",
	"2 .. 7\tone pane full-screen: 2 functions, 3 threads, 4 locks,",
	"\t5 files and sockets, 6 goroutines, 7 triage checklist",
	"Tab\tnext pane (S-Tab previous); the focused pane gets the keys",
	"arrows\tmove the selection; PgUp PgDn Home End too",
	"/\tfilter the focused pane (threads: name, tid, function;",
	"\tfunctions: name); Enter keeps it, Esc clears it",
	"space\tfreeze / unfreeze: the view stops changing, sampling goes on",
	"s\tsave the snapshot on screen as cdtop-COMM-PID-TIME.json and",
	"\t.txt in the --out-dir directory (mode 0600)",
	"w\ttop functions in cpu mode (threads on a CPU) or wall mode (all)",
	"a\ttop functions of all threads again",
	"z\tnew profile window: forget the samples so far",
	"Esc\tback: from a stack, clear the filter, to the overview",
	NULL,
};

/* The help text as lines ("key\tmeaning", or a "#title"). Returns count. */
static int help_lines(const char **out, int max)
{
	int n = 0;
	if (n < max)
		out[n++] = "#Keys";
	for (int i = 0; global_help[i] && n < max; i++)
		out[n++] = global_help[i];
	for (int p = 0; p < UI_NPANES; p++) {
		if (n < max)
			out[n++] = "";
		if (n < max)
			out[n++] = ui_panes[p]->title;   /* drawn as a heading */
		for (int i = 0; ui_panes[p]->help[i] && n < max; i++)
			out[n++] = ui_panes[p]->help[i];
	}
	return n;
}

static void draw_help_line(const struct view *v, int y, int x, const char *line)
{
	const char *tab = strchr(line, '\t');
	if (line[0] == '#') {
		view_put(v, y, x, CV_HEAD, line + 1);
	} else if (!tab) {
		view_put(v, y, x, CV_LABEL, line);
	} else {
		char key[32];
		size_t k = (size_t)(tab - line) < sizeof(key) - 1 ? (size_t)(tab - line) : sizeof(key) - 1;
		memcpy(key, line, k);
		key[k] = '\0';
		view_put(v, y, x + 1, CV_BOLD, key);
		view_put(v, y, x + 10, CV_NORMAL, tab + 1);
	}
}

static void draw_help(struct ui *u, const struct view *v)
{
	const char *lines[128];
	int n = help_lines(lines, 128);
	view_fill(v, 0, CV_BAR_FOCUS);
	view_printf(v, 0, 0, CV_BAR_FOCUS, " cdtop %s help - any key closes, arrows scroll", PACKAGE_VERSION);
	int rows = v->h - 1;
	int cols = v->w >= 160 ? 2 : 1;
	int per = (n + cols - 1) / cols;
	int maxscroll = per - rows > 0 ? per - rows : 0;
	if (u->help_scroll > maxscroll)
		u->help_scroll = maxscroll;
	int colw = v->w / cols;
	for (int c = 0; c < cols; c++)
		for (int r = 0; r < rows; r++) {
			int i = c * per + u->help_scroll + r;
			if (i >= n || (c + 1) * per <= i)
				break;
			struct view col = view_sub(v, 1, c * colw, rows, colw - 1);
			draw_help_line(&col, r, 0, lines[i]);
		}
	if (u->help_scroll < maxscroll)
		view_put(v, v->h - 1, v->w - 22, CV_BAR, " more: Down / PgDn ");
}

/* One box of the overview. */
static void box(struct ui *u, int pane, const struct view *v)
{
	if (v->h < 2 || v->w < 20)
		return;
	ui_panes[pane]->draw(u->pane[pane], u, u->snap, v, u->focus == pane);
	if (u->nov_shown < UI_NPANES)
		u->ov_shown[u->nov_shown++] = pane;
}

/* Rows a pane could use in the overview (all its rows shown): what the
 * pane says, else its rows under a title bar and a column heading. */
static int wanted_rows(const struct ui *u, int pane)
{
	const struct pane *p = ui_panes[pane];
	if (p->want)
		return p->want(u->pane[pane], u->snap);
	int n = ui_list_of(u, pane)->nrows;
	return 2 + (n ? n : 1);
}

/* Stack panes in v: shares by weight, but a pane never gets more rows
 * than it can fill while another one is cut short. */
static void stack(struct ui *u, const struct view *v, const int *panes, const int *weights, int n)
{
	int h[8], want[8], total = 0, used = 0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	for (int i = 0; i < n; i++) {
		want[i] = wanted_rows(u, panes[i]);
		if (want[i] < 3)
			want[i] = 3;
		h[i] = v->h * weights[i] / total;
		if (h[i] < 3)
			h[i] = 3;
	}
	/* Give what the satisfied panes do not need to the others. */
	int surplus = 0, hungry = 0;
	for (int i = 0; i < n; i++) {
		if (h[i] > want[i]) {
			surplus += h[i] - want[i];
			h[i] = want[i];
		} else if (h[i] < want[i]) {
			hungry += weights[i];
		}
	}
	for (int i = 0; i < n && hungry; i++)
		if (h[i] < want[i]) {
			int more = surplus * weights[i] / hungry;
			h[i] += more < want[i] - h[i] ? more : want[i] - h[i];
		}
	for (int i = 0; i < n; i++)
		used += h[i];
	/* Rounding and leftovers: to the last pane that wants more, else the last. */
	int last = n - 1;
	for (int i = n - 1; i >= 0; i--)
		if (h[i] < want[i]) {
			last = i;
			break;
		}
	h[last] += v->h - used;
	int y = 0;
	for (int i = 0; i < n; i++) {
		if (y + h[i] > v->h)
			h[i] = v->h - y;
		struct view b = view_sub(v, y, 0, h[i], v->w);
		box(u, panes[i], &b);
		y += h[i];
	}
}

static void overview(struct ui *u, const struct view *v)
{
	const struct snapshot *s = u->snap;
	bool locks = s->locks && (s->nlocks > 0 || (s->deadlocks && s->ndeadlocks > 0));
	u->nov_shown = 0;
	if (v->w >= 160) {
		int lw = v->w * 11 / 20;
		struct view left = view_sub(v, 0, 0, v->h, lw);
		struct view right = view_sub(v, 0, lw + 1, v->h, v->w - lw - 1);
		int lp[] = {UI_PANE_FUNCS, UI_PANE_THREADS}, lwt[] = {45, 55};
		stack(u, &left, lp, lwt, 2);
		int rp[4], rw[4], n = 0;
		rp[n] = UI_PANE_CHECKLIST, rw[n++] = 3;
		rp[n] = UI_PANE_LOCKS, rw[n++] = locks ? 3 : 1;
		rp[n] = UI_PANE_FILES, rw[n++] = 3;
		if (s->goroutines)
			rp[n] = UI_PANE_GOROUTINES, rw[n++] = 3;
		stack(u, &right, rp, rw, n);
		return;
	}
	int p[5], w[5], n = 0;
	p[n] = UI_PANE_FUNCS, w[n++] = 4;
	if (locks)
		p[n] = UI_PANE_LOCKS, w[n++] = 3;
	p[n] = UI_PANE_THREADS, w[n++] = 5;
	if (v->h >= 36) {
		p[n] = UI_PANE_CHECKLIST, w[n++] = 3;
		p[n] = UI_PANE_FILES, w[n++] = 3;
	}
	stack(u, v, p, w, n);
}

static void footer(struct ui *u, const struct view *v, int row)
{
	view_fill(v, row, CV_BAR);
	int x = 0;
	int current = u->overview ? -1 : u->focus;
	x = view_put(v, row, x, CV_BOLD, " 1");
	x = view_put(v, row, x, u->overview ? CV_BAR_FOCUS : CV_BAR, "Overview");
	for (int i = 0; i < UI_NPANES; i++) {
		char k[4] = {' ', (char)ui_panes[i]->hotkey, 0, 0};
		x = view_put(v, row, x, CV_BOLD, k);
		x = view_put(v, row, x, current == i ? CV_BAR_FOCUS : CV_BAR, ui_panes[i]->tab);
	}
	x = view_put(v, row, x + 1, CV_BOLD, " ?");
	x = view_put(v, row, x, CV_BAR, "Help");
	x = view_put(v, row, x, CV_BOLD, " q");
	x = view_put(v, row, x, CV_BAR, "Quit");
	if (v->w - x >= 52) {
		x = view_put(v, row, x, CV_BOLD, "  space");
		x = view_put(v, row, x, CV_BAR, u->frozen ? "Resume" : "Freeze");
		x = view_put(v, row, x, CV_BOLD, " s");
		x = view_put(v, row, x, CV_BAR, "Save");
		x = view_put(v, row, x, CV_BOLD, " /");
		x = view_put(v, row, x, CV_BAR, "Filter");
		x = view_put(v, row, x, CV_BOLD, " w");
		view_put(v, row, x, CV_BAR, "cpu/wall");
	}
}

/* Rows the status line needs (0 when empty, at most 3). */
static int status_rows(const struct ui *u, int width)
{
	if (u->prompt != UI_PROMPT_NONE)
		return 1;
	if (!u->status[0])
		return 0;
	int n = ui_wrap_rows(u->status, width - 1);
	return n > 3 ? 3 : n;
}

static void draw_status(struct ui *u, const struct view *v, int row, int rows)
{
	if (u->prompt != UI_PROMPT_NONE) {
		char what[160];
		if (u->prompt == UI_PROMPT_FILTER) {
			snprintf(what, sizeof(what), "Filter %s: ", ui_panes[u->focus]->title);
			int x = view_put(v, row, 0, CV_LABEL, what);
			x = view_put(v, row, x, CV_NORMAL, ui_list_of(u, u->focus)->filter);
			x = view_put(v, row, x, CV_SEL, " ");
			view_put(v, row, x + 1, CV_DIM, "(Enter keeps, Esc clears)");
		} else {
			snprintf(what, sizeof(what), "Note for %s (Enter saves, Esc skips): ", u->note_id);
			int x = view_put(v, row, 0, CV_LABEL, what);
			x = view_put(v, row, x, CV_NORMAL, u->input);
			view_put(v, row, x, CV_SEL, " ");
		}
		return;
	}
	/* Long messages (two file paths, an error) wrap onto more rows. */
	for (int r = 0; r < rows; r++)
		view_fill(v, row + r, CV_NORMAL);
	struct view area = view_sub(v, row, 1, rows, v->w - 1);
	ui_wrap(&area, 0, 0, u->status_style, u->status, rows);
}

void ui_render(struct ui *u, struct canvas *c)
{
	canvas_clear(c);
	struct view all = canvas_view(c);
	if (c->w < UI_MIN_COLS || c->h < UI_MIN_LINES) {
		view_printf(&all, 0, 0, CV_ALERT, "terminal too small: %dx%d", c->w, c->h);
		view_printf(&all, 1, 0, CV_NORMAL, "cdtop needs at least %dx%d.", UI_MIN_COLS, UI_MIN_LINES);
		view_put(&all, 2, 0, CV_NORMAL, "Enlarge the window, or q to quit.");
		return;
	}
	int hrows = ui_header_rows(c->w);
	struct view head = view_sub(&all, 0, 0, hrows, c->w);
	ui_header_draw(u, &head);
	int srows = status_rows(u, c->w);
	int foot = c->h - 1;
	struct view body = view_sub(&all, hrows, 0, foot - srows - hrows, c->w);
	if (u->help)
		draw_help(u, &body);
	else if (!u->snap)
		view_put(&body, 1, 1, CV_DIM, "waiting for the first reading...");
	else if (u->overview)
		overview(u, &body);
	else
		ui_panes[u->focus]->draw(u->pane[u->focus], u, u->snap, &body, true);
	if (srows)
		draw_status(u, &all, foot - srows, srows);
	footer(u, &all, foot);
}
