/*
 * ui_fmt.c - small helpers every pane uses: figures formatted to a few
 * columns ("3m02s", "12k", "-" when unknown; sizes are units.h's), sparklines, sanitized text
 * from the target, title bars and case-insensitive filtering. Kept apart
 * so the panes read as layout only.
 */
#include "ui_pane.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fmt_pct(char *b, size_t n, double v)
{
	if (isnan(v))
		return "-";
	snprintf(b, n, "%.1f%%", v);
	return b;
}

const char *fmt_dur(char *b, size_t n, double s)
{
	if (isnan(s) || s < 0)
		return "-";
	if (s < 60)
		snprintf(b, n, "%.1fs", s);
	else if (s < 3600)
		snprintf(b, n, "%dm%02ds", (int)s / 60, (int)s % 60);
	else if (s < 86400)
		snprintf(b, n, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
	else
		snprintf(b, n, "%dd%02dh", (int)(s / 86400), ((int)fmod(s, 86400)) / 3600);
	return b;
}

const char *fmt_count(char *b, size_t n, double v)
{
	if (isnan(v))
		return "-";
	if (v >= 10e6)
		snprintf(b, n, "%.0fM", v / 1e6);
	else if (v >= 10e3)
		snprintf(b, n, "%.0fk", v / 1e3);
	else
		snprintf(b, n, "%.0f", v);
	return b;
}

const char *fmt_int(char *b, size_t n, int64_t v)
{
	if (v < 0)
		return "-";
	snprintf(b, n, "%lld", (long long)v);
	return b;
}

char *fmt_spark(char *b, size_t n, const double *v, int nv, int width, bool utf8)
{
	static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char ascii[] = "_.-=+*#@";
	size_t len = 0;
	b[0] = '\0';
	if (width <= 0 || nv <= 0)
		return b;
	int start = nv > width ? nv - width : 0;
	double mx = -INFINITY, mn = INFINITY;
	for (int i = start; i < nv; i++) {
		if (isnan(v[i]))
			continue;
		if (v[i] > mx)
			mx = v[i];
		if (v[i] < mn)
			mn = v[i];
	}
	if (mn == INFINITY)
		return b;
	/* Scale from just below the minimum, so a flat line sits low and
	 * a small change is still visible. */
	double lo = mn >= 0 ? mn * 0.9 : mn, span = mx - lo;
	for (int i = start; i < nv; i++) {
		const char *s;
		char one[2] = {' ', '\0'};
		if (isnan(v[i])) {
			s = one;
		} else {
			int lvl = span > 0 ? (int)((v[i] - lo) / span * 7.0 + 0.5) : 0;
			lvl = lvl < 0 ? 0 : lvl > 7 ? 7 : lvl;
			if (utf8) {
				s = blocks[lvl];
			} else {
				one[0] = ascii[lvl];
				s = one;
			}
		}
		size_t k = strlen(s);
		if (len + k + 1 > n)
			break;
		memcpy(b + len, s, k);
		len += k;
		b[len] = '\0';
	}
	return b;
}

char *fmt_clean(char *b, size_t n, const char *s)
{
	char *c = utf8_sanitize(s ? s : "");
	str_copy(b, c, n);
	free(c);
	/* str_copy may have cut a multibyte character: drop a broken tail. */
	size_t len = strlen(b), i = len;
	while (i > 0 && ((unsigned char)b[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0 && ((unsigned char)b[i - 1] & 0x80)) {
		unsigned char lead = (unsigned char)b[i - 1];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		if (len - (i - 1) < need)
			b[i - 1] = '\0';
	}
	return b;
}

const char *ui_frame_name(const struct snapshot *s, int f)
{
	const struct snap_profile *p = s->profile;
	if (!p || f < 0 || f >= p->nframes)
		return NULL;
	return p->frames[f].function;
}

const char *ui_thread_function(const struct snapshot *s, const struct snap_thread *t)
{
	const char *fn = ui_frame_name(s, t->top_frame);
	if (fn)
		return fn;
	if (t->stack && t->nstack > 0)
		return ui_frame_name(s, t->stack[0]);
	return NULL;
}

int ui_thread_index(const struct snapshot *s, int tid)
{
	if (!s || !s->threads)
		return -1;
	for (int i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return i;
	return -1;
}

int ui_fd_limit(const struct view *v, int y, int x, const struct snap_fds *fds, const char *sep,
		const char *unlimited)
{
	if (fds->limit > 0 && fds->limit != INT64_MAX) {
		double pct = (double)fds->open * 100.0 / (double)fds->limit;
		return view_printf(v, y, x, pct >= 90 ? CV_ALERT : pct >= 70 ? CV_WARN : CV_NORMAL,
				   "%s%lld (%.0f%%)", sep, (long long)fds->limit, pct);
	}
	if (fds->limit == INT64_MAX)
		return view_put(v, y, x, CV_NORMAL, unlimited);
	return x;
}

int ui_check_style(enum check_status status)
{
	if (status == CHECK_ST_ALERT)
		return CV_ALERT;
	if (status == CHECK_ST_WARN)
		return CV_WARN;
	if (status == CHECK_ST_OK)
		return CV_OK;
	if (status == CHECK_ST_MANUAL)
		return CV_LABEL;
	return CV_DIM;
}

/* End of the line that starts at p in `width` columns: as many
 * characters as fit, cut after the last blank when the text goes on. */
static const char *line_end(const char *p, int width)
{
	const char *end = p, *cut = NULL;
	int cols = 0;
	while (*end && cols < width) {
		if (*end == ' ')
			cut = end;
		end++;
		while ((*end & 0xC0) == 0x80)
			end++;
		cols++;
	}
	if (*end && *end != ' ' && cut && cut > p)
		end = cut;
	return end;
}

int ui_wrap_rows(const char *text, int width)
{
	int rows = 0;
	const char *p = text;
	if (width < 1)
		width = 1;
	while (*p) {
		p = line_end(p, width);
		while (*p == ' ')
			p++;
		rows++;
	}
	return rows;
}

int ui_wrap(const struct view *v, int y, int x, int style, const char *text, int maxrows)
{
	char clean[2048];
	fmt_clean(clean, sizeof(clean), text);
	const char *p = clean;
	int width = v->w - x;
	if (width < 10)
		width = 10;
	for (int r = 0; r < maxrows && *p && y < v->h; r++) {
		const char *end = line_end(p, width);
		char line[2048];
		size_t n = (size_t)(end - p);
		memcpy(line, p, n);
		line[n] = '\0';
		view_put(v, y++, x, style, line);
		p = end;
		while (*p == ' ')
			p++;
	}
	return y;
}

bool ui_match(const char *hay, const char *needle)
{
	if (!needle || !needle[0])
		return true;
	if (!hay)
		return false;
	size_t nl = strlen(needle);
	for (const char *h = hay; *h; h++) {
		size_t i = 0;
		while (i < nl && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == nl)
			return true;
	}
	return false;
}

void ui_title(const struct view *v, int pane, const struct ui_list *l, bool focused, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	int style = focused ? CV_BAR_FOCUS : CV_BAR;
	view_fill(v, 0, style);
	const struct pane *p = ui_panes[pane];
	int x = view_printf(v, 0, 0, style, " %c %s", p->hotkey, p->title);
	if (l->filter[0]) {
		char clean[80];
		x = view_printf(v, 0, x, style, " [filter: %s]", fmt_clean(clean, sizeof(clean), l->filter));
	}
	if (buf[0])
		view_printf(v, 0, x, style, " - %s", buf);
}
