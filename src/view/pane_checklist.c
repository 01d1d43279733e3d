/*
 * pane_checklist.c - the triage checklist (triage.h): each item with its
 * verdict, the evidence it used and the next step; most severe first
 * (alerts, warnings, not enough data, open questions, answered, ok), or
 * with < > in the walk order an on-call engineer follows (scope
 * questions, resources, where time goes). The selected item is followed
 * by its id when its verdict moves it. Enter jumps to the pane that shows
 * the item's evidence. Manual items
 * (questions only a person can answer: a deploy? traffic up?) are
 * answered with y / n / u and a one-line note; the answers live in
 * struct triage_answers in the screen's state and go into the snapshot,
 * so a saved file carries them.
 */
#include "ui_pane.h"
#include "triage.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Severity rank: alert first, ok last. */
static int rank(const struct snap_check *c)
{
	if (strcmp(c->status, "alert") == 0)
		return 0;
	if (strcmp(c->status, "warn") == 0)
		return 1;
	if (strcmp(c->status, "unknown") == 0)
		return 2;
	if (strcmp(c->status, "manual") == 0)
		return c->answer[0] ? 4 : 3;
	return 5;
}

static const struct snapshot *sort_snap;

static int cmp_rank(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	int r = rank(&sort_snap->checklist[x]) - rank(&sort_snap->checklist[y]);
	return r ? r : x - y;   /* walk order within a rank */
}

static void check_refresh(struct ui *u)
{
	free(u->chk_rows);
	u->chk_rows = NULL;
	u->nchk_rows = 0;
	const struct snapshot *s = u->snap;
	if (!s || !s->checklist)
		return;
	u->chk_rows = xcalloc((size_t)s->nchecks + 1, sizeof(int));
	for (int i = 0; i < s->nchecks; i++)
		u->chk_rows[u->nchk_rows++] = i;
	if (!u->check_walk) {
		sort_snap = s;
		qsort(u->chk_rows, (size_t)u->nchk_rows, sizeof(int), cmp_rank);
		sort_snap = NULL;
	}
	struct ui_pane_state *ps = &u->ps[UI_PANE_CHECKLIST];
	if (u->check_sel[0])
		for (int r = 0; r < u->nchk_rows; r++)
			if (strcmp(s->checklist[u->chk_rows[r]].id, u->check_sel) == 0)
				ps->cursor = r;
}

static int check_count(const struct ui *u)
{
	return u->nchk_rows;
}

/* The item under the cursor, or NULL. */
static const struct snap_check *selected(const struct ui *u)
{
	int r = u->ps[UI_PANE_CHECKLIST].cursor;
	if (!u->snap || !u->snap->checklist || r < 0 || r >= u->nchk_rows)
		return NULL;
	return &u->snap->checklist[u->chk_rows[r]];
}

static const char *badge(const char *status)
{
	if (strcmp(status, "alert") == 0)
		return "ALERT";
	if (strcmp(status, "warn") == 0)
		return "WARN";
	if (strcmp(status, "ok") == 0)
		return "ok";
	if (strcmp(status, "manual") == 0)
		return "ASK";
	return "?";
}

static void check_draw(struct ui *u, const struct view *v, bool focused)
{
	const struct snapshot *s = u->snap;
	if (!s->checklist) {
		ui_title(u, v, UI_PANE_CHECKLIST, focused, "not evaluated");
		view_put(v, 1, 1, CV_DIM, "checklist not evaluated in this snapshot");
		return;
	}
	int na = 0, nw = 0;
	for (int i = 0; i < s->nchecks; i++) {
		na += strcmp(s->checklist[i].status, "alert") == 0;
		nw += strcmp(s->checklist[i].status, "warn") == 0;
	}
	ui_title(u, v, UI_PANE_CHECKLIST, focused, "%d items, %d alert, %d warn, %s", s->nchecks, na, nw,
		 u->check_walk ? "in walk order" : "most severe first");
	if (s->nchecks == 0) {
		view_put(v, 1, 1, CV_DIM, "no checklist items");
		return;
	}
	/* The list, then (when there is room) the selected item in full. */
	int detail = v->h >= 14 ? 6 : 0;
	int rows = v->h - 1 - detail;
	ui_clamp(u, UI_PANE_CHECKLIST, rows);
	struct ui_pane_state *ps = &u->ps[UI_PANE_CHECKLIST];
	int title_w = v->w / 2 - 7;
	title_w = title_w < 30 ? 30 : title_w > 44 ? 44 : title_w;
	for (int i = 0; i < rows && ps->scroll + i < u->nchk_rows; i++) {
		int r = ps->scroll + i, y = 1 + i;
		const struct snap_check *c = &s->checklist[u->chk_rows[r]];
		bool sel = focused && r == ps->cursor;
		char t[128], clean[512];
		if (sel)
			view_fill(v, y, CV_SEL);
		int x = view_put_col(v, y, 1, 6, sel ? CV_SEL : ui_check_style(c->status), badge(c->status));
		x = view_put_col(v, y, x, title_w, sel ? CV_SEL : CV_NORMAL, fmt_clean(t, sizeof(t), c->title));
		view_put(v, y, x + 1, sel ? CV_SEL : CV_DIM, fmt_clean(clean, sizeof(clean), c->evidence ? c->evidence : ""));
	}
	const struct snap_check *c = selected(u);
	if (!detail || !c)
		return;
	int y = v->h - detail;
	char t[128];
	view_fill(v, y, CV_HEAD);
	view_printf(v, y++, 0, CV_HEAD, " %s: %s", badge(c->status), fmt_clean(t, sizeof(t), c->title));
	if (c->evidence) {
		view_put(v, y, 1, CV_LABEL, "evidence");
		y = ui_wrap(v, y, 11, CV_NORMAL, c->evidence, 2);
	}
	if (c->next_step && y < v->h) {
		view_put(v, y, 1, CV_LABEL, "next step");
		y = ui_wrap(v, y, 11, CV_NORMAL, c->next_step, 2);
	}
	if (y < v->h) {
		if (strcmp(c->status, "manual") == 0)
			view_put(v, y, 1, CV_DIM, u->opts.replay ? "(replay: answers are read-only)"
				 : "answer with y (yes) / n (no) / u (unknown), then a one-line note");
		else if (c->pane[0])
			view_printf(v, y, 1, CV_DIM, "Enter: the evidence in the %s pane", c->pane);
	}
}

static bool check_key(struct ui *u, int key)
{
	if (key == '<' || key == '>') {
		u->check_walk = !u->check_walk;
		check_refresh(u);
		ui_status(u, CV_NORMAL, "checklist %s", u->check_walk ? "in walk order" : "most severe first");
		return true;
	}
	const struct snap_check *c = selected(u);
	if (!c)
		return false;
	if (key == UI_KEY_ENTER) {
		if (strcmp(c->pane, "overview") == 0) {
			u->overview = true;
			return true;
		}
		int p = ui_pane_by_name(c->pane);
		if (p < 0 || p == UI_PANE_CHECKLIST) {
			ui_status(u, CV_DIM, "this item has no evidence pane");
			return true;
		}
		u->focus = p;
		u->overview = false;
		return true;
	}
	if (key != 'y' && key != 'n' && key != 'u')
		return false;
	if (strcmp(c->status, "manual") != 0) {
		ui_status(u, CV_DIM, "y/n/u answer the manual (ASK) items only");
		return true;
	}
	if (u->opts.replay) {
		ui_status(u, CV_WARN, "replay: answers are read-only");
		return true;
	}
	const char *ans = key == 'y' ? "yes" : key == 'n' ? "no" : "unknown";
	/* The answer now, the note when the prompt is confirmed. */
	if (triage_answer(&u->answers, c->id, ans, NULL) < 0) {
		ui_status(u, CV_ALERT, "cannot record an answer for %s", c->id);
		return true;
	}
	str_copy(u->note_id, c->id, sizeof(u->note_id));
	u->input[0] = '\0';
	for (int i = 0; i < u->answers.n; i++)
		if (strcmp(u->answers.item[i].id, c->id) == 0)
			str_copy(u->input, u->answers.item[i].note, sizeof(u->input));
	u->prompt = UI_PROMPT_NOTE;
	u->requests |= UI_REQ_ANSWERS;
	ui_apply(u);
	return true;
}

static const char *const check_help[] = {
	"Enter\tgo to the pane that shows the item's evidence",
	"y n u\tanswer a manual (ASK) item yes / no / unknown, then type a note",
	"< >\tmost severe first / walk order",
	NULL,
};

const struct pane pane_checklist = {
	.name = "checklist", .title = "Triage checklist", .tab = "Check", .hotkey = '7',
	.refresh = check_refresh, .count = check_count, .draw = check_draw, .key = check_key,
	.help = check_help,
};
