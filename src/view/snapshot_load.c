/*
 * snapshot_load.c - a saved snapshot file back into a struct snapshot
 * (see snapshot_load.h): the exact inverse of report_json.c.
 *
 * The file is parsed with jansson into a tree, then walked section by
 * section. Each getter checks the JSON type of one field and turns null
 * (or a field missing from an older file) into cdtop's "unknown" (NAN,
 * SNAP_UNKNOWN, NULL, ""); a field of a fixed set (a lock's kind, a
 * status) must hold one of its names and becomes the model's enum. The
 * first wrong type or unknown name is remembered with the
 * field's path ("threads[3].stack[2]: expected a string") and every later
 * getter returns its default, so the walk needs no error checks of its
 * own; at the end a failed load frees what was built and returns NULL.
 * Everything is allocated zeroed and counted as it is filled, so a
 * half-built snapshot is always safe to free.
 *
 * Profile frames are interned from (function, module) of stacks and top
 * functions; thread stacks, which the file stores as function names only,
 * are mapped back to those frames by name.
 */
#include "snapshot_load.h"
#include "intern.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PATH_LEN 160
#define LOAD_MSG 480          /* one-line error text */

struct rd {
	bool failed;
	char msg[LOAD_MSG];
};

static void fail(struct rd *r, const char *path, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Remember the first error: "field PATH.KEY: what". */
static void fail(struct rd *r, const char *path, const char *key, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = true;
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->msg, sizeof(r->msg), "field %s%s%s: %s", path, *path && key && *key ? "." : "",
		 key ? key : "", what);
}

/* Format a field path ("threads[3].stack") into a PATH_LEN buffer. */
static void pathf(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pathf(char *dst, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, PATH_LEN, fmt, ap);
	va_end(ap);
}

static const char *jtype(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* o[key], or NULL when o is not an object, key is missing or null. */
static json_t *val(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_null(v) ? NULL : v;
}

static double get_num(struct rd *r, json_t *o, const char *path, const char *key)
{
	json_t *v = val(o, key);
	if (!v)
		return NAN;
	if (!json_is_number(v)) {
		fail(r, path, key, "expected a number, found %s", jtype(v));
		return NAN;
	}
	return json_number_value(v);
}

/* An integer in [min, max]; `unknown` for null or missing. */
static int64_t get_int(struct rd *r, json_t *o, const char *path, const char *key,
		       int64_t min, int64_t max, int64_t unknown)
{
	json_t *v = val(o, key);
	if (!v)
		return unknown;
	if (!json_is_integer(v)) {
		fail(r, path, key, "expected an integer, found %s", jtype(v));
		return unknown;
	}
	json_int_t x = json_integer_value(v);
	if (x < min || x > max) {
		fail(r, path, key, "%" PRId64 " is out of range (%" PRId64 " to %" PRId64 ")",
		     (int64_t)x, min, max);
		return unknown;
	}
	return (int64_t)x;
}

static bool get_bool(struct rd *r, json_t *o, const char *path, const char *key)
{
	json_t *v = val(o, key);
	if (!v)
		return false;
	if (!json_is_boolean(v)) {
		fail(r, path, key, "expected true or false, found %s", jtype(v));
		return false;
	}
	return json_is_true(v);
}

/* The string o[key] (owned by the tree), NULL for null or missing. */
static const char *get_str(struct rd *r, json_t *o, const char *path, const char *key)
{
	json_t *v = val(o, key);
	if (!v)
		return NULL;
	if (!json_is_string(v)) {
		fail(r, path, key, "expected a string, found %s", jtype(v));
		return NULL;
	}
	return json_string_value(v);
}

/* Copy o[key] into a fixed buffer ("" for null). */
static void get_buf(struct rd *r, json_t *o, const char *path, const char *key, char *dst, size_t n)
{
	const char *s = get_str(r, o, path, key);
	str_copy(dst, s ? s : "", n);
}

/* Refuse value v of field key: not one of its names (snapshot_enums.h). */
static void bad_name(struct rd *r, const char *path, const char *key, const char *v)
{
	char *clean = utf8_sanitize(v);
	fail(r, path, key, "unknown value \"%.40s\"", clean);
	free(clean);
}

/* Enum fields: the value named o[key], `unknown` for null or missing; a
 * name that is not one of the enum's is refused. */
#define GET_ENUM(r, o, path, key, type, dst, unknown) do {                  \
		const char *name_ = get_str(r, o, path, key);               \
		(dst) = (unknown);                                          \
		if (name_ && !type##_from_name(name_, &(dst)))              \
			bad_name(r, path, key, name_);                      \
	} while (0)

/* A malloc'd copy of o[key], NULL for null. */
static char *get_dup(struct rd *r, json_t *o, const char *path, const char *key)
{
	const char *s = get_str(r, o, path, key);
	return s ? xstrdup(s) : NULL;
}

/* A one-letter state ("S"); '?' for null. */
static char get_char(struct rd *r, json_t *o, const char *path, const char *key)
{
	const char *s = get_str(r, o, path, key);
	if (!s)
		return '?';
	if (strlen(s) != 1) {
		fail(r, path, key, "expected a one-letter state, found \"%.20s\"", s);
		return '?';
	}
	return s[0];
}

static bool parse_hex(const char *s, uint64_t *out)
{
	if (strncmp(s, "0x", 2) != 0 || !s[2] || strlen(s) > 18)
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s + 2, &end, 16);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* An address "0x5600aa10"; *known false for null. */
static uint64_t get_hex(struct rd *r, json_t *o, const char *path, const char *key, bool *known)
{
	uint64_t v = 0;
	const char *s = get_str(r, o, path, key);
	if (known)
		*known = false;
	if (!s)
		return 0;
	if (!parse_hex(s, &v)) {
		fail(r, path, key, "expected an address like \"0x5600aa10\", found \"%.40s\"", s);
		return 0;
	}
	if (known)
		*known = true;
	return v;
}

static json_t *get_obj(struct rd *r, json_t *o, const char *path, const char *key)
{
	json_t *v = val(o, key);
	if (v && !json_is_object(v)) {
		fail(r, path, key, "expected an object, found %s", jtype(v));
		return NULL;
	}
	return v;
}

static json_t *get_arr(struct rd *r, json_t *o, const char *path, const char *key)
{
	json_t *v = val(o, key);
	if (v && !json_is_array(v)) {
		fail(r, path, key, "expected an array, found %s", jtype(v));
		return NULL;
	}
	return v;
}

/* Element i of array a must be an object; NULL (and an error) if not. */
static json_t *elem_obj(struct rd *r, json_t *a, size_t i, const char *path)
{
	json_t *v = json_array_get(a, i);
	if (!json_is_object(v)) {
		fail(r, path, NULL, "expected an object, found %s", jtype(v));
		return NULL;
	}
	return v;
}

/* Size of an array as an int (arrays this large are not from cdtop). */
static int arr_len(struct rd *r, json_t *a, const char *path, const char *key)
{
	size_t n = json_array_size(a);
	if (n > 50000000) {
		fail(r, path, key, "array of %zu elements is too large", n);
		return 0;
	}
	return (int)n;
}

/* ------------------------------------------------------------------ */
/* Frame interning: (function, module) -> index into profile->frames.  */

struct interner {
	struct snap_profile *p;
	struct intern frames;           /* (function, module); the index is the frame's */
	int cap;                        /* room in p->frames */
	struct intern names;            /* function names */
	int *first;                     /* name index -> its first frame */
	int nfirst, first_cap;
};

/* Index of frame (function, module), added when new. */
static int frame_by_pair(struct interner *in, const char *function, const char *module)
{
	struct snap_profile *p = in->p;
	int idx = intern_add_pair(&in->frames, function, module);
	if (idx < p->nframes)
		return idx;
	ARRAY_GROW(p->frames, p->nframes, in->cap, 64);
	p->frames[idx].function = xstrdup(function);
	p->frames[idx].module = xstrdup(module);
	p->nframes++;
	if (intern_add(&in->names, function) == in->nfirst) {
		ARRAY_GROW(in->first, in->nfirst, in->first_cap, 64);
		in->first[in->nfirst++] = idx;  /* keep the first frame of that name */
	}
	return idx;
}

/* Index of the first frame named function; added with an unknown module
 * when no stack of the profile has it. */
static int frame_by_name(struct interner *in, const char *function)
{
	int k = intern_find(&in->names, function);
	return k >= 0 ? in->first[k] : frame_by_pair(in, function, "[unknown]");
}

static void interner_fini(struct interner *in)
{
	intern_fini(&in->frames);
	intern_fini(&in->names);
	free(in->first);
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static void load_host(struct rd *r, json_t *root, struct snapshot *s)
{
	json_t *h = get_obj(r, root, "", "host");
	get_buf(r, h, "host", "hostname", s->host.hostname, sizeof(s->host.hostname));
	get_buf(r, h, "host", "kernel", s->host.kernel, sizeof(s->host.kernel));
	s->host.ncpu = (int)get_int(r, h, "host", "ncpu", 0, INT32_MAX, SNAP_UNKNOWN);
}

static void load_process(struct rd *r, json_t *p, struct snap_process *q)
{
	const char *P = "process";
	q->pid = (int)get_int(r, p, P, "pid", 0, INT32_MAX, SNAP_UNKNOWN);
	q->ppid = (int)get_int(r, p, P, "ppid", 0, INT32_MAX, SNAP_UNKNOWN);
	get_buf(r, p, P, "comm", q->comm, sizeof(q->comm));
	q->exe = get_dup(r, p, P, "exe");
	json_t *argv = get_arr(r, p, P, "cmdline");
	if (argv) {
		int n = arr_len(r, argv, P, "cmdline");
		q->argv = xcalloc((size_t)n + 1, sizeof(char *));
		for (int i = 0; i < n && !r->failed; i++) {
			json_t *a = json_array_get(argv, (size_t)i);
			if (!json_is_string(a)) {
				char path[PATH_LEN];
				pathf(path, "process.cmdline[%d]", i);
				fail(r, path, NULL, "expected a string, found %s", jtype(a));
				break;
			}
			q->argv[i] = xstrdup(json_string_value(a));
			q->argc = i + 1;
		}
	}
	q->state = get_char(r, p, P, "state");
	q->uptime_s = get_num(r, p, P, "uptime_s");
	GET_ENUM(r, p, P, "runtime", proc_runtime, q->runtime, PROC_RUNTIME_NATIVE);
	q->threads = get_int(r, p, P, "threads", 0, INT64_MAX, SNAP_UNKNOWN);

	json_t *cpu = get_obj(r, p, P, "cpu");
	q->cpu_user_pct = get_num(r, cpu, "process.cpu", "user_pct");
	q->cpu_sys_pct = get_num(r, cpu, "process.cpu", "sys_pct");
	q->cpu_total_pct = get_num(r, cpu, "process.cpu", "total_pct");

	json_t *m = get_obj(r, p, P, "memory");
	const char *M = "process.memory";
	q->rss_kb = get_int(r, m, M, "rss_kb", 0, INT64_MAX, SNAP_UNKNOWN);
	q->rss_anon_kb = get_int(r, m, M, "rss_anon_kb", 0, INT64_MAX, SNAP_UNKNOWN);
	q->rss_file_kb = get_int(r, m, M, "rss_file_kb", 0, INT64_MAX, SNAP_UNKNOWN);
	q->rss_shmem_kb = get_int(r, m, M, "rss_shmem_kb", 0, INT64_MAX, SNAP_UNKNOWN);
	q->vsz_kb = get_int(r, m, M, "vsz_kb", 0, INT64_MAX, SNAP_UNKNOWN);
	q->swap_kb = get_int(r, m, M, "swap_kb", 0, INT64_MAX, SNAP_UNKNOWN);

	json_t *f = get_obj(r, p, P, "fds");
	const char *F = "process.fds";
	q->fds.open = get_int(r, f, F, "open", 0, INT64_MAX, SNAP_UNKNOWN);
	q->fds.limit = get_int(r, f, F, "limit", 0, INT64_MAX, SNAP_UNKNOWN);
	json_t *bt = get_obj(r, f, F, "by_type");
	const char *B = "process.fds.by_type";
	q->fds.file = get_int(r, bt, B, "file", 0, INT64_MAX, SNAP_UNKNOWN);
	q->fds.socket = get_int(r, bt, B, "socket", 0, INT64_MAX, SNAP_UNKNOWN);
	q->fds.pipe = get_int(r, bt, B, "pipe", 0, INT64_MAX, SNAP_UNKNOWN);
	q->fds.anon_inode = get_int(r, bt, B, "anon_inode", 0, INT64_MAX, SNAP_UNKNOWN);
	q->fds.other = get_int(r, bt, B, "other", 0, INT64_MAX, SNAP_UNKNOWN);

	json_t *tcp = get_obj(r, p, P, "tcp");
	q->tcp.known = tcp != NULL;
	for (int st = 1; tcp && st < TCP_ST_MAX; st++)
		q->tcp.count[st] = get_int(r, tcp, "process.tcp", tcp_state_name(st), 0, INT64_MAX, 0);
	q->netns_time_wait = get_int(r, p, P, "netns_time_wait", 0, INT64_MAX, SNAP_UNKNOWN);

	json_t *cs = get_obj(r, p, P, "ctx_switches_per_s");
	q->ctx_vol_per_s = get_num(r, cs, "process.ctx_switches_per_s", "voluntary");
	q->ctx_invol_per_s = get_num(r, cs, "process.ctx_switches_per_s", "involuntary");
	json_t *fl = get_obj(r, p, P, "faults_per_s");
	q->flt_min_per_s = get_num(r, fl, "process.faults_per_s", "minor");
	q->flt_maj_per_s = get_num(r, fl, "process.faults_per_s", "major");
	json_t *io = get_obj(r, p, P, "io_per_s");
	q->io_read_bps = get_num(r, io, "process.io_per_s", "read_bytes");
	q->io_write_bps = get_num(r, io, "process.io_per_s", "write_bytes");
	json_t *cg = get_obj(r, p, P, "cgroup");
	q->cgroup_path = get_dup(r, cg, "process.cgroup", "path");
	q->cgroup_throttled_pct = get_num(r, cg, "process.cgroup", "cpu_throttled_pct");
}

static void load_history(struct rd *r, json_t *root, struct snapshot *s)
{
	json_t *a = get_arr(r, root, "", "history");
	int n = a ? arr_len(r, a, "", "history") : 0;
	s->history = xcalloc((size_t)n + 1, sizeof(*s->history));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN];
		pathf(path, "history[%d]", i);
		json_t *o = elem_obj(r, a, (size_t)i, path);
		struct snap_hist *h = &s->history[i];
		h->t = get_num(r, o, path, "t");
		h->cpu_user_pct = get_num(r, o, path, "cpu_user_pct");
		h->cpu_sys_pct = get_num(r, o, path, "cpu_sys_pct");
		h->rss_kb = get_int(r, o, path, "rss_kb", 0, INT64_MAX, SNAP_UNKNOWN);
		h->threads = get_int(r, o, path, "threads", 0, INT64_MAX, SNAP_UNKNOWN);
		h->fds = get_int(r, o, path, "fds", 0, INT64_MAX, SNAP_UNKNOWN);
		h->goroutines = get_int(r, o, path, "goroutines", 0, INT64_MAX, SNAP_UNKNOWN);
		s->nhistory = i + 1;
	}
}

/* An array of function names (and optionally modules) as frame indices. */
static int *load_frame_list(struct rd *r, struct interner *in, json_t *names, json_t *mods,
			    const char *path, int *nout)
{
	int n = arr_len(r, names, path, NULL);
	int *fr = xcalloc((size_t)n + 1, sizeof(int));
	*nout = 0;
	if (mods && json_array_size(mods) != (size_t)n) {
		fail(r, path, NULL, "%zu modules for %d frames", json_array_size(mods), n);
		return fr;
	}
	for (int k = 0; k < n && !r->failed; k++) {
		json_t *f = json_array_get(names, (size_t)k);
		json_t *m = mods ? json_array_get(mods, (size_t)k) : NULL;
		if (!json_is_string(f) || (m && !json_is_string(m))) {
			char p[PATH_LEN];
			pathf(p, "%s[%d]", path, k);
			fail(r, p, NULL, "expected a string, found %s", jtype(json_is_string(f) ? m : f));
			break;
		}
		fr[k] = m ? frame_by_pair(in, json_string_value(f), json_string_value(m))
			  : frame_by_name(in, json_string_value(f));
		*nout = k + 1;
	}
	return fr;
}

static void load_profile(struct rd *r, json_t *root, struct snapshot *s, struct interner *in)
{
	json_t *o = get_obj(r, root, "", "profile");
	if (!o)
		return;
	const char *P = "profile";
	struct snap_profile *p = xcalloc(1, sizeof(*p));
	s->profile = p;
	in->p = p;
	GET_ENUM(r, o, P, "mode", profile_mode, p->mode, PROFILE_MODE_NONE);
	if (p->mode == PROFILE_MODE_AUTO)
		bad_name(r, P, "mode", "auto");
	p->frequency_hz = get_num(r, o, P, "frequency_hz");
	p->samples = get_int(r, o, P, "samples", 0, INT64_MAX, 0);
	p->pause_us_p50 = get_num(r, o, P, "pause_us_p50");
	p->pause_us_max = get_num(r, o, P, "pause_us_max");
	p->pause_us_p99 = get_num(r, o, P, "pause_us_p99");
	p->requested_hz = get_num(r, o, P, "requested_hz");
	p->samples_total = get_int(r, o, P, "samples_total", 0, INT64_MAX, 0);
	p->stops = get_int(r, o, P, "stops", 0, INT64_MAX, 0);
	p->duration_s = get_num(r, o, P, "duration_s");
	get_buf(r, o, P, "status", p->status, sizeof(p->status));

	/* Stacks first, so frames keep the order in which stacks use them. */
	json_t *a = get_arr(r, o, P, "stacks");
	int n = a ? arr_len(r, a, P, "stacks") : 0;
	p->stacks = xcalloc((size_t)n + 1, sizeof(*p->stacks));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN], fpath[PATH_LEN];
		pathf(path, "profile.stacks[%d]", i);
		json_t *e = elem_obj(r, a, (size_t)i, path);
		struct snap_stack *st = &p->stacks[i];
		p->nstacks = i + 1;
		st->count = get_int(r, e, path, "count", 0, INT64_MAX, 0);
		st->tid = (int)get_int(r, e, path, "tid", 0, INT32_MAX, 0);
		st->running = get_bool(r, e, path, "running");
		json_t *fr = get_arr(r, e, path, "frames");
		json_t *mods = get_arr(r, e, path, "modules");
		pathf(fpath, "%s.frames", path);
		if (fr)
			st->frames = load_frame_list(r, in, fr, mods, fpath, &st->nframes);
		else
			st->frames = xcalloc(1, sizeof(int));
	}

	a = get_arr(r, o, P, "top_functions");
	n = a ? arr_len(r, a, P, "top_functions") : 0;
	p->top = xcalloc((size_t)n + 1, sizeof(*p->top));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN];
		pathf(path, "profile.top_functions[%d]", i);
		json_t *e = elem_obj(r, a, (size_t)i, path);
		struct snap_top *t = &p->top[i];
		const char *fn = get_str(r, e, path, "function");
		const char *mod = get_str(r, e, path, "module");
		if (!r->failed && !fn)
			fail(r, path, "function", "missing");
		if (r->failed)
			break;
		t->frame = mod ? frame_by_pair(in, fn, mod) : frame_by_name(in, fn);
		t->flat = get_int(r, e, path, "flat", 0, INT64_MAX, 0);
		t->flat_pct = get_num(r, e, path, "flat_pct");
		t->cum = get_int(r, e, path, "cum", 0, INT64_MAX, 0);
		t->cum_pct = get_num(r, e, path, "cum_pct");
		p->ntop = i + 1;
	}
}

static void load_futex(struct rd *r, json_t *o, const char *path, struct snap_futex *x)
{
	x->valid = true;
	x->addr = get_hex(r, o, path, "addr", NULL);
	x->op = (int)get_int(r, o, path, "op", -1, INT32_MAX, 0);
	x->private_op = get_bool(r, o, path, "private");
	x->val = (uint32_t)get_int(r, o, path, "val", 0, UINT32_MAX, 0);
	x->symbol = get_dup(r, o, path, "symbol");
	x->symbol_addr = get_hex(r, o, path, "symbol_addr", NULL);
	x->symbol_size = (uint64_t)get_int(r, o, path, "symbol_size", 0, INT64_MAX, 0);
	x->mem_base = get_hex(r, o, path, "mem_base", NULL);
	json_t *mem = get_arr(r, o, path, "mem");
	if (mem) {
		if (json_array_size(mem) != SNAP_FUTEX_WORDS) {
			fail(r, path, "mem", "expected %d words, found %zu", SNAP_FUTEX_WORDS,
			     json_array_size(mem));
			return;
		}
		for (int i = 0; i < SNAP_FUTEX_WORDS && !r->failed; i++) {
			json_t *w = json_array_get(mem, (size_t)i);
			char p[PATH_LEN];
			pathf(p, "%s.mem[%d]", path, i);
			if (!json_is_integer(w) || json_integer_value(w) < 0 ||
			    json_integer_value(w) > UINT32_MAX)
				fail(r, p, NULL, "expected a 32-bit unsigned integer");
			else
				x->mem[i] = (uint32_t)json_integer_value(w);
		}
		x->mem_ok = true;
	}
}

static void load_threads(struct rd *r, json_t *root, struct snapshot *s, struct interner *in)
{
	json_t *a = get_arr(r, root, "", "threads");
	if (!a)
		return;
	int n = arr_len(r, a, "", "threads");
	s->threads = xcalloc((size_t)n + 1, sizeof(*s->threads));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN];
		pathf(path, "threads[%d]", i);
		json_t *o = elem_obj(r, a, (size_t)i, path);
		struct snap_thread *t = &s->threads[i];
		s->nthreads = i + 1;
		t->top_frame = -1;
		t->tid = (int)get_int(r, o, path, "tid", 0, INT32_MAX, 0);
		get_buf(r, o, path, "name", t->name, sizeof(t->name));
		t->state = get_char(r, o, path, "state");
		t->cpu_user_pct = get_num(r, o, path, "cpu_user_pct");
		t->cpu_sys_pct = get_num(r, o, path, "cpu_sys_pct");
		const char *sc = get_str(r, o, path, "syscall");
		str_copy(t->syscall, sc ? sc : "", sizeof(t->syscall));
		get_buf(r, o, path, "wchan", t->wchan, sizeof(t->wchan));
		t->blocked_s = get_num(r, o, path, "blocked_s");
		/* Not in the file: a known blocked time means the syscall file
		 * was read (null syscall = running or not in one). */
		t->syscall_known = sc != NULL || !isnan(t->blocked_s);
		t->lock_addr = get_hex(r, o, path, "lock", NULL);
		get_buf(r, o, path, "syscall_arg", t->syscall_arg, sizeof(t->syscall_arg));
		json_t *cs = get_obj(r, o, path, "ctx_switches");
		char cpath[PATH_LEN];
		pathf(cpath, "%s.ctx_switches", path);
		t->ctx_vol = cs ? get_int(r, cs, cpath, "voluntary", 0, INT64_MAX, SNAP_UNKNOWN) : SNAP_UNKNOWN;
		t->ctx_invol = cs ? get_int(r, cs, cpath, "involuntary", 0, INT64_MAX, SNAP_UNKNOWN)
				  : SNAP_UNKNOWN;
		t->stalled_polls = (int)get_int(r, o, path, "stalled_polls", 0, INT32_MAX, 0);
		json_t *fx = get_obj(r, o, path, "futex");
		if (fx) {
			pathf(cpath, "%s.futex", path);
			load_futex(r, fx, cpath, &t->futex);
		}
		/* Stacks and the top function name frames of the profile; the
		 * writer drops them when there is no profile. */
		json_t *st = get_arr(r, o, path, "stack");
		const char *top = get_str(r, o, path, "top_function");
		if (!s->profile || r->failed)
			continue;
		if (st) {
			pathf(cpath, "%s.stack", path);
			t->stack = load_frame_list(r, in, st, NULL, cpath, &t->nstack);
		}
		if (top)
			t->top_frame = frame_by_name(in, top);
	}
}

static void load_sockets(struct rd *r, json_t *root, struct snapshot *s)
{
	json_t *a = get_arr(r, root, "", "sockets");
	if (!a)
		return;
	int n = arr_len(r, a, "", "sockets");
	s->sockets = xcalloc((size_t)n + 1, sizeof(*s->sockets));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN];
		pathf(path, "sockets[%d]", i);
		json_t *o = elem_obj(r, a, (size_t)i, path);
		struct snap_socket *k = &s->sockets[i];
		s->nsockets = i + 1;
		k->fd = (int)get_int(r, o, path, "fd", 0, INT32_MAX, SNAP_UNKNOWN);
		k->inode = (uint64_t)get_int(r, o, path, "inode", 0, INT64_MAX, 0);
		const char *st = get_str(r, o, path, "state");
		enum tcp_state ts;
		k->state = st && tcp_state_from_name(st, &ts) ? (int)ts : 0;
		if (st && !k->state)
			fail(r, path, "state", "unknown TCP state \"%.20s\"", st);
		get_buf(r, o, path, "local", k->local, sizeof(k->local));
		get_buf(r, o, path, "remote", k->remote, sizeof(k->remote));
		k->rx_queue = get_int(r, o, path, "rx_queue", 0, INT64_MAX, SNAP_UNKNOWN);
		k->tx_queue = get_int(r, o, path, "tx_queue", 0, INT64_MAX, SNAP_UNKNOWN);
	}
}

/* An array of integers into a new int array. */
static int *load_int_list(struct rd *r, json_t *a, const char *path, int64_t min, int64_t max, int *nout)
{
	int n = arr_len(r, a, path, NULL);
	int *v = xcalloc((size_t)n + 1, sizeof(int));
	*nout = 0;
	for (int k = 0; k < n && !r->failed; k++) {
		json_t *x = json_array_get(a, (size_t)k);
		if (!json_is_integer(x) || json_integer_value(x) < min || json_integer_value(x) > max) {
			char p[PATH_LEN];
			pathf(p, "%s[%d]", path, k);
			fail(r, p, NULL, "expected an integer from %" PRId64 " to %" PRId64, min, max);
			break;
		}
		v[k] = (int)json_integer_value(x);
		*nout = k + 1;
	}
	return v;
}

/* An array of strings or nulls into a new array of n malloc'd strings
 * (NULL entries for null); n must match the array's length. */
static char **load_str_list(struct rd *r, json_t *a, const char *path, const char *key, int n)
{
	char **v = xcalloc((size_t)n + 1, sizeof(char *));
	if (!a)
		return v;
	if (json_array_size(a) != (size_t)n) {
		fail(r, path, key, "%zu entries for %d threads or locks", json_array_size(a), n);
		return v;
	}
	for (int k = 0; k < n && !r->failed; k++) {
		json_t *x = json_array_get(a, (size_t)k);
		if (!json_is_null(x) && !json_is_string(x)) {
			char p[PATH_LEN];
			pathf(p, "%s.%s[%d]", path, key, k);
			fail(r, p, NULL, "expected a string or null, found %s", jtype(x));
			break;
		}
		v[k] = json_is_string(x) ? xstrdup(json_string_value(x)) : NULL;
	}
	return v;
}

/* The kinds of a deadlock's n locks (NONE for null or a missing array). */
static enum lock_kind *load_kind_list(struct rd *r, json_t *a, const char *path, int n)
{
	enum lock_kind *v = xcalloc((size_t)n + 1, sizeof(*v));
	if (!a)
		return v;
	if (json_array_size(a) != (size_t)n) {
		fail(r, path, "kinds", "%zu entries for %d locks", json_array_size(a), n);
		return v;
	}
	for (int k = 0; k < n && !r->failed; k++) {
		json_t *x = json_array_get(a, (size_t)k);
		char p[PATH_LEN];
		pathf(p, "%s.kinds[%d]", path, k);
		if (!json_is_null(x) && !json_is_string(x))
			fail(r, p, NULL, "expected a string or null, found %s", jtype(x));
		else if (json_is_string(x) && !lock_kind_from_name(json_string_value(x), &v[k]))
			bad_name(r, p, NULL, json_string_value(x));
	}
	return v;
}

static void load_locks(struct rd *r, json_t *root, struct snapshot *s, struct interner *in)
{
	json_t *a = get_arr(r, root, "", "locks");
	if (!a)
		return;
	int n = arr_len(r, a, "", "locks");
	s->locks = xcalloc((size_t)n + 1, sizeof(*s->locks));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN], sub[PATH_LEN];
		pathf(path, "locks[%d]", i);
		json_t *o = elem_obj(r, a, (size_t)i, path);
		struct snap_lock *l = &s->locks[i];
		s->nlocks = i + 1;
		l->address = get_hex(r, o, path, "address", NULL);
		l->symbol = get_dup(r, o, path, "symbol");
		GET_ENUM(r, o, path, "kind", lock_kind, l->kind, LOCK_KIND_NONE);
		l->owner_tid = (int)get_int(r, o, path, "owner_tid", 0, INT32_MAX, SNAP_UNKNOWN);
		l->max_wait_s = get_num(r, o, path, "max_wait_s");
		l->owner_function = get_dup(r, o, path, "owner_function");
		l->owner_state = get_char(r, o, path, "owner_state");
		get_buf(r, o, path, "owner_syscall", l->owner_syscall, sizeof(l->owner_syscall));
		l->contended = get_bool(r, o, path, "contended");
		l->in_deadlock = get_bool(r, o, path, "in_deadlock");
		get_buf(r, o, path, "owner_syscall_arg", l->owner_syscall_arg, sizeof(l->owner_syscall_arg));
		l->owner_blocked_s = get_num(r, o, path, "owner_blocked_s");
		l->readers = (int)get_int(r, o, path, "readers", 0, INT32_MAX, SNAP_UNKNOWN);
		l->size = (uint64_t)get_int(r, o, path, "size", 0, INT64_MAX, 0);
		json_t *os = get_arr(r, o, path, "owner_stack");
		if (os && s->profile && !r->failed) {
			pathf(sub, "%s.owner_stack", path);
			l->owner_stack = load_frame_list(r, in, os, NULL, sub, &l->nowner_stack);
		}
		json_t *h = get_arr(r, o, path, "waiters_history");
		pathf(sub, "%s.waiters_history", path);
		l->waiters_history = h ? load_int_list(r, h, sub, 0, INT32_MAX, &l->nwaiters_history)
				       : xcalloc(1, sizeof(int));
		/* waiter_details carries everything; older files have waiters only. */
		json_t *wd = get_arr(r, o, path, "waiter_details");
		json_t *w = get_arr(r, o, path, "waiters");
		if (r->failed)
			break;
		if (wd) {
			int m = arr_len(r, wd, path, "waiter_details");
			l->waiters = xcalloc((size_t)m + 1, sizeof(*l->waiters));
			for (int k = 0; k < m && !r->failed; k++) {
				pathf(sub, "%s.waiter_details[%d]", path, k);
				json_t *d = elem_obj(r, wd, (size_t)k, sub);
				struct snap_lock_waiter *x = &l->waiters[k];
				l->nwaiters = k + 1;
				x->tid = (int)get_int(r, d, sub, "tid", 0, INT32_MAX, 0);
				x->wait_s = get_num(r, d, sub, "wait_s");
				GET_ENUM(r, d, sub, "mode", lock_mode, x->mode, LOCK_MODE_NONE);
				x->function = get_dup(r, d, sub, "function");
				x->futex = get_hex(r, d, sub, "futex", NULL);
			}
			if (w && !r->failed && json_array_size(w) != (size_t)m)
				fail(r, path, "waiters", "%zu waiters but %d waiter_details",
				     json_array_size(w), m);
		} else {
			int m = 0;
			pathf(sub, "%s.waiters", path);
			int *tids = w ? load_int_list(r, w, sub, 0, INT32_MAX, &m) : xcalloc(1, sizeof(int));
			l->waiters = xcalloc((size_t)m + 1, sizeof(*l->waiters));
			for (int k = 0; k < m; k++) {
				l->waiters[k].tid = tids[k];
				l->waiters[k].wait_s = NAN;
			}
			l->nwaiters = m;
			free(tids);
		}
	}
}

static void load_deadlocks(struct rd *r, json_t *root, struct snapshot *s)
{
	json_t *a = get_arr(r, root, "", "deadlocks");
	if (!a)
		return;
	int n = arr_len(r, a, "", "deadlocks");
	s->deadlocks = xcalloc((size_t)n + 1, sizeof(*s->deadlocks));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN], sub[PATH_LEN];
		pathf(path, "deadlocks[%d]", i);
		json_t *o = elem_obj(r, a, (size_t)i, path);
		struct snap_deadlock *d = &s->deadlocks[i];
		s->ndeadlocks = i + 1;
		json_t *t = get_arr(r, o, path, "threads");
		json_t *l = get_arr(r, o, path, "locks");
		json_t *y = get_arr(r, o, path, "symbols");
		d->stalled_s = get_num(r, o, path, "stalled_s");
		pathf(sub, "%s.threads", path);
		d->tids = t ? load_int_list(r, t, sub, 0, INT32_MAX, &d->ntids) : xcalloc(1, sizeof(int));
		int m = l ? arr_len(r, l, path, "locks") : 0;
		if (y && json_array_size(y) != (size_t)m)
			fail(r, path, "symbols", "%zu symbols for %d locks", json_array_size(y), m);
		d->locks = xcalloc((size_t)m + 1, sizeof(*d->locks));
		d->symbols = xcalloc((size_t)m + 1, sizeof(*d->symbols));
		for (int k = 0; k < m && !r->failed; k++) {
			pathf(sub, "%s.locks[%d]", path, k);
			json_t *x = json_array_get(l, (size_t)k);
			if (!json_is_string(x) || !parse_hex(json_string_value(x), &d->locks[k])) {
				fail(r, sub, NULL, "expected an address like \"0x5600aa10\"");
				break;
			}
			json_t *nm = y ? json_array_get(y, (size_t)k) : NULL;
			if (nm && !json_is_null(nm) && !json_is_string(nm)) {
				pathf(sub, "%s.symbols[%d]", path, k);
				fail(r, sub, NULL, "expected a string or null, found %s", jtype(nm));
				break;
			}
			d->symbols[k] = json_is_string(nm) ? xstrdup(json_string_value(nm)) : NULL;
			d->nlocks = k + 1;
		}
		if (r->failed)
			break;
		d->functions = load_str_list(r, get_arr(r, o, path, "functions"), path, "functions", d->ntids);
		d->kinds = load_kind_list(r, get_arr(r, o, path, "kinds"), path, d->nlocks);
	}
}

static void load_counts(struct rd *r, json_t *o, const char *path, struct snap_count **out, int *nout)
{
	size_t n = json_object_size(o);
	*out = xcalloc(n + 1, sizeof(**out));
	*nout = 0;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (r->failed)
			break;
		struct snap_count *c = &(*out)[*nout];
		str_copy(c->name, key, sizeof(c->name));
		c->count = get_int(r, o, path, key, 0, INT64_MAX, 0);
		(*nout)++;
	}
}

static void load_goroutines(struct rd *r, json_t *root, struct snapshot *s)
{
	json_t *o = get_obj(r, root, "", "goroutines");
	if (!o)
		return;
	const char *P = "goroutines";
	struct snap_goroutines *g = xcalloc(1, sizeof(*g));
	s->goroutines = g;
	g->count = get_int(r, o, P, "count", 0, INT64_MAX, SNAP_UNKNOWN);
	get_buf(r, o, P, "go_version", g->go_version, sizeof(g->go_version));
	g->read_ms = get_num(r, o, P, "read_ms");
	get_buf(r, o, P, "layout", g->layout, sizeof(g->layout));
	json_t *bs = get_obj(r, o, P, "by_status");
	json_t *bw = get_obj(r, o, P, "by_wait_reason");
	load_counts(r, bs, "goroutines.by_status", &g->by_status, &g->nby_status);
	for (int i = 0; i < g->nby_status && !r->failed; i++) {
		enum gr_status st;
		if (!gr_status_from_name(g->by_status[i].name, &st))
			bad_name(r, "goroutines.by_status", NULL, g->by_status[i].name);
	}
	load_counts(r, bw, "goroutines.by_wait_reason", &g->by_wait_reason, &g->nby_wait_reason);
	json_t *a = get_arr(r, o, P, "groups");
	int n = a ? arr_len(r, a, P, "groups") : 0;
	g->groups = xcalloc((size_t)n + 1, sizeof(*g->groups));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN], sub[PATH_LEN];
		pathf(path, "goroutines.groups[%d]", i);
		json_t *e = elem_obj(r, a, (size_t)i, path);
		struct snap_gr_group *gr = &g->groups[i];
		g->ngroups = i + 1;
		gr->count = get_int(r, e, path, "count", 0, INT64_MAX, 0);
		GET_ENUM(r, e, path, "status", gr_status, gr->status, GR_STATUS_UNKNOWN);
		get_buf(r, e, path, "wait_reason", gr->wait_reason, sizeof(gr->wait_reason));
		gr->max_wait_s = get_num(r, e, path, "max_wait_s");
		json_t *fr = get_arr(r, e, path, "frames");
		int m = fr ? arr_len(r, fr, path, "frames") : 0;
		gr->frames = xcalloc((size_t)m + 1, sizeof(char *));
		for (int k = 0; k < m && !r->failed; k++) {
			json_t *x = json_array_get(fr, (size_t)k);
			if (!json_is_string(x)) {
				pathf(sub, "%s.frames[%d]", path, k);
				fail(r, sub, NULL, "expected a string, found %s", jtype(x));
				break;
			}
			gr->frames[k] = xstrdup(json_string_value(x));
			gr->nframes = k + 1;
		}
		json_t *ids = get_arr(r, e, path, "goids");
		m = ids ? arr_len(r, ids, path, "goids") : 0;
		gr->goids = xcalloc((size_t)m + 1, sizeof(int64_t));
		for (int k = 0; k < m && !r->failed; k++) {
			json_t *x = json_array_get(ids, (size_t)k);
			if (!json_is_integer(x) || json_integer_value(x) < 0) {
				pathf(sub, "%s.goids[%d]", path, k);
				fail(r, sub, NULL, "expected a goroutine id (integer >= 0)");
				break;
			}
			gr->goids[k] = json_integer_value(x);
			gr->ngoids = k + 1;
		}
	}
}

static void load_checklist(struct rd *r, json_t *root, struct snapshot *s)
{
	json_t *a = get_arr(r, root, "", "checklist");
	if (!a)
		return;
	int n = arr_len(r, a, "", "checklist");
	s->checklist = xcalloc((size_t)n + 1, sizeof(*s->checklist));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN];
		pathf(path, "checklist[%d]", i);
		json_t *o = elem_obj(r, a, (size_t)i, path);
		struct snap_check *c = &s->checklist[i];
		s->nchecks = i + 1;
		get_buf(r, o, path, "id", c->id, sizeof(c->id));
		get_buf(r, o, path, "title", c->title, sizeof(c->title));
		GET_ENUM(r, o, path, "status", check_status, c->status, CHECK_ST_UNKNOWN);
		c->evidence = get_dup(r, o, path, "evidence");
		c->next_step = get_dup(r, o, path, "next_step");
		GET_ENUM(r, o, path, "pane", check_pane, c->pane, CHECK_PANE_NONE);
		GET_ENUM(r, o, path, "answer", check_answer, c->answer, CHECK_ANSWER_NONE);
		c->note = get_dup(r, o, path, "note");
	}
}

static void load_errors(struct rd *r, json_t *root, struct snapshot *s)
{
	json_t *a = get_arr(r, root, "", "errors");
	int n = a ? arr_len(r, a, "", "errors") : 0;
	s->errors = xcalloc((size_t)n + 1, sizeof(*s->errors));
	for (int i = 0; i < n && !r->failed; i++) {
		char path[PATH_LEN];
		pathf(path, "errors[%d]", i);
		json_t *o = elem_obj(r, a, (size_t)i, path);
		struct snap_error *e = &s->errors[i];
		s->nerrors = i + 1;
		get_buf(r, o, path, "source", e->source, sizeof(e->source));
		const char *m = get_str(r, o, path, "message");
		e->message = xstrdup(m ? m : "");
	}
}

/* "2026-11-24T10:00:00Z" (optionally with a fraction) as UTC seconds. */
static bool parse_iso_utc(const char *str, double *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int n = 0;
	if (sscanf(str, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 19)
		return false;
	const char *p = str + n;
	double frac = 0;
	if (*p == '.') {
		char *end;
		frac = strtod(p, &end);
		if (end == p + 1)
			return false;
		p = end;
	}
	if (strcmp(p, "Z") != 0 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*out = (double)t + frac;
	return true;
}

/* Check the header and fill s from the tree; false with r->msg set. */
static bool load_tree(struct rd *r, json_t *root, struct snapshot *s)
{
	if (!json_is_object(root)) {
		snprintf(r->msg, sizeof(r->msg), "not a cdtop snapshot: the document is %s, not an object",
			 jtype(root));
		return false;
	}
	json_t *fmt = json_object_get(root, "format");
	if (!fmt) {
		snprintf(r->msg, sizeof(r->msg), "not a cdtop snapshot: missing \"format\"");
		return false;
	}
	if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "cdtop-snapshot") != 0) {
		snprintf(r->msg, sizeof(r->msg), "not a cdtop snapshot: \"format\" is %s%.40s%s, "
			 "expected \"cdtop-snapshot\"", json_is_string(fmt) ? "\"" : "",
			 json_is_string(fmt) ? json_string_value(fmt) : jtype(fmt),
			 json_is_string(fmt) ? "\"" : "");
		return false;
	}
	json_t *ver = json_object_get(root, "version");
	if (!json_is_integer(ver)) {
		snprintf(r->msg, sizeof(r->msg), "field version: expected an integer, found %s",
			 ver ? jtype(ver) : "nothing");
		return false;
	}
	json_int_t v = json_integer_value(ver);
	if (v != SNAP_FORMAT_VERSION) {
		snprintf(r->msg, sizeof(r->msg), "snapshot format version %lld is not supported: this "
			 "cdtop reads version %d%s", (long long)v, SNAP_FORMAT_VERSION,
			 v > SNAP_FORMAT_VERSION ? " (written by a newer cdtop)" : "");
		return false;
	}
	json_t *proc = get_obj(r, root, "", "process");
	if (!r->failed && !proc)
		fail(r, "", "process", "missing");
	if (r->failed)
		return false;

	get_buf(r, root, "", "cdtop_version", s->cdtop_version, sizeof(s->cdtop_version));
	const char *ts = get_str(r, root, "", "taken_at");
	s->taken_at = NAN;
	if (ts && !parse_iso_utc(ts, &s->taken_at))
		fail(r, "", "taken_at", "expected a UTC time like \"2026-11-24T10:00:00Z\", found \"%.40s\"", ts);
	s->window_s = get_num(r, root, "", "window_s");
	load_host(r, root, s);
	load_process(r, proc, &s->proc);
	load_history(r, root, s);

	struct interner in = {0};
	load_profile(r, root, s, &in);
	load_threads(r, root, s, &in);
	load_locks(r, root, s, &in);
	interner_fini(&in);
	load_sockets(r, root, s);
	load_deadlocks(r, root, s);
	load_goroutines(r, root, s);
	load_checklist(r, root, s);
	load_errors(r, root, s);
	s->replay = true;
	return !r->failed;
}

static struct snapshot *finish(json_t *root, const json_error_t *jerr, char *err, size_t errlen)
{
	if (!root) {
		snprintf(err, errlen, "invalid JSON at line %d column %d: %s", jerr->line, jerr->column,
			 jerr->text);
		return NULL;
	}
	struct rd r = {0};
	struct snapshot *s = snapshot_new();
	bool ok = load_tree(&r, root, s);
	json_decref(root);
	if (!ok) {
		snprintf(err, errlen, "%s", r.msg);
		snapshot_free(s);
		return NULL;
	}
	return s;
}

struct snapshot *snapshot_load_buffer(const char *text, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	return finish(root, &jerr, err, errlen);
}

struct snapshot *snapshot_load_stream(FILE *f, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (!root && ferror(f)) {
		snprintf(err, errlen, "read error: %s", strerror(errno ? errno : EIO));
		return NULL;
	}
	return finish(root, &jerr, err, errlen);
}

struct snapshot *snapshot_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	char msg[LOAD_MSG];
	struct snapshot *s = snapshot_load_stream(f, msg, sizeof(msg));
	fclose(f);
	if (!s)
		snprintf(err, errlen, "%s: %s", path, msg);
	return s;
}
