/*
 * triage_evidence.c - what several checklist rules read the snapshot
 * through: trends over the history (a least-squares slope of the thread,
 * fd, RSS or goroutine count, when the history is long enough to judge
 * one, the growth's status against a rule's bars, and the evidence that
 * says so), the process's CPU smoothed over the last history points, the
 * thread count, and the most frequent of a set of strings.
 *
 * Why apart: the resource rules and the wait rules both use them; the
 * rules' files then hold only the rules.
 */
#include "triage_rules.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- history trends ----------------------------------------------------- */


static int64_t hval(const struct snap_hist *h, enum hfield f)
{
	switch (f) {
	case H_THREADS: return h->threads;
	case H_FDS: return h->fds;
	case H_RSS: return h->rss_kb;
	case H_GOROUTINES: return h->goroutines;
	}
	return SNAP_UNKNOWN;
}


struct trend triage_trend_of(const struct snapshot *s, enum hfield f)
{
	struct trend t = {0};
	double sx = 0, sy = 0, sxx = 0, sxy = 0, t0 = NAN, prev = NAN;
	for (int i = 0; i < s->nhistory; i++) {
		int64_t v = hval(&s->history[i], f);
		if (v < 0)
			continue;
		double x = s->history[i].t, y = (double)v;
		if (isnan(t0)) {
			t0 = x;
			t.first = t.min = t.max = y;
		}
		x -= t0;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
		t.n++;
		t.span = x;
		t.last = y;
		t.min = y < t.min ? y : t.min;
		t.max = y > t.max ? y : t.max;
		if (!isnan(prev)) {
			t.ups += y > prev;
			t.downs += y < prev;
		}
		prev = y;
	}
	double d = t.n * sxx - sx * sx;
	t.slope = t.n >= 2 && d > 0 ? (t.n * sxy - sx * sy) / d : 0;
	t.rise = t.slope * t.span;
	t.ok = t.n >= TREND_MIN_POINTS && t.span >= TREND_MIN_SPAN_S;
	return t;
}

int triage_growth_status(const struct trend *t, double warn_abs, double warn_pct,
			 double alert_abs, double alert_pct)
{
	double base = t->first > 0 ? t->first : 1;
	double pct = 100.0 * t->rise / base;
	/* Only a rise that the latest point still shows counts. */
	if (t->last - t->first < t->rise / 2)
		return ST_OK;
	if (t->rise >= alert_abs && pct >= alert_pct)
		return ST_ALERT;
	if (t->rise >= warn_abs && pct >= warn_pct)
		return ST_WARN;
	return ST_OK;
}

void triage_trend_evidence(struct verdict *v, const char *what, const struct trend *t, bool kb)
{
	char a[32], b[32], r[32];
	double per = t->span >= 120 ? 60.0 : 1.0;
	const char *unit = per > 1 ? "min" : "s";
	if (kb) {
		units_kib(a, sizeof(a), t->first, 0);
		units_kib(b, sizeof(b), t->last, 0);
		units_kib(r, sizeof(r), t->slope * per, UNITS_SIGNED);
	} else {
		snprintf(a, sizeof(a), "%.0f", t->first);
		snprintf(b, sizeof(b), "%.0f", t->last);
		snprintf(r, sizeof(r), "%.1f", t->slope * per);
	}
	char w[32];
	EV(v, "%s %s -> %s %s (fitted %s%s/%s; up in %d, down in %d of %d steps)", what, a, b,
	   units_window(w, sizeof(w), t->span), t->slope >= 0 ? "+" : "", r, unit, t->ups, t->downs,
	   t->n - 1);
}

bool triage_trend_too_short(struct verdict *v, const char *what, const struct trend *t)
{
	if (t->ok)
		return false;
	v->st = ST_UNKNOWN;
	if (t->n == 0)
		EV(v, "%s not recorded in the history", what);
	else
		EV(v, "history too short to judge a slope: %d point%s over %.0f s (need %d over %.0f s); "
		   "keep watching or take a longer --duration", t->n, t->n == 1 ? "" : "s", t->span,
		   TREND_MIN_POINTS, TREND_MIN_SPAN_S);
	return true;
}

/* ---- helpers over threads ----------------------------------------------- */

void triage_cpu_figures(const struct snapshot *s, double *user, double *sys, double *span)
{
	*user = s->proc.cpu_user_pct;
	*sys = s->proc.cpu_sys_pct;
	*span = s->window_s;
	if (!isnan(s->window_s) && s->window_s >= 5.0)
		return;
	double u = 0, y = 0;
	int n = 0;
	for (int i = s->nhistory - 1; i >= 0 && n < CPU_RECENT_S; i--) {
		const struct snap_hist *h = &s->history[i];
		if (isnan(h->cpu_user_pct) || isnan(h->cpu_sys_pct))
			continue;
		u += h->cpu_user_pct;
		y += h->cpu_sys_pct;
		n++;
	}
	if (n >= 3 && (isnan(*span) || n > *span)) {
		*user = u / n;
		*sys = y / n;
		*span = n;
	}
}

int64_t triage_nthreads_of(const struct snapshot *s)
{
	if (s->threads && s->nthreads > 0)
		return s->nthreads;
	return s->proc.threads;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *triage_most_common(const char **keys, int n, int *count)
{
	qsort(keys, (size_t)n, sizeof(*keys), cmp_strp);
	const char *best = NULL;
	*count = 0;
	for (int i = 0; i < n;) {
		int k = i;
		while (k < n && strcmp(keys[k], keys[i]) == 0)
			k++;
		if (k - i > *count) {
			*count = k - i;
			best = keys[i];
		}
		i = k;
	}
	return best;
}
