/*
 * triage.c - the built-in triage checklist (see triage.h): the on-call
 * knowledge of doc/triage-rules.md (from the project's triage notes and
 * the incident write-ups behind them) as rules over a snapshot. This file
 * holds the manual questions, the table of rules in walk order with their
 * next steps and ranks, the evaluation, the answers, and the summary's
 * ranking; the rules are in triage_resources.c and triage_waits.c, what
 * they share in triage_rules.h and triage_evidence.c.
 *
 * Pure analysis: it reads a struct snapshot (live or loaded from a file)
 * and writes s->checklist; no /proc, no ptrace, no curses, no output
 * (the text is report_triage.c's). Each rule is a function filling a
 * verdict: a status, the evidence with the figures it used, and the next
 * step (the pane to open, what to look for, the usual causes). Thresholds
 * are the named constants of triage_rules.h, documented with their
 * reasons in doc/triage-rules.md; they are set so that a healthy idle
 * process gets no warn or alert, and a rule that needs a trend says
 * "unknown" until the history is long enough to judge one.
 *
 * The walk order is the one engineers follow ("macro to micro"): scope
 * questions a person answers, then the resource picture, then where the
 * time goes. The summary ranks the same items by severity instead.
 */
#include "triage.h"
#include "triage_rules.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- manual items ------------------------------------------------------- */

struct manual {
	const char *id, *title, *next;
};

static const struct manual manuals[] = {
	{"manual-traffic", "Is traffic (QPS) up?",
	 "Compare the request rate with its usual level. If traffic explains the load, scale out or "
	 "rate-limit; if it does not, the cause is inside (code, data, a dependency)."},
	{"manual-deploy", "Recent deploy or config change?",
	 "A change shortly before the symptom is the first suspect: compare the times, and roll back "
	 "if it matches (have a rollback plan before you act)."},
	{"manual-heavy", "Unusually large requests or a heavy operation running?",
	 "Large payloads, a bulk import or a user querying a huge range: find the request in the logs; "
	 "hot functions in serialization, sorting or validation point the same way."},
	{"manual-scope", "Only this instance affected (not the whole fleet)?",
	 "One instance only: suspect the node or the instance's config (noisy neighbour, bad host, "
	 "uneven load). The whole fleet: traffic, a dependency or the code itself."},
	{"manual-errors", "Errors rising along with latency?",
	 "Errors and latency rising together point at a dependency (database, cache, third-party API): "
	 "look for threads blocked in read/recv/poll and connections piling up to one peer."},
};
#define NMANUAL ((int)(sizeof(manuals) / sizeof(manuals[0])))

static const struct manual *manual_find(const char *id)
{
	for (int i = 0; i < NMANUAL; i++)
		if (strcmp(manuals[i].id, id) == 0)
			return &manuals[i];
	return NULL;
}

/* ---- the table ---------------------------------------------------------- */

struct rule {
	const char *id;
	const char *title;
	enum check_pane pane;
	int rank;                       /* among equal statuses: lower = more specific cause */
	void (*eval)(const struct snapshot *s, struct verdict *v);
	const char *next;               /* the next step: what to open, what to look for, causes */
};

static const struct rule rules[] = {
	{"cpu-user", "CPU busy in user code", CHECK_PANE_FUNCS, 60, triage_rule_cpu_user,
	 "Open the top functions (funcs, cpu mode): the #1 function by flat% is the suspect, "
	 "cum% shows the caller that drives it. Usual causes of user CPU: a hot loop or "
	 "inefficient algorithm, heavy serialization (JSON of big objects), regex backtracking, "
	 "reflection-based validation, an unbounded retry loop, allocation/GC churn "
	 "(malloc, runtime.mallocgc, runtime.gcBgMarkWorker high in the list)."},
	{"cpu-sys", "CPU busy in the kernel (sys)", CHECK_PANE_THREADS, 55, triage_rule_cpu_sys,
	 "Kernel time: look for lock contention (locks pane: many waiters on one lock), too many "
	 "threads or goroutines (scheduler overhead: count and its slope), a syscall storm of tiny "
	 "reads/writes (threads pane: the syscall column; funcs: kernel-entry wrappers such as "
	 "write, read, futex, sched_yield on top), frequent atomics."},
	{"cpu-starved", "CPU starvation: cgroup throttling, preemption", CHECK_PANE_OVERVIEW, 40,
	 triage_rule_cpu_starved,
	 "CPU starvation: the cgroup's CPU limit (quota) is too low for the load, or noisy "
	 "neighbours keep preempting it. Compare cpu.max with the CPU the process wants; raise "
	 "the limit or move the instance. Throttling shows as latency spikes, not as high CPU."},
	{"rss-growth", "Memory (RSS) growing", CHECK_PANE_OVERVIEW, 30, triage_rule_rss_growth,
	 "RSS that rises steadily and never falls is a leak: a global map or cache without "
	 "eviction, slices keeping big backing arrays, leaked threads or goroutines holding "
	 "memory, resources never closed. Anonymous growth is heap; file growth is mapped files. "
	 "Correlate with the thread, goroutine and fd slopes (overview)."},
	{"memory-pressure", "Major page faults and swap", CHECK_PANE_OVERVIEW, 45,
	 triage_rule_memory_pressure,
	 "Memory pressure: pages are read back from disk or swap, so every touch of cold memory "
	 "waits on IO. Check the host's free memory and the cgroup memory limit; look for the "
	 "RSS growth behind it."},
	{"threads-growth", "Thread count growing", CHECK_PANE_THREADS, 25, triage_rule_threads_growth,
	 "A thread count that keeps rising with low CPU is a leak of blocked workers: a mutex "
	 "never unlocked, a queue with no consumer, a join/notify mismatch, IO without a timeout, "
	 "timers created in a loop. Group the blocked threads by stack (threads pane, or funcs in "
	 "wall mode): the largest group with the same stack is the leak site."},
	{"goroutines-growth", "Goroutine count growing", CHECK_PANE_GOROUTINES, 24,
	 triage_rule_goroutines_growth,
	 "Goroutines that keep rising are a leak: a goroutine per request blocked on a channel "
	 "with no partner or on a call without a timeout, a WaitGroup Add/Done mismatch, a select "
	 "with no ready case, time.After in a loop, context cancellation not observed. Open the "
	 "goroutines pane: the largest group (same stack and wait reason) is the leak site; fix "
	 "with context timeouts."},
	{"fd-limit", "File descriptors near the limit", CHECK_PANE_FILES, 15, triage_rule_fd_limit,
	 "Near the limit, accept() and open() start failing with EMFILE. Open the files pane: "
	 "the type that dominates (files, sockets, pipes) points at what is not closed: files, "
	 "connections, database handles. Raising the limit only buys time."},
	{"fd-growth", "File descriptors growing", CHECK_PANE_FILES, 22, triage_rule_fd_growth,
	 "A steadily rising fd count is a descriptor leak: files, connections or DB handles "
	 "opened per request and never closed. Files pane: which type grows, and what the newest "
	 "descriptors point at."},
	{"tcp-close-wait", "Sockets piling up in CLOSE_WAIT", CHECK_PANE_FILES, 12, triage_rule_close_wait,
	 "CLOSE_WAIT means the peer closed and this process never closed its end: a connection "
	 "leak in the application (e.g. HTTP response bodies not closed, a handler returning "
	 "without close). Files pane: the sockets in CLOSE_WAIT and their local/remote address "
	 "show which client or server code path forgets to close."},
	{"tcp-time-wait", "TIME_WAIT pile-up (short connections)", CHECK_PANE_FILES, 35,
	 triage_rule_time_wait,
	 "Many TIME_WAIT sockets mean many short connections without keep-alive or pooling; "
	 "the risk is running out of ephemeral ports (connect() fails with EADDRNOTAVAIL). Reuse "
	 "connections (HTTP keep-alive, a connection pool). Which peer: ss -tan state time-wait "
	 "in the process's network namespace (nsenter -t PID -n)."},
	{"threads-d-state", "Threads stuck in D state (disk/NFS IO)", CHECK_PANE_THREADS, 20,
	 triage_rule_d_state,
	 "D state is a wait inside the kernel that signals cannot interrupt: disk or NFS IO "
	 "stalls, a hung storage device, page faults on a slow filesystem. Threads pane: the "
	 "wchan column names the kernel function; check the device (iostat) and mounts."},
	{"hot-function", "One function dominates the CPU samples", CHECK_PANE_FUNCS, 10,
	 triage_rule_hot_function,
	 "Top functions (funcs, cpu mode): the #1 function by flat% is where the CPU goes; its "
	 "callers (cum%) say which request path drives it. If malloc/free or runtime.mallocgc/"
	 "gcBgMarkWorker dominate, it is allocation pressure: reuse buffers, allocate less per "
	 "request."},
	{"blocked-same-place", "Most threads blocked in the same place", CHECK_PANE_THREADS, 18,
	 triage_rule_blocked_same_place,
	 "Where blocked threads wait (threads pane; funcs in wall mode): a lock wait means a "
	 "lock held too long (see locks); read/recv/poll on a socket means IO without a timeout "
	 "or a slow dependency (check the TCP sockets and the peer); a queue or condition wait "
	 "with no consumer means a stuck pipeline. If the thread count also grows, this group is "
	 "the leak site."},
	{"goroutines-blocked", "Most goroutines blocked in the same place", CHECK_PANE_GOROUTINES, 14,
	 triage_rule_goroutines_blocked,
	 "Goroutines pane: thousands in chan receive/send or select at one function are a leak "
	 "(a goroutine per request calling out with no timeout: use context timeouts); goroutines "
	 "in semacquire/sync.Mutex.Lock are waiting on a lock (an AB-BA deadlock if two wait "
	 "forever); many in IO wait on outbound connections mean a slow dependency; many runnable "
	 "mean scheduler overload."},
	{"lock-contention", "Lock contention", CHECK_PANE_LOCKS, 5, triage_rule_lock_contention,
	 "Many threads waiting on one lock: a coarse lock or a long critical section (IO or "
	 "heavy work under the lock). Locks pane: the lock's name, its owner and where the owner "
	 "is now; shorten the critical section, move IO out of it, shard the lock or use a "
	 "read-write lock."},
	{"deadlock", "Deadlock (threads waiting on each other's locks)", CHECK_PANE_LOCKS, 0,
	 triage_rule_deadlock,
	 "Two or more threads each waiting for a lock another one holds (AB-BA ordering) never "
	 "recover by themselves. Locks pane: the cycle with both locks and both holders and where "
	 "each took its first lock. Fix: take locks in one global order, or use timeouts "
	 "(trylock). A restart is the stop-gap."},
};
#define NRULES ((int)(sizeof(rules) / sizeof(rules[0])))

/* ---- public functions --------------------------------------------------- */

/* A real answer (yes, no, unknown), not NONE or out of range. */
static bool answer_given(enum check_answer a)
{
	return a > CHECK_ANSWER_NONE && a < CHECK_ANSWER_COUNT;
}

int triage_answer(struct triage_answers *a, const char *id, enum check_answer answer, const char *note)
{
	if (!id || !manual_find(id) || (answer != CHECK_ANSWER_NONE && !answer_given(answer)))
		return -1;
	int i;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->item[i].id, id) == 0)
			break;
	if (i == a->n) {
		if (a->n >= TRIAGE_MAX_MANUAL)
			return -1;
		memset(&a->item[i], 0, sizeof(a->item[i]));
		str_copy(a->item[i].id, id, sizeof(a->item[i].id));
		a->n++;
	}
	if (answer != CHECK_ANSWER_NONE)
		a->item[i].answer = answer;
	if (note)
		str_copy(a->item[i].note, note, sizeof(a->item[i].note));
	return 0;
}

void triage_answers_from(struct triage_answers *a, const struct snapshot *s)
{
	for (int i = 0; s->checklist && i < s->nchecks; i++) {
		const struct snap_check *c = &s->checklist[i];
		if (!manual_find(c->id))
			continue;
		bool has_answer = answer_given(c->answer);
		if (!has_answer && !(c->note && c->note[0]))
			continue;
		triage_answer(a, c->id, has_answer ? c->answer : CHECK_ANSWER_NONE, c->note ? c->note : NULL);
	}
}

/* Copy of a string without control characters (notes are typed by a person). */
static char *clean_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return d;
}

static void fill_manual(struct snap_check *c, const struct manual *m, const struct triage_answers *a)
{
	str_copy(c->id, m->id, sizeof(c->id));
	str_copy(c->title, m->title, sizeof(c->title));
	c->status = CHECK_ST_MANUAL;
	c->pane = CHECK_PANE_OVERVIEW;
	c->next_step = xstrdup(m->next);
	const char *ans = NULL, *note = NULL;
	for (int i = 0; a && i < a->n; i++)
		if (strcmp(a->item[i].id, m->id) == 0) {
			ans = answer_given(a->item[i].answer) ? check_answer_name(a->item[i].answer) : NULL;
			note = a->item[i].note[0] ? a->item[i].note : NULL;
			if (ans)
				c->answer = a->item[i].answer;
		}
	if (note)
		c->note = clean_dup(note);
	char ev[256];
	if (ans && note)
		snprintf(ev, sizeof(ev), "answered %s: %s", ans, note);
	else if (ans)
		snprintf(ev, sizeof(ev), "answered %s", ans);
	else if (note)
		snprintf(ev, sizeof(ev), "not answered; note: %s", note);
	else
		snprintf(ev, sizeof(ev), "not answered yet: a question only a person can answer");
	c->evidence = clean_dup(ev);
}

void triage_evaluate(struct snapshot *s, const struct triage_answers *answers)
{
	for (int i = 0; s->checklist && i < s->nchecks; i++)
		snap_check_fini(&s->checklist[i]);
	free(s->checklist);
	s->nchecks = NMANUAL + NRULES;
	s->checklist = xcalloc((size_t)s->nchecks, sizeof(*s->checklist));
	for (int i = 0; i < NMANUAL; i++)
		fill_manual(&s->checklist[i], &manuals[i], answers);
	for (int i = 0; i < NRULES; i++) {
		struct snap_check *c = &s->checklist[NMANUAL + i];
		struct verdict v;
		memset(&v, 0, sizeof(v));
		v.st = ST_UNKNOWN;
		rules[i].eval(s, &v);
		str_copy(c->id, rules[i].id, sizeof(c->id));
		str_copy(c->title, rules[i].title, sizeof(c->title));
		c->status = (enum check_status)v.st;
		c->pane = rules[i].pane;
		c->evidence = xstrdup(v.ev);
		/* A rule may put a case-specific hint before the general step. */
		size_t n = strlen(v.next) + strlen(rules[i].next) + 1;
		c->next_step = xmalloc(n);
		snprintf(c->next_step, n, "%s%s", v.next, rules[i].next);
	}
}

enum check_status triage_worst(const struct snapshot *s)
{
	int w = ST_OK;
	for (int i = 0; s->checklist && i < s->nchecks; i++) {
		int st = (int)s->checklist[i].status;
		if (st != ST_MANUAL)
			w = worse(w, st);
	}
	return (enum check_status)w;
}

/* ---- summary order ------------------------------------------------------ */

static int rank_of(const char *id)
{
	for (int i = 0; i < NRULES; i++)
		if (strcmp(rules[i].id, id) == 0)
			return rules[i].rank;
	return 100;
}

/* Does item x (status sx, rank rx) come before item y in the summary? */
static bool ranks_before(int sx, int rx, int sy, int ry)
{
	if (sx != sy)
		return sx > sy;
	return rx < ry;
}

int triage_order(const struct snapshot *s, int *order)
{
	int n = s->checklist ? s->nchecks : 0;
	int *rank = xmalloc(sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		rank[i] = rank_of(s->checklist[i].id);
	/* Insertion sort in walk order: stable, so equal items keep it. */
	for (int i = 0; i < n; i++) {
		int st = (int)s->checklist[i].status, k = i;
		for (; k > 0; k--) {
			int prev = order[k - 1];
			if (!ranks_before(st, rank[i], (int)s->checklist[prev].status, rank[prev]))
				break;
			order[k] = prev;
		}
		order[k] = i;
	}
	free(rank);
	return n;
}
