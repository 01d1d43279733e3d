/*
 * ui_pane.h - what the dashboard's parts share: the pane interface (one
 * const struct per pane file, like tmux's `struct window_mode`, with a
 * private state struct per pane behind an opaque pointer), a pane's list
 * (rows, cursor, scroll, filter), the header, and small formatting
 * helpers. Internal to the ui_*.c and pane_*.c files; curses-free.
 *
 * The snapshot shown is const to every pane: what a pane derives from it
 * (rows in its order, a recomputed top-functions table, the checklist
 * with the answers given on screen) lives in the pane's own state.
 */
#ifndef CDTOP_UI_PANE_H
#define CDTOP_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "canvas.h"
#include "ui.h"

/* A pane's list: which rows it shows (indices into one table of the
 * snapshot, after its filter and in its order) and where the user is. */
struct ui_list {
	int *rows; int nrows;           /* indices into the pane's table, in the order shown */
	int cursor;                     /* selected row (index into rows) */
	int scroll;                     /* first row shown */
	int page;                       /* rows shown at the last draw (PgUp/PgDn) */
	char filter[64];                /* "/" filter, "" none */
};

/* What a pane is asked to show by another one (Enter on a function shows
 * the threads in it; f on a thread, its functions). */
struct pane_target {
	const char *filter;             /* list only what matches, cursor on the first; NULL keeps the filter */
	int tid;                        /* this thread (threads: select it, show its stack; funcs: its
					   functions only); 0 none */
};

struct pane {
	const char *name;               /* "funcs": what snap_check.pane names */
	const char *title;              /* "Top functions" */
	const char *tab;                /* footer label: "Funcs" */
	int hotkey;                     /* the key that shows it full-screen ('2') */
	/* Create the pane's private state (never NULL) / free it. The state
	 * begins with the pane's struct ui_list (ui.c moves its cursor and
	 * edits its filter); a pane with nothing else uses ui_list_new and
	 * ui_list_free. */
	void *(*init)(void);
	void (*free)(void *data);
	/* Recompute the pane's rows after a new snapshot or a filter, sort,
	 * mode or answer change. */
	void (*refresh)(void *data, const struct ui *u, const struct snapshot *s);
	/* Draw into v (its first row is the title bar); focused: keys go here. */
	void (*draw)(void *data, const struct ui *u, const struct snapshot *s, const struct view *v, bool focused);
	/* A key for this pane when it has the focus; true when it was used.
	 * NULL: the pane has no keys of its own. */
	bool (*key)(void *data, struct ui *u, const struct snapshot *s, int key);
	/* Optional (NULL: none). A key this pane answers whichever pane has
	 * the focus (the functions' w and a); s is NULL before the first
	 * snapshot. True when it was used. */
	bool (*anykey)(void *data, struct ui *u, const struct snapshot *s, int key);
	/* Optional: the cursor moved (arrows, pages): note the row now
	 * selected, to follow it across refreshes. */
	void (*moved)(void *data, const struct snapshot *s);
	/* Optional: take what another pane asks to show (ui_show). */
	void (*show)(void *data, const struct pane_target *t);
	/* Optional: rows the pane could fill in the overview; NULL: its rows
	 * plus the title and the column heading. */
	int (*want)(void *data, const struct snapshot *s);
	/* Optional: put into out (a shallow copy of s about to be saved) the
	 * tables this pane derived that the file must carry; what they point
	 * at stays the pane's. */
	void (*save)(void *data, const struct snapshot *s, struct snapshot *out);
	/* Optional: the thread the pane is narrowed to, 0 none (ui_pane_tid). */
	int (*tid)(const void *data);
	/* Keys of this pane for the help screen, NULL-terminated "key\tmeaning". */
	const char *const *help;
};

extern const struct pane pane_funcs, pane_threads, pane_locks, pane_files, pane_goroutines,
	pane_checklist;

/* Every pane by enum ui_pane_id. */
extern const struct pane *const ui_panes[UI_NPANES];

/* The pane whose name is `name` ("locks"), or -1. */
int ui_pane_by_name(const char *name);

/* The list of pane `pane` of u. */
struct ui_list *ui_list_of(const struct ui *u, int pane);

/* Recompute every pane after a change that concerns them all (an answer). */
void ui_apply(struct ui *u);

/* Recompute pane `pane` (nothing before the first snapshot). */
void ui_refresh(struct ui *u, int pane);

/* Give pane `pane` the focus and make it show t (refreshed). The caller
 * decides between full-screen and the overview. */
void ui_show(struct ui *u, int pane, const struct pane_target *t);

/* Draw the header (process figures) into v; returns the rows used. */
int ui_header_draw(const struct ui *u, const struct view *v);

/* Rows the header takes at this width. */
int ui_header_rows(int width);

/* Draw a pane's title bar on row 0 of v: " key title [filter] - details "
 * in the bar style (focused: the focus style). */
void ui_title(const struct view *v, int pane, const struct ui_list *l, bool focused, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A pane state that is a list and nothing else / free such a state, or
 * one that begins with its list and owns nothing more. */
void *ui_list_new(void);
void ui_list_free(void *data);

/* Forget l's rows and make room for cap of them (cursor and filter stay). */
void ui_list_reset(struct ui_list *l, int cap);

/* Append table index i to l's rows (at most the cap of ui_list_reset). */
void ui_list_add(struct ui_list *l, int i);

/* Sort l's rows with cmp (qsort over the table indices). */
void ui_list_sort(struct ui_list *l, int (*cmp)(const void *, const void *));

/* Keep l's cursor in [0, nrows) and its scroll window around it, for
 * `rows` visible rows; records the page size. */
void ui_list_clamp(struct ui_list *l, int rows);

/* Move l's cursor by d rows, kept in [0, nrows). */
void ui_list_move(struct ui_list *l, int d);

/* The table index of the selected row, or -1 when nothing is listed. */
int ui_list_selected(const struct ui_list *l);

/* Free l's rows. */
void ui_list_fini(struct ui_list *l);

/* A list's column heading on row y of v, across the whole row in the
 * heading style. Returns y + 1. */
int ui_heading(const struct view *v, int y, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* When the filter left nothing of l: say so on row y of v ("no `what`
 * matches the filter") and return true. */
bool ui_list_none(const struct view *v, int y, const struct ui_list *l, const char *what);

/* Draw text (sanitized) from (y, x) of v, wrapped at blanks to v's
 * width, on at most maxrows rows. Returns the next free row. */
int ui_wrap(const struct view *v, int y, int x, int style, const char *text, int maxrows);

/* Rows ui_wrap needs for text in `width` columns. */
int ui_wrap_rows(const char *text, int width);

/* Case-insensitive substring test; an empty needle matches. */
bool ui_match(const char *hay, const char *needle);

/* Formatters: write into b (size n) and return b, or "-" when unknown. */
const char *fmt_pct(char *b, size_t n, double v);             /* 95.1% */
const char *fmt_dur(char *b, size_t n, double s);             /* 12.5s, 3m02s, 1h02m, 2d03h */
const char *fmt_count(char *b, size_t n, double v);           /* 950, 12k, 3M */
const char *fmt_int(char *b, size_t n, int64_t v);            /* 12, "-" when < 0 */

/* A sparkline of the last `width` values (NAN = gap) into b: block
 * characters when utf8, else ASCII. Returns b. */
char *fmt_spark(char *b, size_t n, const double *v, int nv, int width, bool utf8);

/* Sanitized (UTF-8, no control characters) copy of text from the target
 * into b (size n). Returns b. */
char *fmt_clean(char *b, size_t n, const char *s);

/* Name of the function of frame index f of the profile, or NULL. */
const char *ui_frame_name(const struct snapshot *s, int f);

/* Where a thread is, in the program: its top_frame, else the innermost
 * frame of its latest stack; NULL when not known. */
const char *ui_thread_function(const struct snapshot *s, const struct snap_thread *t);

/* Index of the thread with tid in s->threads, or -1. */
int ui_thread_index(const struct snapshot *s, int tid);

/* Style of a checklist status (ALERT -> CV_ALERT ...). */
int ui_check_style(enum check_status status);

/* After an fd count at (y, x): sep, the RLIMIT_NOFILE limit and how full
 * it is ("/1024 (1%)"), warn from 70% and alert from 90%; `unlimited`
 * when there is no limit, nothing when it is unknown. Returns the next
 * column. */
int ui_fd_limit(const struct view *v, int y, int x, const struct snap_fds *fds, const char *sep,
		const char *unlimited);

#endif
