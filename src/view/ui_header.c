/*
 * ui_header.c - the lines at the top that never scroll away: who the
 * target is and whether what you see is live, frozen, a replay or the
 * last state of a process that exited; then the resources an on-call
 * engineer checks first (CPU user/sys and its trend, RSS and its trend,
 * threads and goroutines, fds against the limit, the TCP states that
 * matter), how stacks are sampled and what that costs the target, and
 * the worst checklist verdict.
 *
 * Four rows at any width; wide terminals get more detail on each row.
 * Every figure shows "-" when unknown, never a made-up zero.
 */
#include "ui_pane.h"
#include "triage.h"
#include "units.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HEADER_ROWS 4
#define SPARK_POINTS 60

int ui_header_rows(int width)
{
	(void)width;
	return HEADER_ROWS;
}

/* Sparkline of one history series (last SPARK_POINTS points). */
static char *history_spark(const struct ui *u, char *b, size_t n, int width, bool rss)
{
	const struct snapshot *s = u->snap;
	double v[SPARK_POINTS];
	int nh = s->nhistory < SPARK_POINTS ? s->nhistory : SPARK_POINTS;
	int h0 = s->nhistory - nh;
	for (int i = 0; i < nh; i++) {
		const struct snap_hist *h = &s->history[h0 + i];
		if (rss)
			v[i] = h->rss_kb < 0 ? NAN : (double)h->rss_kb;
		else
			v[i] = (isnan(h->cpu_user_pct) ? 0 : h->cpu_user_pct) +
			       (isnan(h->cpu_sys_pct) ? 0 : h->cpu_sys_pct);
	}
	return fmt_spark(b, n, v, nh, width, u->opts.utf8);
}

/* Row 0: the title bar with the mark (LIVE, FROZEN, REPLAY, EXITED). */
static void title_row(const struct ui *u, const struct view *v)
{
	const struct snapshot *s = u->snap;
	const struct snap_process *p = &s->proc;
	char comm[80], up[32], when[32] = "--:--:--";
	view_fill(v, 0, CV_BAR);
	if (!isnan(s->taken_at)) {
		time_t t = (time_t)s->taken_at;
		struct tm tm;
		if (u->opts.replay) {
			gmtime_r(&t, &tm);
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
		} else {
			localtime_r(&t, &tm);
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		}
	}
	int x = view_printf(v, 0, 0, CV_BAR, " cdtop  PID %d (%s)  up %s  %s", p->pid,
			    fmt_clean(comm, sizeof(comm), p->comm), fmt_dur(up, sizeof(up), p->uptime_s),
			    proc_runtime_name(p->runtime));
	if (v->w >= 100 && !u->opts.replay)
		x = view_printf(v, 0, x, CV_BAR, "  every %.1fs", u->opts.delay);
	(void)x;
	/* The mark and the time of the data, right-aligned. */
	const char *mark = u->opts.replay ? "REPLAY" : u->exited ? "EXITED" : u->frozen ? "FROZEN" : "LIVE";
	int right = (int)strlen(when) + (int)strlen(mark) + 4;
	int mx = v->w - right;
	if (mx < x + 1)
		mx = x + 1;
	int ex = view_printf(v, 0, mx, strcmp(mark, "LIVE") ? CV_MARK : CV_BAR, " %s ", mark);
	view_printf(v, 0, ex, CV_BAR, " %s", when);
}

/* Row 1: CPU and memory with trends. */
static void cpu_mem_row(const struct ui *u, const struct view *v, int row)
{
	const struct snap_process *p = &u->snap->proc;
	char a[32], b[32], c[32], sp[512];
	bool wide = v->w >= 120;
	int spark_w = wide ? 20 : 10;
	int x = view_put(v, row, 0, CV_LABEL, "CPU");
	x = view_printf(v, row, x, CV_NORMAL, " user %-6s sys %-6s", fmt_pct(a, sizeof(a), p->cpu_user_pct),
			fmt_pct(b, sizeof(b), p->cpu_sys_pct));
	if (wide)
		x = view_printf(v, row, x, CV_NORMAL, " total %-7s", fmt_pct(c, sizeof(c), p->cpu_total_pct));
	x = view_put(v, row, x + 1, CV_OK, history_spark(u, sp, sizeof(sp), spark_w, false));
	x = view_put(v, row, (x + 2 > 47 ? x + 2 : 47), CV_LABEL, "RSS");
	x = view_printf(v, row, x, CV_NORMAL, " %-7s", units_kib(a, sizeof(a), p->rss_kb, UNITS_COMPACT));
	x = view_put(v, row, x + 1, CV_OK, history_spark(u, sp, sizeof(sp), spark_w, true));
	if (!wide)
		return;
	/* The breakdown, each figure whole or not at all: a figure cut at the
	 * edge ("swap 0K" of "swap 0KiB", "VSZ 1" of "VSZ 136MiB") would read
	 * as a different value. */
	static const char *const label[] = {"anon", " file", " shmem", "  VSZ", "  swap"};
	const int64_t kib[] = {p->rss_anon_kb, p->rss_file_kb, p->rss_shmem_kb, p->vsz_kb, p->swap_kb};
	x += 2;
	for (size_t i = 0; i < sizeof(label) / sizeof(label[0]); i++) {
		char item[64];
		snprintf(item, sizeof(item), "%s %s", label[i], units_kib(a, sizeof(a), (double)kib[i], UNITS_COMPACT));
		if (x + canvas_text_cols(item, false) > v->w)
			break;
		x = view_put(v, row, x, CV_NORMAL, item);
	}
}

/* Row 2: threads (goroutines), fds against the limit, rates. */
static void threads_fds_row(const struct ui *u, const struct view *v, int row)
{
	const struct snapshot *s = u->snap;
	const struct snap_process *p = &s->proc;
	char a[32], b[32];
	int nr = 0, nd = 0;
	for (int i = 0; s->threads && i < s->nthreads; i++) {
		if (s->threads[i].state == 'R')
			nr++;
		else if (s->threads[i].state == 'D')
			nd++;
	}
	int x = view_put(v, row, 0, CV_LABEL, "THR");
	x = view_printf(v, row, x, CV_NORMAL, " %s (%d run", fmt_int(a, sizeof(a), p->threads), nr);
	x = view_printf(v, row, x, nd ? CV_ALERT : CV_NORMAL, ", %d D", nd);
	x = view_put(v, row, x, CV_NORMAL, ")");
	if (s->goroutines) {
		x = view_put(v, row, x + 2, CV_LABEL, "GO");
		x = view_printf(v, row, x, CV_NORMAL, " %s", fmt_int(a, sizeof(a), s->goroutines->count));
	}
	x = view_put(v, row, x + 2, CV_LABEL, "FD");
	if (p->fds.open >= 0) {
		x = view_printf(v, row, x, CV_NORMAL, " %lld", (long long)p->fds.open);
		x = ui_fd_limit(v, row, x, &p->fds, "/", "/unlimited");
	} else {
		x = view_put(v, row, x, CV_DIM, " - (no permission)");
	}
	x = view_put(v, row, x + 2, CV_LABEL, "CS/s");
	x = view_printf(v, row, x, CV_NORMAL, " %s/%s", fmt_count(a, sizeof(a), p->ctx_vol_per_s),
			fmt_count(b, sizeof(b), p->ctx_invol_per_s));
	if (v->w >= 120) {
		char c[32], d[32];
		x = view_put(v, row, x + 2, CV_LABEL, "FLT/s");
		x = view_printf(v, row, x, CV_NORMAL, " %s/%s", fmt_count(a, sizeof(a), p->flt_min_per_s),
				fmt_count(b, sizeof(b), p->flt_maj_per_s));
		x = view_put(v, row, x + 2, CV_LABEL, "IO/s");
		x = view_printf(v, row, x, CV_NORMAL, " r %s w %s", units_bytes(c, sizeof(c), p->io_read_bps, UNITS_COMPACT),
				units_bytes(d, sizeof(d), p->io_write_bps, UNITS_COMPACT));
		if (!isnan(p->cgroup_throttled_pct)) {
			x = view_put(v, row, x + 2, CV_LABEL, "THROTTLED");
			view_printf(v, row, x, p->cgroup_throttled_pct >= 10 ? CV_WARN : CV_NORMAL, " %s",
				    fmt_pct(a, sizeof(a), p->cgroup_throttled_pct));
		}
	}
}

/* Row 3: TCP states, sampling, and the worst checklist verdict at the
 * right edge, where nothing can push it off the screen. */
static void tcp_stacks_row(const struct ui *u, const struct view *v, int row)
{
	const struct snapshot *s = u->snap;
	const struct snap_process *p = &s->proc;
	const struct snap_profile *pr = s->profile;
	char a[32], b[32];
	/* The worst verdict of the checklist; "-" when the snapshot has none. */
	const char *worst = s->checklist ? check_status_name(triage_worst(s)) : "-";
	int cw = 6 + (int)strlen(worst);
	view_put(v, row, v->w - cw, CV_LABEL, "CHECK");
	view_printf(v, row, v->w - cw + 5, s->checklist ? ui_check_style(triage_worst(s)) : CV_DIM, " %s", worst);
	struct view left = view_sub(v, row, 0, 1, v->w - cw - 1);

	int x = view_put(&left, 0, 0, CV_LABEL, "TCP");
	if (p->tcp.known) {
		static const int st[] = {TCP_ST_ESTABLISHED, TCP_ST_CLOSE_WAIT, TCP_ST_TIME_WAIT, TCP_ST_LISTEN};
		static const char *const nm[] = {"ESTAB", "CLOSE_WAIT", "TIME_WAIT", "LISTEN"};
		static const char *const shortnm[] = {"EST", "CLOSE_W", "TIME_W", "LISTEN"};
		/* Big counts on a narrow terminal: shorter labels, so the
		 * sampling figures keep their place. */
		int len = 0;
		for (int i = 0; i < 4; i++)
			len += snprintf(a, sizeof(a), " %s %lld", nm[i], (long long)p->tcp.count[st[i]]);
		const char *const *names = v->w < 120 && len > 43 ? shortnm : nm;
		for (int i = 0; i < 4; i++) {
			int64_t n = p->tcp.count[st[i]];
			int style = st[i] == TCP_ST_CLOSE_WAIT && n > 0 ? CV_ALERT : CV_NORMAL;
			x = view_printf(&left, 0, x, style, " %s %lld", names[i], (long long)n);
		}
	} else {
		x = view_put(&left, 0, x, CV_DIM, " unknown");
	}
	x = view_put(&left, 0, (x + 2 > 47 ? x + 2 : 47), CV_LABEL, "STK");
	if (pr) {
		x = view_printf(&left, 0, x, CV_NORMAL, " %.0fHz", pr->frequency_hz);
		char pause[80];
		snprintf(pause, sizeof(pause), "%s/%sus",
			 isnan(pr->pause_us_p50) ? "-" : (snprintf(a, sizeof(a), "%.0f", pr->pause_us_p50), a),
			 isnan(pr->pause_us_max) ? "-" : (snprintf(b, sizeof(b), "%.0f", pr->pause_us_max), b));
		/* "pause" only when there is room for it. */
		bool room = left.w - x >= 8 + (int)strlen(pause);
		x = view_printf(&left, 0, x, CV_NORMAL, "%s%s", room ? " pause " : " ", pause);
		if (pr->status[0])
			view_put(&left, 0, x, CV_WARN, "!");
	} else {
		view_put(&left, 0, x, CV_WARN, " off");
	}
}

int ui_header_draw(const struct ui *u, const struct view *v)
{
	if (!u->snap) {
		view_fill(v, 0, CV_BAR);
		view_put(v, 0, 0, CV_BAR, " cdtop  waiting for the first reading...");
		return HEADER_ROWS;
	}
	title_row(u, v);
	cpu_mem_row(u, v, 1);
	threads_fds_row(u, v, 2);
	tcp_stacks_row(u, v, 3);
	return HEADER_ROWS;
}
