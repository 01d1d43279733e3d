/*
 * golang_layout.c - where the fields of runtime.g and runtime.m sit, for
 * the goroutine reader (golang.c).
 *
 * Two sources. The binary's DWARF, when it has some: the structure types
 * runtime.g, runtime.m, runtime.gobuf and runtime.stack give exact member
 * offsets; member types are typedefs or wrapper structs (atomic.Uint32 in
 * Go 1.20+) and are peeled down to check their sizes. A stripped binary
 * (-ldflags=-s -w) has no DWARF, so the offsets come from a table per Go
 * version, worked out from runtime/runtime2.go of each release (x86_64:
 * pointers and uintptr are 8 bytes, Go's alignment rules):
 *
 *   Go 1.19-1.20  gobuf {sp pc g ctxt ret lr bp}; atomicstatus @144,
 *                 goid @152, waitsince @168, waitreason @176,
 *                 gopc @296, startpc @312; m.procid @72
 *   Go 1.21-1.22  parentGoid added before gopc: gopc @280, startpc @296
 *   Go 1.23-1.24  g.syscallbp added after syscallpc: everything from
 *                 stktopsp on moves by 8 (atomicstatus @152, goid @160,
 *                 waitsince @176, waitreason @184, gopc @288, startpc
 *                 @304); Go 1.24's fipsIndicator fits in padding
 *   Go 1.25-1.27  gobuf loses `ret` (48 bytes): sched.bp @96, syscallsp
 *                 @104, atomicstatus @144, goid @152, waitsince @168,
 *                 waitreason @176, gopc @280, startpc @296; m.procid @64
 *                 (the development tree after Go 1.27's API freeze has
 *                 the same prefix)
 *
 * The test suite checks the table against DWARF for the installed Go;
 * Go 1.21 to 1.24 toolchains were checked the same way when the table
 * was written. A version outside the table is reported, never guessed.
 */
#include "golang.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include <elfutils/libdw.h>

int go_version_minor(const char *v, int *minor)
{
	const char *p = v ? strstr(v, "go1.") : NULL;
	if (!p)
		return -1;
	p += 4;
	if (*p < '0' || *p > '9')
		return -1;
	*minor = (int)strtol(p, NULL, 10);
	return 0;
}

/* One row of the table: the versions it covers and their offsets. */
struct layout_row {
	int from, to;                   /* Go 1.from .. 1.to */
	struct go_layout l;
};

#define ROW(FROM, TO, BP, SSP, SPC, SBP, ST, GOID, WS, WR, GOPC, START, PROCID) \
	{ FROM, TO, { .stack_lo = 0, .stack_hi = 8, .m = 48, .sched_sp = 56, .sched_pc = 64, \
		      .sched_bp = BP, .syscallsp = SSP, .syscallpc = SPC, .syscallbp = SBP, \
		      .status = ST, .goid = GOID, .waitsince = WS, .waitreason = WR, \
		      .gopc = GOPC, .startpc = START, .m_procid = PROCID } }

static const struct layout_row table[] = {
	ROW(19, 20, 104, 112, 120, -1, 144, 152, 168, 176, 296, 312, 72),
	ROW(21, 22, 104, 112, 120, -1, 144, 152, 168, 176, 280, 296, 72),
	ROW(23, 24, 104, 112, 120, 128, 152, 160, 176, 184, 288, 304, 72),
	ROW(25, 27, 96, 104, 112, 120, 144, 152, 168, 176, 280, 296, 64),
};

const char *go_layout_table_range(void)
{
	return "go1.19-go1.27";
}

/* End of the last field the reader uses. */
static void set_read_len(struct go_layout *l)
{
	uint32_t end = 0, f[] = { l->stack_hi + 8, l->m + 8, l->sched_sp + 8, l->sched_pc + 8,
				  l->sched_bp + 8, l->syscallsp + 8, l->syscallpc + 8, l->status + 4,
				  l->goid + 8, l->waitsince + 8, l->waitreason + 1, l->gopc + 8,
				  l->startpc + 8 };
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i] > end)
			end = f[i];
	if (l->syscallbp >= 0 && (uint32_t)l->syscallbp + 8 > end)
		end = (uint32_t)l->syscallbp + 8;
	l->read_len = (end + 7) & ~7u;
}

int go_layout_from_table(int minor, struct go_layout *l)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (minor >= table[i].from && minor <= table[i].to) {
			*l = table[i].l;
			snprintf(l->source, sizeof(l->source), "table go1.%d-go1.%d", table[i].from, table[i].to);
			set_read_len(l);
			return 0;
		}
	}
	return -1;
}

const char *go_layout_diff(const struct go_layout *a, const struct go_layout *b)
{
#define D(f, name) if (a->f != b->f) return name
	D(stack_lo, "g.stack.lo"); D(stack_hi, "g.stack.hi"); D(m, "g.m");
	D(sched_sp, "g.sched.sp"); D(sched_pc, "g.sched.pc"); D(sched_bp, "g.sched.bp");
	D(syscallsp, "g.syscallsp"); D(syscallpc, "g.syscallpc"); D(syscallbp, "g.syscallbp");
	D(status, "g.atomicstatus"); D(goid, "g.goid"); D(waitsince, "g.waitsince");
	D(waitreason, "g.waitreason"); D(gopc, "g.gopc"); D(startpc, "g.startpc");
	D(m_procid, "m.procid");
#undef D
	return NULL;
}

/* ---- DWARF ------------------------------------------------------------ */

/* The type of die with typedefs (and const/volatile) peeled off. */
static bool peeled_type(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, out))
		return false;
	for (int i = 0; i < 16; i++) {
		int tag = dwarf_tag(out);
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type)
			return true;
		if (!dwarf_attr_integrate(out, DW_AT_type, &a) || !dwarf_formref_die(&a, out))
			return false;
	}
	return false;
}

/* Member `name` of structure die: its offset and (peeled) type size.
 * Returns 0 or -1. */
static int member(Dwarf_Die *st, const char *name, uint32_t *off, int *size, Dwarf_Die *type)
{
	Dwarf_Die c;
	if (dwarf_child(st, &c) != 0)
		return -1;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		const char *n = dwarf_diename(&c);
		if (!n || strcmp(n, name) != 0)
			continue;
		Dwarf_Attribute a;
		Dwarf_Word w;
		if (!dwarf_attr_integrate(&c, DW_AT_data_member_location, &a) || dwarf_formudata(&a, &w) != 0)
			return -1;
		*off = (uint32_t)w;
		Dwarf_Die t, *tp = type ? type : &t;
		if (!peeled_type(&c, tp))
			return -1;
		if (size)
			*size = dwarf_bytesize(tp);
		return 0;
	} while (dwarf_siblingof(&c, &c) == 0);
	return -1;
}

/* Find the top-level structure types named in want[] (n of them). */
static void find_structs(Dwarf *dbg, const char *const *want, Dwarf_Die *found, bool *ok, int n)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	int left = n;
	while (left > 0 && dwarf_nextcu(dbg, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, c;
		if (dwarf_offdie(dbg, off + hsize, &cu) && dwarf_child(&cu, &c) == 0) {
			do {
				if (dwarf_tag(&c) != DW_TAG_structure_type)
					continue;
				const char *nm = dwarf_diename(&c);
				if (!nm || strncmp(nm, "runtime.", 8) != 0)
					continue;
				for (int i = 0; i < n; i++) {
					if (!ok[i] && strcmp(nm, want[i]) == 0) {
						found[i] = c;
						ok[i] = true;
						left--;
					}
				}
			} while (left > 0 && dwarf_siblingof(&c, &c) == 0);
		}
		off = next;
	}
}

int go_layout_from_dwarf(void *elf, struct go_layout *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	Dwarf *dbg = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!dbg) {
		snprintf(err, errlen, "the executable has no DWARF");
		return -1;
	}
	static const char *const want[] = { "runtime.g", "runtime.m" };
	Dwarf_Die st[2];
	bool ok[2] = { false, false };
	find_structs(dbg, want, st, ok, 2);
	int rc = -1;
	if (!ok[0] || !ok[1]) {
		snprintf(err, errlen, "DWARF has no %s type", ok[0] ? "runtime.m" : "runtime.g");
		goto out;
	}
	uint32_t stack, sched, lo, hi, sp, pc, bp;
	Dwarf_Die stack_t, sched_t;
	int sz;
	const char *miss = NULL;
	if (member(&st[0], "stack", &stack, NULL, &stack_t) < 0)
		miss = "g.stack";
	else if (member(&stack_t, "lo", &lo, NULL, NULL) < 0 || member(&stack_t, "hi", &hi, NULL, NULL) < 0)
		miss = "stack.lo/hi";
	else if (member(&st[0], "sched", &sched, NULL, &sched_t) < 0)
		miss = "g.sched";
	else if (member(&sched_t, "sp", &sp, NULL, NULL) < 0 || member(&sched_t, "pc", &pc, NULL, NULL) < 0 ||
		 member(&sched_t, "bp", &bp, NULL, NULL) < 0)
		miss = "gobuf.sp/pc/bp";
	else if (member(&st[0], "m", &l->m, NULL, NULL) < 0)
		miss = "g.m";
	else if (member(&st[0], "syscallsp", &l->syscallsp, NULL, NULL) < 0 ||
		 member(&st[0], "syscallpc", &l->syscallpc, NULL, NULL) < 0)
		miss = "g.syscallsp/syscallpc";
	else if (member(&st[0], "atomicstatus", &l->status, &sz, NULL) < 0 || sz != 4)
		miss = "g.atomicstatus (4 bytes)";
	else if (member(&st[0], "goid", &l->goid, &sz, NULL) < 0 || sz != 8)
		miss = "g.goid (8 bytes)";
	else if (member(&st[0], "waitsince", &l->waitsince, &sz, NULL) < 0 || sz != 8)
		miss = "g.waitsince (8 bytes)";
	else if (member(&st[0], "waitreason", &l->waitreason, &sz, NULL) < 0 || sz != 1)
		miss = "g.waitreason (1 byte)";
	else if (member(&st[0], "gopc", &l->gopc, NULL, NULL) < 0 ||
		 member(&st[0], "startpc", &l->startpc, NULL, NULL) < 0)
		miss = "g.gopc/startpc";
	else if (member(&st[1], "procid", &l->m_procid, &sz, NULL) < 0 || sz != 8)
		miss = "m.procid (8 bytes)";
	if (miss) {
		snprintf(err, errlen, "DWARF of runtime.g/m lacks %s", miss);
		goto out;
	}
	uint32_t sbp;
	l->syscallbp = member(&st[0], "syscallbp", &sbp, NULL, NULL) == 0 ? (int32_t)sbp : -1;
	l->stack_lo = stack + lo;
	l->stack_hi = stack + hi;
	l->sched_sp = sched + sp;
	l->sched_pc = sched + pc;
	l->sched_bp = sched + bp;
	str_copy(l->source, "dwarf", sizeof(l->source));
	set_read_len(l);
	rc = 0;
out:
	dwarf_end(dbg);
	return rc;
}
