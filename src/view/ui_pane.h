/*
 * ui_pane.h - what the dashboard's parts share: the pane interface (one
 * const struct per pane file, like tmux's `struct window_mode`), the
 * header, and small formatting helpers. Internal to the ui_*.c and
 * pane_*.c files; curses-free.
 */
#ifndef CDTOP_UI_PANE_H
#define CDTOP_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "canvas.h"
#include "ui.h"

struct pane {
	const char *name;               /* "funcs": what snap_check.pane names */
	const char *title;              /* "Top functions" */
	const char *tab;                /* footer label: "Funcs" */
	int hotkey;                     /* the key that shows it full-screen ('2') */
	/* Recompute the pane's rows after a new snapshot or filter/sort change. */
	void (*refresh)(struct ui *u);
	/* Number of selectable rows (cursor range). */
	int (*count)(const struct ui *u);
	/* Draw into v (its first row is the title bar); focused: keys go here. */
	void (*draw)(struct ui *u, const struct view *v, bool focused);
	/* A key for this pane; true when it was used. */
	bool (*key)(struct ui *u, int key);
	/* Keys of this pane for the help screen, NULL-terminated "key\tmeaning". */
	const char *const *help;
};

extern const struct pane pane_funcs, pane_threads, pane_locks, pane_files, pane_goroutines,
	pane_checklist;

/* Every pane by enum ui_pane_id. */
extern const struct pane *const ui_panes[UI_NPANES];

/* The pane whose name is `name` ("locks"), or -1. */
int ui_pane_by_name(const char *name);

/* Re-apply the screen's choices to the snapshot shown (answers, mode,
 * thread, sort, filters) after one of them changed. */
void ui_apply(struct ui *u);

/* Draw the header (process figures) into v; returns the rows used. */
int ui_header_draw(struct ui *u, const struct view *v);

/* Rows the header takes at this width. */
int ui_header_rows(int width);

/* Draw a pane's title bar on row 0 of v: " title  details " in the bar
 * style, the pane key at the right. */
void ui_title(const struct ui *u, const struct view *v, int pane, bool focused, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Keep the pane's cursor in [0, count) and its scroll window around it,
 * for `rows` visible rows; records the page size. */
void ui_clamp(struct ui *u, int pane, int rows);

/* Draw text (sanitized) from (y, x) of v, wrapped at blanks to v's
 * width, on at most maxrows rows. Returns the next free row. */
int ui_wrap(const struct view *v, int y, int x, int style, const char *text, int maxrows);

/* Rows ui_wrap needs for text in `width` columns. */
int ui_wrap_rows(const char *text, int width);

/* Case-insensitive substring test; an empty needle matches. */
bool ui_match(const char *hay, const char *needle);

/* Formatters: write into b (size n) and return b, or "-" when unknown. */
const char *fmt_kb(char *b, size_t n, int64_t kb);            /* 812M, 3.2G, 900K */
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

/* Style of a checklist status ("alert" -> CV_ALERT ...). */
int ui_check_style(const char *status);

#endif
