/*
 * unwind.c - libunwind remote unwinding from a copied stack.
 *
 * See unwind.h for the approach. The accessors never touch ptrace: the
 * thread has been detached before we unwind. Reads the copy does not
 * cover (deep frames) come from process_vm_readv of the live process,
 * which may have moved on; the frame checks stop a walk that goes wrong.
 */
#include "unwind.h"
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

struct unwinder {
	int pid;
	unw_addr_space_t as;
	struct procmap *pm;
	const struct stack_grab *g;     /* the grab being unwound */
};

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct unwinder *u = arg;
	const struct mapping *m = u->pm ? procmap_find(u->pm, ip) : NULL;
	if (!m || !m->mod || !m->mod->eh_frame_hdr_vaddr)
		return -UNW_ENOINFO;
	const struct module *mod = m->mod;
	uint8_t hdr[12];
	if (module_read_vaddr(mod, mod->eh_frame_hdr_vaddr, hdr, sizeof(hdr)) < 0)
		return -UNW_ENOINFO;
	/* version 1; eh_frame_ptr pcrel|sdata4; fde_count udata4;
	 * table datarel|sdata4: what every toolchain emits. */
	if (hdr[0] != 1 || hdr[2] != 0x03 || hdr[3] != 0x3b || (hdr[1] & 0x0f) != 0x0b)
		return -UNW_ENOINFO;
	uint32_t fde_count;
	memcpy(&fde_count, hdr + 8, 4);
	unw_dyn_info_t di;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = m->start;
	di.end_ip = m->end;
	di.u.rti.segbase = m->bias + mod->eh_frame_hdr_vaddr;
	di.u.rti.table_data = m->bias + mod->eh_frame_hdr_vaddr + 12;
	di.u.rti.table_len = fde_count * 8 / sizeof(unw_word_t);
	return dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
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
	const struct mapping *m = u->pm ? procmap_find(u->pm, addr) : NULL;
	if (m && m->mod && !m->w &&
	    module_read_vaddr(m->mod, addr - m->bias, valp, sizeof(*valp)) == 0)
		return 0;
	struct iovec l = {valp, sizeof(*valp)}, r = {(void *)(uintptr_t)addr, sizeof(*valp)};
	if (process_vm_readv(u->pid, &l, 1, &r, 1, 0) == (ssize_t)sizeof(*valp))
		return 0;
	return -UNW_EINVAL;
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
	if (u->pm != pm)
		unw_flush_cache(u->as, 0, 0);
	u->pm = pm;
}

static bool executable(const struct unwinder *u, uint64_t ip)
{
	const struct mapping *m = u->pm ? procmap_find(u->pm, ip) : NULL;
	return m && m->x;
}

int unwinder_unwind(struct unwinder *u, const struct stack_grab *g, uint64_t *ips, int max)
{
	unw_cursor_t c;
	int n = 0;
	u->g = g;
	if (max < 1)
		return 0;
	ips[n++] = g->regs.rip;
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
