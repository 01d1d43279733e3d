/*
 * ui_list.c - what every pane's list does the same way: rows as indices
 * into one table of the snapshot (filtered and sorted by the pane, so the
 * snapshot itself is never reordered), a cursor kept on a row, and a
 * scroll window kept around the cursor. Every pane's private state
 * begins with its struct ui_list; ui.c moves the cursor of the focused
 * one and edits its filter. Also the two lines every list draws alike:
 * its column heading, and the notice that the filter left nothing.
 */
#include "ui_pane.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void *ui_list_new(void)
{
	return xcalloc(1, sizeof(struct ui_list));
}

void ui_list_free(void *data)
{
	ui_list_fini(data);
	free(data);
}

void ui_list_reset(struct ui_list *l, int cap)
{
	free(l->rows);
	l->rows = xcalloc((size_t)(cap > 0 ? cap : 0) + 1, sizeof(int));
	l->nrows = 0;
}

void ui_list_add(struct ui_list *l, int i)
{
	l->rows[l->nrows++] = i;
}

void ui_list_sort(struct ui_list *l, int (*cmp)(const void *, const void *))
{
	qsort(l->rows, (size_t)l->nrows, sizeof(int), cmp);
}

void ui_list_move(struct ui_list *l, int d)
{
	long c = (long)l->cursor + d;
	if (c >= l->nrows)
		c = l->nrows - 1;
	if (c < 0)
		c = 0;
	l->cursor = (int)c;
}

void ui_list_clamp(struct ui_list *l, int rows)
{
	int n = l->nrows;
	if (rows < 1)
		rows = 1;
	l->page = rows;
	ui_list_move(l, 0);
	if (l->cursor < l->scroll)
		l->scroll = l->cursor;
	if (l->cursor >= l->scroll + rows)
		l->scroll = l->cursor - rows + 1;
	if (l->scroll > n - rows)
		l->scroll = n - rows;
	if (l->scroll < 0)
		l->scroll = 0;
}

int ui_list_selected(const struct ui_list *l)
{
	if (!l->rows || l->cursor < 0 || l->cursor >= l->nrows)
		return -1;
	return l->rows[l->cursor];
}

void ui_list_fini(struct ui_list *l)
{
	free(l->rows);
	l->rows = NULL;
	l->nrows = 0;
}

int ui_heading(const struct view *v, int y, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	view_fill(v, y, CV_HEAD);
	view_put(v, y, 0, CV_HEAD, buf);
	return y + 1;
}

bool ui_list_none(const struct view *v, int y, const struct ui_list *l, const char *what)
{
	if (l->nrows)
		return false;
	view_printf(v, y, 1, CV_DIM, "no %s matches the filter (/ to change it)", what);
	return true;
}
