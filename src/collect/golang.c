/*
 * golang.c - reads the goroutines of a live Go program from outside.
 *
 * Only process_vm_readv and the executable file: no ptrace, the target
 * never stops and never notices. At open we find, in the Go module of
 * the target (the executable, or a c-shared library):
 *   - the Go version, from .go.buildinfo (kept by stripped binaries);
 *   - the runtime's globals: runtime.allgs (slice of every g ever made,
 *     never shrinks), runtime.allglen and runtime.allgptr (the lock-free
 *     pair the runtime itself reads: allglen first, then allgptr), and
 *     runtime.waitReasonStrings. From .symtab when present; in a stripped
 *     binary allgs is found by scanning .bss for a slice whose elements
 *     look like g structs (validated with the layout: power-of-two stack
 *     bounds, sane status and goid), and the wait reason table by
 *     scanning .data for Go strings "", "GC assist marking", "IO wait";
 *   - the layout of runtime.g (golang_layout.c): DWARF, else the table.
 *
 * A read copies allglen, then the g pointers, then every g (batched:
 * up to 1024 iovecs per syscall; a g that cannot be read is skipped).
 * A full read also copies each waiting goroutine's stack from its saved
 * sp up to stack.hi and unwinds it the way Go's own traceback does:
 * frame sizes from .gopclntab's pcsp tables, frame pointers (sched.bp)
 * where a PC has no pcsp entry, always inside [sp, stack.hi). Then the
 * g is read again: a goroutine that ran meanwhile (goid, status or saved
 * sp/pc changed) is read once more, and flagged when it moved again.
 * Running goroutines have no saved registers worth reading; the thread
 * running them (m.procid) is recorded so the analysis can take the
 * stack the sampler saw on that thread.
 *
 * Memory of the target changes under us: every value read is checked
 * before it is used as an address or a length, and a bad one drops that
 * goroutine's stack, never the read.
 */
#define _GNU_SOURCE 1
#include "elf_section.h"
#include "golang.h"
#include "frame.h"
#include "intern.h"
#include "maps.h"
#include "remote_mem.h"
#include "symbols.h"
#include "u64map.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <gelf.h>
#include <libelf.h>

#define G_CHUNK 8192                    /* g structs copied per round */
#define STACK_COPY_MAX (64 * 1024)      /* bytes of a stack copied at once */
#define STACK_CHUNK_BYTES (8u << 20)    /* stack bytes copied per round */
#define MAX_FRAMES 64                   /* frames kept per goroutine */
#define MAX_ALLGLEN (1 << 26)           /* sanity bound on allglen */
#define MAX_REASONS 256

struct sect {
	uint64_t va, size;              /* ELF vaddr and size; size 0 = absent */
};

/* What we know about one PC (a return address, or an entry PC). */
struct pc_ent {
	int func;                       /* index into funcs, -1 none */
	int64_t delta;                  /* pcsp: return address at [sp + delta] */
	bool has_delta, text, goexit;
};

struct golang {
	int pid, piddir;
	struct procmap *pm;
	struct module *mod;             /* the Go module (owned by pm's mapping) */
	uint64_t bias;                  /* target address = ELF vaddr + bias */
	char version[32];
	struct go_layout lay;
	struct sect data, bss, noptrbss, rodata;
	uint64_t allgs, allglen, allgptr;   /* target addresses; allglen/allgptr 0 unknown */
	char **reasons; int nreasons;
	char note[256];                 /* "" or a warning about the layout (table vs DWARF) */
	struct pc_ent *pcs; size_t npcs, pcs_cap;   /* what we know of each PC seen */
	struct u64map pc_index;         /* pc << 1 | is_entry -> index into pcs */
	struct u64map starts;           /* startpc -> 1 when a runtime (system) goroutine */
	struct intern funcs;            /* function names; pc_ent.func indexes it */
	uint8_t *gbuf;                  /* G_CHUNK * lay.read_len */
	struct rmem rm;                 /* batched reads of the target, with their buffers */
	void *sws, *sagain;             /* read_stacks' buffers, kept from read to read */
	size_t sws_cap, sagain_cap;
	struct iovec *liov, *riov;
	bool *iov_ok;
	size_t iov_cap;
};

#define GATHER_GAP 4096          /* g structs: merge across other heap objects */
#define STACK_GATHER_GAP 64      /* stacks: not across the unused bottom of the next one
				    (three times the bytes for a 2 KiB stack: measured slower) */

static void iov_reserve(struct golang *g, size_t n)
{
	if (n <= g->iov_cap)
		return;
	g->iov_cap = n;
	g->liov = xrealloc(g->liov, n * sizeof(*g->liov));
	g->riov = xrealloc(g->riov, n * sizeof(*g->riov));
	g->iov_ok = xrealloc(g->iov_ok, n * sizeof(*g->iov_ok));
}

/* ---- the Go module and its sections ------------------------------------ */

static void sections(struct golang *g, struct sect *buildinfo)
{
	struct elf_section_iter it;
	for (elf_section_begin(&it, g->mod->elf); elf_section_next(&it);) {
		const char *n = it.name;
		struct sect v = { it.sh.sh_addr, it.sh.sh_size };
		if (strcmp(n, ".data") == 0)
			g->data = v;
		else if (strcmp(n, ".bss") == 0)
			g->bss = v;
		else if (strcmp(n, ".noptrbss") == 0)
			g->noptrbss = v;
		else if (strcmp(n, ".rodata") == 0)
			g->rodata = v;
		else if (strcmp(n, ".go.buildinfo") == 0)
			*buildinfo = v;
	}
}

static bool in_sect(const struct sect *s, uint64_t va, uint64_t len)
{
	return s->size && va >= s->va && va + len <= s->va + s->size && va + len >= va;
}

/* A Go string {ptr, len} stored in the file at vaddr, copied into out. */
static int file_gostring(const struct golang *g, uint64_t hdr_va, char *out, size_t outlen)
{
	uint8_t h[16];
	if (module_read_vaddr(g->mod, hdr_va, h, 16) < 0)
		return -1;
	uint64_t p = rd64(h), n = rd64(h + 8);
	if (n >= outlen || (n && module_read_vaddr(g->mod, p, out, n) < 0))
		return -1;
	out[n] = '\0';
	return 0;
}

/* The Go version from .go.buildinfo: Go 1.18+ stores it inline (flags
 * bit 2) as a varint-prefixed string at offset 32; older ones point to
 * a string header. */
static void read_version(struct golang *g, const struct sect *bi)
{
	uint8_t h[64];
	g->version[0] = '\0';
	if (!bi->size || bi->size < 32 || module_read_vaddr(g->mod, bi->va, h, 32) < 0 ||
	    memcmp(h, "\xff Go buildinf:", 14) != 0)
		return;
	if (h[15] & 2) {
		uint8_t v[48];
		size_t avail = bi->size - 32 < sizeof(v) ? bi->size - 32 : sizeof(v);
		if (module_read_vaddr(g->mod, bi->va + 32, v, avail) < 0)
			return;
		uint64_t len = 0;
		size_t i = 0;
		for (int shift = 0; i < avail && shift < 28; shift += 7) {
			len |= (uint64_t)(v[i] & 0x7f) << shift;
			if (!(v[i++] & 0x80))
				break;
		}
		if (len && len < sizeof(g->version) && i + len <= avail) {
			memcpy(g->version, v + i, len);
			g->version[len] = '\0';
		}
	} else if (h[14] == 8) {
		if (file_gostring(g, rd64(h + 16), g->version, sizeof(g->version)) < 0)
			g->version[0] = '\0';
	}
	/* Target-chosen bytes: keep printable ASCII only. */
	for (char *p = g->version; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			*p = '?';
}

/* Look up the runtime's globals in .symtab (unstripped binaries). */
static void symtab_globals(struct golang *g, uint64_t *wrs, uint64_t *wrs_size)
{
	Elf *e = g->mod->elf;
	struct elf_section_iter it;
	for (elf_section_begin(&it, e); elf_section_next(&it);) {
		const GElf_Shdr sh = it.sh;
		if (sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		Elf_Data *d = elf_getdata(it.scn, NULL);
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; d && i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(d, (int)i, &sym))
				continue;
			const char *nm = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!nm || strncmp(nm, "runtime.", 8) != 0)
				continue;
			nm += 8;
			if (strcmp(nm, "allgs") == 0)
				g->allgs = sym.st_value + g->bias;
			else if (strcmp(nm, "allglen") == 0)
				g->allglen = sym.st_value + g->bias;
			else if (strcmp(nm, "allgptr") == 0)
				g->allgptr = sym.st_value + g->bias;
			else if (strcmp(nm, "waitReasonStrings") == 0) {
				*wrs = sym.st_value;
				*wrs_size = sym.st_size;
			}
		}
	}
}

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* Copy the wait reason strings from the array at ELF vaddr wrs (count
 * entries, or until the entries stop looking like short strings when
 * count is 0). */
static void load_reasons(struct golang *g, uint64_t wrs, size_t count)
{
	size_t max = count ? count : MAX_REASONS;
	g->reasons = xcalloc(max, sizeof(char *));
	for (size_t i = 0; i < max; i++) {
		char s[128];
		uint8_t h[16];
		if (module_read_vaddr(g->mod, wrs + 16 * i, h, 16) < 0)
			break;
		uint64_t p = rd64(h), n = rd64(h + 8);
		if (n >= sizeof(s) || (n && module_read_vaddr(g->mod, p, s, n) < 0) || !printable(s, n))
			break;
		if (!count && i > 0 && (n == 0 || !in_sect(&g->rodata, p, n)))
			break;                  /* past the end of the array */
		s[n] = '\0';
		g->reasons[g->nreasons++] = xstrdup(s);
	}
}

/* Stripped binary: find waitReasonStrings in .data by its first entries,
 * which have been "", "GC assist marking", "IO wait" in every Go version
 * the reader supports. Returns the ELF vaddr or 0. */
static uint64_t scan_reasons(struct golang *g)
{
	if (!g->data.size)
		return 0;
	for (uint64_t off = 0; off + 48 <= g->data.size; off += 8) {
		uint8_t h[48];
		char s[24];
		if (module_read_vaddr(g->mod, g->data.va + off, h, 48) < 0)
			return 0;
		if (rd64(h + 8) != 0 || rd64(h + 24) != 17 || rd64(h + 40) != 7)
			continue;
		if (module_read_vaddr(g->mod, rd64(h + 16), s, 17) == 0 && memcmp(s, "GC assist marking", 17) == 0 &&
		    module_read_vaddr(g->mod, rd64(h + 32), s, 7) == 0 && memcmp(s, "IO wait", 7) == 0)
			return g->data.va + off;
	}
	return 0;
}

/* Does the g at b (read_len bytes) look like a runtime.g? strict: also
 * require a live goroutine with a power-of-two stack and a goid. */
static bool g_plausible(const struct go_layout *l, const uint8_t *b, bool strict)
{
	uint32_t raw = rd32(b + l->status);
	if (raw & ~(uint32_t)(GO_SCAN | 0xf))
		return false;
	uint32_t st = raw & ~(uint32_t)GO_SCAN;
	if (st >= GO_NSTATUS)
		return false;
	uint64_t lo = rd64(b + l->stack_lo), hi = rd64(b + l->stack_hi), goid = rd64(b + l->goid);
	if (!strict)
		return lo <= hi;
	if (st == GO_DEAD || st == GO_DEADEXTRA || st == GO_IDLE)
		return false;
	uint64_t sz = hi - lo;
	return lo && hi > lo && sz >= 2048 && sz <= (1ULL << 30) && !(sz & (sz - 1)) &&
	       goid > 0 && goid < (1ULL << 48);
}

/* How well the slice {p, n} looks like allgs: -1 not at all, else a score
 * (strictly plausible gs among the first 16, +100 when the first is the
 * main goroutine, goid 1). */
static int score_allgs(struct golang *g, uint64_t p, uint64_t n)
{
	uint64_t ptrs[16];
	int k = n < 16 ? (int)n : 16, good = 0;
	if (rmem_read(g->pid, p, ptrs, (size_t)k * 8) < 0)
		return -1;
	uint8_t *b = xmalloc(g->lay.read_len);
	for (int i = 0; i < k; i++) {
		if (!ptrs[i] || (ptrs[i] & 7) || rmem_read(g->pid, ptrs[i], b, g->lay.read_len) < 0 ||
		    !g_plausible(&g->lay, b, false)) {
			good = -1;
			break;
		}
		if (g_plausible(&g->lay, b, true)) {
			good++;
			if (i == 0 && rd64(b + g->lay.goid) == 1)
				good += 100;
		}
	}
	free(b);
	return good > 0 ? good : -1;
}

/* Stripped binary: find the allgs slice header in .bss, then allgptr
 * (a .bss word equal to its array pointer) and allglen (a .noptrbss word
 * equal to its length) when each is unique. Returns 0 or -1. */
static int scan_allgs(struct golang *g)
{
	if (!g->bss.size || g->bss.size > (64u << 20))
		return -1;
	size_t nw = g->bss.size / 8;
	uint64_t *w = xmalloc(nw * 8);
	if (rmem_read(g->pid, g->bss.va + g->bias, w, nw * 8) < 0) {
		free(w);
		return -1;
	}
	int best = -1;
	size_t at = 0;
	for (size_t i = 0; i + 2 < nw; i++) {
		uint64_t p = w[i], n = w[i + 1], c = w[i + 2];
		if (!p || (p & 7) || n == 0 || n > c || c > MAX_ALLGLEN)
			continue;
		const struct mapping *m = procmap_find(g->pm, p);
		if (!m || !m->r || !m->w || m->x || p + n * 8 > m->end)
			continue;
		int s = score_allgs(g, p, n);
		if (s > best) {
			best = s;
			at = i;
		}
	}
	if (best < 0) {
		free(w);
		return -1;
	}
	g->allgs = g->bss.va + g->bias + at * 8;
	uint64_t ptr = w[at], len = w[at + 1];
	int nptr = 0;
	uint64_t cand = 0;
	for (size_t i = 0; i < nw; i++) {
		if (w[i] == ptr && i != at) {
			nptr++;
			cand = g->bss.va + g->bias + i * 8;
		}
	}
	free(w);
	if (nptr != 1 || !g->noptrbss.size || g->noptrbss.size > (64u << 20))
		return 0;
	nw = g->noptrbss.size / 8;
	w = xmalloc(nw * 8);
	int nlen = 0;
	uint64_t lcand = 0;
	if (rmem_read(g->pid, g->noptrbss.va + g->bias, w, nw * 8) == 0) {
		for (size_t i = 0; i < nw; i++) {
			if (w[i] == len) {
				nlen++;
				lcand = g->noptrbss.va + g->bias + i * 8;
			}
		}
	}
	free(w);
	if (nlen == 1) {
		g->allgptr = cand;
		g->allglen = lcand;
	}
	return 0;
}

/* The g pointers: allglen first, then allgptr (the runtime publishes
 * allgptr before allglen), else the allgs slice read twice around the
 * array with the same array pointer. *out is malloc'd. Returns the count
 * or -errno. */
static int64_t read_allgs(struct golang *g, uint64_t **out)
{
	*out = NULL;
	for (int attempt = 0; attempt < 4; attempt++) {
		uint64_t hdr[3], len, ptr;
		int rc;
		if (g->allglen && g->allgptr) {
			struct iovec l[2] = { { &hdr[0], 8 }, { &hdr[1], 8 } };
			struct iovec r[2] = { { (void *)(uintptr_t)g->allglen, 8 }, { (void *)(uintptr_t)g->allgptr, 8 } };
			ssize_t n = process_vm_readv(g->pid, l, 2, r, 2, 0);
			if (n != 16)
				return n < 0 ? -errno : -EFAULT;
			len = hdr[0];
			ptr = hdr[1];
		} else {
			if ((rc = rmem_read(g->pid, g->allgs, hdr, 24)) < 0)
				return rc;
			ptr = hdr[0];
			len = hdr[1];
			if (len > hdr[2])
				continue;               /* torn read of a growing slice */
		}
		if (len == 0)
			return 0;
		if (!ptr || len > MAX_ALLGLEN)
			return -EINVAL;
		uint64_t *a = xmalloc(len * 8);
		if ((rc = rmem_read(g->pid, ptr, a, len * 8)) < 0) {
			free(a);
			if (rc == -EFAULT)
				continue;               /* the array moved (append) */
			return rc;
		}
		if (!(g->allglen && g->allgptr)) {
			uint64_t again[3];
			if ((rc = rmem_read(g->pid, g->allgs, again, 24)) < 0) {
				free(a);
				return rc;
			}
			if (again[0] != ptr) {
				free(a);
				continue;
			}
		}
		*out = a;
		return (int64_t)len;
	}
	return -EAGAIN;
}

/* ---- PCs: names, frame sizes ------------------------------------------- */

/* Name of the function at (target) pc: lookup is pc itself for an entry
 * PC, pc - 1 for a return address. */
static const char *pc_name(struct golang *g, uint64_t pc, bool entry, const struct mapping **mout,
			   char *buf, size_t n)
{
	const struct mapping *m = procmap_find(g->pm, pc);
	*mout = m;
	if (!m || !m->x)
		return NULL;
	if (m->mod) {
		uint64_t off;
		symbols_load(m->mod, NULL);
		const char *fn = symbols_func(m->mod, pc - m->bias - (entry ? 0 : 1), &off);
		if (fn)
			return fn;
		snprintf(buf, n, "%s+0x%llx", m->mod->name, (unsigned long long)(pc - m->bias));
		return buf;
	}
	snprintf(buf, n, "0x%llx", (unsigned long long)pc);
	return buf;
}

static const struct pc_ent *pc_info(struct golang *g, uint64_t pc, bool entry)
{
	uint64_t key = pc << 1 | entry;
	uint32_t i;
	if (u64map_find(&g->pc_index, key, &i))
		return &g->pcs[i];
	if (g->npcs == UINT32_MAX)
		fatal("more than %zu PCs", g->npcs);
	ARRAY_GROW(g->pcs, g->npcs, g->pcs_cap, 4096);
	struct pc_ent *e = &g->pcs[g->npcs];
	u64map_put(&g->pc_index, key, (uint32_t)g->npcs++);
	memset(e, 0, sizeof(*e));
	e->func = -1;
	char buf[128];
	const struct mapping *m;
	const char *name = pc_name(g, pc, entry, &m, buf, sizeof(buf));
	e->text = m && m->x;
	if (name) {
		e->func = intern_add(&g->funcs, name);
		e->goexit = frame_is_goexit(name);
	}
	if (m && m->mod) {
		int64_t d;
		if (symbols_go_spdelta(m->mod, pc - m->bias - (entry ? 0 : 1), &d) == 0 && d >= 0) {
			e->delta = d;
			e->has_delta = true;
		}
	}
	return e;
}

static bool start_is_system(struct golang *g, uint64_t pc)
{
	if (!pc)
		return false;
	uint32_t sys;
	if (u64map_find(&g->starts, pc, &sys))
		return sys;
	char buf[128];
	const struct mapping *m;
	const char *n = pc_name(g, pc, true, &m, buf, sizeof(buf));
	/* The finalizer goroutine is counted as system by NumGoroutine
	 * (sched.ngsys) too. */
	sys = frame_is_go_system_start(n);
	u64map_put(&g->starts, pc, sys);
	return sys;
}

/* ---- open ------------------------------------------------------------- */

/* The layout from the Go module's DWARF. libdw decompresses sections in
 * place, so it gets its own private copy-on-write mapping of the file
 * (the module's image is read-only and shared with the symbolizer),
 * opened as maps.c does: map_files, else the target's root. */
static int layout_dwarf(struct golang *g, struct go_layout *l, char *err, size_t errlen)
{
	int fd = -1;
	for (int i = 0; i < g->pm->nmaps && fd < 0; i++) {
		const struct mapping *m = &g->pm->maps[i];
		if (m->mod != g->mod)
			continue;
		char p[4200];
		snprintf(p, sizeof(p), "map_files/%llx-%llx", (unsigned long long)m->start,
			 (unsigned long long)m->end);
		fd = openat(g->piddir, p, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(p, sizeof(p), "root%s", m->path);
			fd = openat(g->piddir, p, O_RDONLY | O_CLOEXEC);
		}
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the executable for its DWARF: %s", strerror(errno));
		return -1;
	}
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP_PRIVATE, NULL);
	int rc = -1;
	if (!e)
		snprintf(err, errlen, "cannot read the executable's ELF: %s", elf_errmsg(-1));
	else
		rc = go_layout_from_dwarf(e, l, err, errlen);
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

struct golang *golang_open(int pid, int piddir, char *err, size_t errlen)
{
	struct golang *g = xcalloc(1, sizeof(*g));
	g->pid = pid;
	g->piddir = piddir;
	rmem_init(&g->rm, pid);
	g->pm = procmap_read(pid, piddir);
	if (!g->pm) {
		snprintf(err, errlen, "cannot read /proc/%d/maps: %s", pid, strerror(errno));
		goto fail;
	}
	for (int i = 0; i < g->pm->nmaps && !g->mod; i++) {
		const struct mapping *m = &g->pm->maps[i];
		if (m->mod && m->mod->elf && (elf_section_find(m->mod->elf, ".gopclntab", NULL) ||
					      elf_section_find(m->mod->elf, ".go.buildinfo", NULL))) {
			g->mod = m->mod;
			g->bias = m->bias;
		}
	}
	if (!g->mod) {
		snprintf(err, errlen, "no Go module is mapped in process %d", pid);
		goto fail;
	}
	struct sect bi = { 0, 0 };
	sections(g, &bi);
	read_version(g, &bi);
	int minor = 0;
	bool vok = go_version_minor(g->version, &minor) == 0;

	char derr[256] = "";
	const char *force = getenv("CDTOP_GO_LAYOUT");
	bool table_only = force && strcmp(force, "table") == 0;
	if (table_only || layout_dwarf(g, &g->lay, derr, sizeof(derr)) < 0) {
		if (!vok) {
			snprintf(err, errlen, "unknown Go version (%s) and %s: goroutine structures cannot be "
				 "located", g->version[0] ? g->version : "no .go.buildinfo",
				 table_only ? "CDTOP_GO_LAYOUT=table" : derr);
			goto fail;
		}
		if (go_layout_from_table(minor, &g->lay) < 0) {
			snprintf(err, errlen, "%s is outside the layout table (%s) and %s: the goroutine "
				 "layout is unknown, not guessed", g->version, go_layout_table_range(),
				 table_only ? "CDTOP_GO_LAYOUT=table" : derr);
			goto fail;
		}
	}

	struct go_layout tl;
	if (strcmp(g->lay.source, "dwarf") == 0 && vok && go_layout_from_table(minor, &tl) == 0) {
		const char *diff = go_layout_diff(&g->lay, &tl);
		if (diff)
			snprintf(g->note, sizeof(g->note), "the layout %s for %s differs from the binary's DWARF "
				 "at %s (DWARF used)", tl.source, g->version, diff);
	}

	uint64_t wrs = 0, wrs_size = 0;
	symtab_globals(g, &wrs, &wrs_size);
	if (!wrs)
		wrs = scan_reasons(g);
	if (wrs)
		load_reasons(g, wrs, wrs_size / 16);
	if (!g->allgs && scan_allgs(g) < 0) {
		snprintf(err, errlen, "runtime.allgs not found in %s (%s, %s layout)", g->mod->name,
			 g->version[0] ? g->version : "unknown Go version", g->lay.source);
		goto fail;
	}
	/* Check the layout on the first goroutines before trusting it. */
	uint64_t *ptrs;
	int64_t n = read_allgs(g, &ptrs);
	if (n < 0) {
		snprintf(err, errlen, "cannot read runtime.allgs of process %d: %s", pid, strerror((int)-n));
		goto fail;
	}
	uint64_t hdr[3];
	if (n > 0 && rmem_read(pid, g->allgs, hdr, 24) == 0 && score_allgs(g, hdr[0], hdr[1]) < 0 &&
	    score_allgs(g, hdr[0], hdr[1]) < 0) {
		free(ptrs);
		snprintf(err, errlen, "the goroutines of %s do not match the %s layout of runtime.g: "
			 "not read", g->version[0] ? g->version : "this Go version", g->lay.source);
		goto fail;
	}
	free(ptrs);
	g->gbuf = xmalloc((size_t)G_CHUNK * g->lay.read_len);
	return g;
fail:
	golang_free(g);
	return NULL;
}

const char *golang_version(const struct golang *g)
{
	return g->version;
}

const char *golang_layout_source(const struct golang *g)
{
	return g->lay.source;
}

const char *golang_note(const struct golang *g)
{
	return g->note[0] ? g->note : NULL;
}

/* ---- read ------------------------------------------------------------- */

struct frame_vec {
	int *v;
	int n, cap;
};

static void fv_push(struct frame_vec *f, int x)
{
	ARRAY_GROW(f->v, f->n, f->cap, 4096);
	f->v[f->n++] = x;
}

/* Where a goroutine's stack walk starts. */
struct walk_start {
	uint64_t pc, sp, bp, lo, hi;
	bool entry;                     /* pc is a function entry (never ran) */
};

/* 8 bytes of the stack at addr: from the copy when it covers it, else a
 * read of the target. */
static bool stack_word(int pid, const uint8_t *copy, uint64_t base, size_t len, uint64_t addr, uint64_t *v)
{
	if (addr >= base && addr + 8 <= base + len) {
		memcpy(v, copy + (addr - base), 8);
		return true;
	}
	return rmem_read(pid, addr, v, 8) == 0;
}

/* Unwind one goroutine from the copy of [base, base+len) of its stack. */
static void walk(struct golang *g, const struct walk_start *w, const uint8_t *copy, uint64_t base,
		 size_t len, struct frame_vec *fv, int *nframes)
{
	uint64_t pc = w->pc, sp = w->sp, bp = w->bp;
	bool entry = w->entry;
	int n = 0;
	while (n < MAX_FRAMES) {
		const struct pc_ent *e = pc_info(g, pc, entry);
		if (!e->text || e->goexit)
			break;
		fv_push(fv, e->func);
		n++;
		uint64_t ra, nsp, nbp = bp;
		if (e->has_delta) {
			/* Go's own traceback: the frame size at pc from pcsp. */
			uint64_t at = sp + (uint64_t)e->delta;
			if (at < sp || at + 8 > w->hi || !stack_word(g->pid, copy, base, len, at, &ra))
				break;
			nsp = at + 8;
			uint64_t saved;
			if (e->delta >= 8 && stack_word(g->pid, copy, base, len, at - 8, &saved))
				nbp = saved;
		} else {
			/* No pcsp entry: follow the frame pointer. */
			if (bp < sp || bp + 16 > w->hi || (bp & 7) || !stack_word(g->pid, copy, base, len, bp + 8, &ra) ||
			    !stack_word(g->pid, copy, base, len, bp, &nbp))
				break;
			nsp = bp + 16;
		}
		if (!ra || nsp <= sp || nsp > w->hi)
			break;
		pc = ra;
		sp = nsp;
		bp = nbp;
		entry = false;
	}
	*nframes = n;
}

/* Fill the start of a walk from a g's bytes. Returns false when there is
 * nothing to unwind (running, or no saved state). */
static bool walk_start(const struct go_layout *l, const uint8_t *b, uint32_t st, uint64_t startpc,
		       struct walk_start *w)
{
	w->lo = rd64(b + l->stack_lo);
	w->hi = rd64(b + l->stack_hi);
	if (st == GO_RUNNING || st == GO_DEAD || st == GO_DEADEXTRA || st == GO_IDLE)
		return false;
	if (st == GO_SYSCALL) {
		w->pc = rd64(b + l->syscallpc);
		w->sp = rd64(b + l->syscallsp);
		w->bp = l->syscallbp >= 0 ? rd64(b + l->syscallbp) : 0;
	} else {
		w->pc = rd64(b + l->sched_pc);
		w->sp = rd64(b + l->sched_sp);
		w->bp = rd64(b + l->sched_bp);
	}
	w->entry = w->pc == startpc && st == GO_RUNNABLE;
	return w->pc && w->sp >= w->lo && w->sp < w->hi && w->hi - w->lo <= (1ULL << 30);
}

/* Hash of a stack copy (not cryptographic; never 0): four independent
 * lanes of 8-byte words, so the multiplies overlap. */
static uint64_t stack_hash(const uint8_t *p, size_t len)
{
	uint64_t h[4] = { 0x9e3779b97f4a7c15ULL ^ len, 0xc2b2ae3d27d4eb4fULL, 0x165667b19e3779f9ULL,
			  0x27d4eb2f165667c5ULL };
	size_t i = 0;
	for (; i + 32 <= len; i += 32) {
		for (int k = 0; k < 4; k++) {
			uint64_t w;
			memcpy(&w, p + i + 8 * k, 8);
			h[k] = (h[k] ^ w) * 0xff51afd7ed558ccdULL;
			h[k] ^= h[k] >> 29;
		}
	}
	uint64_t x = h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
	for (; i < len; i++)
		x = (x ^ p[i]) * 0x100000001b3ULL;
	return x | 1;
}

/* Fields of the g that say whether it ran since it was read. */
static bool same_g(const struct go_layout *l, const uint8_t *a, const uint8_t *b)
{
	return rd64(a + l->goid) == rd64(b + l->goid) && rd32(a + l->status) == rd32(b + l->status) &&
	       rd64(a + l->sched_sp) == rd64(b + l->sched_sp) && rd64(a + l->sched_pc) == rd64(b + l->sched_pc) &&
	       rd64(a + l->syscallsp) == rd64(b + l->syscallsp);
}

/* Copy and unwind the stacks of r->g[idx[0..n)], whose g bytes (as read)
 * are at gb + i * read_len for the i-th of idx. */
static void read_stacks(struct golang *g, struct go_read *r, const int *idx, int n, const uint8_t *gb,
			struct frame_vec *fv)
{
	const struct go_layout *l = &g->lay;
	size_t rl = l->read_len;
	struct walk_start *ws = rmem_scratch(&g->sws, &g->sws_cap, sizeof(*ws) * ((size_t)n + 1));
	uint8_t *again = rmem_scratch(&g->sagain, &g->sagain_cap, (size_t)n * rl + 1);
	const uint8_t **where = xmalloc(sizeof(*where) * ((size_t)n + 1));
	struct iovec *sr = xmalloc(sizeof(*sr) * ((size_t)n + 1));
	struct iovec *gl = xmalloc(sizeof(*gl) * ((size_t)n + 1)), *gr = xmalloc(sizeof(*gr) * ((size_t)n + 1));
	bool *sok = xcalloc((size_t)n + 1, sizeof(bool)), *gok = xcalloc((size_t)n + 1, sizeof(bool));
	int *slot = xmalloc(sizeof(int) * ((size_t)n + 1));
	int i = 0;
	while (i < n) {
		/* One round: as many stacks as fit in STACK_CHUNK_BYTES. */
		size_t total = 0;
		int j = i, k = 0;
		for (; j < n && total < STACK_CHUNK_BYTES; j++) {
			const struct go_g *gg = &r->g[idx[j]];
			slot[j] = -1;
			if (!walk_start(l, gb + (size_t)j * rl, gg->status, gg->startpc, &ws[j]))
				continue;
			uint64_t want = ws[j].hi - ws[j].sp;
			if (want > STACK_COPY_MAX)
				want = STACK_COPY_MAX;
			sr[k].iov_base = (void *)(uintptr_t)ws[j].sp;
			sr[k].iov_len = want;
			total += want;
			slot[j] = k++;
		}
		/* Stacks straight from the staging buffer, unwound at once: the
		 * next gather reuses that buffer. */
		if (rmem_gather(&g->rm, NULL, sr, k, sok, STACK_GATHER_GAP, where) < 0)
			memset(sok, 0, sizeof(bool) * (size_t)k);
		for (int x = i; x < j; x++) {
			struct go_g *gg = &r->g[idx[x]];
			int q = slot[x];
			if (q < 0 || !sok[q])
				continue;
			gg->frame0 = fv->n;
			walk(g, &ws[x], where[q], ws[x].sp, sr[q].iov_len, fv, &gg->nframes);
			gg->stack_hash = stack_hash(where[q], sr[q].iov_len);
		}
		/* The g structs again, to see which ran meanwhile. */
		for (int q = i; q < j; q++) {
			gr[q - i].iov_base = (void *)(uintptr_t)r->g[idx[q]].addr;
			gr[q - i].iov_len = gl[q - i].iov_len = rl;
			gl[q - i].iov_base = again + (size_t)q * rl;
		}
		if (rmem_gather(&g->rm, gl, gr, j - i, gok, GATHER_GAP, NULL) < 0)
			memset(gok, 0, sizeof(bool) * (size_t)(j - i));
		for (int x = i; x < j; x++)
			if (slot[x] >= 0)
				r->g[idx[x]].moved = !gok[x - i] ||
						     !same_g(l, gb + (size_t)x * rl, again + (size_t)x * rl);
		i = j;
	}
	/* Goroutines that ran while their stack was copied: once more, alone,
	 * from the state read the second time. */
	uint8_t *b2 = xmalloc(rl);
	for (int x = 0; x < n; x++) {
		struct go_g *gg = &r->g[idx[x]];
		if (!gg->moved)
			continue;
		const uint8_t *b = again + (size_t)x * rl;
		struct walk_start w;
		uint32_t st = rd32(b + l->status) & ~(uint32_t)GO_SCAN;
		bool done = false;
		if (st == gg->status && rd64(b + l->goid) == gg->goid && walk_start(l, b, st, gg->startpc, &w)) {
			size_t want = w.hi - w.sp > STACK_COPY_MAX ? STACK_COPY_MAX : w.hi - w.sp;
			uint8_t *copy = xmalloc(want);
			if (rmem_read(g->pid, w.sp, copy, want) == 0 && rmem_read(g->pid, gg->addr, b2, rl) == 0 &&
			    same_g(l, b, b2)) {
				gg->frame0 = fv->n;
				walk(g, &w, copy, w.sp, want, fv, &gg->nframes);
				gg->stack_hash = stack_hash(copy, want);
				done = true;
			}
			free(copy);
		}
		if (done)
			gg->moved = false;
		else
			r->moved++;
	}
	free(b2);
	free(slot);
	free(sok);
	free(gok);
	free(where);
	free(sr);
	free(gl);
	free(gr);
}

/* Thread ids of the Ms running goroutines, one read per distinct m. */
static void read_tids(struct golang *g, struct go_read *r, const uint64_t *ms)
{
	struct u64map tids = { 0 };     /* m -> its thread id, 0 unknown */
	for (int i = 0; i < r->ng; i++) {
		if (!ms[i])
			continue;
		uint32_t tid;
		if (!u64map_find(&tids, ms[i], &tid)) {
			uint64_t procid;
			tid = rmem_read(g->pid, ms[i] + g->lay.m_procid, &procid, 8) == 0 && procid > 0 &&
			      procid < (1u << 30) ? (uint32_t)procid : 0;
			u64map_put(&tids, ms[i], tid);
		}
		r->g[i].tid = tid ? (int)tid : -1;
	}
	u64map_fini(&tids);
}

int golang_read(struct golang *g, bool stacks, struct go_read *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	double t0 = now_mono();
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	r->now_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	r->t = t0;
	const struct go_layout *l = &g->lay;

	uint64_t *ptrs;
	int64_t n = read_allgs(g, &ptrs);
	if (n < 0) {
		snprintf(err, errlen, "cannot read runtime.allgs: %s", strerror((int)-n));
		return -1;
	}
	r->allglen = n;
	r->g = xcalloc((size_t)n + 1, sizeof(*r->g));
	uint64_t *ms = xcalloc((size_t)n + 1, sizeof(*ms));
	int *sidx = stacks ? xmalloc(sizeof(int) * (size_t)(n + 1)) : NULL;
	uint8_t *sbuf = stacks ? xmalloc((size_t)G_CHUNK * l->read_len) : NULL;
	struct frame_vec fv = { 0 };
	iov_reserve(g, G_CHUNK);
	for (int64_t base = 0; base < n; base += G_CHUNK) {
		int cnt = (int)(n - base < G_CHUNK ? n - base : G_CHUNK), k = 0;
		int map[G_CHUNK];
		for (int i = 0; i < cnt; i++) {
			uint64_t p = ptrs[base + i];
			if (!p || (p & 7))
				continue;
			g->riov[k].iov_base = (void *)(uintptr_t)p;
			g->riov[k].iov_len = l->read_len;
			g->liov[k].iov_base = g->gbuf + (size_t)k * l->read_len;
			g->liov[k].iov_len = l->read_len;
			map[k++] = i;
		}
		int rc = rmem_gather(&g->rm, g->liov, g->riov, k, g->iov_ok, GATHER_GAP, NULL);
		if (rc < 0) {
			snprintf(err, errlen, "cannot read the goroutines: %s", strerror(-rc));
			free(ptrs);
			free(ms);
			free(sidx);
			free(sbuf);
			free(fv.v);
			go_read_fini(r);
			return -1;
		}
		int ns = 0;
		for (int q = 0; q < k; q++) {
			const uint8_t *b = g->gbuf + (size_t)q * l->read_len;
			if (!g->iov_ok[q] || !g_plausible(l, b, false))
				continue;       /* freed meanwhile, or not a g: skipped */
			uint32_t st = rd32(b + l->status) & ~(uint32_t)GO_SCAN;
			if (st == GO_DEAD || st == GO_DEADEXTRA || st == GO_IDLE || st == GO_MORIBUND ||
			    st == GO_ENQUEUE)
				continue;
			struct go_g *gg = &r->g[r->ng];
			gg->addr = ptrs[base + map[q]];
			gg->goid = rd64(b + l->goid);
			gg->status = st;
			gg->waitreason = b[l->waitreason];
			gg->waitsince = (int64_t)rd64(b + l->waitsince);
			gg->sched_pc = rd64(b + (st == GO_SYSCALL ? l->syscallpc : l->sched_pc));
			gg->sched_sp = rd64(b + (st == GO_SYSCALL ? l->syscallsp : l->sched_sp));
			gg->startpc = rd64(b + l->startpc);
			gg->system = start_is_system(g, gg->startpc);
			gg->tid = -1;
			if (st == GO_RUNNING || st == GO_SYSCALL)
				ms[r->ng] = rd64(b + l->m);
			if (stacks && !gg->system && st != GO_RUNNING) {
				memcpy(sbuf + (size_t)ns * l->read_len, b, l->read_len);
				sidx[ns++] = r->ng;
			}
			r->ng++;
		}
		if (stacks && ns)
			read_stacks(g, r, sidx, ns, sbuf, &fv);
		iov_reserve(g, G_CHUNK);
	}
	free(ptrs);
	read_tids(g, r, ms);
	free(ms);
	free(sidx);
	free(sbuf);
	/* g structs allocated while we read. */
	uint64_t *after;
	int64_t n2 = read_allgs(g, &after);
	if (n2 >= 0) {
		r->created = n2 > n ? n2 - n : 0;
		free(after);
	}
	r->stacks = stacks;
	r->frames = fv.v;
	r->nframes = fv.n;
	r->funcs = xcalloc((size_t)g->funcs.n + 1, sizeof(char *));
	for (int i = 0; i < g->funcs.n; i++)
		r->funcs[i] = xstrdup(intern_at(&g->funcs, i));
	r->nfuncs = g->funcs.n;
	r->reasons = xcalloc((size_t)g->nreasons + 1, sizeof(char *));
	for (int i = 0; i < g->nreasons; i++)
		r->reasons[i] = xstrdup(g->reasons[i]);
	r->nreasons = g->nreasons;
	r->read_ms = (now_mono() - t0) * 1000.0;
	return 0;
}

void golang_free(struct golang *g)
{
	if (!g)
		return;
	procmap_free(g->pm);
	for (int i = 0; i < g->nreasons; i++)
		free(g->reasons[i]);
	free(g->reasons);
	intern_fini(&g->funcs);
	free(g->pcs);
	u64map_fini(&g->pc_index);
	u64map_fini(&g->starts);
	free(g->gbuf);
	rmem_fini(&g->rm);
	free(g->sws);
	free(g->sagain);
	free(g->liov);
	free(g->riov);
	free(g->iov_ok);
	free(g);
}
