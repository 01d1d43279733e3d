/*
 * ui.h - the dashboard without a terminal: what is shown (panes, layout,
 * cursor, sort, filter, freeze, help, prompts, the status line) and how
 * keys change it, rendered into a canvas (canvas.h).
 *
 * tui.c owns the terminal and the worker thread; it feeds this module
 * snapshots (ui_set_snapshot), keys (ui_key, keys already translated to
 * the UI_KEY_* codes below or Unicode code points) and asks for a render
 * (ui_render). Nothing here includes curses or touches the target, so the
 * whole screen can be driven from fixture snapshots in unit tests.
 *
 * Panes (pane_*.c) are const structs of function pointers, one per file,
 * like tmux's window modes, each with its private state behind an opaque
 * pointer (ui_pane.h); the overview composes several of them. struct ui
 * holds only what they share. The snapshot shown is never written: views
 * keep what they derive from it in their own state.
 */
#ifndef CDTOP_UI_H
#define CDTOP_UI_H

#include <stdbool.h>
#include <stddef.h>
#include "canvas.h"
#include "snapshot.h"
#include "triage.h"

#define UI_MIN_COLS 80
#define UI_MIN_LINES 24

/* Keys that are not characters (characters are their code point). */
enum ui_key {
	UI_KEY_UP = 0x110000, UI_KEY_DOWN, UI_KEY_LEFT, UI_KEY_RIGHT,
	UI_KEY_PGUP, UI_KEY_PGDN, UI_KEY_HOME, UI_KEY_END,
	UI_KEY_ENTER, UI_KEY_ESC, UI_KEY_BACKSPACE, UI_KEY_TAB, UI_KEY_BTAB,
	UI_KEY_F1, UI_KEY_F10, UI_KEY_RESIZE,
};

enum ui_pane_id {
	UI_PANE_FUNCS, UI_PANE_THREADS, UI_PANE_LOCKS, UI_PANE_FILES,
	UI_PANE_GOROUTINES, UI_PANE_CHECKLIST, UI_NPANES
};

/* Requests the screen makes to whoever feeds it (tui.c passes them to
 * the worker thread). */
enum ui_request { UI_REQ_NONE = 0, UI_REQ_RESET_PROFILE = 1, UI_REQ_ANSWERS = 2 };

enum ui_prompt { UI_PROMPT_NONE, UI_PROMPT_FILTER, UI_PROMPT_NOTE };

struct ui_opts {
	double delay;                   /* refresh interval, seconds (shown in the title) */
	const char *out_dir;            /* where `s` saves; "." when NULL */
	const char *stacks_off;         /* why stacks are off, NULL when sampled */
	bool replay;                    /* showing a loaded file: read-only */
	bool utf8;                      /* sparklines with block characters */
};

struct ui {
	struct ui_opts opts;
	const struct snapshot *snap;    /* shown; owned (freed by ui.c); NULL before the first */
	bool quit;                      /* q pressed */
	bool frozen;                    /* space: new snapshots are not taken */
	bool exited;                    /* the target is gone (last state shown) */
	bool help;                      /* help screen on */
	int help_scroll;                /* first help line shown */
	bool overview;                  /* combined layout (else `focus` full-screen) */
	int focus;                      /* enum ui_pane_id: pane keys go there */
	int ov_shown[UI_NPANES];        /* panes the overview showed at the last render */
	int nov_shown;
	void *pane[UI_NPANES];          /* each pane's private state (pane_*.c), by enum ui_pane_id */
	int requests;                   /* enum ui_request bits, cleared by the feeder */

	/* Triage: the engineer's answers to the manual items (UI_REQ_ANSWERS
	 * passes them on to whoever builds the snapshots; the checklist pane
	 * shows them at once). */
	struct triage_answers answers;

	/* The bottom lines. */
	enum ui_prompt prompt;
	char input[TRIAGE_NOTE_LEN];    /* text being typed at the prompt */
	char note_id[32];               /* checklist item the note is for */
	char status[1024];              /* message shown until the next key */
	int status_style;               /* enum cv_style */
	char saved_json[1024];          /* last saved files (for tests and the status line) */
	char saved_txt[1024];
};

/* Set up u with no snapshot yet. */
void ui_init(struct ui *u, const struct ui_opts *o);

/* Free what u owns (the snapshot and the panes' state). */
void ui_fini(struct ui *u);

/* Show snapshot s from now on; u takes ownership and frees the previous
 * one. Every pane recomputes its view of it (the chosen mode, thread,
 * sort, filter and answers); s itself is never changed. */
void ui_set_snapshot(struct ui *u, struct snapshot *s);

/* Handle one key (a code point or enum ui_key). */
void ui_key(struct ui *u, int key);

/* Put a message on the status line (until the next key). */
void ui_status(struct ui *u, int style, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Draw the whole screen for the canvas's current size. */
void ui_render(struct ui *u, struct canvas *c);

/* Write the snapshot on screen to OUT_DIR/cdtop-<comm>-<pid>-<UTC>.json
 * and a .txt report beside it; the result (paths or the error) goes to
 * the status line. Returns 0, or -1 when a file could not be written. */
int ui_save(struct ui *u);

/* What `s` writes: a shallow copy of the snapshot shown into out, with
 * the tables the panes derived in place of the snapshot's (the top
 * functions of the whole process in the mode shown, the checklist with
 * the answers given so far). out owns nothing (never free it) and is
 * valid until the next key or snapshot. No snapshot yet: out is zeroed. */
void ui_save_view(struct ui *u, struct snapshot *out);

/* For tests: what pane `pane` lists (rows after its filter), the index in
 * the snapshot's table (threads, sockets, checklist ...) of its selected
 * row or -1, its filter, and the thread it is narrowed to (funcs: one
 * thread's functions; threads: the stack shown) or 0. */
int ui_pane_rows(const struct ui *u, int pane);
int ui_pane_selected(const struct ui *u, int pane);
const char *ui_pane_filter(const struct ui *u, int pane);
int ui_pane_tid(const struct ui *u, int pane);

/* The file name (without directory and extension) a save of s uses:
 * "cdtop-<comm>-<pid>-<YYYYMMDDTHHMMSSZ>", comm reduced to [A-Za-z0-9._-]. */
void ui_save_name(const struct snapshot *s, char *buf, size_t n);

#endif
