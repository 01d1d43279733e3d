/*
 * unwind.c - libunwind remote unwinding from a copied stack.
 *
 * See unwind.h for the approach. The accessors never touch ptrace: the
 * thread has been detached before we unwind. Reads the copy does not
 * cover (deep frames) come from process_vm_readv of the live process,
 * which may have moved on; the frame checks stop a walk that goes wrong.
 */
#include "unwind.h"
#include "symbols.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <libunwind.h>

/* Exported by libunwind but not declared in its public headers. */
#define dwarf_search_unwind_table UNW_OBJ(dwarf_search_unwind_table)
extern int dwarf_search_unwind_table(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di,
				     unw_proc_info_t *pi, int need_unwind_info, void *arg);

/*
 * Modules without .eh_frame_hdr get a search table built here from their
 * .eh_frame: (initial location, FDE address) pairs relative to the
 * section's address, sorted, in the layout of .eh_frame_hdr's table.
 * libunwind reads tables through access_mem at target addresses, so each
 * table is given an address in the non-canonical hole above user space,
 * which no real mapping can have, and access_mem serves it from here.
 */
#define FAKE_BASE 0x0000900000000000ULL
#define FAKE_SLOT (1ULL << 32)
#define MAX_SYNTH 256

struct synth {
	int32_t *table;                 /* pairs */
	size_t count;
	uint64_t fake;                  /* its address for libunwind */
};

static struct synth *synths[MAX_SYNTH];
static int nsynth;

/* Read a DWARF pointer with encoding enc at *p (vaddr va of *p); advances p. */
static int read_encoded(const uint8_t **p, const uint8_t *end, uint8_t enc, uint64_t va, uint64_t *out)
{
	const uint8_t *q = *p;
	uint64_t v = 0;
	switch (enc & 0x0f) {
	case 0x00: if (end - q < 8) return -1; memcpy(&v, q, 8); q += 8; break;
	case 0x03: { uint32_t x; if (end - q < 4) return -1; memcpy(&x, q, 4); v = x; q += 4; break; }
	case 0x0b: { int32_t x; if (end - q < 4) return -1; memcpy(&x, q, 4); v = (uint64_t)(int64_t)x; q += 4; break; }
	case 0x02: { uint16_t x; if (end - q < 2) return -1; memcpy(&x, q, 2); v = x; q += 2; break; }
	case 0x0a: { int16_t x; if (end - q < 2) return -1; memcpy(&x, q, 2); v = (uint64_t)(int64_t)x; q += 2; break; }
	case 0x04: case 0x0c: if (end - q < 8) return -1; memcpy(&v, q, 8); q += 8; break;
	default: return -1;   /* uleb/sleb pointers: not used for FDE ranges in practice */
	}
	if ((enc & 0x70) == 0x10)
		v += va;
	else if ((enc & 0x70) != 0)
		return -1;
	*p = q;
	*out = v;
	return 0;
}

static uint64_t uleb(const uint8_t **p, const uint8_t *end)
{
	uint64_t v = 0;
	for (int sh = 0; *p < end && sh < 64; sh += 7) {
		uint8_t b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80))
			break;
	}
	return v;
}

/* FDE pointer encoding from a CIE's augmentation, or -1. */
static int cie_fde_encoding(const uint8_t *cie, const uint8_t *end)
{
	const uint8_t *p = cie;
	uint8_t version = *p++;
	const char *aug = (const char *)p;
	size_t al = strnlen(aug, (size_t)(end - p));
	p += al + 1;
	if (p >= end || aug[0] != 'z')
		return aug[0] == '\0' ? 0x00 : -1;
	uleb(&p, end);                 /* code alignment */
	uleb(&p, end);                 /* data alignment (sleb, skipped the same way) */
	if (version == 1)
		p++;
	else
		uleb(&p, end);
	uleb(&p, end);                 /* augmentation length */
	for (const char *a = aug + 1; *a && p < end; a++) {
		if (*a == 'R')
			return *p;
		if (*a == 'P') {
			uint8_t penc = *p++;
			uint64_t dummy;
			if (read_encoded(&p, end, penc & 0x7f, 0, &dummy) < 0)
				return -1;
		} else if (*a == 'L') {
			p++;
		} else if (*a != 'S' && *a != 'B') {
			return -1;
		}
	}
	return 0x00;
}

static int cmp_pair(const void *a, const void *b)
{
	const int32_t *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Build (once) the search table of mod from its .eh_frame. */
static struct synth *synth_table(struct module *mod)
{
	if (mod->synth_tried)
		return mod->synth;
	mod->synth_tried = true;
	if (!mod->eh_frame_vaddr || !mod->eh_frame_size || nsynth >= MAX_SYNTH)
		return NULL;
	uint8_t *sec = xmalloc(mod->eh_frame_size);
	if (module_read_vaddr(mod, mod->eh_frame_vaddr, sec, mod->eh_frame_size) < 0) {
		free(sec);
		return NULL;
	}
	const uint8_t *p = sec, *end = sec + mod->eh_frame_size;
	size_t cap = 1024, n = 0;
	int32_t *tab = xmalloc(cap * 2 * sizeof(int32_t));
	while (end - p >= 4) {
		uint32_t len32;
		memcpy(&len32, p, 4);
		if (len32 == 0)
			break;                  /* terminator */
		if (len32 == 0xffffffff || len32 > (size_t)(end - p - 4))
			break;                  /* 64-bit DWARF: not emitted for x86_64 */
		const uint8_t *rec = p + 4, *rend = rec + len32;
		uint32_t id;
		memcpy(&id, rec, 4);
		if (id != 0 && id <= (size_t)(rec - sec)) {
			const uint8_t *cie = rec - id;          /* CIE pointer is relative */
			uint32_t cielen;
			memcpy(&cielen, cie, 4);
			int enc = cie_fde_encoding(cie + 8, cie + 4 + cielen);
			const uint8_t *q = rec + 4;
			uint64_t start;
			uint64_t va = mod->eh_frame_vaddr + (uint64_t)(q - sec);
			if (enc >= 0 && read_encoded(&q, rend, (uint8_t)enc, va, &start) == 0 && start) {
				tab = array_grow(tab, 2 * sizeof(int32_t), n + 1, &cap, 1024);
				tab[2 * n] = (int32_t)(int64_t)(start - mod->eh_frame_vaddr);
				tab[2 * n + 1] = (int32_t)(int64_t)(p - sec);
				n++;
			}
		}
		p = rend;
	}
	free(sec);
	if (!n) {
		free(tab);
		return NULL;
	}
	qsort(tab, n, 2 * sizeof(int32_t), cmp_pair);
	struct synth *sy = xcalloc(1, sizeof(*sy));
	sy->table = tab;
	sy->count = n;
	sy->fake = FAKE_BASE + (uint64_t)nsynth * FAKE_SLOT;
	synths[nsynth++] = sy;
	mod->synth = sy;
	return sy;
}

/* Serve a read of a synthesized table. */
static bool synth_read(uint64_t addr, unw_word_t *valp)
{
	if (addr < FAKE_BASE || addr >= FAKE_BASE + (uint64_t)nsynth * FAKE_SLOT)
		return false;
	const struct synth *sy = synths[(addr - FAKE_BASE) / FAKE_SLOT];
	uint64_t off = addr - sy->fake;
	if (off + sizeof(*valp) > sy->count * 2 * sizeof(int32_t))
		return false;
	memcpy(valp, (const uint8_t *)sy->table + off, sizeof(*valp));
	return true;
}

#define RO_CACHE 1024                   /* words of read-only target memory kept */

struct unwinder {
	int pid;
	unw_addr_space_t as;
	struct procmap *pm;
	const struct stack_grab *g;     /* the grab being unwound */
	/* Words read from read-only mappings that the module file cannot
	 * give (relocated RELRO: GOT entries the CFI points to). They do not
	 * change while the map does not, and every thread asks for the same
	 * ones. Direct-mapped; addr 0 = empty; cleared with the map. */
	struct { uint64_t addr, val; } ro[RO_CACHE];
};

static bool executable(const struct unwinder *u, uint64_t ip)
{
	const struct mapping *m = u->pm ? procmap_find(u->pm, ip) : NULL;
	return m && m->x;
}

/* Look ip up in a binary-search table of `count` (initial location, FDE)
 * pairs at table (an address libunwind reads through our accessors), for
 * mapping m whose .eh_frame_hdr (or synthesized header) is at segbase. */
static int search_table(unw_addr_space_t as, unw_word_t ip, const struct mapping *m, uint64_t segbase,
			uint64_t table, uint64_t count, unw_proc_info_t *pi, int need_unwind_info, void *arg)
{
	unw_dyn_info_t di;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = m->start;
	di.end_ip = m->end;
	di.u.rti.segbase = segbase;
	di.u.rti.table_data = table;
	di.u.rti.table_len = count * 8 / sizeof(unw_word_t);
	return dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct unwinder *u = arg;
	const struct mapping *m = u->pm ? procmap_find(u->pm, ip) : NULL;
	if (!m || !m->mod)
		return -UNW_ENOINFO;
	struct module *mod = m->mod;
	if (!mod->eh_frame_hdr_vaddr) {
		struct synth *sy = synth_table(mod);
		if (!sy)
			return -UNW_ENOINFO;
		return search_table(as, ip, m, m->bias + mod->eh_frame_vaddr, sy->fake, sy->count, pi,
				    need_unwind_info, arg);
	}
	uint8_t hdr[12];
	if (module_read_vaddr(mod, mod->eh_frame_hdr_vaddr, hdr, sizeof(hdr)) < 0)
		return -UNW_ENOINFO;
	/* version 1; eh_frame_ptr pcrel|sdata4; fde_count udata4;
	 * table datarel|sdata4: what every toolchain emits. */
	if (hdr[0] != 1 || hdr[2] != 0x03 || hdr[3] != 0x3b || (hdr[1] & 0x0f) != 0x0b)
		return -UNW_ENOINFO;
	uint32_t fde_count;
	memcpy(&fde_count, hdr + 8, 4);
	return search_table(as, ip, m, m->bias + mod->eh_frame_hdr_vaddr,
			    m->bias + mod->eh_frame_hdr_vaddr + 12, fde_count, pi, need_unwind_info, arg);
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	(void)as;
	(void)pi;
	(void)arg;
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil, void *arg)
{
	(void)as;
	(void)dil;
	(void)arg;
	return -UNW_ENOINFO;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp, int write, void *arg)
{
	(void)as;
	struct unwinder *u = arg;
	const struct stack_grab *g = u->g;
	if (write)
		return -UNW_EINVAL;
	if (g && addr >= g->sp && addr + sizeof(*valp) <= g->sp + g->stack_len) {
		memcpy(valp, g->stack + (addr - g->sp), sizeof(*valp));
		return 0;
	}
	if (synth_read(addr, valp))
		return 0;
	const struct mapping *m = u->pm ? procmap_find(u->pm, addr) : NULL;
	if (m && m->mod && !m->w &&
	    module_read_vaddr(m->mod, addr - m->bias, valp, sizeof(*valp)) == 0)
		return 0;
	size_t slot = (size_t)(hash64(addr) % RO_CACHE);
	bool ro = m && !m->w;
	if (ro && u->ro[slot].addr == addr) {
		*valp = u->ro[slot].val;
		return 0;
	}
	struct iovec l = {valp, sizeof(*valp)}, r = {(void *)(uintptr_t)addr, sizeof(*valp)};
	if (process_vm_readv(u->pid, &l, 1, &r, 1, 0) != (ssize_t)sizeof(*valp))
		return -UNW_EINVAL;
	if (ro) {
		u->ro[slot].addr = addr;
		u->ro[slot].val = *valp;
	}
	return 0;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *valp, int write, void *arg)
{
	(void)as;
	struct unwinder *u = arg;
	const struct user_regs_struct *r = &u->g->regs;
	if (write)
		return -UNW_EINVAL;
	switch (reg) {
	case UNW_X86_64_RAX: *valp = r->rax; break;
	case UNW_X86_64_RDX: *valp = r->rdx; break;
	case UNW_X86_64_RCX: *valp = r->rcx; break;
	case UNW_X86_64_RBX: *valp = r->rbx; break;
	case UNW_X86_64_RSI: *valp = r->rsi; break;
	case UNW_X86_64_RDI: *valp = r->rdi; break;
	case UNW_X86_64_RBP: *valp = r->rbp; break;
	case UNW_X86_64_RSP: *valp = r->rsp; break;
	case UNW_X86_64_R8: *valp = r->r8; break;
	case UNW_X86_64_R9: *valp = r->r9; break;
	case UNW_X86_64_R10: *valp = r->r10; break;
	case UNW_X86_64_R11: *valp = r->r11; break;
	case UNW_X86_64_R12: *valp = r->r12; break;
	case UNW_X86_64_R13: *valp = r->r13; break;
	case UNW_X86_64_R14: *valp = r->r14; break;
	case UNW_X86_64_R15: *valp = r->r15; break;
	case UNW_X86_64_RIP: *valp = r->rip; break;
	default: return -UNW_EBADREG;
	}
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
	(void)as; (void)reg; (void)val; (void)write; (void)arg;
	return -UNW_EINVAL;
}

static int resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as; (void)c; (void)arg;
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			 unw_word_t *offp, void *arg)
{
	(void)as; (void)addr; (void)buf; (void)len; (void)offp; (void)arg;
	return -UNW_EINVAL;
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

struct unwinder *unwinder_new(int pid)
{
	struct unwinder *u = xcalloc(1, sizeof(*u));
	u->pid = pid;
	u->as = unw_create_addr_space(&accessors, 0);
	if (!u->as)
		fatal("libunwind: cannot create an address space");
	unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
	unw_set_cache_size(u->as, 4096, 0);
	return u;
}

void unwinder_set_map(struct unwinder *u, struct procmap *pm)
{
	if (u->pm != pm) {
		unw_flush_cache(u->as, 0, 0);
		memset(u->ro, 0, sizeof(u->ro));
	}
	u->pm = pm;
}

/*
 * Go code has no .eh_frame, and leaf functions with small frames have no
 * frame pointer, so the frame-pointer walk loses their caller. Go's own
 * traceback uses the pcsp table of .gopclntab instead: the frame size at
 * each PC. We do the same while the frames are Go functions. Returns the
 * number of frames added.
 */
static int go_walk(struct unwinder *u, uint64_t *ips, int n, int max)
{
	uint64_t pc = ips[n - 1], sp = u->g->regs.rsp;
	int added = 0;
	while (n + added < max) {
		const struct mapping *m = u->pm ? procmap_find(u->pm, pc) : NULL;
		int64_t delta;
		if (!m || !m->mod || symbols_go_spdelta(m->mod, pc - m->bias, &delta) < 0)
			break;
		unw_word_t ra;
		if (access_mem(u->as, sp + (uint64_t)delta, &ra, 0, u) < 0 || ra == 0 || !executable(u, ra))
			break;
		sp += (uint64_t)delta + 8;
		pc = ra;
		ips[n + added++] = pc;
	}
	return added;
}

int unwinder_unwind(struct unwinder *u, const struct stack_grab *g, uint64_t *ips, int max)
{
	unw_cursor_t c;
	int n = 0;
	u->g = g;
	if (max < 1)
		return 0;
	ips[n++] = g->regs.rip;
	{
		const struct mapping *m0 = u->pm ? procmap_find(u->pm, g->regs.rip) : NULL;
		int64_t d;
		if (m0 && m0->mod && !m0->mod->eh_frame_hdr_vaddr && !m0->mod->eh_frame_vaddr &&
		    symbols_go_spdelta(m0->mod, g->regs.rip - m0->bias, &d) == 0) {
			n += go_walk(u, ips, n, max);
			goto out;
		}
	}
	if (unw_init_remote(&c, u->as, u) < 0)
		goto out;
	unw_word_t sp = g->regs.rsp;
	while (n < max) {
		if (unw_step(&c) <= 0)
			break;
		unw_word_t ip, nsp;
		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0 || unw_get_reg(&c, UNW_REG_SP, &nsp) < 0)
			break;
		if (ip == 0 || !executable(u, ip) || nsp <= sp)
			break;
		ips[n++] = ip;
		sp = nsp;
	}
out:
	u->g = NULL;
	return n;
}

void unwinder_free(struct unwinder *u)
{
	if (!u)
		return;
	unw_destroy_addr_space(u->as);
	free(u);
}
