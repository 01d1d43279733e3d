/*
 * canvas.c - the in-memory text screen (see canvas.h).
 *
 * UTF-8 is decoded here, once, so no caller has to think about byte
 * lengths versus columns: a cell holds one code point. Widths come from
 * wcwidth(3) in a UTF-8 locale (main.c calls setlocale); anything it
 * calls unprintable is drawn as '?'.
 */
#include "canvas.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct canvas *canvas_new(int w, int h, bool utf8)
{
	struct canvas *c = xcalloc(1, sizeof(*c));
	c->utf8 = utf8;
	canvas_resize(c, w, h);
	return c;
}

void canvas_resize(struct canvas *c, int w, int h)
{
	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	free(c->cells);
	c->w = w;
	c->h = h;
	c->cells = xcalloc((size_t)w * (size_t)h + 1, sizeof(*c->cells));
	canvas_clear(c);
}

void canvas_clear(struct canvas *c)
{
	size_t n = (size_t)c->w * (size_t)c->h;
	for (size_t i = 0; i < n; i++) {
		c->cells[i].ch = ' ';
		c->cells[i].style = CV_NORMAL;
	}
}

void canvas_free(struct canvas *c)
{
	if (!c)
		return;
	free(c->cells);
	free(c);
}

struct view canvas_view(struct canvas *c)
{
	return (struct view){.cv = c, .y = 0, .x = 0, .h = c->h, .w = c->w};
}

struct view view_sub(const struct view *v, int y, int x, int h, int w)
{
	struct view s = {.cv = v->cv, .y = v->y + y, .x = v->x + x, .h = h, .w = w};
	if (y < 0 || x < 0 || y >= v->h || x >= v->w) {
		s.h = s.w = 0;
		return s;
	}
	if (y + h > v->h)
		s.h = v->h - y;
	if (x + w > v->w)
		s.w = v->w - x;
	if (s.h < 0)
		s.h = 0;
	if (s.w < 0)
		s.w = 0;
	return s;
}

/* Decode one UTF-8 character at *p; advances *p. Invalid -> U+FFFD. */
static uint32_t utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n;
	if (c < 0x80) {
		*p = s + 1;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		c &= 0x07;
	} else {
		*p = s + 1;
		return 0xFFFD;
	}
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + n + 1;
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0xFFFD;
	return c;
}

/* Code point and columns a character is drawn with. */
static uint32_t cell_char(uint32_t ch, bool utf8, int *cols)
{
	*cols = 1;
	if (ch < 0x20 || ch == 0x7F)
		return '?';
	if (ch < 0x80)
		return ch;
	if (!utf8 || (ch >= 0x80 && ch < 0xA0))
		return '?';
	int w = wcwidth((wchar_t)ch);
	if (w < 0)
		return '?';
	*cols = w;
	return ch;
}

int canvas_text_cols(const char *text, bool utf8)
{
	const unsigned char *p = (const unsigned char *)text;
	int n = 0, w;
	while (*p) {
		cell_char(utf8_next(&p), utf8, &w);
		n += w;
	}
	return n;
}

static struct cv_cell *cell_at(const struct view *v, int row, int col)
{
	return &v->cv->cells[(size_t)(v->y + row) * (size_t)v->cv->w + (size_t)(v->x + col)];
}

int view_put(const struct view *v, int row, int col, int style, const char *text)
{
	if (!text || row < 0 || row >= v->h || col >= v->w)
		return col;
	const unsigned char *p = (const unsigned char *)text;
	while (*p && col < v->w) {
		int w;
		uint32_t ch = cell_char(utf8_next(&p), v->cv->utf8, &w);
		if (w == 0)
			continue;
		if (col < 0) {
			col += w;
			continue;
		}
		if (col + w > v->w)
			break;
		struct cv_cell *c = cell_at(v, row, col);
		c->ch = ch;
		c->style = (uint8_t)style;
		if (w == 2) {
			c[1].ch = 0;
			c[1].style = (uint8_t)style;
		}
		col += w;
	}
	return col;
}

int view_printf(const struct view *v, int row, int col, int style, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return view_put(v, row, col, style, buf);
}

int view_put_col(const struct view *v, int row, int col, int width, int style, const char *text)
{
	if (row < 0 || row >= v->h || width <= 0)
		return col;
	struct view cell = view_sub(v, row, col, 1, width);
	for (int i = 0; i < cell.w; i++) {
		struct cv_cell *c = cell_at(&cell, 0, i);
		c->ch = ' ';
		c->style = (uint8_t)style;
	}
	view_put(&cell, 0, 0, style, text);
	return col + cell.w;
}

void view_fill(const struct view *v, int row, int style)
{
	if (row < 0 || row >= v->h)
		return;
	for (int i = 0; i < v->w; i++) {
		struct cv_cell *c = cell_at(v, row, i);
		c->ch = ' ';
		c->style = (uint8_t)style;
	}
}

void view_restyle(const struct view *v, int row, int style)
{
	if (row < 0 || row >= v->h)
		return;
	for (int i = 0; i < v->w; i++)
		cell_at(v, row, i)->style = (uint8_t)style;
}

/* Encode a code point as UTF-8 into out (>= 4 bytes). Returns bytes. */
static int utf8_put(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

char *canvas_row_text(const struct canvas *c, int y, char *buf, size_t n)
{
	size_t len = 0, keep = 0;
	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (y < 0 || y >= c->h)
		return buf;
	for (int x = 0; x < c->w; x++) {
		uint32_t ch = c->cells[(size_t)y * (size_t)c->w + (size_t)x].ch;
		if (ch == 0)
			continue;
		char enc[4];
		int k = utf8_put(ch, enc);
		if (len + (size_t)k + 1 > n)
			break;
		memcpy(buf + len, enc, (size_t)k);
		len += (size_t)k;
		if (ch != ' ')
			keep = len;
	}
	buf[keep] = '\0';
	return buf;
}

int canvas_style_at(const struct canvas *c, int y, int x)
{
	if (y < 0 || y >= c->h || x < 0 || x >= c->w)
		return -1;
	return c->cells[(size_t)y * (size_t)c->w + (size_t)x].style;
}

bool canvas_contains(const struct canvas *c, const char *needle)
{
	size_t n = (size_t)c->w * 4 + 1;
	char *buf = xmalloc(n);
	bool found = false;
	for (int y = 0; y < c->h && !found; y++)
		found = strstr(canvas_row_text(c, y, buf, n), needle) != NULL;
	free(buf);
	return found;
}

int canvas_write(const struct canvas *c, FILE *f)
{
	size_t n = (size_t)c->w * 4 + 1;
	char *buf = xmalloc(n);
	for (int y = 0; y < c->h; y++)
		fprintf(f, "%s\n", canvas_row_text(c, y, buf, n));
	free(buf);
	return ferror(f) ? -1 : 0;
}
