/*
 * test_ui.c - the dashboard rendered to text from hand-made fixture
 * snapshots, with no terminal: the canvas (UTF-8, widths, clipping), the
 * header, every pane with its data present and with its data absent
 * (stacks off, no lock analysis, not a Go program, no checklist), the
 * overview at 80x24 and 200x50, and the keys (sort, filter, Enter to a
 * stack, cpu/wall, per-thread functions, freeze, help, Tab, checklist
 * jumps and manual answers, save to files and its failure); and every
 * real snapshot file of tests/fixtures/snapshots loaded as a replay and
 * rendered in every pane.
 *
 * Set CDTOP_TEST_SHOW=1 to print every rendered screen.
 */
#include "canvas.h"
#include "profile.h"
#include "report.h"
#include "snapshot.h"
#include "snapshot_load.h"
#include "ui.h"
#include "util.h"
#include "check.h"
#include "fixtures.h"
#include "snapbuild.h"

#include <fcntl.h>
#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool show;

/* ---- fixtures ---------------------------------------------------------- */

static struct snapshot *fixture_base(void)
{
	struct snapshot *s = snapbuild_new(4242, "edc-import", 1.0);
	s->proc.uptime_s = 3725;
	return s;
}

/* A busy native process with everything filled in. */
static struct snapshot *fixture_full(void)
{
	struct snapshot *s = fixture_base();
	struct snap_process *p = &s->proc;
	snapbuild_cpu(s, 95.1, 2.0, 97.1);
	snapbuild_memory(s, 800000, 31488, 0, 0);     /* rss 831488 */
	p->vsz_kb = 2000000;
	p->fds = (struct snap_fds){.open = 10, .limit = 1024, .file = 5, .socket = 3, .pipe = 1, .anon_inode = 1, .other = 0};
	p->tcp.known = true;
	p->tcp.count[TCP_ST_ESTABLISHED] = 2;
	p->tcp.count[TCP_ST_CLOSE_WAIT] = 5;
	p->tcp.count[TCP_ST_LISTEN] = 1;
	p->tcp.source = TCP_SOURCE_NETLINK;
	p->netns_time_wait = 321;
	p->ctx_vol_per_s = 10;
	p->ctx_invol_per_s = 1;
	s->nhistory = 5;
	s->history = xcalloc(5, sizeof(*s->history));
	for (int i = 0; i < 5; i++)
		s->history[i] = (struct snap_hist){.t = i, .cpu_user_pct = 20.0 * i, .cpu_sys_pct = 1,
						   .rss_kb = 700000 + 30000 * i, .threads = 5, .fds = 10, .goroutines = -1};

	struct snap_profile *pr = xcalloc(1, sizeof(*pr));
	s->profile = pr;
	pr->frequency_hz = 50;
	pr->requested_hz = 50;
	pr->pause_us_p50 = 15;
	pr->pause_us_p99 = 60;
	pr->pause_us_max = 80;
	pr->duration_s = 12;
	int f_validate = snapbuild_frame(pr, "validate_record", "/usr/bin/edc-import");
	int f_process = snapbuild_frame(pr, "process_line", "/usr/bin/edc-import");
	int f_main = snapbuild_frame(pr, "main", "/usr/bin/edc-import");
	int f_lll = snapbuild_frame(pr, "__lll_lock_wait", "/usr/lib/x86_64-linux-gnu/libc.so.6");
	int f_lock = snapbuild_frame(pr, "pthread_mutex_lock", "/usr/lib/x86_64-linux-gnu/libc.so.6");
	int f_post = snapbuild_frame(pr, "post_ledger", "/usr/bin/edc-import");
	int f_start = snapbuild_frame(pr, "start_thread", "/usr/lib/x86_64-linux-gnu/libc.so.6");
	int f_recv = snapbuild_frame(pr, "recv", "/usr/lib/x86_64-linux-gnu/libc.so.6");
	int f_fetch = snapbuild_frame(pr, "fetch_his", "/usr/bin/edc-import");
	int hot[] = {f_validate, f_process, f_main};
	int waitl[] = {f_lll, f_lock, f_post, f_start};
	int net[] = {f_recv, f_fetch, f_start};
	snapbuild_stack(pr, 4242, true, 600, 3, hot);
	snapbuild_stack(pr, 4243, false, 300, 4, waitl);
	snapbuild_stack(pr, 4244, false, 300, 4, waitl);
	snapbuild_stack(pr, 4245, false, 200, 3, net);
	profile_compute_top(pr, PROFILE_MODE_CPU, 0);

	struct snap_thread *t;
	t = snapbuild_thread(s, 4242, "edc-import", 'R', 94.0, 1.5, "", 0);
	snapbuild_thread_stack(t, 3, hot);
	t->top_frame = f_validate;
	t = snapbuild_thread(s, 4243, "worker-1", 'S', 0.0, 0.1, "futex", 12.5);
	str_copy(t->syscall_arg, "futex 0x5600aa10 (ledger_lock)", sizeof(t->syscall_arg));
	snapbuild_thread_stack(t, 4, waitl);
	t->top_frame = f_post;
	t->futex.valid = true;
	t->futex.addr = 0x5600aa10;
	t->futex.symbol = xstrdup("ledger_lock");
	t = snapbuild_thread(s, 4244, "worker-2", 'S', 0.0, 0.2, "futex", 3.0);
	str_copy(t->syscall_arg, "futex 0x5600aa38 (audit_lock)", sizeof(t->syscall_arg));
	snapbuild_thread_stack(t, 4, waitl);
	t->top_frame = f_post;
	t = snapbuild_thread(s, 4245, "his-client", 'S', 0.5, 0.4, "recvfrom", 40.0);
	str_copy(t->syscall_arg, "fd 7: TCP 10.0.0.1:40312 -> 10.0.0.2:5432 ESTABLISHED", sizeof(t->syscall_arg));
	snapbuild_thread_stack(t, 3, net);
	/* Names a target may choose: an escape sequence, invalid UTF-8,
	 * non-ASCII and double-width characters. */
	snapbuild_thread(s, 4246, "\x1b[31mevil\x07", 'S', 0, 0, "nanosleep", 1.0);
	snapbuild_thread(s, 4247, "bad\xff\xfe", 'D', 0, 0, "read", 2.0);
	snapbuild_thread(s, 4248, "wörker-€-漢字", 'S', 0, 0, "poll", 0.5);
	p->threads = s->nthreads;

	s->nsockets = 3;
	s->sockets = xcalloc(3, sizeof(*s->sockets));
	s->sockets[0] = (struct snap_socket){.fd = 5, .inode = 1, .state = TCP_ST_LISTEN, .local = "0.0.0.0:8080",
					     .remote = "0.0.0.0:*", .rx_queue = 0, .tx_queue = 128};
	s->sockets[1] = (struct snap_socket){.fd = 7, .inode = 2, .state = TCP_ST_ESTABLISHED,
					     .local = "10.0.0.1:40312", .remote = "10.0.0.2:5432", .rx_queue = 0,
					     .tx_queue = 4096};
	s->sockets[2] = (struct snap_socket){.fd = 9, .inode = 3, .state = TCP_ST_CLOSE_WAIT,
					     .local = "10.0.0.1:8080", .remote = "10.0.0.9:51000", .rx_queue = 1,
					     .tx_queue = 0};

	struct snap_lock *l = snapbuild_lock(s, 0x5600aa10, "ledger_lock", LOCK_KIND_MUTEX, 4244, "post_ledger", 'S',
					     "futex");
	snapbuild_waiter(l, 4243, 12.5, "post_ledger");
	l->max_wait_s = 12.5;
	l->in_deadlock = true;
	str_copy(l->owner_syscall_arg, "futex 0x5600aa38 (audit_lock)", sizeof(l->owner_syscall_arg));
	l->owner_blocked_s = 3.0;
	l->owner_stack = snapbuild_ints(4, waitl);
	l->nowner_stack = 4;
	l->readers = SNAP_UNKNOWN;
	l->size = 40;
	l = snapbuild_lock(s, 0x5600aa38, "audit_lock", LOCK_KIND_MUTEX, 4243, "post_ledger", 'S', NULL);
	snapbuild_waiter(l, 4244, 3.0, "post_ledger");
	l->max_wait_s = 3.0;
	l->in_deadlock = true;
	l->owner_blocked_s = NAN;
	l->readers = SNAP_UNKNOWN;
	snapbuild_deadlock(s, 2, (const int[]){ 4243, 4244 }, (const uint64_t[]){ 0x5600aa10, 0x5600aa38 },
			   (const char *const[]){ "ledger_lock", "audit_lock" },
			   (const char *const[]){ "post_ledger", "audit_entry" },
			   (const enum lock_kind[]){ LOCK_KIND_MUTEX, LOCK_KIND_MUTEX }, 9.0);

	snapbuild_check(s, "manual-deploy", "A deploy or config change recently?", CHECK_ST_MANUAL,
			CHECK_PANE_OVERVIEW, NULL, "If yes, consider rolling back first.");
	snapbuild_check(s, "deadlock", "Threads waiting for each other", CHECK_ST_ALERT, CHECK_PANE_LOCKS,
			"threads 4243 and 4244 wait for each other's locks for 9 s",
			"take the same locks in the same order everywhere");
	snapbuild_check(s, "cpu-user", "CPU: user vs system time", CHECK_ST_WARN, CHECK_PANE_FUNCS,
			"user 95% of one CPU, sys 2%", "validate_record is the top function");
	return s;
}

/* A Go process with goroutines and everything else empty but analysed. */
static struct snapshot *fixture_go(void)
{
	struct snapshot *s = fixture_base();
	str_copy(s->proc.comm, "his-gateway", sizeof(s->proc.comm));
	s->proc.runtime = PROC_RUNTIME_GO;
	snapbuild_thread(s, 4242, "his-gateway", 'S', 1, 1, "futex", 5);
	s->proc.threads = 1;
	s->locks = xcalloc(1, sizeof(*s->locks));   /* analysed, none */
	s->deadlocks = xcalloc(1, sizeof(*s->deadlocks));
	s->sockets = xcalloc(1, sizeof(*s->sockets));
	s->checklist = xcalloc(1, sizeof(*s->checklist));
	struct snap_goroutines *g = snapbuild_goroutines(s, 210, "go1.19.8");
	snapbuild_count(&g->by_status, &g->nby_status, "waiting", 205);
	snapbuild_count(&g->by_status, &g->nby_status, "runnable", 5);
	snapbuild_count(&g->by_wait_reason, &g->nby_wait_reason, "chan receive", 200);
	struct snap_gr_group *gr = snapbuild_gr_group(g, 200, GR_STATUS_WAITING, "chan receive", 300,
						      (const char *const[]){ "runtime.gopark", "runtime.chanrecv",
									     "main.submitToHIS", NULL });
	snapbuild_gr_goids(gr, 2, (const int64_t[]){ 17, 18 });
	gr->stalled_s = 42;
	gr = snapbuild_gr_group(g, 5, GR_STATUS_RUNNABLE, "", NAN, (const char *const[]){ "main.worker", NULL });
	gr->stalled_s = NAN;
	gr->ntids = 1;
	gr->tids = snapbuild_ints(1, (const int[]){ 4242 });
	g->system = 4;
	g->read_ms = 1.1;
	gr = snapbuild_gr_group(g, 2, GR_STATUS_WAITING, "semacquire", NAN,
				(const char *const[]){ "runtime.gopark", "sync.runtime_SemacquireMutex",
						       "sync.(*Mutex).lockSlow", "main.lockAB", NULL });
	gr->stalled_s = 30;
	gr->deadlock_hint = true;
	return s;
}

/* /proc figures only: no stacks, nothing analysed. */
static struct snapshot *fixture_bare(void)
{
	struct snapshot *s = fixture_base();
	snapbuild_thread(s, 4242, "edc-import", 'S', NAN, NAN, "", NAN);
	s->proc.threads = 1;
	return s;
}

/* ---- helpers ------------------------------------------------------------ */

static struct canvas *cv80, *cv200;

static void render(struct ui *u, struct canvas *c, const char *what)
{
	ui_render(u, c);
	if (show) {
		printf("---- %s (%dx%d)\n", what, c->w, c->h);
		canvas_write(c, stdout);
	}
}

static void ui_with(struct ui *u, struct snapshot *s, bool replay)
{
	struct ui_opts o = {.delay = 1.0, .out_dir = "/nonexistent", .replay = replay, .utf8 = true,
			    .stacks_off = s->profile ? NULL : "stack sampling disabled (--no-stacks)"};
	ui_init(u, &o);
	ui_set_snapshot(u, s);
}

#define HAS(c, text) do { \
		check_count++; \
		if (!canvas_contains((c), (text))) { \
			CHECK_FAIL_("screen lacks \"%s\"", (text)); \
			canvas_write((c), stderr); \
		} \
	} while (0)

#define HASNT(c, text) do { \
		check_count++; \
		if (canvas_contains((c), (text))) { \
			CHECK_FAIL_("screen shows \"%s\"", (text)); \
			canvas_write((c), stderr); \
		} \
	} while (0)

/* Row of the canvas that contains text, or -1. */
static int row_of(const struct canvas *c, const char *text)
{
	char buf[4096];
	for (int y = 0; y < c->h; y++)
		if (strstr(canvas_row_text(c, y, buf, sizeof(buf)), text))
			return y;
	return -1;
}

/* The checklist item with this id, or NULL; its index, or -1. */
static int index_of(const struct snapshot *s, const char *id)
{
	for (int i = 0; s->checklist && i < s->nchecks; i++)
		if (strcmp(s->checklist[i].id, id) == 0)
			return i;
	return -1;
}

static const struct snap_check *check_of(const struct snapshot *s, const char *id)
{
	int i = index_of(s, id);
	return i < 0 ? NULL : &s->checklist[i];
}

/* The checklist the screen shows (the snapshot's, or the checklist pane's
 * copy with the answers given on screen), in the shallow copy a save
 * writes. */
static const struct snapshot *shown(struct ui *u)
{
	static struct snapshot view;
	ui_save_view(u, &view);
	return &view;
}

/* The id of the checklist item selected on screen, "" none. */
static const char *selected_check(struct ui *u)
{
	const struct snapshot *v = shown(u);
	int i = ui_pane_selected(u, UI_PANE_CHECKLIST);
	return i >= 0 && v->checklist ? v->checklist[i].id : "";
}

/* Show the checklist full-screen and move the cursor to item id; false
 * when it is not in the list. */
static bool goto_check(struct ui *u, const char *id)
{
	ui_key(u, '7');
	ui_key(u, UI_KEY_HOME);
	for (int i = 0; i < ui_pane_rows(u, UI_PANE_CHECKLIST); i++) {
		if (strcmp(selected_check(u), id) == 0)
			return true;
		ui_key(u, UI_KEY_DOWN);
	}
	return false;
}

static void keys(struct ui *u, const char *k)
{
	for (; *k; k++)
		ui_key(u, *k);
}

/* ---- tests -------------------------------------------------------------- */

static void test_canvas(void)
{
	struct canvas *c = canvas_new(10, 2, true);
	struct view v = canvas_view(c);
	char buf[128];
	int x = view_put(&v, 0, 0, CV_NORMAL, "a漢b");
	CHECK_EQ_INT(x, 4);                     /* 漢 takes two cells */
	CHECK_STR(canvas_row_text(c, 0, buf, sizeof(buf)), "a漢b");
	x = view_put(&v, 1, 0, CV_BOLD, "x\x1b[1m\xff" "yz0123456789");
	CHECK_EQ_INT(x, 10);                    /* clipped at the edge */
	CHECK_STR(canvas_row_text(c, 1, buf, sizeof(buf)), "x?[1m\xEF\xBF\xBDyz01");
	CHECK_EQ_INT(canvas_style_at(c, 1, 0), CV_BOLD);
	/* A wide character that does not fit is not split. */
	canvas_clear(c);
	view_put(&v, 0, 8, CV_NORMAL, "a漢");
	CHECK_STR(canvas_row_text(c, 0, buf, sizeof(buf)), "        a");
	/* Views clip to their rectangle. */
	struct view sub = view_sub(&v, 1, 2, 1, 3);
	view_put(&sub, 0, 0, CV_NORMAL, "abcdef");
	CHECK_STR(canvas_row_text(c, 1, buf, sizeof(buf)), "  abc");
	view_put(&sub, 1, 0, CV_NORMAL, "zzz");   /* outside: nothing */
	CHECK_EQ_INT(canvas_text_cols("a漢b", true), 4);
	canvas_free(c);
	/* Not a UTF-8 terminal: ASCII only. */
	c = canvas_new(10, 1, false);
	v = canvas_view(c);
	view_put(&v, 0, 0, CV_NORMAL, "wö漢");
	CHECK_STR(canvas_row_text(c, 0, buf, sizeof(buf)), "w??");
	canvas_free(c);
}

static void test_header(void)
{
	struct ui u;
	ui_with(&u, fixture_full(), false);
	render(&u, cv80, "overview, full fixture");
	HAS(cv80, "PID 4242 (edc-import)");
	HAS(cv80, "up 1h02m");
	HAS(cv80, "LIVE");
	HAS(cv80, "CPU user 95.1%");
	HAS(cv80, "sys 2.0%");
	HAS(cv80, "RSS 812MiB");
	HAS(cv80, "▁");                        /* a trend is drawn */
	HAS(cv80, "THR 7 (1 run, 1 D)");
	HAS(cv80, "FD 10/1024 (1%)");
	HAS(cv80, "TCP ESTAB 2 CLOSE_WAIT 5 TIME_WAIT 0 LISTEN 1");
	HAS(cv80, "STK 50Hz 15/80us");          /* "pause" makes room for the verdict */
	HAS(cv80, "CHECK alert");                /* triage_worst of the checklist */
	/* CLOSE_WAIT > 0 stands out. */
	int y = row_of(cv80, "CLOSE_WAIT 5");
	char buf[512];
	const char *r = canvas_row_text(cv80, y, buf, sizeof(buf));
	CHECK_EQ_INT(canvas_style_at(cv80, y, (int)(strstr(r, "CLOSE_WAIT") - r)), CV_ALERT);
	ui_key(&u, ' ');
	CHECK(u.frozen);
	render(&u, cv80, "frozen");
	HAS(cv80, "FROZEN");
	HASNT(cv80, "LIVE");
	ui_key(&u, ' ');
	CHECK(!u.frozen);
	u.exited = true;
	render(&u, cv80, "exited");
	HAS(cv80, "EXITED");
	ui_fini(&u);

	ui_with(&u, fixture_go(), true);
	render(&u, cv80, "go replay");
	HAS(cv80, "REPLAY");
	HAS(cv80, "GO 210");
	HAS(cv80, "2026-11-24 10:00:00 UTC");   /* a replay shows when the data was taken */
	HAS(cv80, "STK off");
	ui_fini(&u);

	/* Big TCP counts on 80 columns: short labels, the verdict still shows. */
	struct snapshot *big = fixture_full();
	big->proc.tcp.count[TCP_ST_ESTABLISHED] = 25000;
	big->proc.tcp.count[TCP_ST_CLOSE_WAIT] = 1200;
	big->proc.tcp.count[TCP_ST_TIME_WAIT] = 30000;
	ui_with(&u, big, false);
	render(&u, cv80, "big TCP counts");
	HAS(cv80, "TCP EST 25000 CLOSE_W 1200 TIME_W 30000 LISTEN 1");
	HAS(cv80, "CHECK alert");
	render(&u, cv200, "big TCP counts, wide");
	HAS(cv200, "STK 50Hz pause 15/80us");
	HAS(cv200, "TCP ESTAB 25000 CLOSE_WAIT 1200 TIME_WAIT 30000 LISTEN 1");
	ui_fini(&u);

	ui_with(&u, fixture_bare(), false);
	render(&u, cv80, "bare");
	HAS(cv80, "CPU user -");
	HAS(cv80, "RSS -");
	HAS(cv80, "TCP unknown");
	HAS(cv80, "FD - (no permission)");
	HAS(cv80, "CHECK -");                    /* no checklist in the snapshot */
	ui_fini(&u);
}

static void test_funcs(void)
{
	struct ui u;
	ui_with(&u, fixture_full(), false);
	ui_key(&u, '2');
	CHECK(!u.overview);
	CHECK_EQ_INT(u.focus, 0);
	render(&u, cv80, "functions, cpu");
	HAS(cv80, "Top functions - cpu, all threads, 600 samples");
	int y = row_of(cv80, "FUNCTION");
	CHECK(y > 0);
	char buf[512];
	CHECK(strstr(canvas_row_text(cv80, y + 1, buf, sizeof(buf)), "validate_record") != NULL);
	CHECK(strstr(buf, "100.0%") != NULL);
	HASNT(cv80, "post_ledger");             /* blocked: not in cpu mode */
	ui_key(&u, 'w');
	render(&u, cv80, "functions, wall");
	HAS(cv80, "wall, all threads, 1400 samples");
	HAS(cv80, "post_ledger");
	HAS(cv80, "42.9%");                     /* validate_record flat 600/1400 */
	ui_key(&u, '>');
	render(&u, cv80, "functions by cum");
	y = row_of(cv80, "FUNCTION");
	CHECK(strstr(canvas_row_text(cv80, y + 1, buf, sizeof(buf)), "start_thread") != NULL);
	/* The filter. */
	ui_key(&u, '/');
	keys(&u, "LEDG");
	ui_key(&u, UI_KEY_ENTER);
	render(&u, cv80, "functions filtered");
	HAS(cv80, "[filter: LEDG]");
	HAS(cv80, "post_ledger");
	HASNT(cv80, "validate_record");
	ui_key(&u, UI_KEY_ESC);
	CHECK_STR(ui_pane_filter(&u, UI_PANE_FUNCS), "");
	/* 200 columns: the module column. */
	render(&u, cv200, "functions wide");
	HAS(cv200, "libc.so.6");
	/* The sampler's note shows above the table. */
	str_copy(u.snap->profile->status, "rate lowered to 20 Hz to keep stops under 1%",
		 sizeof(u.snap->profile->status));
	render(&u, cv80, "functions with a sampler note");
	HAS(cv80, "rate lowered to 20 Hz");
	HAS(cv80, "validate_record");
	CHECK_EQ_INT(row_of(cv80, "rate lowered"), 5);
	CHECK_EQ_INT(row_of(cv80, "FLAT%"), 6);
	ui_fini(&u);

	ui_with(&u, fixture_bare(), false);
	ui_key(&u, '2');
	render(&u, cv80, "functions, no stacks");
	HAS(cv80, "stacks off: stack sampling disabled (--no-stacks)");
	ui_key(&u, 'w');
	CHECK(strstr(u.status, "no stacks") != NULL);
	ui_fini(&u);
}

static void test_threads(void)
{
	struct ui u;
	char buf[512];
	ui_with(&u, fixture_full(), false);
	ui_key(&u, '3');
	render(&u, cv80, "threads by CPU");
	HAS(cv80, "Threads - 7 of 7, by CPU");
	int y = row_of(cv80, "TID NAME");
	CHECK(strstr(canvas_row_text(cv80, y + 1, buf, sizeof(buf)), "4242") != NULL);
	CHECK(strstr(buf, "validate_record") != NULL);
	HAS(cv80, "futex ledger_lock");          /* syscall_arg, named by its variable */
	HAS(cv80, "post_ledger");                /* top_frame */
	/* Odd names render safely. */
	HASNT(cv80, "\x1b");
	HAS(cv80, "?[31mevil?");
	HAS(cv80, "bad\xEF\xBF\xBD");
	HAS(cv80, "wörker-€-漢字");
	/* Sort by blocked time: the 40 s recv first. */
	ui_key(&u, 'b');
	render(&u, cv80, "threads by blocked");
	CHECK(strstr(canvas_row_text(cv80, y + 1, buf, sizeof(buf)), "4245") != NULL);
	CHECK(strstr(buf, "40.0s") != NULL);
	/* By state: R, then D. */
	ui_key(&u, 'S');
	render(&u, cv80, "threads by state");
	CHECK(strstr(canvas_row_text(cv80, y + 1, buf, sizeof(buf)), " R ") != NULL);
	CHECK(strstr(canvas_row_text(cv80, y + 2, buf, sizeof(buf)), " D ") != NULL);
	ui_key(&u, 'I');
	render(&u, cv80, "threads by state reversed");
	HAS(cv80, "(reversed)");
	ui_key(&u, 'I');
	/* The selection follows its thread across a refresh. */
	ui_key(&u, 'c');
	ui_key(&u, UI_KEY_DOWN);
	int tid = u.snap->threads[ui_pane_selected(&u, UI_PANE_THREADS)].tid;
	CHECK(tid != 0 && tid != 4242);
	ui_set_snapshot(&u, fixture_full());
	CHECK_EQ_INT(u.snap->threads[ui_pane_selected(&u, UI_PANE_THREADS)].tid, tid);
	/* Filter by name, tid or function. */
	ui_key(&u, '/');
	keys(&u, "worker");
	ui_key(&u, UI_KEY_ENTER);
	render(&u, cv80, "threads filtered by name");
	HAS(cv80, "2 of 7");                     /* worker-1, worker-2 (not wörker) */
	ui_key(&u, UI_KEY_ESC);
	ui_key(&u, '/');
	keys(&u, "4245");
	ui_key(&u, UI_KEY_ENTER);
	CHECK_EQ_INT(ui_pane_rows(&u, UI_PANE_THREADS), 1);
	ui_key(&u, UI_KEY_ESC);
	ui_key(&u, '/');
	keys(&u, "post_led");
	ui_key(&u, UI_KEY_ENTER);
	CHECK_EQ_INT(ui_pane_rows(&u, UI_PANE_THREADS), 2);
	/* Enter: the full stack of the selected thread. */
	ui_key(&u, UI_KEY_HOME);
	ui_key(&u, UI_KEY_ENTER);
	CHECK(ui_pane_tid(&u, UI_PANE_THREADS) == 4243 || ui_pane_tid(&u, UI_PANE_THREADS) == 4244);
	render(&u, cv80, "stack of a thread");
	HAS(cv80, "stack (innermost first), 4 frames");
	HAS(cv80, "#0   __lll_lock_wait");
	HAS(cv80, "start_thread");
	HAS(cv80, "waiting on futex");
	ui_key(&u, UI_KEY_ESC);
	CHECK_EQ_INT(ui_pane_tid(&u, UI_PANE_THREADS), 0);
	/* f: that thread's top functions. */
	ui_key(&u, 'f');
	CHECK_EQ_INT(u.focus, 0);
	render(&u, cv80, "one thread's functions, cpu");
	char scope[64];
	snprintf(scope, sizeof(scope), "cpu, thread %d worker-", ui_pane_tid(&u, UI_PANE_FUNCS));
	HAS(cv80, scope);
	HAS(cv80, "no cpu samples yet");         /* a blocked thread never ran */
	ui_key(&u, 'w');
	render(&u, cv80, "one thread's functions, wall");
	HAS(cv80, "wall, thread");
	HAS(cv80, "300 samples");
	HAS(cv80, "post_ledger");
	HASNT(cv80, "validate_record");
	ui_key(&u, 'a');
	CHECK_EQ_INT(ui_pane_tid(&u, UI_PANE_FUNCS), 0);
	render(&u, cv80, "all threads' functions again");
	HAS(cv80, "validate_record");
	ui_fini(&u);
}

static void test_locks(void)
{
	struct ui u;
	ui_with(&u, fixture_full(), false);
	ui_key(&u, '4');
	render(&u, cv80, "locks");
	HAS(cv80, "DEADLOCK 1: 2 threads wait for each other, no progress for 9.0s");
	HAS(cv80, "thread 4243 worker-1 in post_ledger waits for mutex ledger_lock, held by");
	HAS(cv80, "ledger_lock");
	HAS(cv80, "4244 worker-2");
	HAS(cv80, "<- 4243 worker-1 waits 12.5s in post_ledger");
	int y = row_of(cv80, "DEADLOCK 1");
	CHECK_EQ_INT(canvas_style_at(cv80, y, 2), CV_ALERT);
	/* Wide, full-screen: the selected lock's holder and its stack. */
	render(&u, cv200, "locks wide");
	HAS(cv200, "thread 4243 worker-1 in post_ledger waits for mutex ledger_lock (0x5600aa10), held by thread 4244");
	HAS(cv200, "holder of ledger_lock: 4244 worker-2");
	HAS(cv200, "now in post_ledger [S futex 0x5600aa38 (audit_lock) for 3.0s]");
	HAS(cv200, "#0   __lll_lock_wait");
	HASNT(cv200, "CONTENDED");               /* flags: in a deadlock, not contended */
	ui_key(&u, UI_KEY_DOWN);
	render(&u, cv200, "locks wide, second lock");
	HAS(cv200, "holder of audit_lock: 4243 worker-1");
	HAS(cv200, "no stack of the holder in this snapshot");
	ui_key(&u, UI_KEY_UP);
	/* Enter: the owner's stack in the threads pane. */
	ui_key(&u, UI_KEY_ENTER);
	CHECK_EQ_INT(u.focus, 1);
	CHECK_EQ_INT(ui_pane_tid(&u, UI_PANE_THREADS), 4244);
	ui_fini(&u);

	ui_with(&u, fixture_go(), false);
	ui_key(&u, '4');
	render(&u, cv80, "locks, none");
	HAS(cv80, "no lock waits");
	ui_fini(&u);
	ui_with(&u, fixture_bare(), false);
	ui_key(&u, '4');
	render(&u, cv80, "locks, not analysed");
	HAS(cv80, "lock waits not analysed");
	ui_fini(&u);
}

static void test_files(void)
{
	struct ui u;
	char buf[512];
	ui_with(&u, fixture_full(), false);
	ui_key(&u, '5');
	render(&u, cv80, "files");
	HAS(cv80, "FDS 10 open of 1024 (1%): file 5, socket 3, pipe 1, anon_inode 1, other 0");
	HAS(cv80, "CLOSE_WAIT 5");
	HAS(cv80, "10.0.0.2:5432");
	HAS(cv80, "4096");
	HAS(cv80, "NET TIME_WAIT 321 in the network namespace");
	/* CLOSE_WAIT sockets first, in the alert style. */
	int y = row_of(cv80, "RECV-Q");
	CHECK(strstr(canvas_row_text(cv80, y + 1, buf, sizeof(buf)), "CLOSE_WAIT") != NULL);
	CHECK_EQ_INT(canvas_style_at(cv80, y + 1, 8), CV_SEL);  /* selected, focused */
	CHECK_EQ_INT(canvas_style_at(cv80, y + 2, 8), CV_NORMAL);
	ui_key(&u, '/');
	keys(&u, ":5432");
	ui_key(&u, UI_KEY_ENTER);
	CHECK_EQ_INT(ui_pane_rows(&u, UI_PANE_FILES), 1);
	ui_fini(&u);
	ui_with(&u, fixture_bare(), false);
	ui_key(&u, '5');
	render(&u, cv80, "files, nothing");
	HAS(cv80, "socket list not collected");
	HAS(cv80, "states unknown");
	ui_fini(&u);
	ui_with(&u, fixture_go(), false);
	ui_key(&u, '5');
	render(&u, cv80, "files, no sockets");
	HAS(cv80, "no TCP sockets");
	ui_fini(&u);
}

static void test_goroutines(void)
{
	struct ui u;
	ui_with(&u, fixture_go(), false);
	ui_key(&u, '6');
	render(&u, cv80, "goroutines");
	HAS(cv80, "210 goroutines (+4 of the runtime) in 3 groups, go1.19.8");
	render(&u, cv200, "goroutines wide");
	HAS(cv200, "in 3 groups, go1.19.8, read in 1.1 ms");
	render(&u, cv80, "goroutines");
	HAS(cv80, "waiting 205, runnable 5");
	HAS(cv80, "chan receive 200");
	HAS(cv80, "main.submitToHIS");           /* first frame outside the runtime */
	HASNT(cv80, "runtime.gopark");
	HAS(cv80, "42.0s");                      /* no progress for */
	HAS(cv80, "DEADLOCK? main.lockAB");      /* the program's frame, not sync's */
	HASNT(cv80, "sync.runtime_SemacquireMutex");
	CHECK_EQ_INT(canvas_style_at(cv80, row_of(cv80, "DEADLOCK?"), 2), CV_ALERT);
	ui_key(&u, UI_KEY_ENTER);
	render(&u, cv80, "goroutine group unfolded");
	HAS(cv80, "#0  runtime.gopark");
	HAS(cv80, "goroutines 17 18");
	ui_key(&u, UI_KEY_DOWN);
	ui_key(&u, UI_KEY_ENTER);
	render(&u, cv80, "second group unfolded");
	HAS(cv80, "running on threads 4242");
	HASNT(cv80, "goroutines 17 18");         /* one group unfolded at a time */
	ui_fini(&u);
	ui_with(&u, fixture_full(), false);
	ui_key(&u, '6');
	render(&u, cv80, "goroutines, native");
	HAS(cv80, "not a Go program");
	ui_fini(&u);
	struct snapshot *s = fixture_bare();
	s->proc.runtime = PROC_RUNTIME_GO;
	snapshot_add_error(s, "goroutines", "runtime.allgs not found (stripped binary)");
	ui_with(&u, s, false);
	ui_key(&u, '6');
	render(&u, cv80, "goroutines, not read");
	HAS(cv80, "goroutines not read: runtime.allgs not found");
	ui_fini(&u);
}

static void test_checklist(void)
{
	struct ui u;
	ui_with(&u, fixture_full(), false);
	ui_key(&u, '7');
	render(&u, cv80, "checklist");
	HAS(cv80, "3 items, 1 alert, 1 warn, most severe first");
	HAS(cv80, "ASK");
	HAS(cv80, "ALERT");
	HAS(cv80, "threads 4243 and 4244 wait");
	HAS(cv80, "next step");
	/* Most severe first: the alert, the warning, then the question. */
	CHECK(row_of(cv80, "ALERT") < row_of(cv80, "WARN"));
	CHECK(row_of(cv80, "WARN") < row_of(cv80, "ASK "));
	ui_key(&u, '<');
	render(&u, cv80, "checklist in walk order");
	HAS(cv80, "in walk order");
	CHECK(row_of(cv80, "ASK ") < row_of(cv80, "ALERT"));
	ui_key(&u, '>');
	/* y: answer the manual item, then a note. */
	CHECK(goto_check(&u, "manual-deploy"));
	ui_key(&u, 'y');
	CHECK_EQ_INT(u.prompt, UI_PROMPT_NOTE);
	render(&u, cv80, "note prompt");
	HAS(cv80, "Note for manual-deploy");
	keys(&u, "v2.3 at 09:55");
	ui_key(&u, UI_KEY_ENTER);
	CHECK_EQ_INT(u.answers.n, 1);
	CHECK_STR(u.answers.item[0].id, "manual-deploy");
	CHECK_EQ_INT(u.answers.item[0].answer, CHECK_ANSWER_YES);
	CHECK_STR(u.answers.item[0].note, "v2.3 at 09:55");
	CHECK(u.requests & UI_REQ_ANSWERS);      /* passed on to the worker */
	/* The rules ran again with the answer (triage_evaluate), into the
	 * pane's copy: the snapshot shown keeps its own checklist. */
	const struct snap_check *c = check_of(shown(&u), "manual-deploy");
	CHECK(c && c->answer == CHECK_ANSWER_YES && c->note && strcmp(c->note, "v2.3 at 09:55") == 0);
	CHECK(check_of(shown(&u), "deadlock") && check_of(shown(&u), "deadlock")->status == CHECK_ST_ALERT);
	CHECK(check_of(u.snap, "manual-deploy") && !check_of(u.snap, "manual-deploy")->answer);
	render(&u, cv200, "answered");
	HAS(cv200, "answered yes: v2.3 at 09:55");
	HAS(cv200, "CHECK alert");
	/* Answers survive a new snapshot. */
	ui_set_snapshot(&u, fixture_full());
	c = check_of(shown(&u), "manual-deploy");
	CHECK(c && c->answer == CHECK_ANSWER_YES && c->note && strcmp(c->note, "v2.3 at 09:55") == 0);
	/* n on an automatic item only says so. */
	CHECK(goto_check(&u, "deadlock"));
	/* The selected item stays selected when a new snapshot comes. */
	ui_set_snapshot(&u, fixture_full());
	CHECK_STR(selected_check(&u), "deadlock");
	ui_key(&u, 'n');
	CHECK_EQ_INT(u.prompt, UI_PROMPT_NONE);
	CHECK_EQ_INT(u.answers.n, 1);
	/* Enter: the pane with the evidence. */
	ui_key(&u, UI_KEY_ENTER);
	CHECK_EQ_INT(u.focus, 2);                /* locks */
	CHECK(!u.overview);
	CHECK(goto_check(&u, "hot-function"));
	ui_key(&u, UI_KEY_ENTER);
	CHECK_EQ_INT(u.focus, 0);                /* funcs */
	CHECK(goto_check(&u, "manual-traffic"));
	ui_key(&u, UI_KEY_ENTER);
	CHECK(u.overview);                       /* a manual item: the overview */
	ui_fini(&u);

	ui_with(&u, fixture_full(), true);
	CHECK(goto_check(&u, "manual-deploy"));
	ui_key(&u, 'y');
	CHECK_EQ_INT(u.prompt, UI_PROMPT_NONE);
	CHECK(strstr(u.status, "read-only") != NULL);
	ui_fini(&u);
	ui_with(&u, fixture_bare(), false);
	ui_key(&u, '7');
	render(&u, cv80, "no checklist");
	HAS(cv80, "checklist not evaluated");
	ui_fini(&u);
}

static void test_overview(void)
{
	struct ui u;
	ui_with(&u, fixture_full(), false);
	render(&u, cv80, "overview 80x24 with deadlock");
	HAS(cv80, "Top functions");
	HAS(cv80, "Lock waits");
	HAS(cv80, "Threads");
	HAS(cv80, "validate_record");
	HAS(cv80, "1Overview 2Funcs 3Threads 4Locks 5Files 6Go 7Check");
	render(&u, cv200, "overview 200x50");
	HAS(cv200, "Top functions");
	HAS(cv200, "Threads");
	HAS(cv200, "Triage checklist");
	HAS(cv200, "Lock waits");
	HAS(cv200, "Files and sockets");
	HAS(cv200, "10.0.0.2:5432");
	HAS(cv200, "spaceFreeze sSave");
	/* Two columns: the checklist sits right of the functions. */
	CHECK_EQ_INT(row_of(cv200, "Triage checklist"), row_of(cv200, "Top functions"));
	/* Tab walks the panes shown. */
	CHECK_EQ_INT(u.focus, 0);
	ui_key(&u, UI_KEY_TAB);
	CHECK_EQ_INT(u.focus, 1);
	ui_key(&u, UI_KEY_TAB);
	CHECK(u.focus != 0 && u.focus != 1);
	ui_key(&u, UI_KEY_BTAB);
	CHECK_EQ_INT(u.focus, 1);
	ui_fini(&u);

	ui_with(&u, fixture_go(), false);
	render(&u, cv200, "overview 200x50 go");
	HAS(cv200, "Goroutines");
	HAS(cv200, "main.submitToHIS");
	ui_fini(&u);

	/* Too small. */
	struct canvas *small = canvas_new(79, 24, true);
	ui_with(&u, fixture_full(), false);
	render(&u, small, "79x24");
	HAS(small, "terminal too small: 79x24");
	canvas_resize(small, 80, 23);
	render(&u, small, "80x23");
	HAS(small, "terminal too small: 80x23");
	canvas_free(small);
	/* Before the first snapshot. */
	ui_fini(&u);
	struct ui_opts o = {.delay = 1};
	ui_init(&u, &o);
	render(&u, cv80, "no snapshot yet");
	HAS(cv80, "waiting for the first reading");
	ui_key(&u, '3');
	ui_key(&u, UI_KEY_DOWN);
	render(&u, cv80, "no snapshot yet, threads");
	ui_fini(&u);
}

static void test_help_and_keys(void)
{
	struct ui u;
	ui_with(&u, fixture_full(), false);
	ui_key(&u, '?');
	CHECK(u.help);
	render(&u, cv80, "help");
	HAS(cv80, "q F10");
	HAS(cv80, "freeze / unfreeze");
	HAS(cv80, "more: Down / PgDn");
	for (int i = 0; i < 40; i++)
		ui_key(&u, UI_KEY_PGDN);
	render(&u, cv80, "help scrolled");
	HAS(cv80, "y n u");                      /* the checklist keys, last */
	ui_key(&u, 'x');
	CHECK(!u.help);
	render(&u, cv200, "help wide");
	ui_key(&u, 'h');
	render(&u, cv200, "help wide");
	HAS(cv200, "Threads");
	HAS(cv200, "y n u");
	ui_key(&u, UI_KEY_ESC);
	CHECK(!u.help);
	/* z asks the worker; in a replay it does not. */
	ui_key(&u, 'z');
	CHECK(u.requests & UI_REQ_RESET_PROFILE);
	ui_key(&u, 'q');
	CHECK(u.quit);
	ui_fini(&u);
	ui_with(&u, fixture_full(), true);
	ui_key(&u, 'z');
	CHECK_EQ_INT(u.requests, 0);
	ui_key(&u, ' ');
	CHECK(!u.frozen);
	ui_key(&u, 's');
	CHECK(strstr(u.status, "replay") != NULL);
	ui_fini(&u);
}

static char tmpdir[64];

static void test_save(void)
{
	struct ui u;
	struct ui_opts o = {.delay = 1, .out_dir = tmpdir, .utf8 = true};
	ui_init(&u, &o);
	ui_set_snapshot(&u, fixture_full());
	char name[256];
	ui_save_name(u.snap, name, sizeof(name));
	CHECK_STR(name, "cdtop-edc-import-4242-20261124T100000Z");
	/* A manual answer goes into the file. */
	CHECK(goto_check(&u, "manual-deploy"));
	ui_key(&u, 'n');
	keys(&u, "no deploy today");
	ui_key(&u, UI_KEY_ENTER);
	/* Per-thread view on screen: the file still has the whole process. */
	ui_key(&u, '3');
	ui_key(&u, 'f');
	CHECK(ui_pane_tid(&u, UI_PANE_FUNCS) != 0);
	ui_key(&u, 's');
	CHECK(strstr(u.status, "saved ") != NULL);
	char json[512], txt[512];
	snprintf(json, sizeof(json), "%s/%s.json", tmpdir, name);
	snprintf(txt, sizeof(txt), "%s/%s.txt", tmpdir, name);
	CHECK_STR(u.saved_json, json);
	CHECK_STR(u.saved_txt, txt);
	struct stat st;
	CHECK(stat(json, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(stat(txt, &st) == 0 && (st.st_mode & 0777) == 0600);
	json_error_t je;
	json_t *root = json_load_file(json, 0, &je);
	CHECK(root != NULL);
	if (root) {
		CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "process"), "pid")), 4242);
		json_t *top = json_object_get(json_object_get(root, "profile"), "top_functions");
		CHECK(json_array_size(top) > 1);
		CHECK_STR(json_string_value(json_object_get(json_array_get(top, 0), "function")), "validate_record");
		json_t *list = json_object_get(root, "checklist"), *c0 = NULL;
		for (size_t i = 0; i < json_array_size(list); i++)
			if (strcmp(json_string_value(json_object_get(json_array_get(list, i), "id")), "manual-deploy") == 0)
				c0 = json_array_get(list, i);
		CHECK(c0 != NULL);
		CHECK_STR(json_string_value(json_object_get(c0, "answer")), "no");
		CHECK_STR(json_string_value(json_object_get(c0, "note")), "no deploy today");
		json_decref(root);
	}
	render(&u, cv200, "saved");
	HAS(cv200, "saved ");
	HAS(cv200, ".json and ");
	/* An unwritable directory: the error is shown, nothing is fatal. */
	u.opts.out_dir = "/nonexistent/dir";
	CHECK_EQ_INT(ui_save(&u), -1);
	CHECK(strstr(u.status, "NOT SAVED: cannot write /nonexistent/dir/") != NULL);
	CHECK(strstr(u.status, "No such file or directory") != NULL);
	render(&u, cv80, "save failed");
	HAS(cv80, "NOT SAVED");
	ui_fini(&u);
	unlink(json);
	unlink(txt);
	rmdir(tmpdir);
}

/* The snapshot as JSON, into a malloc'd string. */
static char *as_json(const struct snapshot *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	report_json_write(s, m);
	fclose(m);
	return buf;
}

/* Views never write into the snapshot they show: after every key that
 * derives a table (w, per-thread functions, sorts, filters, an answer, a
 * save), the snapshot is byte for byte what it was. */
static void test_snapshot_untouched(void)
{
	struct ui u;
	struct ui_opts o = {.delay = 1, .out_dir = tmpdir, .utf8 = true};
	ui_init(&u, &o);
	ui_set_snapshot(&u, fixture_full());
	char *before = as_json(u.snap);
	keys(&u, "2w>");
	keys(&u, "3bIf");
	ui_key(&u, 'a');
	ui_key(&u, '3');
	ui_key(&u, 'f');
	CHECK(goto_check(&u, "manual-deploy"));
	ui_key(&u, 'y');
	keys(&u, "a note");
	ui_key(&u, UI_KEY_ENTER);
	keys(&u, "<5/10");
	ui_key(&u, UI_KEY_ENTER);
	ui_key(&u, '1');
	render(&u, cv80, "after many keys");
	render(&u, cv200, "after many keys, wide");
	CHECK_EQ_INT(ui_save(&u), 0);
	char *after = as_json(u.snap);
	CHECK(before && after && strcmp(before, after) == 0);
	ui_fini(&u);
	free(before);
	free(after);
	unlink(u.saved_json);
	unlink(u.saved_txt);
}

/* The real snapshot files (taken by cdtop from the test targets), loaded
 * as cdtop -r does, in every pane at both sizes. */
static void test_replay_files(void)
{
	int nfiles;
	char **files = fixtures_list("snapshots", ".json", &nfiles);
	CHECK(files != NULL && nfiles >= 10);
	for (int i = 0; i < nfiles; i++) {
		char path[4096], err[512], what[128];
		fixtures_path(path, sizeof(path), "snapshots", files[i]);
		struct snapshot *s = snapshot_load(path, err, sizeof(err));
		CHECK(s != NULL);
		if (!s) {
			fprintf(stderr, "%s\n", err);
			continue;
		}
		json_error_t je;
		json_t *root = json_load_file(path, 0, &je);
		CHECK(root != NULL);
		const char *top = json_string_value(json_object_get(json_array_get(
			json_object_get(json_object_get(root, "profile"), "top_functions"), 0), "function"));
		char pidcomm[128];
		snprintf(pidcomm, sizeof(pidcomm), "PID %d (%s)", s->proc.pid, s->proc.comm);
		struct ui u;
		ui_with(&u, s, true);
		snprintf(what, sizeof(what), "replay %s", files[i]);
		render(&u, cv80, what);
		HAS(cv80, pidcomm);
		HAS(cv80, "REPLAY");
		ui_key(&u, '2');
		render(&u, cv80, what);
		char buf[512];
		int y = row_of(cv80, "FUNCTION");
		CHECK(y > 0 && top && strstr(canvas_row_text(cv80, y + 1, buf, sizeof(buf)), top));
		for (int k = '1'; k <= '7'; k++) {
			ui_key(&u, k);
			render(&u, cv80, what);
			HAS(cv80, pidcomm);
			render(&u, cv200, what);
			HAS(cv200, pidcomm);
		}
		ui_key(&u, 'w');
		ui_key(&u, '3');
		ui_key(&u, UI_KEY_ENTER);
		render(&u, cv80, what);
		HAS(cv80, "stack");
		json_decref(root);
		ui_fini(&u);
	}
	if (files)
		fixtures_list_free(files, nfiles);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	show = getenv("CDTOP_TEST_SHOW") != NULL;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cdtop-test-ui.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	cv80 = canvas_new(80, 24, true);
	cv200 = canvas_new(200, 50, true);
	test_canvas();
	test_header();
	test_funcs();
	test_threads();
	test_locks();
	test_files();
	test_goroutines();
	test_checklist();
	test_overview();
	test_help_and_keys();
	test_snapshot_untouched();
	test_save();
	test_replay_files();
	canvas_free(cv80);
	canvas_free(cv200);
	return CHECK_DONE();
}
