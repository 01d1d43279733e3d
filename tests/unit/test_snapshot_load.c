/*
 * test_snapshot_load.c - snapshot_load is the inverse of report_json_write:
 * a rich constructed snapshot and every real snapshot under
 * $FIXTURES/snapshots/ load and write back to the same text; nulls load as
 * unknown; corrupt, truncated (at every offset), byte-flipped, foreign,
 * future-version and wrongly typed files, and names outside a field's
 * fixed set, are refused with a one-line message naming what is wrong,
 * never a crash.
 */
#include "snapshot.h"
#include "snapshot_load.h"
#include "report.h"
#include "util.h"
#include "check.h"
#include "fixtures.h"
#include "snapbuild.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The JSON text of s (malloc'd). */
static char *to_json(const struct snapshot *s, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	CHECK(f != NULL);
	CHECK_EQ_INT(report_json_write(s, f), 0);
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

/* Load text, write it again: it must be the same text. */
static void check_round_trip(const char *text, size_t len, const char *what)
{
	char err[512] = "";
	struct snapshot *s = snapshot_load_buffer(text, len, err, sizeof(err));
	if (!s) {
		CHECK_FAIL_("%s does not load: %s", what, err);
		return;
	}
	CHECK(s->replay);
	size_t n2;
	char *again = to_json(s, &n2);
	check_count++;
	if (n2 != len || memcmp(again, text, len) != 0) {
		size_t i = 0;
		while (i < len && i < n2 && again[i] == text[i])
			i++;
		size_t from = i > 120 ? i - 120 : 0;
		CHECK_FAIL_("%s: written again differs at byte %zu:\n--- first ---\n%.240s\n--- again ---\n%.240s",
			    what, i, text + from, again + from);
	}
	free(again);
	snapshot_free(s);
}

static void test_rich_round_trip(void)
{
	struct snapshot *orig = snapbuild_rich();
	size_t len;
	char *text = to_json(orig, &len);
	check_round_trip(text, len, "rich snapshot");

	char err[512] = "";
	struct snapshot *s = snapshot_load_buffer(text, len, err, sizeof(err));
	CHECK(s != NULL);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	/* Figures and unknowns. */
	CHECK_NEAR(s->taken_at, 1795514400.0, 0);
	CHECK_NEAR(s->window_s, 10.004, 1e-9);
	CHECK_EQ_INT(s->host.ncpu, 2);
	CHECK_EQ_INT(s->proc.pid, 4242);
	CHECK_EQ_INT(s->proc.argc, 3);
	CHECK_STR(s->proc.argv[1], "say \"hi\"\tC:\\x");
	CHECK_NEAR(s->proc.cpu_user_pct, 182.0, 1e-9);
	CHECK(isnan(s->proc.ctx_invol_per_s));
	CHECK(isnan(s->proc.io_read_bps));
	CHECK_EQ_INT(s->proc.vsz_kb, SNAP_UNKNOWN);
	CHECK_EQ_INT(s->proc.fds.limit, 1024);
	CHECK(s->proc.tcp.known);
	CHECK_EQ_INT(s->proc.tcp.count[TCP_ST_CLOSE_WAIT], TCP_ST_CLOSE_WAIT);
	CHECK_EQ_INT(s->proc.netns_time_wait, 2841);
	CHECK_EQ_INT(s->nhistory, 3);
	CHECK(isnan(s->history[0].cpu_user_pct));
	CHECK_EQ_INT(s->history[1].fds, SNAP_UNKNOWN);
	CHECK_EQ_INT(s->history[2].goroutines, 102);
	/* Profile: frames interned, stacks and top rows point at them. */
	struct snap_profile *p = s->profile;
	CHECK(p != NULL);
	if (p) {
		CHECK_EQ_INT(p->nstacks, 4);
		CHECK_EQ_INT(p->ntop, 2);
		CHECK(isnan(p->pause_us_max));
		CHECK_EQ_INT(p->nframes, orig->profile->nframes);
		CHECK_STR(p->frames[p->top[0].frame].function, "validate_record");
		CHECK_STR(p->frames[p->top[0].frame].module, "/usr/bin/edc-import");
		CHECK_STR(p->frames[p->stacks[2].frames[0]].module, "/usr/lib/x86_64-linux-gnu/libc.so.6");
		CHECK(p->stacks[0].running && !p->stacks[2].running);
		CHECK_EQ_INT(p->stacks[3].tid, 4244);
	}
	CHECK_EQ_INT(s->nthreads, 4);
	if (p && s->nthreads == 4) {
		struct snap_thread *t = s->threads;
		CHECK_EQ_INT(t[1].nstack, 5);
		CHECK_STR(p->frames[t[1].stack[2]].function, "post_ledger");
		CHECK_STR(p->frames[t[1].top_frame].function, "post_ledger");
		CHECK_EQ_INT(t[2].top_frame, -1);
		CHECK(t[2].stack == NULL);
		CHECK(t[0].syscall_known && t[0].syscall[0] == '\0');
		CHECK(!t[2].syscall_known);
		CHECK(t[2].state == 'D');
		CHECK(isnan(t[2].blocked_s));
		CHECK_EQ_INT(t[2].ctx_vol, SNAP_UNKNOWN);
		CHECK(t[1].futex.valid && t[1].futex.mem_ok);
		CHECK_EQ_INT(t[1].futex.addr, 0x5600aa10);
		CHECK_EQ_INT(t[1].futex.mem[0], 0xffffffffu);
		CHECK_STR(t[1].futex.symbol, "ledger_lock");
		CHECK(t[3].futex.valid && !t[3].futex.mem_ok);
		CHECK(t[3].futex.addr == 0xffffffffffff0000ULL);
		CHECK_EQ_INT(t[3].futex.op, -1);
		CHECK(t[3].futex.symbol == NULL);
	}
	CHECK_EQ_INT(s->nsockets, 2);
	CHECK_EQ_INT(s->sockets[0].state, TCP_ST_CLOSE_WAIT);
	CHECK_EQ_INT(s->sockets[1].fd, SNAP_UNKNOWN);
	CHECK_EQ_INT(s->nlocks, 2);
	CHECK_EQ_INT(s->locks[0].nwaiters, 2);
	CHECK(isnan(s->locks[0].waiters[1].wait_s));
	CHECK_EQ_INT(s->locks[0].waiters[1].mode, LOCK_MODE_WRITE);
	CHECK_EQ_INT(s->locks[1].owner_tid, SNAP_UNKNOWN);
	CHECK(s->locks[1].owner_state == '?');
	CHECK_EQ_INT(s->ndeadlocks, 1);
	CHECK(s->deadlocks[0].symbols[1] == NULL);
	CHECK(s->deadlocks[0].locks[1] == 0x5600aa38);
	/* Fields added with the lock analysis. */
	CHECK(s->nthreads == 4 && s->threads[1].lock_addr == 0x5600aa10 && s->threads[0].lock_addr == 0);
	CHECK_STR(s->locks[0].owner_syscall_arg, "fd 3: pipe:[61939]");
	CHECK_NEAR(s->locks[0].owner_blocked_s, 12.6, 1e-9);
	CHECK(isnan(s->locks[1].owner_blocked_s));
	CHECK_EQ_INT(s->locks[0].nowner_stack, 3);
	if (p && s->locks[0].nowner_stack == 3)
		CHECK_STR(p->frames[s->locks[0].owner_stack[0]].function, "post_ledger");
	CHECK_EQ_INT(s->locks[0].readers, SNAP_UNKNOWN);
	CHECK_EQ_INT(s->locks[1].readers, 3);
	CHECK_EQ_INT(s->locks[0].size, 40);
	CHECK_EQ_INT(s->locks[1].size, 0);
	CHECK(s->locks[0].waiters[0].futex == 0x5600aa10 && s->locks[0].waiters[1].futex == 0);
	CHECK_STR(s->deadlocks[0].functions[0], "post_ledger");
	CHECK(s->deadlocks[0].functions[1] == NULL);
	CHECK_EQ_INT(s->deadlocks[0].kinds[1], LOCK_KIND_RWLOCK);
	CHECK(s->goroutines != NULL);
	if (s->goroutines) {
		CHECK_EQ_INT(s->goroutines->count, 210);
		CHECK_STR(s->goroutines->by_status[1].name, "runnable");
		CHECK_EQ_INT(s->goroutines->groups[0].goids[1], 9000000000LL);
	}
	CHECK_EQ_INT(s->nchecks, 2);
	CHECK_EQ_INT(s->checklist[0].answer, CHECK_ANSWER_YES);
	CHECK_STR(s->checklist[0].note, "v2.3 rolled out 09:40, \"cache\" flag on");
	CHECK(s->checklist[0].next_step == NULL);
	CHECK_EQ_INT(s->nerrors, 2);
	CHECK_STR(s->errors[1].message, "x\xe2\x80\x94y");
	snapshot_free(s);

	/* Empty analysis sections: null stays null, [] stays []. */
	snapshot_free_analysis(orig);
	snap_profile_free(orig->profile);
	orig->profile = NULL;
	free(text);
	text = to_json(orig, &len);
	check_round_trip(text, len, "snapshot without analysis");
	orig->locks = xcalloc(1, sizeof(*orig->locks));
	orig->deadlocks = xcalloc(1, sizeof(*orig->deadlocks));
	orig->checklist = xcalloc(1, sizeof(*orig->checklist));
	orig->sockets = xcalloc(1, sizeof(*orig->sockets));
	free(text);
	text = to_json(orig, &len);
	CHECK(strstr(text, "\"locks\": []") != NULL);
	check_round_trip(text, len, "snapshot with empty analysis");
	s = snapshot_load_buffer(text, len, err, sizeof(err));
	CHECK(s && s->locks && s->nlocks == 0 && s->deadlocks && s->checklist && s->sockets && !s->profile);
	CHECK(s && s->goroutines == NULL);
	snapshot_free(s);
	/* Threads stacks without a profile are not written: stack null. */
out:
	free(text);
	snapshot_free(orig);
}

/* Every real snapshot in $FIXTURES/snapshots loads and round-trips. */
static int test_fixtures(char **first_text, size_t *first_len)
{
	int n;
	char **names = fixtures_list("snapshots", ".json", &n);
	CHECK(names != NULL);
	for (int i = 0; i < n; i++) {
		char path[4096], err[512];
		fixtures_path(path, sizeof(path), "snapshots", names[i]);
		size_t len;
		char *text = read_file_alloc_at(AT_FDCWD, path, &len);
		CHECK(text != NULL);
		if (!text)
			continue;
		check_round_trip(text, len, names[i]);
		struct snapshot *s = snapshot_load(path, err, sizeof(err));
		CHECK(s != NULL);
		if (s) {
			CHECK(s->proc.pid > 0);
			CHECK(s->nthreads > 0);
			CHECK(s->nhistory > 0);
		}
		snapshot_free(s);
		if (!*first_text || len < *first_len) {
			free(*first_text);
			*first_text = text;
			*first_len = len;
		} else {
			free(text);
		}
	}
	if (names)
		fixtures_list_free(names, n);
	CHECK(n >= 3);
	printf("%d fixture snapshots round-trip\n", n);
	return n;
}

/* Expect the load of text to fail with a message containing want. */
static void check_refused(const char *text, const char *want)
{
	char err[512] = "";
	struct snapshot *s = snapshot_load_buffer(text, strlen(text), err, sizeof(err));
	CHECK(s == NULL);
	snapshot_free(s);
	check_count++;
	if (!strstr(err, want))
		CHECK_FAIL_("loading %.60s...: message \"%s\" does not contain \"%s\"", text, err, want);
	CHECK(strchr(err, '\n') == NULL);
}

/* A copy of text with the first occurrence of from replaced by to. */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	CHECK(at != NULL);
	if (!at)
		return xstrdup(text);
	size_t a = (size_t)(at - text), fl = strlen(from), tl = strlen(to), n = strlen(text);
	char *out = xmalloc(n - fl + tl + 1);
	memcpy(out, text, a);
	memcpy(out + a, to, tl);
	memcpy(out + a + tl, at + fl, n - a - fl + 1);
	return out;
}

static void check_refused_edit(const char *text, const char *from, const char *to, const char *want)
{
	char *t = replace(text, from, to);
	check_refused(t, want);
	free(t);
}

static void test_refused(void)
{
	struct snapshot *orig = snapbuild_rich();
	char *text = to_json(orig, NULL);
	snapshot_free(orig);

	check_refused("", "invalid JSON at line 1");
	check_refused("{\"format\": \"cdtop-snapshot\",\n \"version\": 1,\n  \"x\": }",
		      "invalid JSON at line 3 column");
	check_refused("[1, 2]", "not a cdtop snapshot: the document is an array");
	check_refused("{}", "not a cdtop snapshot: missing \"format\"");
	check_refused("{\"format\": \"pprof\", \"version\": 1}", "not a cdtop snapshot: \"format\" is \"pprof\"");
	check_refused("{\"format\": 7}", "not a cdtop snapshot: \"format\" is an integer");
	check_refused("{\"format\": \"cdtop-snapshot\"}", "field version: expected an integer");
	check_refused("{\"format\": \"cdtop-snapshot\", \"version\": 2}",
		      "snapshot format version 2 is not supported: this cdtop reads version 1 (written by a newer cdtop)");
	check_refused("{\"format\": \"cdtop-snapshot\", \"version\": 1}", "field process: missing");
	check_refused("{\"format\": \"cdtop-snapshot\", \"version\": 1, \"process\": []}",
		      "field process: expected an object, found an array");
	check_refused("{\"format\": \"cdtop-snapshot\", \"version\": 1, \"version\": 1, \"process\": {}}",
		      "duplicate object key");

	check_refused_edit(text, "\"threads\": 4", "\"threads\": \"4\"",
			   "field process.threads: expected an integer, found a string");
	check_refused_edit(text, "\"threads\": 4", "\"threads\": 4.5",
			   "field process.threads: expected an integer, found a number");
	check_refused_edit(text, "\"pid\": 4242", "\"pid\": -3", "field process.pid: -3 is out of range");
	check_refused_edit(text, "\"user_pct\": 182.0", "\"user_pct\": true",
			   "field process.cpu.user_pct: expected a number, found a boolean");
	check_refused_edit(text, "\"taken_at\": \"2026-11-24T10:00:00Z\"", "\"taken_at\": \"yesterday\"",
			   "field taken_at: expected a UTC time");
	check_refused_edit(text, "\"post_ledger\",\n    \"worker\"", "\"post_ledger\",\n    17",
			   "field threads[1].stack[3]: expected a string, found an integer");
	check_refused_edit(text, "\"count\": 800", "\"count\": \"800\"",
			   "field profile.stacks[0].count: expected an integer, found a string");
	check_refused_edit(text, "libc.so.6\"", "libc.so.6\", \"extra\"",
			   "field profile.stacks[2].frames: 6 modules for 5 frames");
	check_refused_edit(text, "\"running\": true", "\"running\": 1",
			   "field profile.stacks[0].running: expected true or false");
	check_refused_edit(text, "\"state\": \"D\"", "\"state\": \"DD\"",
			   "field threads[2].state: expected a one-letter state");
	check_refused_edit(text, "\"addr\": \"0x5600aa10\"", "\"addr\": \"5600aa10\"",
			   "field threads[1].futex.addr: expected an address");
	check_refused_edit(text, "\"state\": \"CLOSE_WAIT\"", "\"state\": \"SLEEPY\"",
			   "field sockets[0].state: unknown TCP state \"SLEEPY\"");
	check_refused_edit(text, "\"waiters_history\": [\n    1,", "\"waiters_history\": [\n    \"1\",",
			   "field locks[0].waiters_history[0]: expected an integer");
	check_refused_edit(text, "\"goids\": [\n     17", "\"goids\": [\n     -17",
			   "field goroutines.groups[0].goids[0]: expected a goroutine id");
	check_refused_edit(text, "\"history\": [", "\"history\": [7, ",
			   "field history[0]: expected an object, found an integer");
	check_refused_edit(text, "\"errors\": [", "\"errors\": {\"a\": 1}, \"x\": [",
			   "field errors: expected an array, found an object");
	/* A field of a fixed set holds one of its names (snapshot_enums.h). */
	check_refused_edit(text, "\"runtime\": \"native\"", "\"runtime\": \"java\"",
			   "field process.runtime: unknown value \"java\"");
	check_refused_edit(text, "\"mode\": \"cpu\"", "\"mode\": \"auto\"", "field profile.mode: unknown value \"auto\"");
	check_refused_edit(text, "\"kind\": \"mutex\"", "\"kind\": \"spinlock\"",
			   "field locks[0].kind: unknown value \"spinlock\"");
	check_refused_edit(text, "\"mode\": \"write\"", "\"mode\": \"append\"",
			   "field locks[0].waiter_details[1].mode: unknown value \"append\"");
	check_refused_edit(text, "\"rwlock\"\n   ]", "\"rw\\nlock\"\n   ]",
			   "field deadlocks[0].kinds[1]: unknown value \"rw?lock\"");
	check_refused_edit(text, "\"waiting\": 205", "\"napping\": 205",
			   "field goroutines.by_status: unknown value \"napping\"");
	check_refused_edit(text, "\"status\": \"waiting\"", "\"status\": \"sleeping\"",
			   "field goroutines.groups[0].status: unknown value \"sleeping\"");
	check_refused_edit(text, "\"status\": \"alert\"", "\"status\": \"ALERT\"",
			   "field checklist[1].status: unknown value \"ALERT\"");
	check_refused_edit(text, "\"pane\": \"funcs\"", "\"pane\": \"flame\"",
			   "field checklist[1].pane: unknown value \"flame\"");
	check_refused_edit(text, "\"answer\": \"yes\"", "\"answer\": \"maybe\"",
			   "field checklist[0].answer: unknown value \"maybe\"");

	/* Unknown fields are ignored (format 1 grows by adding fields);
	 * fields missing from an older file load as unknown. */
	char *t = replace(text, "\"window_s\"", "\"added_later\": {\"x\": [1]}, \"window_s\"");
	char err[512];
	struct snapshot *s = snapshot_load_buffer(t, strlen(t), err, sizeof(err));
	CHECK(s != NULL);
	snapshot_free(s);
	free(t);
	const char *old = "{\"format\": \"cdtop-snapshot\", \"version\": 1, \"process\": {\"pid\": 9}}";
	s = snapshot_load_buffer(old, strlen(old), err, sizeof(err));
	CHECK(s != NULL);
	if (s) {
		CHECK_EQ_INT(s->proc.pid, 9);
		CHECK_EQ_INT(s->proc.threads, SNAP_UNKNOWN);
		CHECK_EQ_INT(s->proc.netns_time_wait, SNAP_UNKNOWN);
		CHECK(isnan(s->taken_at) && isnan(s->proc.cpu_user_pct));
		CHECK(s->threads == NULL && s->profile == NULL && s->locks == NULL && s->checklist == NULL);
		CHECK_EQ_INT(s->nhistory, 0);
		CHECK(s->replay);
	}
	snapshot_free(s);

	/* Files: missing, a directory, a path prefix on content errors. */
	s = snapshot_load("/nonexistent/cdtop.json", err, sizeof(err));
	CHECK(s == NULL);
	CHECK_STR(err, "cannot open /nonexistent/cdtop.json: No such file or directory");
	s = snapshot_load("/", err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strncmp(err, "/: ", 3) == 0);
	s = snapshot_load("/proc/self/status", err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strstr(err, "/proc/self/status: invalid JSON at line 1") == err);
	free(text);
}

/* Truncation at every offset and byte flips: never a crash, always NULL
 * with a one-line message or a snapshot that writes back. */
static void fuzz(const char *text, size_t len, size_t stride, const char *what)
{
	char err[512];
	size_t refused = 0, loaded = 0;
	for (size_t n = 0; n < len; n += stride) {
		err[0] = '\0';
		struct snapshot *s = snapshot_load_buffer(text, n, err, sizeof(err));
		/* Only the full text (or without its final newline) is valid. */
		if (n + 1 < len) {
			check_count++;
			if (s)
				CHECK_FAIL_("%s truncated to %zu of %zu bytes loaded", what, n, len);
		}
		if (!s) {
			refused++;
			CHECK(err[0] && !strchr(err, '\n'));
		}
		snapshot_free(s);
	}
	char *buf = xmalloc(len);
	static const unsigned char flips[] = {0x01, 0x20, 0x80, 0xff};
	for (size_t i = 0; i < len; i += stride) {
		for (size_t k = 0; k < sizeof(flips); k++) {
			memcpy(buf, text, len);
			buf[i] = (char)(buf[i] ^ flips[k]);
			err[0] = '\0';
			struct snapshot *s = snapshot_load_buffer(buf, len, err, sizeof(err));
			if (s) {
				loaded++;
				char *again = to_json(s, NULL);     /* must not crash either */
				free(again);
			} else {
				refused++;
				if (!err[0] || strchr(err, '\n'))
					CHECK_FAIL_("%s flip 0x%02x at %zu: bad message \"%s\"", what, flips[k], i, err);
			}
			snapshot_free(s);
		}
	}
	check_count++;
	free(buf);
	printf("%s: %zu bytes fuzzed (stride %zu): %zu refused, %zu still valid after a flip\n",
	       what, len, stride, refused, loaded);
}

int main(void)
{
	test_rich_round_trip();
	test_refused();
	char *fx = NULL;
	size_t fxlen = 0;
	test_fixtures(&fx, &fxlen);

	struct snapshot *orig = snapbuild_rich();
	size_t len;
	char *text = to_json(orig, &len);
	snapshot_free(orig);
	fuzz(text, len, 1, "rich snapshot");
	free(text);
	if (fx)
		fuzz(fx, fxlen, 7, "smallest fixture");
	free(fx);
	return CHECK_DONE();
}
