/*
 * test_symbols.c - unit test of the symbolizer (src/symbols.c) on real
 * binaries: this machine's libc and libstdc++, the sym_c target built
 * PIE, non-PIE and static, stripped copies with separate debug files
 * (debuglink next to the binary, in .debug/, under a root's
 * /usr/lib/debug, by build-id), a MiniDebugInfo copy, a C++ target and a
 * live process read through procmap_read(). Expected addresses come from
 * readelf/nm or from the targets' own printed addresses, never from
 * symbols.c.
 *
 * Built twice (tests/unit.mk): test_symbols does all of the above,
 * test_symbols_go (-DSYMTEST_GO) builds tests/targets/sym_go.go with
 * `go build` (exe and PIE, with and without -ldflags=-s -w) and checks the
 * .symtab and .gopclntab paths; it exits 77 when `go` is not installed.
 *
 * Environment: TARGETS = directory of the built targets (default
 * tests/targets), SYMTEST_SRCDIR overrides where sources built at test
 * time (sym_cxx.cc, sym_go.go) are read. Everything created goes under a
 * mkdtemp() directory, removed at the end, so `make distcheck` works.
 * Timings are printed as "measure:" lines.
 */
#include "check.h"
#include "elf_section.h"
#include "maps.h"
#include "symbols.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYMTEST_SRCDIR
#define SYMTEST_SRCDIR "tests/targets"
#endif

static char tmpdir[64];

/* ---- helpers ------------------------------------------------------------ */

static const char *src_dir(void)
{
	const char *s = getenv("SYMTEST_SRCDIR");
	return s && *s ? s : SYMTEST_SRCDIR;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = NULL;
	if (vasprintf(&s, f, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	return s;
}

/* Run a shell command; returns its exit status (-1 if it did not exit). */
static int sh(const char *f, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *cmd = NULL;
	if (vasprintf(&cmd, f, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	int st = system(cmd);
	int rc = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	free(cmd);
	return rc;
}

static bool have_tool(const char *name)
{
	char *cmd = fmt("command -v %s >/dev/null 2>&1", name);
	int st = system(cmd);
	free(cmd);
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void expect_data(struct module *mod, uint64_t vaddr, const char *want, uint64_t want_off)
{
	uint64_t off = 12345;
	const char *n = symbols_data(mod, vaddr, &off);
	CHECK_STR(n, want);
	if (n && strcmp(n, want) == 0)
		CHECK_EQ_INT(off, want_off);
}

/* A running target with its printed "kind name 0xaddr" lines. */
struct child {
	pid_t pid;
	FILE *out;
	int in_fd;
	int n;
	char kind[32][8];
	char name[32][128];
	uint64_t addr[32];
};

/* Start argv[0] with argv, read its lines up to "ready". Returns 0 or -1. */
static int child_start(struct child *c, char *const argv[])
{
	int in[2], out[2];
	memset(c, 0, sizeof(*c));
	if (pipe(in) < 0 || pipe(out) < 0)
		return -1;
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->in_fd = in[1];
	c->out = fdopen(out[0], "r");
	char line[512];
	while (fgets(line, sizeof(line), c->out)) {
		if (strncmp(line, "ready", 5) == 0)
			return 0;
		unsigned long long a;
		if (c->n < 32 && sscanf(line, "%7s %127s %llx", c->kind[c->n], c->name[c->n], &a) == 3)
			c->addr[c->n++] = a;
	}
	fprintf(stderr, "%s: no \"ready\"\n", argv[0]);
	return -1;
}

static void child_stop(struct child *c)
{
	if (c->pid <= 0)
		return;
	close(c->in_fd);
	if (c->out)
		fclose(c->out);
	int st;
	if (waitpid(c->pid, &st, WNOHANG) == 0) {
		usleep(100000);
		if (waitpid(c->pid, &st, WNOHANG) == 0) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &st, 0);
		}
	}
	c->pid = 0;
}

/* The executable mapping of the module whose file is path (for the bias
 * of data addresses, which live in non-executable mappings). */
static const struct mapping *exec_mapping_of(const struct procmap *pm, const char *path)
{
	for (int i = 0; i < pm->nmaps; i++)
		if (pm->maps[i].mod && strcmp(pm->maps[i].path, path) == 0)
			return &pm->maps[i];
	return NULL;
}

/*
 * Symbolize the printed addresses of a live child through procmap_read:
 * "func" and "libc" lines must be named by symbols_func at entry+1 (the
 * libc ones only when check_libc), "data" lines by symbols_data at +8.
 * Returns the procmap (caller frees) so sources can be checked.
 */
static struct procmap *check_live(struct child *c, bool check_libc, const char *what)
{
	char piddir_path[64], root[64];
	snprintf(piddir_path, sizeof(piddir_path), "/proc/%d", (int)c->pid);
	snprintf(root, sizeof(root), "/proc/%d/root", (int)c->pid);
	int piddir = open(piddir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(piddir >= 0);
	if (piddir < 0)
		return NULL;
	struct procmap *pm = procmap_read((int)c->pid, piddir);
	close(piddir);
	CHECK(pm != NULL);
	if (!pm)
		return NULL;
	CHECK(c->n > 0);
	for (int i = 0; i < c->n; i++) {
		const char *kind = c->kind[i], *name = c->name[i];
		if (strcmp(kind, "libc") == 0 && !check_libc)
			continue;
		const struct mapping *m = procmap_find(pm, c->addr[i]);
		if (strcmp(kind, "data") == 0) {
			/* Data lives in a rw mapping; the bias is the module's. */
			const struct mapping *x = m ? exec_mapping_of(pm, m->path) : NULL;
			CHECK(x != NULL);
			if (!x)
				continue;
			symbols_load(x->mod, root);
			expect_data(x->mod, c->addr[i] - x->bias + 8, name, 8);
			continue;
		}
		CHECK(m != NULL && m->mod != NULL);
		if (!m || !m->mod)
			continue;
		symbols_load(m->mod, root);
		uint64_t off = 0;
		const char *got = symbols_func(m->mod, c->addr[i] - m->bias + 1, &off);
		if (!got || strcmp(got, name) != 0 || off != 1)
			fprintf(stderr, "%s: %s at %#llx (%s) -> %s+%llu\n", what, name,
				(unsigned long long)c->addr[i], m->mod->name, got ? got : "(null)",
				(unsigned long long)off);
		CHECK_STR(got, name);
		CHECK_EQ_INT(off, 1);
	}
	return pm;
}

#ifndef SYMTEST_GO

/* ---- readelf views and checks ------------------------------------------------ */

static const char *targets_dir(void)
{
	const char *t = getenv("TARGETS");
	return t && *t ? t : "tests/targets";
}

/* One symbol as readelf -sW shows it. */
struct esym {
	uint64_t addr, size;
	char type[16];
	char *name;                     /* version suffix (@...) removed */
};

struct esyms {
	struct esym *v;
	size_t n;
};

/* readelf -W <opt> path: every defined symbol with a non-zero value. */
static struct esyms readelf_syms(const char *opt, const char *path)
{
	struct esyms es = { NULL, 0 };
	size_t cap = 0;
	char *cmd = fmt("readelf -W %s '%s' 2>/dev/null", opt, path);
	FILE *f = popen(cmd, "r");
	free(cmd);
	if (!f)
		return es;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char size[32], type[16], bind[16], vis[16], ndx[16], name[2048];
		if (sscanf(line, " %*[0-9]: %llx %31s %15s %15s %15s %15s %2047s", &addr, size, type,
			   bind, vis, ndx, name) != 7)
			continue;
		if (strcmp(ndx, "UND") == 0 || addr == 0)
			continue;
		char *at = strchr(name, '@');
		if (at && at != name)
			*at = '\0';
		if (es.n == cap) {
			cap = cap ? cap * 2 : 1024;
			es.v = xrealloc(es.v, cap * sizeof(*es.v));
		}
		struct esym *e = &es.v[es.n++];
		e->addr = addr;
		e->size = strtoull(size, NULL, 0);
		str_copy(e->type, type, sizeof(e->type));
		e->name = xstrdup(name);
	}
	pclose(f);
	return es;
}

static void esyms_free(struct esyms *es)
{
	for (size_t i = 0; i < es->n; i++)
		free(es->v[i].name);
	free(es->v);
	es->v = NULL;
	es->n = 0;
}

static bool is_func_type(const char *t)
{
	return strcmp(t, "FUNC") == 0 || strcmp(t, "IFUNC") == 0;
}

/* Address of the first function (func) or object symbol named name; 0 if none. */
static uint64_t esym_addr(const struct esyms *es, const char *name, bool func)
{
	for (size_t i = 0; i < es->n; i++)
		if (strcmp(es->v[i].name, name) == 0 &&
		    (func ? is_func_type(es->v[i].type) : strcmp(es->v[i].type, "OBJECT") == 0))
			return es->v[i].addr;
	return 0;
}

/* Whether `name` is one of the symbols at addr, or any symbol there is
 * mangled (then name is its demangled form, compared elsewhere). */
static bool esym_alias(const struct esyms *es, uint64_t addr, const char *name)
{
	for (size_t i = 0; i < es->n; i++) {
		const struct esym *e = &es->v[i];
		if (e->addr != addr)
			continue;
		if (strcmp(e->name, name) == 0)
			return true;
		if (e->name[0] == '_' && (e->name[1] == 'Z' || e->name[1] == 'R'))
			return true;
	}
	return false;
}

/*
 * Every function symbol readelf lists must be found by symbols_func at
 * offset 0 under one of its aliases. Returns the number of functions
 * checked; failures are counted as one failed check listing a few.
 */
static size_t sweep_funcs(struct module *mod, const struct esyms *es, const char *what)
{
	size_t checked = 0, bad = 0;
	for (size_t i = 0; i < es->n; i++) {
		const struct esym *e = &es->v[i];
		if (!is_func_type(e->type))
			continue;
		checked++;
		uint64_t off = 99;
		const char *n = symbols_func(mod, e->addr, &off);
		if (!n || off != 0 || !esym_alias(es, e->addr, n)) {
			if (bad++ < 5)
				fprintf(stderr, "%s: %#llx %s -> %s+%llu\n", what,
					(unsigned long long)e->addr, e->name, n ? n : "(null)",
					(unsigned long long)off);
		}
	}
	CHECK(checked > 0);
	if (bad)
		fprintf(stderr, "%s: %zu of %zu functions misnamed\n", what, bad, checked);
	CHECK_EQ_INT(bad, 0);
	return checked;
}

/* Check symbols_func(mod, vaddr) is `want` at offset want_off. */
static void expect_func(struct module *mod, uint64_t vaddr, const char *want, uint64_t want_off)
{
	uint64_t off = 12345;
	const char *n = symbols_func(mod, vaddr, &off);
	CHECK_STR(n, want);
	if (n && strcmp(n, want) == 0)
		CHECK_EQ_INT(off, want_off);
}

static bool file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0;
}

/* Path of the mapped file whose name contains `needle` in our own maps. */
static char *self_mapped(const char *needle)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	char *found = NULL;
	while (f && !found && fgets(line, sizeof(line), f)) {
		struct mapping m;
		if (maps_parse_line(line, &m) == 0) {
			if (m.path[0] == '/' && strstr(m.path, needle))
				found = xstrdup(m.path);
			free(m.path);
		}
	}
	if (f)
		fclose(f);
	return found;
}


/* ---- system libraries ----------------------------------------------------- */

/* Average ns per symbols_func over random addresses in [lo, hi). */
static double time_lookups(struct module *mod, uint64_t lo, uint64_t hi)
{
	enum { N = 1 << 16, ROUNDS = 20 };
	static uint64_t addrs[N];
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		addrs[i] = lo + x % (hi - lo);
	}
	volatile uintptr_t sink = 0;
	for (int i = 0; i < N; i++)     /* warm up: first lookups demangle */
		sink += (uintptr_t)symbols_func(mod, addrs[i], NULL);
	/* The best round: the machine running the tests may be busy. */
	double best = 1e9;
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_mono();
		for (int i = 0; i < N; i++)
			sink += (uintptr_t)symbols_func(mod, addrs[i], NULL);
		double t1 = now_mono();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	(void)sink;
	return best * 1e9 / N;
}

static void func_range(const struct esyms *es, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t i = 0; i < es->n; i++) {
		if (!is_func_type(es->v[i].type))
			continue;
		if (es->v[i].addr < *lo)
			*lo = es->v[i].addr;
		if (es->v[i].addr + es->v[i].size > *hi)
			*hi = es->v[i].addr + es->v[i].size;
	}
}

static void test_libc(void)
{
	char *path = self_mapped("/libc.so.6");
	CHECK(path != NULL);
	if (!path)
		return;
	struct module *mod = module_open_path(path);
	CHECK(mod != NULL);
	if (!mod)
		return;
	double t0 = now_mono();
	int n = symbols_load(mod, NULL);
	double t1 = now_mono();
	CHECK(n > 1000);
	const char *src = symbols_source(mod);
	printf("measure: %s: symbols_load %.3f ms, %d functions, source %s\n", path,
	       (t1 - t0) * 1e3, n, src);
	CHECK(strcmp(src, "none") != 0);
	/* A second load is a no-op returning the same count. */
	CHECK_EQ_INT(symbols_load(mod, NULL), n);

	struct esyms es = readelf_syms("--dyn-syms", path);
	CHECK(es.n > 1000);
	sweep_funcs(mod, &es, "libc");
	uint64_t a = esym_addr(&es, "malloc", true);
	CHECK(a != 0);
	expect_func(mod, a + 1, "malloc", 1);
	a = esym_addr(&es, "pthread_mutex_lock", true);
	expect_func(mod, a + 1, "pthread_mutex_lock", 1);
	a = esym_addr(&es, "memcpy", true);     /* an IFUNC */
	CHECK(a != 0);
	uint64_t off = 99;
	const char *nm = symbols_func(mod, a, &off);
	CHECK(nm != NULL && esym_alias(&es, a, nm) && off == 0);
	a = esym_addr(&es, "stdout", false);
	CHECK(a != 0);
	expect_data(mod, a + 4, "stdout", 4);
	CHECK(symbols_data(mod, esym_addr(&es, "malloc", true), NULL) == NULL);
	CHECK(symbols_func(mod, 1, NULL) == NULL);

	uint64_t lo, hi;
	func_range(&es, &lo, &hi);
	printf("measure: libc lookup %.1f ns per address (random addresses in text)\n",
	       time_lookups(mod, lo, hi));
	esyms_free(&es);
	module_put(mod);

	/* The .dynsym path, whatever debug files this machine has: a copy
	 * without build-id note and debuglink. */
	char *copy = fmt("%s/libc-nodebug.so", tmpdir);
	CHECK_EQ_INT(sh("objcopy --remove-section .note.gnu.build-id --remove-section .gnu_debuglink "
			"'%s' '%s'", path, copy), 0);
	mod = module_open_path(copy);
	CHECK(mod != NULL);
	if (mod) {
		t0 = now_mono();
		n = symbols_load(mod, NULL);
		t1 = now_mono();
		CHECK(n > 1000);
		CHECK_STR(symbols_source(mod), ".dynsym");
		printf("measure: libc copy without debug file: symbols_load %.3f ms, %d functions, "
		       "source %s\n", (t1 - t0) * 1e3, n, symbols_source(mod));
		es = readelf_syms("--dyn-syms", copy);
		sweep_funcs(mod, &es, "libc .dynsym");
		func_range(&es, &lo, &hi);
		printf("measure: libc .dynsym lookup %.1f ns per address\n", time_lookups(mod, lo, hi));
		esyms_free(&es);
		module_put(mod);
	}
	free(copy);
	free(path);
}

static void test_libstdcxx(void)
{
	static const char *const paths[] = {
		"/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
		"/lib/x86_64-linux-gnu/libstdc++.so.6",
		"/usr/lib64/libstdc++.so.6",
	};
	const char *path = NULL;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !path; i++)
		if (file_exists(paths[i]))
			path = paths[i];
	if (!path) {
		printf("skip: libstdc++.so.6 not installed\n");
		return;
	}
	struct module *mod = module_open_path(path);
	CHECK(mod != NULL);
	if (!mod)
		return;
	double t0 = now_mono();
	int n = symbols_load(mod, NULL);
	double t1 = now_mono();
	CHECK(n > 1000);
	printf("measure: %s: symbols_load %.3f ms, %d functions, source %s\n", path,
	       (t1 - t0) * 1e3, n, symbols_source(mod));

	struct esyms es = readelf_syms("--dyn-syms", path);
	uint64_t a = esym_addr(&es, "_ZNSt6thread4joinEv", true);
	CHECK(a != 0);
	expect_func(mod, a + 1, "std::thread::join()", 1);
	double t2 = now_mono();
	size_t checked = sweep_funcs(mod, &es, "libstdc++");
	double t3 = now_mono();
	printf("measure: libstdc++ first lookup of all %zu functions (demangles each) %.3f ms\n",
	       checked, (t3 - t2) * 1e3);
	uint64_t lo, hi;
	func_range(&es, &lo, &hi);
	printf("measure: libstdc++ lookup %.1f ns per address\n", time_lookups(mod, lo, hi));
	esyms_free(&es);
	module_put(mod);
}

/* ---- the C target ------------------------------------------------------- */

/* The checks every build of sym_c must pass on module mod; es is the
 * readelf view of the file with the full symbol table. */
static void check_sym_c(struct module *mod, const struct esyms *es, const char *what)
{
	static const char *const funcs[] = { "sym_leaf_a", "sym_static_b", "sym_middle", "main" };
	for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
		uint64_t a = esym_addr(es, funcs[i], true);
		CHECK(a != 0);
		expect_func(mod, a + 1, funcs[i], 1);
	}
	/* Rust names, legacy (hash dropped) and v0. */
	uint64_t a = esym_addr(es, "_ZN4core3fmt5write17h0123456789abcdefE", true);
	CHECK(a != 0);
	expect_func(mod, a + 1, "core::fmt::write", 1);
	a = esym_addr(es, "_RNvNtCs1234_7mycrate3foo3bar", true);
	CHECK(a != 0);
	expect_func(mod, a + 1, "mycrate::foo::bar", 1);
	/* A size-0 function is extended to the next symbol. */
	a = esym_addr(es, "sym_nosize", true);
	CHECK(a != 0);
	expect_func(mod, a + 5, "sym_nosize", 5);
	/* The IFUNC and its (local) resolver share an address. */
	a = esym_addr(es, "sym_ifunc", true);
	CHECK(a != 0);
	expect_func(mod, a, "sym_ifunc", 0);
	/* Data: the global mutex and a static array. */
	a = esym_addr(es, "ledger_lock", false);
	CHECK(a != 0);
	expect_data(mod, a + 8, "ledger_lock", 8);
	expect_data(mod, a, "ledger_lock", 0);
	a = esym_addr(es, "sym_static_table", false);
	CHECK(a != 0);
	expect_data(mod, a + 16, "sym_static_table", 16);
	CHECK(symbols_func(mod, 0, NULL) == NULL);
	sweep_funcs(mod, es, what);
}

static void test_sym_c_builds(void)
{
	static const char *const builds[] = { "sym_c_pie", "sym_c_nopie", "sym_c_static" };
	for (size_t i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		char *path = fmt("%s/%s", targets_dir(), builds[i]);
		struct module *mod = module_open_path(path);
		CHECK(mod != NULL);
		if (mod) {
			double t0 = now_mono();
			int n = symbols_load(mod, NULL);
			double t1 = now_mono();
			CHECK(n > 0);
			CHECK_STR(symbols_source(mod), ".symtab");
			printf("measure: %s: symbols_load %.3f ms, %d functions\n", builds[i],
			       (t1 - t0) * 1e3, n);
			struct esyms es = readelf_syms("-s", path);
			check_sym_c(mod, &es, builds[i]);
			esyms_free(&es);
			module_put(mod);
		}
		free(path);
	}
}

/* The live PIE target through procmap_read/module_get, libc included. */
static void test_live(void)
{
	char *path = fmt("%s/sym_c_pie", targets_dir());
	char *argv[] = { path, (char *)"wait", NULL };
	struct child c;
	CHECK(child_start(&c, argv) == 0);
	struct procmap *pm = check_live(&c, true, "live sym_c_pie");
	if (pm) {
		const struct mapping *x = exec_mapping_of(pm, path);
		CHECK(x != NULL);
		procmap_free(pm);
	}
	child_stop(&c);
	free(path);
}

/* ---- separate debug files and MiniDebugInfo ------------------------------ */

/* Make dir (and parents). */
static void mkdirs(const char *dir)
{
	CHECK_EQ_INT(sh("mkdir -p '%s'", dir), 0);
}

/*
 * Load `bin` (a stripped copy of sym_c_pie) with root `root` and check
 * that the source is `kind` + ":" + want_path (want_path NULL: exact kind)
 * and that static functions and the mutex are named.
 */
static void check_stripped(const char *bin, const char *root, const char *kind,
			   const char *want_path, const struct esyms *full)
{
	struct module *mod = module_open_path(bin);
	CHECK(mod != NULL);
	if (!mod)
		return;
	int n = symbols_load(mod, root);
	const char *src = symbols_source(mod);
	if (want_path) {
		char *want = fmt("%s:%s", kind, want_path);
		CHECK_STR(src, want);
		free(want);
	} else {
		CHECK_STR(src, kind);
	}
	CHECK(n > 0);
	uint64_t a = esym_addr(full, "sym_static_b", true);
	expect_func(mod, a + 1, "sym_static_b", 1);
	a = esym_addr(full, "sym_nosize", true);
	expect_func(mod, a + 5, "sym_nosize", 5);
	if (strcmp(kind, "minidebuginfo") != 0) {
		a = esym_addr(full, "ledger_lock", false);
		expect_data(mod, a + 8, "ledger_lock", 8);
	}
	module_put(mod);
}

static void test_debug_files(void)
{
	if (!have_tool("objcopy")) {
		/* binutils is needed to build at all; keep CI honest. */
		CHECK(!"objcopy not found");
		return;
	}
	char *orig = fmt("%s/sym_c_pie", targets_dir());
	struct esyms full = readelf_syms("-s", orig);
	char *dbg = fmt("%s/sym_c_pie.debug", tmpdir);
	char *stripped = fmt("%s/sym_c_pie.stripped", tmpdir);
	CHECK_EQ_INT(sh("objcopy --only-keep-debug '%s' '%s'", orig, dbg), 0);
	CHECK_EQ_INT(sh("cd '%s' && objcopy --strip-all --add-gnu-debuglink=sym_c_pie.debug '%s' "
			"sym_c_pie.stripped", tmpdir, orig), 0);

	/* The stripped copy alone: its .dynsym defines no function (a PIE
	 * exports nothing), so there is no symbol at all. */
	char *d0 = fmt("%s/none", tmpdir);
	mkdirs(d0);
	CHECK_EQ_INT(sh("cp '%s' '%s/sym_c_pie'", stripped, d0), 0);
	char *b0 = fmt("%s/sym_c_pie", d0);
	struct module *mod = module_open_path(b0);
	CHECK(mod != NULL);
	if (mod) {
		CHECK_EQ_INT(symbols_load(mod, NULL), 0);
		CHECK_STR(symbols_source(mod), "none");
		uint64_t off = 0;
		const char *nm = symbols_func(mod, esym_addr(&full, "sym_static_b", true) + 1, &off);
		CHECK(nm == NULL || strcmp(nm, "sym_static_b") != 0);
		module_put(mod);
	}

	/* 1. debuglink next to the binary. */
	char *d1 = fmt("%s/next", tmpdir);
	mkdirs(d1);
	CHECK_EQ_INT(sh("cp '%s' '%s/sym_c_pie' && cp '%s' '%s/'", stripped, d1, dbg, d1), 0);
	char *b1 = fmt("%s/sym_c_pie", d1), *p1 = fmt("%s/sym_c_pie.debug", d1);
	check_stripped(b1, NULL, "debuglink", p1, &full);

	/* 2. debuglink in .debug/ next to the binary. */
	char *d2 = fmt("%s/dotdebug", tmpdir);
	mkdirs(d2);
	CHECK_EQ_INT(sh("mkdir -p '%s/.debug' && cp '%s' '%s/sym_c_pie' && cp '%s' '%s/.debug/'",
			d2, stripped, d2, dbg, d2), 0);
	char *b2 = fmt("%s/sym_c_pie", d2), *p2 = fmt("%s/.debug/sym_c_pie.debug", d2);
	check_stripped(b2, NULL, "debuglink", p2, &full);

	/* 3. debuglink under <root>/usr/lib/debug/<dir of the binary>. */
	char *d3 = fmt("%s/underroot", tmpdir);
	char *root3 = fmt("%s/root3", tmpdir);
	char *p3 = fmt("%s/usr/lib/debug%s/sym_c_pie.debug", root3, d3);
	mkdirs(d3);
	char *p3dir = fmt("%s/usr/lib/debug%s", root3, d3);
	mkdirs(p3dir);
	CHECK_EQ_INT(sh("cp '%s' '%s/sym_c_pie' && cp '%s' '%s'", stripped, d3, dbg, p3), 0);
	char *b3 = fmt("%s/sym_c_pie", d3);
	check_stripped(b3, root3, "debuglink", p3, &full);

	/* 4. build-id under <root>/usr/lib/debug/.build-id/xx/yyyy.debug. */
	char *d4 = fmt("%s/buildid", tmpdir);
	mkdirs(d4);
	char *b4 = fmt("%s/sym_c_pie", d4);
	CHECK_EQ_INT(sh("cp '%s' '%s'", stripped, b4), 0);
	mod = module_open_path(b4);
	CHECK(mod != NULL && mod->build_id_len >= 2);
	if (mod && mod->build_id_len >= 2) {
		char hex[129];
		for (int i = 0; i < mod->build_id_len; i++)
			snprintf(hex + 2 * i, 3, "%02x", mod->build_id[i]);
		char *root4 = fmt("%s/root4", tmpdir);
		char *bdir = fmt("%s/usr/lib/debug/.build-id/%.2s", root4, hex);
		char *p4 = fmt("%s/%s.debug", bdir, hex + 2);
		mkdirs(bdir);
		CHECK_EQ_INT(sh("cp '%s' '%s'", dbg, p4), 0);
		module_put(mod);
		check_stripped(b4, root4, "build-id", p4, &full);
		free(root4);
		free(bdir);
		free(p4);
	}

	/* 5. A debug file whose CRC does not match is refused (and the
	 * build-id paths do not have it). */
	char *d5 = fmt("%s/badcrc", tmpdir);
	mkdirs(d5);
	CHECK_EQ_INT(sh("cp '%s' '%s/sym_c_pie' && cp '%s' '%s/' && printf x >> '%s/sym_c_pie.debug'",
			stripped, d5, dbg, d5, d5), 0);
	char *b5 = fmt("%s/sym_c_pie", d5);
	mod = module_open_path(b5);
	CHECK(mod != NULL);
	if (mod) {
		CHECK_EQ_INT(symbols_load(mod, NULL), 0);
		CHECK_STR(symbols_source(mod), "none");
		module_put(mod);
	}

	/* 6. MiniDebugInfo: .symtab of the debug file, xz'ed into
	 * .gnu_debugdata of a binary stripped of everything else. */
	if (have_tool("xz")) {
		char *d6 = fmt("%s/mini", tmpdir);
		mkdirs(d6);
		CHECK_EQ_INT(sh("cd '%s' && objcopy --strip-debug --remove-section .comment '%s' mini && "
				"xz -9 mini && objcopy --strip-all '%s' sym_c_pie && "
				"objcopy --add-section .gnu_debugdata=mini.xz sym_c_pie",
				d6, dbg, orig), 0);
		char *b6 = fmt("%s/sym_c_pie", d6);
		check_stripped(b6, NULL, "minidebuginfo", NULL, &full);
		/* .dynsym data survives; the exported functions too. */
		mod = module_open_path(b6);
		if (mod) {
			uint64_t a = esym_addr(&full, "sym_leaf_a", true);
			expect_func(mod, a + 1, "sym_leaf_a", 1);
			module_put(mod);
		}
		free(d6);
		free(b6);
	} else {
		CHECK(!"xz not found (Debian package xz-utils)");
	}

	/* 7. Garbage in .gnu_debugdata is ignored gracefully. */
	char *d7 = fmt("%s/badmini", tmpdir);
	mkdirs(d7);
	CHECK_EQ_INT(sh("cd '%s' && printf 'not xz at all' > junk && objcopy --strip-all '%s' sym_c_pie && "
			"objcopy --add-section .gnu_debugdata=junk sym_c_pie", d7, orig), 0);
	char *b7 = fmt("%s/sym_c_pie", d7);
	mod = module_open_path(b7);
	CHECK(mod != NULL);
	if (mod) {
		CHECK_EQ_INT(symbols_load(mod, NULL), 0);
		CHECK_STR(symbols_source(mod), "none");
		module_put(mod);
	}

	esyms_free(&full);
	free(orig);
	free(dbg);
	free(stripped);
	free(d0);
	free(b0);
	free(d1);
	free(b1);
	free(p1);
	free(d2);
	free(b2);
	free(p2);
	free(d3);
	free(root3);
	free(p3);
	free(p3dir);
	free(b3);
	free(d4);
	free(b4);
	free(d5);
	free(b5);
	free(d7);
	free(b7);
}

/* ---- C++ ------------------------------------------------------------------- */

static void test_cxx(void)
{
	const char *cxx = getenv("CXX");
	if (!cxx || !*cxx || !have_tool(cxx))
		cxx = have_tool("g++") ? "g++" : have_tool("c++") ? "c++" :
		      have_tool("clang++") ? "clang++" : NULL;
	if (!cxx) {
		printf("skip: no C++ compiler, C++ demangling checked on mangled names only\n");
		return;
	}
	char *bin = fmt("%s/sym_cxx", tmpdir);
	if (sh("%s -O2 -g -o '%s' '%s/sym_cxx.cc'", cxx, bin, src_dir()) != 0) {
		CHECK(!"C++ target did not build");
		free(bin);
		return;
	}
	struct module *mod = module_open_path(bin);
	CHECK(mod != NULL);
	if (mod) {
		CHECK(symbols_load(mod, NULL) > 0);
		CHECK_STR(symbols_source(mod), ".symtab");
		struct esyms es = readelf_syms("-s", bin);
		uint64_t a = esym_addr(&es, "_ZN6ledger6WorkerIiE3runEi", true);
		CHECK(a != 0);
		expect_func(mod, a + 1, "ledger::Worker<int>::run(int)", 1);
		a = esym_addr(&es, "_ZN6ledger6WorkerIdE3runEi", true);
		expect_func(mod, a + 1, "ledger::Worker<double>::run(int)", 1);
		a = esym_addr(&es, "_ZN6ledger4postEd", true);
		expect_func(mod, a + 1, "ledger::post(double)", 1);
		/* The demangled name lives as long as the module: same pointer. */
		const char *n1 = symbols_func(mod, a + 1, NULL), *n2 = symbols_func(mod, a + 2, NULL);
		CHECK(n1 == n2);
		sweep_funcs(mod, &es, "sym_cxx");
		esyms_free(&es);
		module_put(mod);
	}
	free(bin);
}

static void test_misc(void)
{
	CHECK_STR(symbols_source(NULL), "none");
	CHECK_EQ_INT(symbols_load(NULL, NULL), 0);
	CHECK(symbols_func(NULL, 0x1000, NULL) == NULL);
	CHECK(symbols_data(NULL, 0x1000, NULL) == NULL);
	symtab_free(NULL);
	/* A module without any symbols at all: "none". */
	char *bin = fmt("%s/nosyms", tmpdir);
	char *orig = fmt("%s/sym_c_static", targets_dir());
	CHECK_EQ_INT(sh("objcopy --strip-all '%s' '%s'", orig, bin), 0);
	struct module *mod = module_open_path(bin);
	CHECK(mod != NULL);
	if (mod) {
		CHECK_EQ_INT(symbols_load(mod, "/nonexistent-root"), 0);
		CHECK_STR(symbols_source(mod), "none");
		CHECK(symbols_func(mod, 0x401000, NULL) == NULL);
		module_put(mod);
	}
	free(bin);
	free(orig);
}

/* The section walk (elf_section.c) on a real file, on one whose section
 * name table index is garbage, and on a truncated one. */
static void test_elf_sections(void)
{
	char *path = fmt("%s/sym_c_static", targets_dir());
	size_t len = 0;
	char *img = read_file_alloc_at(AT_FDCWD, path, &len);
	CHECK(img != NULL && len > 4096);
	if (!img) {
		free(path);
		return;
	}
	elf_version(EV_CURRENT);
	Elf *e = elf_memory(img, len);
	GElf_Shdr sh;
	Elf_Scn *text = elf_section_find(e, ".text", &sh);
	CHECK(text != NULL && sh.sh_type == SHT_PROGBITS && sh.sh_size > 0);
	CHECK(elf_section_find(e, ".no-such-section", NULL) == NULL);
	int n = 0, named = 0;
	struct elf_section_iter it;
	for (elf_section_begin(&it, e); elf_section_next(&it);) {
		n++;
		named += it.name[0] != '\0';
	}
	CHECK(n > 5 && named == n);
	CHECK(!elf_section_next(&it));          /* stays at the end */
	elf_end(e);
	CHECK(elf_section_find(NULL, ".text", NULL) == NULL);
	elf_section_begin(&it, NULL);
	CHECK(!elf_section_next(&it));

	/* e_shstrndx out of range: every section still walks, nameless. */
	char *bad = xmalloc(len);
	memcpy(bad, img, len);
	uint16_t idx = 0x7ff0;
	memcpy(bad + 62, &idx, 2);              /* Elf64_Ehdr.e_shstrndx */
	e = elf_memory(bad, len);
	int m = 0;
	named = 0;
	for (elf_section_begin(&it, e); elf_section_next(&it);) {
		m++;
		named += it.name[0] != '\0';
	}
	CHECK_EQ_INT(m, n);
	CHECK_EQ_INT(named, 0);
	CHECK(elf_section_find(e, ".text", NULL) == NULL);
	elf_end(e);

	/* Cut before the section headers: nothing, and no crash. */
	e = elf_memory(img, 256);
	CHECK(elf_section_find(e, ".text", NULL) == NULL);
	if (e)
		elf_end(e);
	free(bad);
	free(img);
	free(path);
}

#else /* SYMTEST_GO */

/* ---- Go ---------------------------------------------------------------------- */

/*
 * Go 1.20+ pclntabs differ from 1.18/1.19 ones only by their magic
 * (0xfffffff1), and only Go 1.19 may be installed: patch the magic of a
 * stripped 1.19 executable and expect the same table. nfuncs and the
 * hotLoop entry come from the unpatched binary.
 */
static void check_go120_magic(const char *stripped, int nfuncs, uint64_t hot_entry)
{
	size_t len = 0;
	uint8_t *buf = (uint8_t *)read_file_alloc_at(AT_FDCWD, stripped, &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	static const uint8_t hdr[] = { 0xf0, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x08 };
	size_t at = 0;
	for (size_t i = 0; i + sizeof(hdr) <= len && !at; i += 8)
		if (memcmp(buf + i, hdr, sizeof(hdr)) == 0)
			at = i;
	CHECK(at != 0);
	buf[at] = 0xf1;
	char *copy = fmt("%s/go_exe_go120", tmpdir);
	FILE *f = fopen(copy, "w");
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_INT(fwrite(buf, 1, len, f), len);
		fclose(f);
		struct module *mod = module_open_path(copy);
		CHECK(mod != NULL);
		if (mod) {
			CHECK_EQ_INT(symbols_load(mod, NULL), nfuncs);
			CHECK_STR(symbols_source(mod), ".gopclntab");
			uint64_t off = 0;
			CHECK_STR(symbols_func(mod, hot_entry + 1, &off), "main.hotLoop");
			CHECK_EQ_INT(off, 1);
			module_put(mod);
		}
	}
	free(copy);
	free(buf);
}

static void test_go(void)
{
	char *gocache = fmt("%s/gocache", tmpdir), *gopath = fmt("%s/gopath", tmpdir);
	static const struct {
		const char *name, *flags, *source;
		int cgo;
	} builds[] = {
		{ "go_exe", "", ".symtab", 0 },
		{ "go_exe_stripped", "-ldflags='-s -w'", ".gopclntab", 0 },
		{ "go_pie", "-buildmode=pie", ".symtab", 0 },
		{ "go_pie_stripped", "-buildmode=pie -ldflags='-s -w'", ".gopclntab", 0 },
		/* The system linker merges .data.rel.ro.gopclntab into
		 * .data.rel.ro and puts C code before runtime.text: the
		 * pclntab is found by its header. */
		{ "go_pie_external_stripped", "-buildmode=pie -ldflags='-s -w -linkmode=external'",
		  ".gopclntab", 1 },
	};
	CHECK_EQ_INT(sh("cp '%s/sym_go.go' '%s/'", src_dir(), tmpdir), 0);
	int stripped_nfuncs = 0;
	uint64_t hot_entry = 0;
	for (size_t i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		char *bin = fmt("%s/%s", tmpdir, builds[i].name);
		double t0 = now_mono();
		int rc = sh("cd '%s' && env GOCACHE='%s' GOPATH='%s' GOFLAGS= GO111MODULE=off "
			    "CGO_ENABLED=%d GOENV=off go build %s -o '%s' sym_go.go",
			    tmpdir, gocache, gopath, builds[i].cgo, builds[i].flags, bin);
		double t1 = now_mono();
		CHECK_EQ_INT(rc, 0);
		printf("measure: go build %s: %.1f s\n", builds[i].name, t1 - t0);
		if (rc != 0) {
			free(bin);
			continue;
		}
		/* Offline: the module's own table. */
		struct module *mod = module_open_path(bin);
		CHECK(mod != NULL);
		if (mod) {
			double t2 = now_mono();
			int n = symbols_load(mod, NULL);
			double t3 = now_mono();
			CHECK(n > 1000);
			CHECK_STR(symbols_source(mod), builds[i].source);
			printf("measure: %s: symbols_load %.3f ms, %d functions, source %s\n",
			       builds[i].name, (t3 - t2) * 1e3, n, symbols_source(mod));
			if (strcmp(builds[i].name, "go_exe_stripped") == 0)
				stripped_nfuncs = n;
			module_put(mod);
		}
		/* Live: the runtime's own names and entries. */
		char *argv[] = { bin, (char *)"wait", NULL };
		struct child c;
		CHECK(child_start(&c, argv) == 0);
		CHECK(c.n >= 5);
		if (c.n > 0 && strcmp(builds[i].name, "go_exe_stripped") == 0 &&
		    strcmp(c.name[0], "main.hotLoop") == 0)
			hot_entry = c.addr[0];  /* not a PIE: run-time address = vaddr */
		struct procmap *pm = check_live(&c, false, builds[i].name);
		procmap_free(pm);
		child_stop(&c);
		free(bin);
	}
	CHECK(stripped_nfuncs > 0 && hot_entry != 0);
	if (stripped_nfuncs > 0 && hot_entry != 0) {
		char *stripped = fmt("%s/go_exe_stripped", tmpdir);
		check_go120_magic(stripped, stripped_nfuncs, hot_entry);
		free(stripped);
	}
	free(gocache);
	free(gopath);
}

#endif /* SYMTEST_GO */

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cdtop-symtest-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
#ifdef SYMTEST_GO
	if (!have_tool("go")) {
		printf("SKIP: `go` not found (Debian package golang-go); Go symbolization untested\n");
		rmdir(tmpdir);
		return 77;
	}
	test_go();
#else
	test_misc();
	test_elf_sections();
	test_libc();
	test_libstdcxx();
	test_sym_c_builds();
	test_live();
	test_debug_files();
	test_cxx();
#endif
	/* Every module is released: flushing frees their tables. */
	module_cache_flush();
	if (getenv("SYMTEST_KEEP"))
		printf("kept %s\n", tmpdir);
	else
		sh("chmod -R u+w '%s' && rm -rf '%s'", tmpdir, tmpdir);
	return CHECK_DONE();
}
