/*
 * tui.c - the live screen: a header of process-wide figures with small
 * trends, and a scrollable, sortable thread table.
 *
 * The screen is redrawn from the latest snapshot; keys are read with a
 * short timeout so they are answered promptly between collections and
 * stack-sampling rounds (which run in this loop at the sampling rate).
 * The lower half shows threads or top functions (Tab). The
 * terminal is restored on quit, on SIGINT/SIGTERM/SIGHUP (the handler only
 * sets a flag; this loop does endwin) and from fatal() through the
 * cleanup hook. A terminal smaller than 80x24 gets a message instead of a
 * mangled layout.
 */
#include "tui.h"
#include "cdtop.h"
#include "profile.h"
#include "util.h"

#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum sort_key { SORT_CPU, SORT_BLOCKED, SORT_TID, SORT_STATE };

enum pane { PANE_THREADS, PANE_FUNCS };

struct tui {
	struct session *ss;
	struct snapshot *snap;
	double delay;
	enum pane pane;
	const char *mode;               /* "auto", "cpu" or "wall" */
	const char *stacks_off;
	int scroll;
	int cursor;                     /* selected row of the threads pane */
	int tid_filter;                 /* top functions of this thread only; 0 = all */
	enum sort_key sort;
	bool utf8, color;
	bool exited;
	char status[600];
};

static void tui_cleanup(void)
{
	if (!isendwin())
		endwin();
}

/* Sparkline of the last `width` values (NAN skipped as a gap). */
static void draw_spark(struct tui *t, const double *v, int n, int width)
{
	static const char *blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char ascii[] = "_.-=+*#@";
	int start = n > width ? n - width : 0;
	double mx = 0, mn = INFINITY;
	for (int i = start; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (v[i] > mx)
			mx = v[i];
		if (v[i] < mn)
			mn = v[i];
	}
	if (mn == INFINITY)
		return;
	double lo = mn * 0.9, span = mx - lo;
	for (int i = start; i < n; i++) {
		if (isnan(v[i])) {
			addch(' ');
			continue;
		}
		int lvl = span > 0 ? (int)((v[i] - lo) / span * 7.0 + 0.5) : 3;
		if (lvl < 0)
			lvl = 0;
		if (lvl > 7)
			lvl = 7;
		if (t->utf8)
			addstr(blocks[lvl]);
		else
			addch((chtype)ascii[lvl]);
	}
}

static const char *kb_str(char *b, size_t n, int64_t kb)
{
	if (kb < 0)
		return "-";
	if (kb >= 10 * 1024 * 1024)
		snprintf(b, n, "%.1fG", (double)kb / 1048576.0);
	else if (kb >= 10 * 1024)
		snprintf(b, n, "%.0fM", (double)kb / 1024.0);
	else
		snprintf(b, n, "%lldK", (long long)kb);
	return b;
}

static const char *pct_str(char *b, size_t n, double v)
{
	if (isnan(v))
		return "-";
	snprintf(b, n, "%.1f%%", v);
	return b;
}

static const char *rate_str(char *b, size_t n, double v)
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

static const char *dur_str(char *b, size_t n, double s)
{
	if (isnan(s))
		return "-";
	if (s < 60)
		snprintf(b, n, "%.1fs", s);
	else if (s < 3600)
		snprintf(b, n, "%dm%02ds", (int)s / 60, (int)s % 60);
	else if (s < 86400)
		snprintf(b, n, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
	else
		snprintf(b, n, "%dd%02dh", (int)s / 86400, ((int)s % 86400) / 3600);
	return b;
}

static enum sort_key cur_sort;

static double thread_cpu(const struct snap_thread *t)
{
	return (isnan(t->cpu_user_pct) ? 0 : t->cpu_user_pct) + (isnan(t->cpu_sys_pct) ? 0 : t->cpu_sys_pct);
}

static int state_rank(char s)
{
	switch (s) {
	case 'R': return 0;
	case 'D': return 1;
	case 'T': case 't': return 2;
	case 'S': return 3;
	default: return 4;
	}
}

static int cmp_threads(const void *a, const void *b)
{
	const struct snap_thread *x = a, *y = b;
	double dx, dy;
	switch (cur_sort) {
	case SORT_CPU:
		dx = thread_cpu(x), dy = thread_cpu(y);
		if (dx != dy)
			return dx < dy ? 1 : -1;
		break;
	case SORT_BLOCKED:
		dx = isnan(x->blocked_s) ? -1 : x->blocked_s;
		dy = isnan(y->blocked_s) ? -1 : y->blocked_s;
		if (dx != dy)
			return dx < dy ? 1 : -1;
		break;
	case SORT_STATE:
		if (state_rank(x->state) != state_rank(y->state))
			return state_rank(x->state) - state_rank(y->state);
		break;
	case SORT_TID:
		break;
	}
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static void style_on(struct tui *t, int pair, int attrs)
{
	if (t->color && pair)
		attron(COLOR_PAIR(pair));
	attron(attrs);
}

static void style_off(struct tui *t, int pair, int attrs)
{
	if (t->color && pair)
		attroff(COLOR_PAIR(pair));
	attroff(attrs);
}

static void label(struct tui *t, int y, const char *l)
{
	move(y, 0);
	style_on(t, 1, A_BOLD);
	addstr(l);
	style_off(t, 1, A_BOLD);
}

static void draw_header(struct tui *t)
{
	const struct snapshot *s = t->snap;
	const struct snap_process *p = &s->proc;
	char a[32], b[32], c[32], d[32], e[32];
	int cols = COLS;

	move(0, 0);
	style_on(t, 2, A_REVERSE);
	char clock[16];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	char *comm = utf8_sanitize(p->comm);
	char line[512];
	snprintf(line, sizeof(line), " cdtop %s  PID %d (%s)  state %c  up %s  %s  every %.1fs  %s ",
		 s->cdtop_version, p->pid, comm, p->state, dur_str(a, sizeof(a), p->uptime_s),
		 p->runtime, t->delay, clock);
	free(comm);
	printw("%-*.*s", cols, cols, line);
	style_off(t, 2, A_REVERSE);

	/* CPU with a trend of the history. */
	double hist[256];
	int nh = s->nhistory < 256 ? s->nhistory : 256;
	int h0 = s->nhistory - nh;
	label(t, 1, "CPU ");
	printw(" user %-7s sys %-7s total %-7s ", pct_str(a, sizeof(a), p->cpu_user_pct),
	       pct_str(b, sizeof(b), p->cpu_sys_pct), pct_str(c, sizeof(c), p->cpu_total_pct));
	for (int i = 0; i < nh; i++)
		hist[i] = s->history[h0 + i].cpu_user_pct + s->history[h0 + i].cpu_sys_pct;
	int x = getcurx(stdscr);
	if (cols - x > 4)
		draw_spark(t, hist, nh, cols - x - 1);

	label(t, 2, "MEM ");
	printw(" RSS %-6s anon %-6s file %-6s shmem %-6s VSZ %-6s swap %-5s ",
	       kb_str(a, sizeof(a), p->rss_kb), kb_str(b, sizeof(b), p->rss_anon_kb),
	       kb_str(c, sizeof(c), p->rss_file_kb), kb_str(d, sizeof(d), p->rss_shmem_kb),
	       kb_str(e, sizeof(e), p->vsz_kb), kb_str(line, sizeof(line), p->swap_kb));
	for (int i = 0; i < nh; i++)
		hist[i] = s->history[h0 + i].rss_kb < 0 ? NAN : (double)s->history[h0 + i].rss_kb;
	x = getcurx(stdscr);
	if (cols - x > 4)
		draw_spark(t, hist, nh, cols - x - 1);

	int nr = 0, ns = 0, nd = 0, no = 0;
	for (int i = 0; i < s->nthreads; i++) {
		switch (s->threads[i].state) {
		case 'R': nr++; break;
		case 'S': case 'I': ns++; break;
		case 'D': nd++; break;
		default: no++; break;
		}
	}
	label(t, 3, "THR ");
	printw(" %lld threads: %d run, %d sleep, ", (long long)p->threads, nr, ns);
	if (nd)
		style_on(t, 3, A_BOLD);
	printw("%d disk(D)", nd);
	if (nd)
		style_off(t, 3, A_BOLD);
	printw(", %d other   ctxsw/s vol %s invol %s   faults/s min %s maj %s", no,
	       rate_str(a, sizeof(a), p->ctx_vol_per_s), rate_str(b, sizeof(b), p->ctx_invol_per_s),
	       rate_str(c, sizeof(c), p->flt_min_per_s), rate_str(d, sizeof(d), p->flt_maj_per_s));

	label(t, 4, "FD  ");
	if (p->fds.open >= 0) {
		printw(" %lld open", (long long)p->fds.open);
		if (p->fds.limit > 0 && p->fds.limit != INT64_MAX)
			printw(" of %lld (%.0f%%)", (long long)p->fds.limit,
			       (double)p->fds.open * 100.0 / (double)p->fds.limit);
		printw(": file %lld sock %lld pipe %lld anon %lld other %lld",
		       (long long)p->fds.file, (long long)p->fds.socket, (long long)p->fds.pipe,
		       (long long)p->fds.anon_inode, (long long)p->fds.other);
	} else {
		printw(" unknown (no permission)");
	}
	printw("   IO/s r %sB w %sB", rate_str(a, sizeof(a), p->io_read_bps),
	       rate_str(b, sizeof(b), p->io_write_bps));

	label(t, 5, "TCP ");
	if (p->tcp.known) {
		static const int shown[] = {TCP_ST_ESTABLISHED, TCP_ST_CLOSE_WAIT, TCP_ST_TIME_WAIT,
					    TCP_ST_LISTEN, TCP_ST_SYN_SENT, TCP_ST_FIN_WAIT2};
		static const char *const names[] = {"ESTAB", "CLOSE_WAIT", "TIME_WAIT", "LISTEN",
						    "SYN_SENT", "FIN_WAIT2"};
		for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
			bool hot = shown[i] == TCP_ST_CLOSE_WAIT && p->tcp.count[shown[i]] > 0;
			if (hot)
				style_on(t, 3, A_BOLD);
			printw(" %s %lld ", names[i], (long long)p->tcp.count[shown[i]]);
			if (hot)
				style_off(t, 3, A_BOLD);
		}
	} else {
		printw(" unknown");
	}
	label(t, 6, "CGRP");
	char *cg = p->cgroup_path ? utf8_sanitize(p->cgroup_path) : NULL;
	printw(" %s   CPU throttled %s of periods", cg ? cg : "-",
	       pct_str(a, sizeof(a), p->cgroup_throttled_pct));
	free(cg);
}

static void draw_threads(struct tui *t, int top, int bottom)
{
	struct snapshot *s = t->snap;
	char a[32], b[32], c[32];
	move(top, 0);
	style_on(t, 2, A_REVERSE);
	char hdr[256];
	snprintf(hdr, sizeof(hdr), "%8s %-16s %s %7s %7s %-16s %-20s %9s", "TID", "NAME", "S",
		 "USER%", "SYS%", "SYSCALL", "WCHAN", "BLOCKED");
	printw("%-*.*s", COLS, COLS, hdr);
	style_off(t, 2, A_REVERSE);
	if (!s->threads) {
		mvprintw(top + 1, 0, " thread list unavailable (see the status line)");
		return;
	}
	int rows = bottom - top - 1;
	if (t->cursor >= s->nthreads)
		t->cursor = s->nthreads - 1;
	if (t->cursor < 0)
		t->cursor = 0;
	if (t->cursor < t->scroll)
		t->scroll = t->cursor;
	if (t->cursor >= t->scroll + rows)
		t->scroll = t->cursor - rows + 1;
	if (t->scroll > s->nthreads - rows)
		t->scroll = s->nthreads - rows;
	if (t->scroll < 0)
		t->scroll = 0;
	for (int i = 0; i < rows && t->scroll + i < s->nthreads; i++) {
		const struct snap_thread *th = &s->threads[t->scroll + i];
		char *nm = utf8_sanitize(th->name), nmcol[80];
		utf8_cols(nmcol, sizeof(nmcol), nm, 16, true);
		move(top + 1 + i, 0);
		bool sel = t->scroll + i == t->cursor;
		int pair = th->state == 'R' ? 4 : th->state == 'D' ? 3 : 0;
		style_on(t, sel ? 0 : pair, sel ? A_REVERSE : 0);
		char row[256];
		snprintf(row, sizeof(row), "%8d %s %c %7s %7s %-16.16s %-20.20s %9s", th->tid, nmcol,
			 th->state, pct_str(a, sizeof(a), th->cpu_user_pct),
			 pct_str(b, sizeof(b), th->cpu_sys_pct), th->syscall[0] ? th->syscall : "-",
			 th->wchan[0] ? th->wchan : "-", dur_str(c, sizeof(c), th->blocked_s));
		printw("%-*.*s", sel ? COLS : 0, COLS, row);
		style_off(t, sel ? 0 : pair, sel ? A_REVERSE : 0);
		free(nm);
	}
}

static void draw_funcs(struct tui *t, int top, int bottom)
{
	struct snap_profile *p = t->snap->profile;
	move(top, 0);
	style_on(t, 2, A_REVERSE);
	char hdr[256];
	char scope[96] = "all threads";
	if (t->tid_filter)
		snprintf(scope, sizeof(scope), "thread %d only, a: all threads", t->tid_filter);
	snprintf(hdr, sizeof(hdr), "%8s %6s %8s %6s  FUNCTION (MODULE)   [%s, %s]", "FLAT", "FLAT%",
		 "CUM", "CUM%", p ? p->mode : "-", scope);
	printw("%-*.*s", COLS, COLS, hdr);
	style_off(t, 2, A_REVERSE);
	if (!p) {
		mvprintw(top + 1, 0, " no stacks: %.*s", COLS - 12, t->stacks_off ? t->stacks_off : "");
		return;
	}
	int rows = bottom - top - 1;
	if (t->scroll > p->ntop - rows)
		t->scroll = p->ntop - rows;
	if (t->scroll < 0)
		t->scroll = 0;
	for (int i = 0; i < rows && t->scroll + i < p->ntop; i++) {
		const struct snap_top *r = &p->top[t->scroll + i];
		const char *mod = strrchr(p->frames[r->frame].module, '/');
		char *fn = utf8_sanitize(p->frames[r->frame].function);
		char row[1024];
		snprintf(row, sizeof(row), "%8lld %5.1f%% %8lld %5.1f%%  %s (%s)", (long long)r->flat,
			 r->flat_pct, (long long)r->cum, r->cum_pct, fn,
			 mod ? mod + 1 : p->frames[r->frame].module);
		free(fn);
		char cut[1024];
		utf8_cols(cut, sizeof(cut), row, COLS, false);
		mvaddstr(top + 1 + i, 0, cut);
	}
}

static void draw(struct tui *t)
{
	erase();
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		mvprintw(0, 0, "terminal too small: %dx%d,", COLS, LINES);
		mvprintw(1, 0, "cdtop needs %dx%d.", TUI_MIN_COLS, TUI_MIN_LINES);
		mvprintw(2, 0, "Resize, or q to quit.");
		refresh();
		return;
	}
	draw_header(t);
	const struct snap_profile *p = t->snap->profile;
	label(t, 7, "STK ");
	if (p) {
		char a[32], b[32];
		printw(" %s mode, %lld samples over %.0fs at %.0f Hz; stops p50 %sus max %sus",
		       p->mode, (long long)p->samples, p->duration_s, p->frequency_hz,
		       isnan(p->pause_us_p50) ? "-" : (snprintf(a, sizeof(a), "%.0f", p->pause_us_p50), a),
		       isnan(p->pause_us_max) ? "-" : (snprintf(b, sizeof(b), "%.0f", p->pause_us_max), b));
		if (p->status[0]) {
			style_on(t, 3, A_BOLD);
			printw("  %.*s", COLS > 100 ? COLS - 100 : 0, p->status);
			style_off(t, 3, A_BOLD);
		}
	} else {
		printw(" off: %.*s", COLS - 10, t->stacks_off ? t->stacks_off : "");
	}
	if (t->pane == PANE_FUNCS)
		draw_funcs(t, 8, LINES - 1);
	else
		draw_threads(t, 8, LINES - 1);
	move(LINES - 1, 0);
	style_on(t, 2, A_REVERSE);
	static const char *sort_names[] = {"cpu", "blocked", "tid", "state"};
	char foot[700];
	if (t->status[0])
		snprintf(foot, sizeof(foot), " %s", t->status);
	else
		snprintf(foot, sizeof(foot), " q quit  Tab threads/functions  Enter thread's functions  "
			 "w cpu/wall  z reset  sort c b t S [%s]", sort_names[t->sort]);
	printw("%-*.*s", COLS, COLS, foot);
	style_off(t, 2, A_REVERSE);
	refresh();
}

/* Recompute the top functions for the chosen mode and thread. */
static void apply_view(struct tui *t)
{
	struct snap_profile *p = t->snap->profile;
	if (p && (t->tid_filter || strcmp(t->mode, "auto") != 0))
		profile_compute_top(p, strcmp(t->mode, "auto") ? t->mode : p->mode, t->tid_filter);
}

/* Take a new snapshot of the observer and the profile. */
static void refresh_snapshot(struct tui *t)
{
	snapshot_free(t->snap);
	t->snap = session_snapshot(t->ss, OBS_WINDOW_LAST, t->mode);
	/* Keep the thread list in the order shown (cursor stays put). */
	cur_sort = t->sort;
	if (t->snap->threads)
		qsort(t->snap->threads, (size_t)t->snap->nthreads, sizeof(*t->snap->threads), cmp_threads);
	apply_view(t);
}

/* Move the cursor or scroll the pane by d rows. */
static void move_by(struct tui *t, int d)
{
	if (t->pane == PANE_THREADS)
		t->cursor += d;
	else
		t->scroll += d;
}

int tui_run(struct session *ss, const struct tui_opts *opts, char *err, size_t errlen)
{
	double delay = opts->delay;
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		snprintf(err, errlen, "cannot use the terminal (TERM=%s): use --snapshot FILE instead",
			 getenv("TERM") ? getenv("TERM") : "unset");
		return CDTOP_EXIT_TERMINAL;
	}
	fatal_set_cleanup(tui_cleanup);
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		int c = COLS, l = LINES;
		endwin();
		delscreen(scr);
		snprintf(err, errlen, "terminal too small: %dx%d, cdtop needs at least %dx%d", c, l,
			 TUI_MIN_COLS, TUI_MIN_LINES);
		return CDTOP_EXIT_TERMINAL;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(100);

	struct tui t = {.ss = ss, .delay = delay, .mode = opts->mode,
			.stacks_off = session_stacks_off(ss)};
	const char *cs = nl_langinfo(CODESET);
	t.utf8 = cs && strcmp(cs, "UTF-8") == 0;
	t.color = has_colors() && !getenv("NO_COLOR");
	if (t.color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_CYAN, -1);
		init_pair(2, COLOR_BLACK, COLOR_CYAN);
		init_pair(3, COLOR_RED, -1);
		init_pair(4, COLOR_GREEN, -1);
	}
	const char *const *w = session_warnings(ss);
	if (w[0])
		snprintf(t.status, sizeof(t.status), "%s", w[0]);

	/* A first rate needs two readings: take the second one shortly. */
	double next = now_mono() + (delay < 0.5 ? delay : 0.5);
	refresh_snapshot(&t);
	draw(&t);
	int rc = CDTOP_EXIT_OK;
	while (!cdtop_interrupted()) {
		/* Wait for a key at most until the next sampling round. */
		int wait_ms = 100;
		if (!t.exited) {
			double due = session_tick(ss);
			if (due >= 0 && due * 1000 < wait_ms)
				wait_ms = due > 0 ? (int)(due * 1000) + 1 : 0;
		}
		timeout(wait_ms);
		int ch = getch();
		bool redraw = false;
		switch (ch) {
		case 'q': case 'Q':
			goto out;
		case KEY_RESIZE:
			redraw = true;
			break;
		case KEY_DOWN: move_by(&t, 1); redraw = true; break;
		case KEY_UP: move_by(&t, -1); redraw = true; break;
		case KEY_NPAGE: move_by(&t, LINES - 10); redraw = true; break;
		case KEY_PPAGE: move_by(&t, -(LINES - 10)); redraw = true; break;
		case KEY_HOME: t.scroll = t.cursor = 0; redraw = true; break;
		case KEY_END: move_by(&t, 1 << 29); redraw = true; break;
		case '\n': case KEY_ENTER:
			if (t.pane == PANE_THREADS && t.snap->threads && t.snap->nthreads) {
				t.tid_filter = t.snap->threads[t.cursor < t.snap->nthreads ? t.cursor : 0].tid;
				t.pane = PANE_FUNCS;
				t.scroll = 0;
				apply_view(&t);
				redraw = true;
			}
			break;
		case 'a':
			t.tid_filter = 0;
			if (t.snap->profile)
				profile_compute_top(t.snap->profile, t.snap->profile->mode, 0);
			redraw = true;
			break;
		case 'c': case 'b': case 't': case 'S':
			t.sort = ch == 'c' ? SORT_CPU : ch == 'b' ? SORT_BLOCKED : ch == 't' ? SORT_TID : SORT_STATE;
			cur_sort = t.sort;
			if (t.snap->threads)
				qsort(t.snap->threads, (size_t)t.snap->nthreads, sizeof(*t.snap->threads), cmp_threads);
			redraw = true;
			break;
		case '\t':
			t.pane = t.pane == PANE_THREADS ? PANE_FUNCS : PANE_THREADS;
			t.scroll = 0;
			redraw = true;
			break;
		case 'w':
			if (t.snap->profile) {
				t.mode = strcmp(t.snap->profile->mode, "cpu") == 0 ? "wall" : "cpu";
				apply_view(&t);
				redraw = true;
			}
			break;
		case 'z':
			if (!t.stacks_off) {
				session_reset_profile(ss);
				refresh_snapshot(&t);
				redraw = true;
			}
			break;
		default: break;
		}
		if (!t.exited && now_mono() >= next) {
			char perr[CDTOP_ERRLEN];
			int prc = session_poll(ss, perr, sizeof(perr));
			if (prc == CDTOP_EXIT_EXITED) {
				t.exited = true;
				snprintf(t.status, sizeof(t.status), "%s; showing its last state. q quits", perr);
			} else if (prc != CDTOP_EXIT_OK) {
				str_copy(err, perr, errlen);
				rc = prc;
				goto out;
			} else {
				refresh_snapshot(&t);
			}
			next = now_mono() + delay;
			redraw = true;
		}
		if (redraw)
			draw(&t);
	}
out:
	endwin();
	delscreen(scr);
	fatal_set_cleanup(NULL);
	snapshot_free(t.snap);
	return rc;
}
