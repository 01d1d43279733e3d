/*
 * pane_checklist.c - the triage checklist (triage.h): each item with its
 * verdict, the evidence it used and the next step, in the walk order an
 * on-call engineer follows (scope questions, resources, where time goes).
 * Enter jumps to the pane that shows the item's evidence. Manual items
 * (questions only a person can answer: a deploy? traffic up?) are
 * answered with y / n / u and a one-line note; the answers live in
 * struct triage_answers in the screen's state and go into the snapshot,
 * so a saved file carries them.
 */
#include "ui_pane.h"
#include "triage.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static void check_refresh(struct ui *u)
{
	(void)u;
}

static int check_count(const struct ui *u)
{
	const struct snapshot *s = u->snap;
	return s && s->checklist ? s->nchecks : 0;
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
	ui_title(u, v, UI_PANE_CHECKLIST, focused, "%d items, %d alert, %d warn", s->nchecks, na, nw);
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
	for (int i = 0; i < rows && ps->scroll + i < s->nchecks; i++) {
		int r = ps->scroll + i, y = 1 + i;
		const struct snap_check *c = &s->checklist[r];
		bool sel = focused && r == ps->cursor;
		char t[128], clean[512];
		if (sel)
			view_fill(v, y, CV_SEL);
		int x = view_put_col(v, y, 1, 6, sel ? CV_SEL : ui_check_style(c->status), badge(c->status));
		x = view_put_col(v, y, x, title_w, sel ? CV_SEL : CV_NORMAL, fmt_clean(t, sizeof(t), c->title));
		view_put(v, y, x + 1, sel ? CV_SEL : CV_DIM, fmt_clean(clean, sizeof(clean), c->evidence ? c->evidence : ""));
	}
	if (!detail || ps->cursor >= s->nchecks)
		return;
	const struct snap_check *c = &s->checklist[ps->cursor];
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
	const struct snapshot *s = u->snap;
	if (!s || !s->checklist || s->nchecks == 0)
		return false;
	const struct snap_check *c = &s->checklist[u->ps[UI_PANE_CHECKLIST].cursor];
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
	NULL,
};

const struct pane pane_checklist = {
	.name = "checklist", .title = "Triage checklist", .tab = "Check", .hotkey = '7',
	.refresh = check_refresh, .count = check_count, .draw = check_draw, .key = check_key,
	.help = check_help,
};
