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
 * like tmux's window modes; the overview composes several of them.
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

/* Sort orders of the threads pane. */
enum ui_thread_sort { UI_SORT_CPU, UI_SORT_STATE, UI_SORT_BLOCKED, UI_SORT_TID, UI_SORT_NAME, UI_NSORTS };

enum ui_prompt { UI_PROMPT_NONE, UI_PROMPT_FILTER, UI_PROMPT_NOTE };

struct ui_pane_state {
	int cursor;                     /* selected row (index into the pane's rows) */
	int scroll;                     /* first row shown */
	int page;                       /* rows shown at the last render (PgUp/PgDn) */
	char filter[64];                /* "/" filter, "" none */
};

struct ui_opts {
	double delay;                   /* refresh interval, seconds (shown in the title) */
	const char *out_dir;            /* where `s` saves; "." when NULL */
	const char *stacks_off;         /* why stacks are off, NULL when sampled */
	bool replay;                    /* showing a loaded file: read-only */
	bool utf8;                      /* sparklines with block characters */
};

struct ui {
	struct ui_opts opts;
	struct snapshot *snap;          /* shown; owned; NULL before the first */
	bool quit;                      /* q pressed */
	bool frozen;                    /* space: new snapshots are not taken */
	bool exited;                    /* the target is gone (last state shown) */
	bool help;                      /* help screen on */
	int help_scroll;                /* first help line shown */
	bool overview;                  /* combined layout (else `focus` full-screen) */
	int focus;                      /* enum ui_pane_id: pane keys go there */
	int ov_shown[UI_NPANES];        /* panes the overview showed at the last render */
	int nov_shown;
	struct ui_pane_state ps[UI_NPANES];
	int requests;                   /* enum ui_request bits, cleared by the feeder */

	/* Top functions. */
	char mode[8];                   /* "cpu"/"wall" chosen with w; "" = the snapshot's */
	int func_tid;                   /* functions of this thread only; 0 = all */
	bool func_by_cum;               /* sorted by cum instead of flat */
	int *fn_rows; int nfn_rows;     /* indices into profile->top, filtered */

	/* Threads. */
	enum ui_thread_sort sort;
	bool sort_reverse;
	int sel_tid;                    /* the thread the user moved to, followed across
					   refreshes; 0: the cursor stays on its row */
	int stack_tid;                  /* Enter: this thread's full stack is shown; 0 none */
	int *thr_rows; int nthr_rows;   /* indices into snap->threads, filtered and sorted */

	/* Other panes' rows (filtered). */
	int *sock_rows; int nsock_rows;
	int *gr_rows; int ngr_rows;
	int gr_open;                    /* goroutine group whose frames are shown; -1 none */
	int *chk_rows; int nchk_rows;   /* checklist items in the order shown */
	bool check_walk;                /* walk order (triage.c's) instead of by severity */
	char check_sel[32];             /* id of the item the user moved to, followed; "" none */

	/* Triage: the engineer's answers to the manual items (UI_REQ_ANSWERS
	 * passes them on to whoever builds the snapshots). */
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

/* Free what u owns (the snapshot and the row tables). */
void ui_fini(struct ui *u);

/* Show snapshot s from now on; u takes ownership and frees the previous
 * one. The chosen mode, thread, sort, filter and answers are applied. */
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

/* The file name (without directory and extension) a save of s uses:
 * "cdtop-<comm>-<pid>-<YYYYMMDDTHHMMSSZ>", comm reduced to [A-Za-z0-9._-]. */
void ui_save_name(const struct snapshot *s, char *buf, size_t n);

#endif
