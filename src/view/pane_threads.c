/*
 * pane_threads.c - every thread of the target: state, CPU, what it waits
 * in (the decoded syscall argument when known: "futex 0x5600aa10",
 * "fd 7: TCP ... ESTABLISHED"), for how long, and where it is in the
 * program. Sortable like top (CPU, state, blocked time, tid, name); the
 * selected thread is followed by tid across refreshes, as htop does.
 * Enter shows the selected thread's full stack; f its top functions.
 *
 * Rows are an index over the snapshot's threads, so sorting and
 * filtering never reorder the snapshot itself (it is what `s` saves).
 */
#include "ui_pane.h"
#include "frame.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sort orders, as top has them. */
enum thread_sort { SORT_CPU, SORT_STATE, SORT_BLOCKED, SORT_TID, SORT_NAME, NSORTS };

static const char *const sort_names[NSORTS] = {"CPU", "state", "blocked", "tid", "name"};

struct threads {
	struct ui_list list;            /* first (ui_pane.h): indices into snap->threads,
					   filtered and sorted */
	enum thread_sort sort;
	bool reverse;
	int sel_tid;                    /* the thread the user moved to, followed across
					   refreshes; 0: the cursor stays on its row */
	int stack_tid;                  /* Enter: this thread's full stack is shown; 0 none */
};

_Static_assert(offsetof(struct threads, list) == 0, "a pane's state begins with its list");

static void *threads_init(void)
{
	return xcalloc(1, sizeof(struct threads));
}

static double thread_cpu(const struct snap_thread *t)
{
	if (isnan(t->cpu_user_pct) && isnan(t->cpu_sys_pct))
		return -1;
	return (isnan(t->cpu_user_pct) ? 0 : t->cpu_user_pct) + (isnan(t->cpu_sys_pct) ? 0 : t->cpu_sys_pct);
}

static int state_rank(char s)
{
	switch (s) {
	case 'R': return 0;
	case 'D': return 1;
	case 'T': case 't': return 2;
	case 'S': return 3;
	case 'I': return 4;
	default: return 5;
	}
}

/* qsort has no context argument: the sort in progress. */
static const struct snapshot *sort_snap;
static enum thread_sort sort_key;
static bool sort_rev;

static int cmp_rows(const void *a, const void *b)
{
	const struct snap_thread *x = &sort_snap->threads[*(const int *)a];
	const struct snap_thread *y = &sort_snap->threads[*(const int *)b];
	int r = 0;
	double dx, dy;
	switch (sort_key) {
	case SORT_CPU:
		dx = thread_cpu(x), dy = thread_cpu(y);
		r = dx < dy ? 1 : dx > dy ? -1 : 0;
		break;
	case SORT_STATE:
		r = state_rank(x->state) - state_rank(y->state);
		if (!r) {
			dx = isnan(x->blocked_s) ? -1 : x->blocked_s;
			dy = isnan(y->blocked_s) ? -1 : y->blocked_s;
			r = dx < dy ? 1 : dx > dy ? -1 : 0;
		}
		break;
	case SORT_BLOCKED:
		dx = isnan(x->blocked_s) ? -1 : x->blocked_s;
		dy = isnan(y->blocked_s) ? -1 : y->blocked_s;
		r = dx < dy ? 1 : dx > dy ? -1 : 0;
		break;
	case SORT_NAME:
		r = strcmp(x->name, y->name);
		break;
	case SORT_TID:
	case NSORTS:
		break;
	}
	if (!r)
		r = (x->tid > y->tid) - (x->tid < y->tid);
	return sort_rev ? -r : r;
}

static bool thread_matches(const struct snapshot *s, const struct snap_thread *t, const char *f)
{
	if (!f[0])
		return true;
	char tid[16];
	snprintf(tid, sizeof(tid), "%d", t->tid);
	return ui_match(t->name, f) || strstr(tid, f) || ui_match(ui_thread_function(s, t), f) ||
	       ui_match(t->syscall_arg, f) || ui_match(t->syscall, f);
}

static void threads_refresh(void *data, const struct ui *u, const struct snapshot *s)
{
	(void)u;
	struct threads *th = data;
	struct ui_list *l = &th->list;
	ui_list_reset(l, s->threads ? s->nthreads : 0);
	if (!s->threads)
		return;
	for (int i = 0; i < s->nthreads; i++)
		if (thread_matches(s, &s->threads[i], l->filter))
			ui_list_add(l, i);
	sort_snap = s;
	sort_key = th->sort;
	sort_rev = th->reverse;
	ui_list_sort(l, cmp_rows);
	sort_snap = NULL;
	/* A thread the user picked stays selected when the order changes;
	 * until then the cursor stays on its row (the top: the busiest). */
	if (th->sel_tid) {
		for (int r = 0; r < l->nrows; r++)
			if (s->threads[l->rows[r]].tid == th->sel_tid) {
				l->cursor = r;
				return;
			}
	}
	ui_list_move(l, 0);
}

/* The thread moved to is followed; back at the top, the top row is. */
static void threads_moved(void *data, const struct snapshot *s)
{
	struct threads *th = data;
	int i = ui_list_selected(&th->list);
	if (i >= 0)
		th->sel_tid = th->list.cursor == 0 ? 0 : s->threads[i].tid;
}

/* What the thread waits in: the decoded argument, else syscall/wchan.
 * In a narrow column a socket keeps its peer, which says more than our
 * own address: "fd 7: TCP a -> b ESTABLISHED" becomes "fd 7 -> b ...",
 * and a futex with a known variable is named by it. */
static const char *wait_text(const struct snap_thread *t, char *b, size_t n, bool wide)
{
	if (t->syscall_arg[0]) {
		fmt_clean(b, n, t->syscall_arg);
		/* "futex 0x5600aa10 (ledger_lock)": the name says more. */
		char *paren = strstr(b, " (");
		size_t len = strlen(b);
		if (!wide && strncmp(b, "futex 0x", 8) == 0 && paren && len > 0 && b[len - 1] == ')') {
			b[len - 1] = '\0';
			memmove(b + 6, paren + 2, strlen(paren + 2) + 1);
			return b;
		}
		const char *arrow = strstr(b, " -> ");
		char *colon = strchr(b, ':');
		if (!wide && arrow && colon && colon < arrow) {
			char tail[256];
			str_copy(tail, arrow, sizeof(tail));
			*colon = '\0';
			strncat(b, tail, n - strlen(b) - 1);
		}
		return b;
	}
	if (t->syscall[0] && t->wchan[0] && !wide)
		snprintf(b, n, "%s (%s)", t->syscall, t->wchan);
	else if (t->syscall[0])
		snprintf(b, n, "%s", t->syscall);
	else if (t->wchan[0] && !wide)
		snprintf(b, n, "%s", t->wchan);
	else
		snprintf(b, n, "%s", t->state == 'R' ? "(running)" : "-");
	return b;
}

/* Blocked time; "-" for a thread that is running, not waiting. */
static const char *blocked_text(const struct snap_thread *t, char *b, size_t n)
{
	if (t->state == 'R' && t->blocked_s == 0)
		return "-";
	return fmt_dur(b, n, t->blocked_s);
}

static int thread_style(const struct snap_thread *t)
{
	if (t->state == 'D')
		return CV_ALERT;
	if (t->futex.valid && !isnan(t->blocked_s) && t->blocked_s >= 10)
		return CV_WARN;
	if (t->state == 'R')
		return CV_OK;
	return CV_NORMAL;
}

static void draw_table(struct threads *th, const struct snapshot *s, const struct view *v, bool focused)
{
	bool wide = v->w >= 140;
	/* Narrow: the wait gets a bit more than half of what is left. */
	int wait_w = (v->w - 41) * 55 / 100;
	wait_w = wait_w < 22 ? 22 : wait_w;
	if (wide)
		ui_heading(v, 1, "%8s %-16s S %6s %6s %8s %-14s %-20s %-42s %s", "TID", "NAME", "USER%", "SYS%",
			   "BLOCKED", "SYSCALL", "WCHAN", "WAITING ON", "FUNCTION");
	else
		ui_heading(v, 1, "%7s %-15s S %6s %7s %-*s %s", "TID", "NAME", "CPU%", "BLOCKED", wait_w,
			   "WAITING IN", "FUNCTION");
	if (!s->threads) {
		view_put(v, 2, 1, CV_WARN, "thread list unavailable (see the errors in a saved snapshot)");
		return;
	}
	struct ui_list *l = &th->list;
	if (ui_list_none(v, 2, l, "thread"))
		return;
	int rows = v->h - 2;
	ui_list_clamp(l, rows);
	for (int i = 0; i < rows && l->scroll + i < l->nrows; i++) {
		int r = l->scroll + i, y = 2 + i;
		const struct snap_thread *t = &s->threads[l->rows[r]];
		bool sel = focused && r == l->cursor;
		int style = sel ? CV_SEL : thread_style(t);
		char a[32], b[32], c[32], name[80], wait[256], fn[256];
		const char *func = ui_thread_function(s, t);
		fmt_clean(fn, sizeof(fn), func ? func : "-");
		fmt_clean(name, sizeof(name), t->name);
		if (sel)
			view_fill(v, y, CV_SEL);
		int x;
		if (wide) {
			x = view_printf(v, y, 0, style, "%8d ", t->tid);
			x = view_put_col(v, y, x, 16, style, name);
			x = view_printf(v, y, x, style, " %c %6s %6s %8s ", t->state,
					isnan(t->cpu_user_pct) ? "-" : (snprintf(a, sizeof(a), "%.1f", t->cpu_user_pct), a),
					isnan(t->cpu_sys_pct) ? "-" : (snprintf(b, sizeof(b), "%.1f", t->cpu_sys_pct), b),
					blocked_text(t, c, sizeof(c)));
			x = view_put_col(v, y, x, 14, style, t->syscall[0] ? t->syscall : "-");
			x = view_put_col(v, y, x + 1, 20, style, t->wchan[0] ? t->wchan : "-");
			x = view_put_col(v, y, x + 1, 42, style,
					 t->syscall_arg[0] ? fmt_clean(wait, sizeof(wait), t->syscall_arg) : "-");
			view_put(v, y, x + 1, style, fn);
		} else {
			double cpu = thread_cpu(t);
			x = view_printf(v, y, 0, style, "%7d ", t->tid);
			x = view_put_col(v, y, x, 15, style, name);
			x = view_printf(v, y, x, style, " %c %6s %7s ", t->state,
					cpu < 0 ? "-" : (snprintf(a, sizeof(a), "%.1f", cpu), a),
					blocked_text(t, c, sizeof(c)));
			x = view_put_col(v, y, x, wait_w, style, wait_text(t, wait, sizeof(wait), false));
			view_put(v, y, x + 1, style, fn);
		}
	}
}

/* The selected thread's details and full stack (Enter). */
static void draw_stack(const struct threads *th, const struct ui *u, const struct snapshot *s,
		       const struct view *v)
{
	int ti = ui_thread_index(s, th->stack_tid);
	if (ti < 0) {
		view_printf(v, 1, 1, CV_WARN, "thread %d is not in this snapshot (it exited). "
			    "Esc goes back.", th->stack_tid);
		return;
	}
	const struct snap_thread *t = &s->threads[ti];
	char a[32], b[32], c[32], d[32], e[32], wait[256];
	int y = 1;
	view_printf(v, y++, 1, CV_NORMAL,
		    "state %c   CPU user %s sys %s   blocked %s   ctx switches %s vol, %s invol",
		    t->state, fmt_pct(a, sizeof(a), t->cpu_user_pct), fmt_pct(b, sizeof(b), t->cpu_sys_pct),
		    blocked_text(t, c, sizeof(c)), fmt_int(d, sizeof(d), t->ctx_vol),
		    fmt_int(e, sizeof(e), t->ctx_invol));
	view_printf(v, y++, 1, CV_NORMAL, "syscall %s   wchan %s", t->syscall[0] ? t->syscall : "-",
		    t->wchan[0] ? t->wchan : "-");
	if (t->syscall_arg[0])
		view_printf(v, y++, 1, CV_NORMAL, "waiting on %s", fmt_clean(wait, sizeof(wait), t->syscall_arg));
	if (t->futex.valid) {
		char sym[128];
		view_printf(v, y++, 1, CV_NORMAL, "futex 0x%llx op %d val %u%s%s",
			    (unsigned long long)t->futex.addr, t->futex.op, t->futex.val,
			    t->futex.symbol ? "  in " : "",
			    t->futex.symbol ? fmt_clean(sym, sizeof(sym), t->futex.symbol) : "");
	}
	y++;
	const struct snap_profile *p = s->profile;
	if (!t->stack || t->nstack == 0) {
		view_printf(v, y, 1, CV_DIM, "no stack sampled for this thread%s%s",
			    u->opts.stacks_off || !p ? ": stacks off: " : "",
			    u->opts.stacks_off ? u->opts.stacks_off : !p ? "this snapshot has no profile" : "");
		return;
	}
	view_printf(v, y++, 1, CV_HEAD, "stack (innermost first), %d frames", t->nstack);
	for (int k = 0; k < t->nstack && y < v->h; k++, y++) {
		const char *fn = ui_frame_name(s, t->stack[k]);
		const char *mod = p && t->stack[k] >= 0 && t->stack[k] < p->nframes ? p->frames[t->stack[k]].module : NULL;
		char f[256];
		int style = t->stack[k] == t->top_frame ? CV_BOLD : CV_NORMAL;
		int x = view_printf(v, y, 1, CV_DIM, "#%-3d", k);
		x = view_put(v, y, x + 1, style, fmt_clean(f, sizeof(f), fn ? fn : "?"));
		if (mod)
			view_printf(v, y, x + 2, CV_DIM, "(%s)", frame_module_name(mod));
	}
}

static void threads_draw(void *data, const struct ui *u, const struct snapshot *s, const struct view *v,
			 bool focused)
{
	struct threads *th = data;
	if (th->stack_tid) {
		int ti = ui_thread_index(s, th->stack_tid);
		char nm[64];
		ui_title(v, UI_PANE_THREADS, &th->list, focused, "thread %d %s: stack (Esc back)", th->stack_tid,
			 ti >= 0 ? fmt_clean(nm, sizeof(nm), s->threads[ti].name) : "");
		draw_stack(th, u, s, v);
		return;
	}
	ui_title(v, UI_PANE_THREADS, &th->list, focused, "%d of %d, by %s%s", th->list.nrows,
		 s->threads ? s->nthreads : 0, sort_names[th->sort], th->reverse ? " (reversed)" : "");
	draw_table(th, s, v, focused);
}

static void set_sort(struct threads *th, struct ui *u, const struct snapshot *s, enum thread_sort k)
{
	th->sort = k;
	threads_refresh(th, u, s);
	ui_status(u, CV_NORMAL, "threads sorted by %s%s", sort_names[k], th->reverse ? ", reversed" : "");
}

static bool threads_key(void *data, struct ui *u, const struct snapshot *s, int key)
{
	struct threads *th = data;
	if (th->stack_tid) {
		if (key == UI_KEY_ESC || key == UI_KEY_LEFT || key == UI_KEY_BACKSPACE || key == UI_KEY_ENTER) {
			th->stack_tid = 0;
			return true;
		}
		/* Moving in the stack view moves the selection underneath. */
	}
	int i = ui_list_selected(&th->list);
	switch (key) {
	case 'c': case 'P': set_sort(th, u, s, SORT_CPU); return true;
	case 'S': set_sort(th, u, s, SORT_STATE); return true;
	case 'b': case 'B': set_sort(th, u, s, SORT_BLOCKED); return true;
	case 't': set_sort(th, u, s, SORT_TID); return true;
	case 'N': set_sort(th, u, s, SORT_NAME); return true;
	case '<': set_sort(th, u, s, (enum thread_sort)((th->sort + NSORTS - 1) % NSORTS)); return true;
	case '>': set_sort(th, u, s, (enum thread_sort)((th->sort + 1) % NSORTS)); return true;
	case 'I':
		th->reverse = !th->reverse;
		set_sort(th, u, s, th->sort);
		return true;
	case UI_KEY_ENTER:
		if (i >= 0)
			th->stack_tid = s->threads[i].tid;
		return true;
	case 'f':
		if (i >= 0) {
			int tid = s->threads[i].tid;
			ui_show(u, UI_PANE_FUNCS, &(struct pane_target){.tid = tid});
			ui_status(u, CV_NORMAL, "top functions of thread %d only (a: all threads)", tid);
		}
		return true;
	default:
		return false;
	}
}

/* Another pane asks for threads: those matching a filter (a function),
 * or one thread's stack (a lock's owner). */
static void threads_show(void *data, const struct pane_target *t)
{
	struct threads *th = data;
	if (t->filter) {
		str_copy(th->list.filter, t->filter, sizeof(th->list.filter));
		th->list.cursor = 0;
	}
	if (t->tid) {
		th->sel_tid = t->tid;
		th->stack_tid = t->tid;
	}
}

/* Rows for the overview: a stack wants the room, a table its rows. */
static int threads_want(void *data, const struct snapshot *s)
{
	(void)s;
	const struct threads *th = data;
	return th->stack_tid ? 40 : 2 + (th->list.nrows ? th->list.nrows : 1);
}

static int threads_tid(const void *data)
{
	return ((const struct threads *)data)->stack_tid;
}

static const char *const threads_help[] = {
	"c P\tsort by CPU (user + sys)",
	"S\tsort by state (R, D, T, S ...), then blocked time",
	"b\tsort by time blocked in the same wait",
	"t N\tsort by tid / name",
	"< > I\tprevious / next sort column, invert the order",
	"Enter\tthe selected thread's full stack (Esc back)",
	"f\tthe selected thread's top functions",
	NULL,
};

const struct pane pane_threads = {
	.name = "threads", .title = "Threads", .tab = "Threads", .hotkey = '3',
	.init = threads_init, .free = ui_list_free, .refresh = threads_refresh,
	.draw = threads_draw, .key = threads_key, .moved = threads_moved, .show = threads_show,
	.want = threads_want, .tid = threads_tid, .help = threads_help,
};
