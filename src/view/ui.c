/*
 * ui.c - the dashboard's state and keys (see ui.h): which pane has the
 * focus, overview or full-screen, freeze, save, the filter and note
 * prompts, and the engineer's answers to the manual checklist items.
 *
 * Keys follow top/htop habits: q quits, ? or h shows the help, arrows
 * and PgUp/PgDn/Home/End move, / filters, space freezes; one digit per
 * pane (1 is the overview). Global keys are handled here; the rest go to
 * the focused pane's key handler, and a pane may answer a few keys
 * whatever has the focus (anykey: w and a of the functions). Drawing is
 * in ui_layout.c.
 *
 * ui.c knows the panes only through their const table (ui_panes): each
 * keeps its state private (u->pane[i]), and nothing here writes into the
 * snapshot shown. Saving writes a shallow copy of it in which the panes
 * put the tables they derived (ui_save_view).
 */
#include "ui_pane.h"
#include "cdtop.h"
#include "output.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct pane *const ui_panes[UI_NPANES] = {
	[UI_PANE_FUNCS] = &pane_funcs, [UI_PANE_THREADS] = &pane_threads,
	[UI_PANE_LOCKS] = &pane_locks, [UI_PANE_FILES] = &pane_files,
	[UI_PANE_GOROUTINES] = &pane_goroutines, [UI_PANE_CHECKLIST] = &pane_checklist,
};

int ui_pane_by_name(const char *name)
{
	for (int i = 0; i < UI_NPANES; i++)
		if (strcmp(ui_panes[i]->name, name) == 0)
			return i;
	return -1;
}

struct ui_list *ui_list_of(const struct ui *u, int pane)
{
	return u->pane[pane];   /* every pane's state begins with its list */
}

void ui_init(struct ui *u, const struct ui_opts *o)
{
	memset(u, 0, sizeof(*u));
	u->opts = *o;
	if (!u->opts.out_dir)
		u->opts.out_dir = ".";
	u->overview = true;
	u->focus = UI_PANE_FUNCS;
	u->ov_shown[0] = UI_PANE_FUNCS;
	u->ov_shown[1] = UI_PANE_THREADS;
	u->nov_shown = 2;
	for (int i = 0; i < UI_NPANES; i++)
		u->pane[i] = ui_panes[i]->init();
}

/* The screen owns the snapshot it shows; the panes only see it const. */
static void drop_snapshot(struct ui *u)
{
	snapshot_free((struct snapshot *)u->snap);
	u->snap = NULL;
}

void ui_fini(struct ui *u)
{
	drop_snapshot(u);
	for (int i = 0; i < UI_NPANES; i++) {
		if (u->pane[i])
			ui_panes[i]->free(u->pane[i]);
		u->pane[i] = NULL;
	}
}

void ui_status(struct ui *u, int style, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->status, sizeof(u->status), fmt, ap);
	va_end(ap);
	u->status_style = style;
}

void ui_refresh(struct ui *u, int pane)
{
	if (u->snap)
		ui_panes[pane]->refresh(u->pane[pane], u, u->snap);
}

void ui_apply(struct ui *u)
{
	for (int i = 0; i < UI_NPANES; i++)
		ui_refresh(u, i);
}

void ui_show(struct ui *u, int pane, const struct pane_target *t)
{
	if (ui_panes[pane]->show)
		ui_panes[pane]->show(u->pane[pane], t);
	u->focus = pane;
	ui_refresh(u, pane);
}

void ui_set_snapshot(struct ui *u, struct snapshot *s)
{
	if (s && s != u->snap) {
		drop_snapshot(u);
		u->snap = s;
		/* A replayed file brings the answers given when it was saved. */
		if (u->opts.replay && s->checklist)
			triage_answers_from(&u->answers, s);
	}
	ui_apply(u);
}

int ui_pane_rows(const struct ui *u, int pane)
{
	return ui_list_of(u, pane)->nrows;
}

int ui_pane_selected(const struct ui *u, int pane)
{
	return ui_list_selected(ui_list_of(u, pane));
}

const char *ui_pane_filter(const struct ui *u, int pane)
{
	return ui_list_of(u, pane)->filter;
}

int ui_pane_tid(const struct ui *u, int pane)
{
	return ui_panes[pane]->tid ? ui_panes[pane]->tid(u->pane[pane]) : 0;
}

void ui_save_view(struct ui *u, struct snapshot *out)
{
	memset(out, 0, sizeof(*out));
	if (!u->snap)
		return;
	*out = *u->snap;
	for (int i = 0; i < UI_NPANES; i++)
		if (ui_panes[i]->save)
			ui_panes[i]->save(u->pane[i], u->snap, out);
}

void ui_save_name(const struct snapshot *s, char *buf, size_t n)
{
	char comm[64], ts[32];
	size_t j = 0;
	for (const char *c = s->proc.comm; *c && j + 1 < sizeof(comm); c++)
		comm[j++] = isalnum((unsigned char)*c) || *c == '.' || *c == '_' || *c == '-' ? *c : '_';
	comm[j] = '\0';
	if (!j)
		str_copy(comm, "process", sizeof(comm));
	fmt_utc_compact(isnan(s->taken_at) ? now_real() : s->taken_at, ts, sizeof(ts));
	snprintf(buf, n, "cdtop-%s-%d-%s", comm, s->proc.pid, ts);
}

int ui_save(struct ui *u)
{
	if (!u->snap) {
		ui_status(u, CV_WARN, "nothing to save yet: no reading so far");
		return -1;
	}
	char name[256], err[CDTOP_ERRLEN];
	const char *dir = u->opts.out_dir;
	ui_save_name(u->snap, name, sizeof(name));
	snprintf(u->saved_json, sizeof(u->saved_json), "%s/%s.json", dir, name);
	snprintf(u->saved_txt, sizeof(u->saved_txt), "%s/%s.txt", dir, name);
	/* The file holds what the screen shows (the whole process's top
	 * functions in the mode on screen, the answers given so far), taken
	 * from the panes' own tables: the snapshot shown is not touched. */
	struct snapshot view;
	ui_save_view(u, &view);
	if (output_write_snapshot(&view, u->saved_json, OUT_JSON, err, sizeof(err)) < 0 ||
	    output_write_snapshot(&view, u->saved_txt, OUT_TEXT, err, sizeof(err)) < 0) {
		u->saved_json[0] = u->saved_txt[0] = '\0';
		ui_status(u, CV_ALERT, "NOT SAVED: %s", err);
		return -1;
	}
	ui_status(u, CV_OK, "saved %s and %s.txt", u->saved_json, name);
	return 0;
}

/* Move the focused pane's cursor by d rows (clamped); the pane may
 * follow the row now selected. */
static void move_cursor(struct ui *u, int d)
{
	const struct pane *p = ui_panes[u->focus];
	ui_list_move(ui_list_of(u, u->focus), d);
	if (p->moved && u->snap)
		p->moved(u->pane[u->focus], u->snap);
}

/* Remove the last UTF-8 character of s. */
static void drop_last_char(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	s[n] = '\0';
}

/* Append code point c to s (size n) as UTF-8, if it fits. */
static void append_char(char *s, size_t n, int c)
{
	char enc[5] = {0};
	if (c < 0x80) {
		enc[0] = (char)c;
	} else if (c < 0x800) {
		enc[0] = (char)(0xC0 | (c >> 6));
		enc[1] = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		enc[0] = (char)(0xE0 | (c >> 12));
		enc[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		enc[2] = (char)(0x80 | (c & 0x3F));
	} else {
		enc[0] = (char)(0xF0 | (c >> 18));
		enc[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		enc[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		enc[3] = (char)(0x80 | (c & 0x3F));
	}
	if (strlen(s) + strlen(enc) < n)
		strcat(s, enc);
}

static void prompt_key(struct ui *u, int key)
{
	bool filter = u->prompt == UI_PROMPT_FILTER;
	struct ui_list *l = ui_list_of(u, u->focus);
	char *text = filter ? l->filter : u->input;
	size_t size = filter ? sizeof(l->filter) : sizeof(u->input);
	switch (key) {
	case UI_KEY_ENTER:
		u->prompt = UI_PROMPT_NONE;
		if (!filter) {
			triage_answer(&u->answers, u->note_id, CHECK_ANSWER_NONE, u->input);
			u->requests |= UI_REQ_ANSWERS;
			ui_apply(u);
			ui_status(u, CV_OK, "answer recorded (saved with the snapshot by s)");
		}
		return;
	case UI_KEY_ESC:
		u->prompt = UI_PROMPT_NONE;
		if (filter) {
			text[0] = '\0';
			ui_refresh(u, u->focus);
		} else {
			ui_status(u, CV_OK, "answer recorded, no note");
		}
		return;
	case UI_KEY_BACKSPACE:
		drop_last_char(text);
		break;
	default:
		if (key >= 0x20 && key < 0x110000 && key != 0x7F)
			append_char(text, size, key);
		break;
	}
	if (filter) {
		l->cursor = 0;
		l->scroll = 0;
		ui_refresh(u, u->focus);
	}
}

/* Panes in the order Tab walks them: in the overview, the ones shown. */
static void cycle_focus(struct ui *u, int d)
{
	if (u->overview && u->nov_shown > 0) {
		int i = 0;
		while (i < u->nov_shown && u->ov_shown[i] != u->focus)
			i++;
		i = i == u->nov_shown ? 0 : (i + d + u->nov_shown) % u->nov_shown;
		u->focus = u->ov_shown[i];
	} else {
		u->focus = (u->focus + d + UI_NPANES) % UI_NPANES;
	}
}

/* Rows PgUp/PgDn move: the focused pane's page, 10 before a draw. */
static int page(const struct ui *u)
{
	int p = ui_list_of(u, u->focus)->page;
	return p > 1 ? p : 10;
}

/* Keys that mean the same everywhere. Returns true when used. */
static bool global_key(struct ui *u, int key)
{
	switch (key) {
	case 'q': case 'Q': case UI_KEY_F10:
		u->quit = true;
		return true;
	case '?': case 'h': case UI_KEY_F1:
		u->help = true;
		u->help_scroll = 0;
		return true;
	case '1':
		u->overview = true;
		return true;
	case UI_KEY_TAB:
		cycle_focus(u, 1);
		return true;
	case UI_KEY_BTAB:
		cycle_focus(u, -1);
		return true;
	case ' ':
		if (u->opts.replay) {
			ui_status(u, CV_DIM, "replay: the view is a saved file and does not change");
			return true;
		}
		u->frozen = !u->frozen;
		if (u->frozen)
			ui_status(u, CV_MARK, "FROZEN: the view stops changing (sampling goes on); space resumes");
		else
			ui_status(u, CV_NORMAL, "live again");
		return true;
	case 's':
		if (u->opts.replay)
			ui_status(u, CV_DIM, "replay: this view is a file already; nothing new to save");
		else
			ui_save(u);
		return true;
	case 'z':
		if (u->opts.replay) {
			ui_status(u, CV_DIM, "replay: no live profile to restart");
		} else if (u->opts.stacks_off) {
			ui_status(u, CV_DIM, "stacks off: no profile to restart");
		} else {
			u->requests |= UI_REQ_RESET_PROFILE;
			ui_status(u, CV_NORMAL, "new profile window: samples so far forgotten");
		}
		return true;
	case '/':
		u->prompt = UI_PROMPT_FILTER;
		if (u->overview) {
			/* Filter what is visible: leave the overview when the
			 * focused pane is not in it. */
			bool shown = false;
			for (int i = 0; i < u->nov_shown; i++)
				shown |= u->ov_shown[i] == u->focus;
			u->overview = shown;
		}
		return true;
	case UI_KEY_ESC:
		if (ui_list_of(u, u->focus)->filter[0]) {
			ui_list_of(u, u->focus)->filter[0] = '\0';
			ui_refresh(u, u->focus);
		} else if (!u->overview) {
			u->overview = true;
		}
		return true;
	case UI_KEY_UP: move_cursor(u, -1); return true;
	case UI_KEY_DOWN: move_cursor(u, 1); return true;
	case UI_KEY_PGUP: move_cursor(u, -page(u)); return true;
	case UI_KEY_PGDN: move_cursor(u, page(u)); return true;
	case UI_KEY_HOME: move_cursor(u, -(1 << 30)); return true;
	case UI_KEY_END: move_cursor(u, 1 << 30); return true;
	case UI_KEY_RESIZE:
		return true;
	default:
		break;
	}
	for (int i = 0; i < UI_NPANES; i++)
		if (key == ui_panes[i]->hotkey) {
			u->focus = i;
			u->overview = false;
			return true;
		}
	/* Keys a pane answers whatever has the focus (w, a). */
	for (int i = 0; i < UI_NPANES; i++)
		if (ui_panes[i]->anykey && ui_panes[i]->anykey(u->pane[i], u, u->snap, key))
			return true;
	return false;
}

void ui_key(struct ui *u, int key)
{
	if (u->prompt != UI_PROMPT_NONE) {
		prompt_key(u, key);
		return;
	}
	if (key == UI_KEY_RESIZE)
		return;
	u->status[0] = '\0';
	if (u->help) {
		if (key == UI_KEY_DOWN || key == UI_KEY_PGDN)
			u->help_scroll += key == UI_KEY_DOWN ? 1 : 10;
		else if (key == UI_KEY_UP || key == UI_KEY_PGUP)
			u->help_scroll -= key == UI_KEY_UP ? 1 : 10;
		else if (key == 'q' || key == 'Q')
			u->quit = true;
		else
			u->help = false;
		if (u->help_scroll < 0)
			u->help_scroll = 0;
		return;
	}
	if (!u->snap) {
		global_key(u, key);
		return;
	}
	/* The focused pane first for keys it gives a meaning (Enter, Esc in
	 * a stack view, sort letters), then the global ones. */
	const struct pane *p = ui_panes[u->focus];
	void *data = u->pane[u->focus];
	bool pane_first = key == UI_KEY_ENTER || key == UI_KEY_ESC || key == UI_KEY_LEFT ||
			  key == UI_KEY_BACKSPACE;
	if (pane_first && p->key && p->key(data, u, u->snap, key))
		return;
	if (global_key(u, key))
		return;
	if (!pane_first && p->key)
		p->key(data, u, u->snap, key);
}
