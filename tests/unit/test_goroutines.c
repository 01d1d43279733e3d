/*
 * test_goroutines.c - the pure parts of the goroutine view, from
 * hand-made reads: counting (runtime goroutines left out), grouping by
 * status, wait reason and stack (largest first), counts by status and
 * wait reason, wait times from waitsince, running goroutines taking
 * their thread's sampled stack, the progress tracker (waitsince proof,
 * saved sp/pc, stack bytes), deadlock hints and mutex waits; the version
 * parser and the layout table (golang_layout.c); and the new JSON keys
 * written by report_json_write.
 */
#include "golang.h"
#include "goroutines.h"
#include "report.h"
#include "snapshot.h"
#include "util.h"
#include "check.h"
#include "snapbuild.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_GOPARK, F_CHANRECV, F_WORKER, F_OTHER, F_SEMA, F_LOCKSLOW, F_LOCKAB, F_NFUNCS };
static const char *const funcs[F_NFUNCS] = {
	"runtime.gopark", "runtime.chanrecv", "main.worker", "main.other",
	"runtime.semacquire1", "sync.(*Mutex).lockSlow", "main.lockAB",
};

/* A read with the given goroutines; stacks given as F_* lists ending in -1. */
struct fx {
	struct go_read r;
	int nfr;
};

static void fx_init(struct fx *x, double t)
{
	memset(x, 0, sizeof(*x));
	x->r.t = t;
	x->r.now_ns = (int64_t)(t * 1e9) + 100 * 1000000000LL;
	x->r.stacks = true;
	x->r.funcs = xcalloc(F_NFUNCS, sizeof(char *));
	for (int i = 0; i < F_NFUNCS; i++)
		x->r.funcs[i] = xstrdup(funcs[i]);
	x->r.nfuncs = F_NFUNCS;
	/* Wait reasons as in Go 1.19: index 14 chan receive, 18 semacquire,
	 * plus 30 sync.Mutex.Lock as in 1.20+. */
	x->r.nreasons = 31;
	x->r.reasons = xcalloc(31, sizeof(char *));
	for (int i = 0; i < 31; i++)
		x->r.reasons[i] = xstrdup("");
	free(x->r.reasons[14]);
	x->r.reasons[14] = xstrdup("chan receive");
	free(x->r.reasons[18]);
	x->r.reasons[18] = xstrdup("semacquire");
	free(x->r.reasons[30]);
	x->r.reasons[30] = xstrdup("sync.Mutex.Lock");
	x->r.g = xcalloc(64, sizeof(struct go_g));
	x->r.frames = xcalloc(1024, sizeof(int));
}

static struct go_g *fx_add(struct fx *x, uint64_t goid, uint32_t st, uint8_t reason, const int *stack)
{
	struct go_g *g = &x->r.g[x->r.ng++];
	g->goid = goid;
	g->addr = 0xc000000000 + goid * 0x200;
	g->status = st;
	g->waitreason = reason;
	g->sched_pc = 0x401000 + goid;
	g->sched_sp = 0xc000100000 + goid * 0x1000;
	g->tid = -1;
	g->frame0 = x->r.nframes;
	for (int i = 0; stack && stack[i] >= 0; i++) {
		x->r.frames[x->r.nframes++] = stack[i];
		g->nframes++;
	}
	g->stack_hash = 0x1234 + goid;
	return g;
}

static const struct snap_gr_group *find_group(const struct snap_goroutines *g, const char *fn, enum gr_status status)
{
	for (int i = 0; i < g->ngroups; i++)
		for (int k = 0; k < g->groups[i].nframes; k++)
			if (strcmp(g->groups[i].frames[k], fn) == 0 && g->groups[i].status == status)
				return &g->groups[i];
	return NULL;
}

static int64_t count_of(const struct snap_count *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return c[i].count;
	return -1;
}

static void test_grouping(void)
{
	static const int recv_worker[] = { F_GOPARK, F_CHANRECV, F_WORKER, -1 };
	static const int recv_other[] = { F_GOPARK, F_CHANRECV, F_OTHER, -1 };
	static const int runnable_worker[] = { F_WORKER, -1 };
	struct fx x;
	fx_init(&x, 10.0);
	for (int i = 0; i < 3; i++)
		fx_add(&x, 10 + (uint64_t)i, GO_WAITING, 14, recv_worker);
	fx_add(&x, 20, GO_WAITING, 14, recv_other)->waitsince = x.r.now_ns - 5 * 1000000000LL;
	fx_add(&x, 21, GO_WAITING, 14, recv_other)->waitsince = x.r.now_ns - 2 * 1000000000LL;
	fx_add(&x, 30, GO_RUNNABLE, 14, runnable_worker);     /* reason ignored: not waiting */
	fx_add(&x, 2, GO_WAITING, 14, recv_worker)->system = true;
	struct go_g *run = fx_add(&x, 40, GO_RUNNING, 0, NULL);
	run->tid = 4242;
	fx_add(&x, 50, GO_WAITING, 200, recv_worker);          /* reason outside the table */
	CHECK_EQ_INT(goroutines_count(&x.r), 8);

	/* The thread running goid 40 was sampled in main.hot <- main.caller. */
	struct snapshot *s = snapshot_new();
	s->profile = xcalloc(1, sizeof(*s->profile));
	const char *const pf[3] = { "main.hot", "main.caller", "runtime.goexit.abi0" };
	int sampled[3];
	for (int i = 0; i < 3; i++)
		sampled[i] = snapbuild_frame(s->profile, pf[i], "/bin/x");
	snapbuild_thread(s, 4241, "x", 'S', 0, 0, "", 0);
	snapbuild_thread_stack(snapbuild_thread(s, 4242, "x", 'R', 0, 0, "", 0), 3, sampled);

	struct snap_goroutines *g = goroutines_build(&x.r, NULL, s, 3.0, "go1.19.8", "dwarf");
	CHECK_EQ_INT(g->count, 8);
	CHECK_EQ_INT(g->system, 1);
	CHECK_STR(g->go_version, "go1.19.8");
	CHECK_STR(g->layout, "dwarf");
	CHECK_EQ_INT(g->ngroups, 5);
	/* largest first, then by status/reason/frames */
	CHECK_EQ_INT(g->groups[0].count, 3);
	CHECK_STR(g->groups[0].wait_reason, "chan receive");
	CHECK_EQ_INT(g->groups[0].nframes, 3);
	CHECK_STR(g->groups[0].frames[2], "main.worker");
	CHECK_EQ_INT(g->groups[0].ngoids, 3);
	CHECK_EQ_INT(g->groups[1].count, 2);
	CHECK_STR(g->groups[1].frames[2], "main.other");
	CHECK_NEAR(g->groups[1].max_wait_s, 5.0, 1e-6);
	CHECK(isnan(g->groups[0].max_wait_s));
	for (int i = 0; i < g->ngroups; i++) {
		CHECK(isnan(g->groups[i].stalled_s));   /* no tracker */
		CHECK(!g->groups[i].deadlock_hint);
	}
	const struct snap_gr_group *r = find_group(g, "main.worker", GR_STATUS_RUNNABLE);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->wait_reason, "");
		CHECK_EQ_INT(r->count, 1);
	}
	const struct snap_gr_group *hot = find_group(g, "main.hot", GR_STATUS_RUNNING);
	CHECK(hot != NULL);
	if (hot) {
		CHECK_EQ_INT(hot->nframes, 2);           /* runtime.goexit cut */
		CHECK_STR(hot->frames[1], "main.caller");
		CHECK_EQ_INT(hot->ntids, 1);
		CHECK_EQ_INT(hot->ntids ? hot->tids[0] : 0, 4242);
		CHECK_EQ_INT(hot->ngoids ? hot->goids[0] : 0, 40);
	}
	bool unknown_reason = false;
	for (int i = 0; i < g->ngroups; i++)
		unknown_reason |= strcmp(g->groups[i].wait_reason, "wait reason 200") == 0;
	CHECK(unknown_reason);
	CHECK_EQ_INT(count_of(g->by_status, g->nby_status, "waiting"), 6);
	CHECK_EQ_INT(count_of(g->by_status, g->nby_status, "runnable"), 1);
	CHECK_EQ_INT(count_of(g->by_status, g->nby_status, "running"), 1);
	CHECK_STR(g->by_status[0].name, "waiting");      /* largest first */
	CHECK_EQ_INT(count_of(g->by_wait_reason, g->nby_wait_reason, "chan receive"), 5);
	CHECK_EQ_INT(count_of(g->by_wait_reason, g->nby_wait_reason, "wait reason 200"), 1);
	CHECK_EQ_INT(g->nby_wait_reason, 2);

	/* The JSON writer carries the added keys. */
	s->goroutines = g;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK_EQ_INT(report_json_write(s, f), 0);
	fclose(f);
	json_error_t je;
	json_t *root = json_loads(buf, 0, &je);
	CHECK(root != NULL);
	json_t *jg = json_object_get(root, "goroutines");
	CHECK_EQ_INT(json_integer_value(json_object_get(jg, "count")), 8);
	CHECK_EQ_INT(json_integer_value(json_object_get(jg, "system")), 1);
	CHECK(json_is_integer(json_object_get(jg, "created_during_read")));
	CHECK(json_is_integer(json_object_get(jg, "moved_during_read")));
	json_t *g0 = json_array_get(json_object_get(jg, "groups"), 0);
	CHECK(json_is_array(json_object_get(g0, "tids")));
	CHECK(json_is_null(json_object_get(g0, "stalled_s")));
	CHECK(json_is_false(json_object_get(g0, "deadlock_hint")));
	CHECK(json_is_null(json_object_get(g0, "max_wait_s")));
	json_decref(root);
	free(buf);

	/* ... and the text report names the groups and the count's slope. */
	s->nhistory = 2;
	s->history = xcalloc(2, sizeof(*s->history));
	s->history[0].goroutines = 10;
	s->history[1].t = 2.0;
	s->history[1].goroutines = 30;
	s->history[0].rss_kb = s->history[1].rss_kb = -1;
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK_EQ_INT(report_text_write(s, f), 0);
	fclose(f);
	CHECK(strstr(buf, "Goroutines: 8 (go1.19.8; 1 runtime goroutines not counted)") != NULL);
	CHECK(strstr(buf, "by status: waiting 6, ") != NULL);
	CHECK(strstr(buf, "     3 waiting, chan receive\n") != NULL);
	CHECK(strstr(buf, "on thread 4242") != NULL);
	CHECK(strstr(buf, "  goroutines 10 -> 30 (+10.0/s)\n") != NULL);
	free(buf);
	snapshot_free(s);
	go_read_fini(&x.r);
}

/* Three reads one second apart of a deadlocked pair, a goroutine that
 * moves, and one proven still by waitsince despite a stack move. */
/* Go's runtime statuses become the snapshot's: preempted by name, a
 * status outside Go's table "unknown". */
static void test_status_names(void)
{
	static const int park[] = { F_GOPARK, F_WORKER, -1 };
	struct fx x;
	fx_init(&x, 10.0);
	fx_add(&x, 10, GO_PREEMPTED, 0, park);
	fx_add(&x, 11, 99, 0, park);
	fx_add(&x, 12, GO_DEADEXTRA, 0, park);
	struct snap_goroutines *g = goroutines_build(&x.r, NULL, NULL, 3.0, "go1.21.0", "dwarf");
	CHECK_EQ_INT(count_of(g->by_status, g->nby_status, "preempted"), 1);
	CHECK_EQ_INT(count_of(g->by_status, g->nby_status, "unknown"), 1);
	CHECK_EQ_INT(count_of(g->by_status, g->nby_status, "dead"), 1);
	CHECK(find_group(g, "main.worker", GR_STATUS_PREEMPTED) != NULL);
	CHECK(find_group(g, "main.worker", GR_STATUS_UNKNOWN) != NULL);
	CHECK(find_group(g, "main.worker", GR_STATUS_DEAD) != NULL);
	snap_goroutines_free(g);
	go_read_fini(&x.r);
}

static void test_tracker_and_hints(void)
{
	static const int lock[] = { F_GOPARK, F_SEMA, F_LOCKSLOW, F_LOCKAB, -1 };
	static const int recv[] = { F_GOPARK, F_CHANRECV, F_WORKER, -1 };
	struct gr_tracker *t = gr_tracker_new();
	int reads;
	CHECK(isnan(gr_tracker_stalled(t, 1, &reads)));
	CHECK_EQ_INT(reads, 0);
	struct fx x;
	for (int round = 0; round < 3; round++) {
		fx_init(&x, 100.0 + round);
		fx_add(&x, 1, GO_WAITING, 30, lock);           /* 1.20+: sync.Mutex.Lock */
		fx_add(&x, 2, GO_WAITING, 18, lock);           /* 1.19: semacquire via lockSlow */
		struct go_g *mv = fx_add(&x, 3, GO_WAITING, 14, recv);
		mv->sched_sp += (uint64_t)round * 64;          /* runs between reads */
		struct go_g *ws = fx_add(&x, 4, GO_WAITING, 14, recv);
		ws->waitsince = 777;                           /* seen by a GC: proof */
		ws->sched_sp += (uint64_t)round * 4096;        /* the GC moved its stack */
		struct go_g *hs = fx_add(&x, 5, GO_WAITING, 14, recv);
		if (round == 2)
			hs->stack_hash = 0xbeef;               /* locals changed: it ran */
		struct go_g *lt = fx_add(&x, 6, GO_WAITING, 14, recv);
		if (round == 1)
			lt->stack_hash = 0;                    /* a light read: hash carried over */
		struct go_g *rs = fx_add(&x, 7, GO_WAITING, 14, recv);
		/* 900, then zeroed (it ran), then stamped by a GC again: from
		 * 0 to a value proves nothing, sp/pc/stack bytes decide */
		rs->waitsince = round == 1 ? 0 : 900 + round;
		gr_tracker_update(t, &x.r);
		if (round < 2)
			go_read_fini(&x.r);
	}
	CHECK_NEAR(gr_tracker_stalled(t, 1, &reads), 2.0, 1e-9);
	CHECK_EQ_INT(reads, 3);
	CHECK_NEAR(gr_tracker_stalled(t, 3, &reads), 0.0, 1e-9);
	CHECK_EQ_INT(reads, 1);
	CHECK_NEAR(gr_tracker_stalled(t, 4, &reads), 2.0, 1e-9);
	CHECK_NEAR(gr_tracker_stalled(t, 5, &reads), 0.0, 1e-9);
	CHECK_NEAR(gr_tracker_stalled(t, 6, &reads), 2.0, 1e-9);
	CHECK_NEAR(gr_tracker_stalled(t, 7, &reads), 1.0, 1e-9);
	CHECK_EQ_INT(reads, 2);
	CHECK(isnan(gr_tracker_stalled(t, 99, &reads)));

	struct snap_goroutines *g = goroutines_build(&x.r, t, NULL, 2.0, "go1.19.8", "dwarf");
	int hints = 0;
	for (int i = 0; i < g->ngroups; i++) {
		const struct snap_gr_group *gr = &g->groups[i];
		hints += gr->deadlock_hint;
		if (strcmp(gr->wait_reason, "sync.Mutex.Lock") == 0 || strcmp(gr->wait_reason, "semacquire") == 0) {
			CHECK(gr->deadlock_hint);
			CHECK_NEAR(gr->stalled_s, 2.0, 1e-9);
		}
		if (strcmp(gr->wait_reason, "chan receive") == 0)
			CHECK_NEAR(gr->stalled_s, 0.0, 1e-9);          /* min over the group */
	}
	CHECK_EQ_INT(hints, 2);
	snap_goroutines_free(g);
	/* A window longer than the stall: no hint. */
	g = goroutines_build(&x.r, t, NULL, 10.0, "go1.19.8", "dwarf");
	for (int i = 0; i < g->ngroups; i++)
		CHECK(!g->groups[i].deadlock_hint);
	snap_goroutines_free(g);
	go_read_fini(&x.r);

	/* Only two reads: not enough for a hint whatever the window. */
	gr_tracker_reset(t);
	for (int round = 0; round < 2; round++) {
		fx_init(&x, 200.0 + 5 * round);
		fx_add(&x, 1, GO_WAITING, 30, lock);
		gr_tracker_update(t, &x.r);
		if (round < 1)
			go_read_fini(&x.r);
	}
	g = goroutines_build(&x.r, t, NULL, 5.0, "go1.20", "dwarf");
	CHECK_EQ_INT(g->ngroups, 1);
	CHECK_NEAR(g->groups[0].stalled_s, 5.0, 1e-9);
	CHECK(!g->groups[0].deadlock_hint);
	snap_goroutines_free(g);
	go_read_fini(&x.r);
	gr_tracker_free(t);
	gr_tracker_free(NULL);
}

static void test_mutex_wait(void)
{
	char *lockslow[] = { "runtime.gopark", "sync.(*Mutex).lockSlow" };
	char *rlock[] = { "runtime.gopark", "sync.(*RWMutex).RLock" };
	char *wg[] = { "runtime.gopark", "sync.(*WaitGroup).Wait" };
	char *internal[] = { "runtime.gopark", "internal/sync.(*Mutex).lockSlow" };
	char *other[] = { "runtime.gopark", "mysync.(*Mutex).Lock" };
	CHECK(goroutines_mutex_wait("sync.Mutex.Lock", NULL, 0));
	CHECK(goroutines_mutex_wait("sync.RWMutex.RLock", NULL, 0));
	CHECK(goroutines_mutex_wait("sync.RWMutex.Lock", NULL, 0));
	CHECK(goroutines_mutex_wait("semacquire", lockslow, 2));
	CHECK(goroutines_mutex_wait("semacquire", rlock, 2));
	CHECK(!goroutines_mutex_wait("semacquire", wg, 2));
	CHECK(goroutines_mutex_wait("semacquire", internal, 2));
	CHECK(!goroutines_mutex_wait("semacquire", other, 2));
	CHECK(!goroutines_mutex_wait("chan receive", lockslow, 2));
	CHECK(!goroutines_mutex_wait(NULL, NULL, 0));
}

static void test_layout(void)
{
	int m = 0;
	CHECK_EQ_INT(go_version_minor("go1.19.8", &m), 0);
	CHECK_EQ_INT(m, 19);
	CHECK_EQ_INT(go_version_minor("go1.22rc1", &m), 0);
	CHECK_EQ_INT(m, 22);
	CHECK_EQ_INT(go_version_minor("devel go1.23-4f0a3b X:foo", &m), 0);
	CHECK_EQ_INT(m, 23);
	CHECK_EQ_INT(go_version_minor("1.19", &m), -1);
	CHECK_EQ_INT(go_version_minor("go1.x", &m), -1);
	CHECK_EQ_INT(go_version_minor(NULL, &m), -1);

	struct go_layout a, b;
	CHECK_EQ_INT(go_layout_from_table(18, &a), -1);
	CHECK_EQ_INT(go_layout_from_table(28, &a), -1);
	/* Go 1.19: the offsets measured from DWARF (design-notes §4). */
	CHECK_EQ_INT(go_layout_from_table(19, &a), 0);
	CHECK_STR(a.source, "table go1.19-go1.20");
	CHECK_EQ_INT(a.goid, 152);
	CHECK_EQ_INT(a.status, 144);
	CHECK_EQ_INT(a.waitsince, 168);
	CHECK_EQ_INT(a.waitreason, 176);
	CHECK_EQ_INT(a.sched_sp, 56);
	CHECK_EQ_INT(a.sched_pc, 64);
	CHECK_EQ_INT(a.sched_bp, 104);
	CHECK_EQ_INT(a.syscallbp, -1);
	CHECK_EQ_INT(a.m_procid, 72);
	CHECK(a.read_len >= a.startpc + 8 && a.read_len % 8 == 0);
	CHECK_EQ_INT(go_layout_from_table(23, &b), 0);
	CHECK_EQ_INT(b.goid, 160);
	CHECK_EQ_INT(b.syscallbp, 128);
	CHECK_STR(go_layout_diff(&a, &b), "g.syscallbp");
	CHECK_EQ_INT(go_layout_from_table(27, &b), 0);
	CHECK_STR(b.source, "table go1.25-go1.27");
	CHECK_EQ_INT(b.sched_bp, 96);
	CHECK_EQ_INT(b.m_procid, 64);
	CHECK_EQ_INT(go_layout_from_table(20, &b), 0);
	CHECK(go_layout_diff(&a, &b) == NULL);
	b.goid = 160;
	CHECK_STR(go_layout_diff(&a, &b), "g.goid");
	CHECK_STR(go_layout_table_range(), "go1.19-go1.27");

	/* The snapshot's names of goroutine statuses (one table, the model's). */
	enum gr_status st = GR_STATUS_UNKNOWN;
	CHECK_STR(gr_status_name(GR_STATUS_WAITING), "waiting");
	CHECK_STR(gr_status_name(GR_STATUS_PREEMPTED), "preempted");
	CHECK_STR(gr_status_name(GR_STATUS_UNKNOWN), "unknown");
	CHECK_STR(gr_status_name(GR_STATUS_COUNT), "");
	CHECK(gr_status_from_name("running", &st) && st == GR_STATUS_RUNNING);
	CHECK(!gr_status_from_name("Running", &st) && st == GR_STATUS_RUNNING);
}

int main(void)
{
	test_grouping();
	test_status_names();
	test_tracker_and_hints();
	test_mutex_wait();
	test_layout();
	return CHECK_DONE();
}
