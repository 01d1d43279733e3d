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
 * struct triage_answers in the screen's state (the worker gets a copy,
 * so later snapshots are built with them). Until a snapshot carries
 * them, this pane shows its own copy of the checklist evaluated with
 * them; the snapshot itself is never changed, and a save takes the copy.
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
	if (c->status == CHECK_ST_ALERT)
		return 0;
	if (c->status == CHECK_ST_WARN)
		return 1;
	if (c->status == CHECK_ST_UNKNOWN)
		return 2;
	if (c->status == CHECK_ST_MANUAL)
		return c->answer ? 4 : 3;
	return 5;
}

struct checklist {
	struct ui_list list;            /* first (ui_pane.h): indices into the items shown,
					   in the order shown */
	bool walk;                      /* walk order (triage.c's) instead of by severity */
	char sel[32];                   /* id of the item the user moved to, followed; "" none */
	/* The checklist evaluated again with the answers given on screen,
	 * when the snapshot was built without them (frozen, or before the
	 * worker got them); NULL: the snapshot's checklist is shown. */
	struct snap_check *answered; int nanswered;
};

_Static_assert(offsetof(struct checklist, list) == 0, "a pane's state begins with its list");

static void drop_answered(struct checklist *c)
{
	for (int i = 0; i < c->nanswered; i++)
		snap_check_fini(&c->answered[i]);
	free(c->answered);
	c->answered = NULL;
	c->nanswered = 0;
}

static void *check_init(void)
{
	return xcalloc(1, sizeof(struct checklist));
}

static void check_free(void *data)
{
	struct checklist *c = data;
	drop_answered(c);
	ui_list_fini(&c->list);
	free(c);
}

/* The items shown (NULL: no checklist in the snapshot). */
static const struct snap_check *items(const struct checklist *c, const struct snapshot *s, int *n)
{
	*n = c->answered ? c->nanswered : s->nchecks;
	return c->answered ? c->answered : s->checklist;
}

/* True when the checklist of s already carries every answer of a. */
static bool answers_in(const struct snapshot *s, const struct triage_answers *a)
{
	for (int k = 0; k < a->n; k++) {
		bool found = false;
		for (int i = 0; i < s->nchecks && !found; i++) {
			const struct snap_check *c = &s->checklist[i];
			if (strcmp(c->id, a->item[k].id) != 0)
				continue;
			found = c->answer == a->item[k].answer &&
				strcmp(c->note ? c->note : "", a->item[k].note) == 0;
		}
		if (!found)
			return false;
	}
	return true;
}

/* The engineer's answers in the checklist shown: the rules
 * (triage_evaluate, pure) run again over the snapshot with them, into
 * the pane's own copy, unless the snapshot already has them (the worker
 * evaluates with the answers it was given). A replay shows the file's
 * checklist as it is. */
static void evaluate_answers(struct checklist *c, const struct ui *u, const struct snapshot *s)
{
	drop_answered(c);
	if (!s->checklist || u->opts.replay || answers_in(s, &u->answers))
		return;
	/* A shallow copy whose only table of its own is the checklist
	 * triage_evaluate writes: the rules read the rest (const). */
	struct snapshot copy = *s;
	copy.checklist = NULL;
	copy.nchecks = 0;
	triage_evaluate(&copy, &u->answers);
	c->answered = copy.checklist;
	c->nanswered = copy.nchecks;
}

static const struct snap_check *sort_items;

static int cmp_rank(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	int r = rank(&sort_items[x]) - rank(&sort_items[y]);
	return r ? r : x - y;   /* walk order within a rank */
}

static void check_refresh(void *data, const struct ui *u, const struct snapshot *s)
{
	struct checklist *c = data;
	struct ui_list *l = &c->list;
	evaluate_answers(c, u, s);
	int n;
	const struct snap_check *it = items(c, s, &n);
	ui_list_reset(l, it ? n : 0);
	if (!it)
		return;
	for (int i = 0; i < n; i++)
		ui_list_add(l, i);
	if (!c->walk) {
		sort_items = it;
		ui_list_sort(l, cmp_rank);
		sort_items = NULL;
	}
	if (c->sel[0])
		for (int r = 0; r < l->nrows; r++)
			if (strcmp(it[l->rows[r]].id, c->sel) == 0)
				l->cursor = r;
}

/* The item moved to is followed, since its place changes with its
 * verdict; back at the top, the top row is. */
static void check_moved(void *data, const struct snapshot *s)
{
	struct checklist *c = data;
	int n, i = ui_list_selected(&c->list);
	const struct snap_check *it = items(c, s, &n);
	if (i < 0 || !it)
		return;
	if (c->list.cursor == 0)
		c->sel[0] = '\0';
	else
		str_copy(c->sel, it[i].id, sizeof(c->sel));
}

/* The item under the cursor, or NULL. */
static const struct snap_check *selected(const struct checklist *c, const struct snapshot *s)
{
	int n, i = ui_list_selected(&c->list);
	const struct snap_check *it = items(c, s, &n);
	return it && i >= 0 && i < n ? &it[i] : NULL;
}

static const char *badge(enum check_status status)
{
	if (status == CHECK_ST_ALERT)
		return "ALERT";
	if (status == CHECK_ST_WARN)
		return "WARN";
	if (status == CHECK_ST_OK)
		return "ok";
	if (status == CHECK_ST_MANUAL)
		return "ASK";
	return "?";
}

static void check_draw(void *data, const struct ui *u, const struct snapshot *s, const struct view *v,
		       bool focused)
{
	struct checklist *ck = data;
	struct ui_list *ps = &ck->list;
	int nitems;
	const struct snap_check *it = items(ck, s, &nitems);
	if (!it) {
		ui_title(v, UI_PANE_CHECKLIST, ps, focused, "not evaluated");
		view_put(v, 1, 1, CV_DIM, "checklist not evaluated in this snapshot");
		return;
	}
	int na = 0, nw = 0;
	for (int i = 0; i < nitems; i++) {
		na += it[i].status == CHECK_ST_ALERT;
		nw += it[i].status == CHECK_ST_WARN;
	}
	ui_title(v, UI_PANE_CHECKLIST, ps, focused, "%d items, %d alert, %d warn, %s", nitems, na, nw,
		 ck->walk ? "in walk order" : "most severe first");
	if (nitems == 0) {
		view_put(v, 1, 1, CV_DIM, "no checklist items");
		return;
	}
	/* The list, then (when there is room) the selected item in full. */
	int detail = v->h >= 14 ? 6 : 0;
	int rows = v->h - 1 - detail;
	ui_list_clamp(ps, rows);
	int title_w = v->w / 2 - 7;
	title_w = title_w < 30 ? 30 : title_w > 44 ? 44 : title_w;
	for (int i = 0; i < rows && ps->scroll + i < ps->nrows; i++) {
		int r = ps->scroll + i, y = 1 + i;
		const struct snap_check *c = &it[ps->rows[r]];
		bool sel = focused && r == ps->cursor;
		char t[128], clean[512];
		if (sel)
			view_fill(v, y, CV_SEL);
		int x = view_put_col(v, y, 1, 6, sel ? CV_SEL : ui_check_style(c->status), badge(c->status));
		x = view_put_col(v, y, x, title_w, sel ? CV_SEL : CV_NORMAL, fmt_clean(t, sizeof(t), c->title));
		view_put(v, y, x + 1, sel ? CV_SEL : CV_DIM, fmt_clean(clean, sizeof(clean), c->evidence ? c->evidence : ""));
	}
	const struct snap_check *c = selected(ck, s);
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
		if (c->status == CHECK_ST_MANUAL)
			view_put(v, y, 1, CV_DIM, u->opts.replay ? "(replay: answers are read-only)"
				 : "answer with y (yes) / n (no) / u (unknown), then a one-line note");
		else if (c->pane)
			view_printf(v, y, 1, CV_DIM, "Enter: the evidence in the %s pane", check_pane_name(c->pane));
	}
}

static bool check_key(void *data, struct ui *u, const struct snapshot *s, int key)
{
	struct checklist *ck = data;
	if (key == '<' || key == '>') {
		ck->walk = !ck->walk;
		check_refresh(ck, u, s);
		ui_status(u, CV_NORMAL, "checklist %s", ck->walk ? "in walk order" : "most severe first");
		return true;
	}
	const struct snap_check *c = selected(ck, s);
	if (!c)
		return false;
	if (key == UI_KEY_ENTER) {
		if (c->pane == CHECK_PANE_OVERVIEW) {
			u->overview = true;
			return true;
		}
		int p = ui_pane_by_name(check_pane_name(c->pane));
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
	if (c->status != CHECK_ST_MANUAL) {
		ui_status(u, CV_DIM, "y/n/u answer the manual (ASK) items only");
		return true;
	}
	if (u->opts.replay) {
		ui_status(u, CV_WARN, "replay: answers are read-only");
		return true;
	}
	enum check_answer ans = key == 'y' ? CHECK_ANSWER_YES : key == 'n' ? CHECK_ANSWER_NO : CHECK_ANSWER_UNKNOWN;
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
	ui_apply(u);   /* c is not used after: the items shown are rebuilt */
	return true;
}

/* Rows for the overview: the items and the selected one in full. */
static int check_want(void *data, const struct snapshot *s)
{
	(void)s;
	int n = ((struct checklist *)data)->list.nrows;
	return n ? 1 + n + 6 : 2;
}

/* A save carries the answers given so far. */
static void check_save(void *data, const struct snapshot *s, struct snapshot *out)
{
	(void)s;
	struct checklist *c = data;
	if (c->answered) {
		out->checklist = c->answered;
		out->nchecks = c->nanswered;
	}
}

static const char *const check_help[] = {
	"Enter\tgo to the pane that shows the item's evidence",
	"y n u\tanswer a manual (ASK) item yes / no / unknown, then type a note",
	"< >\tmost severe first / walk order",
	NULL,
};

const struct pane pane_checklist = {
	.name = "checklist", .title = "Triage checklist", .tab = "Check", .hotkey = '7',
	.init = check_init, .free = check_free, .refresh = check_refresh,
	.draw = check_draw, .key = check_key, .moved = check_moved, .want = check_want,
	.save = check_save, .help = check_help,
};
