/*
 * canvas.h - an in-memory text screen that the dashboard draws into.
 *
 * Every pane renders to a canvas (a grid of cells, each one character and
 * a style), never to the terminal: only tui.c copies a finished canvas to
 * curses. So the panes can be rendered from fixture snapshots to plain
 * text in unit tests, with no terminal, as tmux's modes draw into a
 * `struct screen` and only tty.c talks to the terminal.
 *
 * Text is UTF-8. Invalid bytes become U+FFFD, control characters '?',
 * double-width characters take two cells, zero-width ones are dropped, and
 * everything is clipped to the view it is drawn in, so a thread name
 * chosen by the target can never break the layout. On a terminal that is
 * not UTF-8 (canvas.utf8 false) every non-ASCII character is drawn as '?'.
 */
#ifndef CDTOP_CANVAS_H
#define CDTOP_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Styles of a cell; tui.c maps them to curses attributes and colors. */
enum cv_style {
	CV_NORMAL,
	CV_BOLD,
	CV_DIM,
	CV_LABEL,       /* header labels ("CPU", "RSS") */
	CV_BAR,         /* title bars and the key footer (reverse) */
	CV_BAR_FOCUS,   /* title bar of the focused pane, current pane in the footer */
	CV_HEAD,        /* column headings */
	CV_SEL,         /* the selected row */
	CV_OK,
	CV_WARN,
	CV_ALERT,
	CV_MARK,        /* FROZEN / REPLAY / EXITED banner */
	CV_NSTYLES
};

struct cv_cell {
	uint32_t ch;            /* Unicode code point; 0 = right half of a wide character */
	uint8_t style;          /* enum cv_style */
};

struct canvas {
	int w, h;               /* columns, rows */
	bool utf8;              /* the terminal shows UTF-8; false: ASCII only */
	struct cv_cell *cells;  /* h rows of w cells */
};

/* A rectangle of a canvas that one pane draws into; row and column
 * arguments of the view_* functions are relative to it. */
struct view {
	struct canvas *cv;
	int y, x, h, w;
};

/* Allocate a w x h canvas of blanks. Never NULL. */
struct canvas *canvas_new(int w, int h, bool utf8);

/* Resize to w x h and blank it. */
void canvas_resize(struct canvas *c, int w, int h);

/* Blank every cell. */
void canvas_clear(struct canvas *c);

/* Free a canvas. NULL is a no-op. */
void canvas_free(struct canvas *c);

/* The whole canvas as a view. */
struct view canvas_view(struct canvas *c);

/* A sub-rectangle of v (clipped to v). */
struct view view_sub(const struct view *v, int y, int x, int h, int w);

/* Draw UTF-8 text at (row, col) of v in style, clipped to v's width.
 * Returns the column after the last cell written. */
int view_put(const struct view *v, int row, int col, int style, const char *text);

/* view_put of a formatted string. */
int view_printf(const struct view *v, int row, int col, int style, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Draw text at (row, col) clipped to at most `width` columns, padded with
 * blanks to exactly `width`. Returns col + width (or v's edge). */
int view_put_col(const struct view *v, int row, int col, int width, int style, const char *text);

/* Blank a row of v and give it style. */
void view_fill(const struct view *v, int row, int style);

/* Set the style of every cell of a row of v, keeping the characters. */
void view_restyle(const struct view *v, int row, int style);

/* Columns `text` takes on a canvas (after the replacements above). */
int canvas_text_cols(const char *text, bool utf8);

/* Row y of the canvas as UTF-8 text without trailing blanks, into buf
 * (size n). Returns buf. */
char *canvas_row_text(const struct canvas *c, int y, char *buf, size_t n);

/* Style of the cell at (y, x), or -1 outside the canvas. */
int canvas_style_at(const struct canvas *c, int y, int x);

/* True when `needle` appears on some row of the canvas. */
bool canvas_contains(const struct canvas *c, const char *needle);

/* Write every row (trailing blanks removed) to f. Returns 0 or -1. */
int canvas_write(const struct canvas *c, FILE *f);

#endif
