/*
 * golang.h - goroutines of a Go target, read from outside.
 *
 * Everything comes from process_vm_readv on the target's memory and from
 * its executable file: no ptrace, no agent, the target never stops. The
 * runtime's own structures are read the way a debugger would: the slice
 * runtime.allgs (every g ever allocated; it never shrinks), each g's
 * status, goid, wait reason and saved registers, and its stack between
 * stack.lo and stack.hi. Field offsets of runtime.g come from the
 * binary's DWARF when it has some, else from a table per Go version
 * (golang_layout.c); a version outside the table is an error, never a
 * guess.
 *
 * The reader returns a plain go_read (goroutine_read.h, model data: one
 * record per live goroutine); grouping and progress tracking are pure
 * analysis (goroutines.h) and never see this reader.
 */
#ifndef CDTOP_GOLANG_H
#define CDTOP_GOLANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "goroutine_read.h"

/* Offsets (bytes) of the runtime.g and runtime.m fields the reader uses,
 * for x86_64. */
struct go_layout {
	char source[40];                /* "dwarf" or "table go1.19-go1.22" */
	uint32_t stack_lo, stack_hi;    /* g.stack.lo, g.stack.hi */
	uint32_t m;                     /* g.m (*m) */
	uint32_t sched_sp, sched_pc, sched_bp;  /* g.sched.{sp,pc,bp} */
	uint32_t syscallsp, syscallpc;  /* g.syscallsp, g.syscallpc */
	int32_t syscallbp;              /* g.syscallbp (Go 1.23+), -1 when absent */
	uint32_t status;                /* g.atomicstatus (4 bytes) */
	uint32_t goid;                  /* g.goid (8 bytes) */
	uint32_t waitsince;             /* g.waitsince (int64, runtime nanotime) */
	uint32_t waitreason;            /* g.waitreason (1 byte) */
	uint32_t gopc, startpc;         /* g.gopc, g.startpc */
	uint32_t m_procid;              /* m.procid (the thread id on Linux) */
	uint32_t read_len;              /* bytes of a g the reader copies: end of the last field */
};

/* Parse "go1.21.3", "go1.22rc1" or "devel go1.23-abc..." into the minor
 * version (21). Returns 0, or -1 when it is not a Go 1.x version. */
int go_version_minor(const char *v, int *minor);

/* Fill l from the version table for Go 1.<minor> (x86_64). Returns 0, or
 * -1 when that version is outside the table (Go 1.19 to 1.27). */
int go_layout_from_table(int minor, struct go_layout *l);

/* The first field where a and b differ ("g.goid"), or NULL when every
 * offset the reader uses is the same. */
const char *go_layout_diff(const struct go_layout *a, const struct go_layout *b);

/* The range of Go versions the table covers, e.g. "go1.19-go1.27". */
const char *go_layout_table_range(void);

/* Fill l from the DWARF of an ELF file (elf: its libelf Elf *; runtime.g,
 * runtime.m, runtime.gobuf, typedefs peeled). Returns 0, or -1 with the
 * reason in err (no DWARF, a member missing, a size not as expected). */
int go_layout_from_dwarf(void *elf, struct go_layout *l, char *err, size_t errlen);

struct golang;

/* Prepare to read the goroutines of pid (piddir: its open /proc dir):
 * find the executable, the Go version, the runtime's globals and the
 * layout. CDTOP_GO_LAYOUT=table in the environment forces the version
 * table even when DWARF is present (tests). Returns NULL with a one-line
 * reason in err when the target cannot be read this way. */
struct golang *golang_open(int pid, int piddir, char *err, size_t errlen);

/* "go1.19.8" (or "" when unknown) and where offsets came from. */
const char *golang_version(const struct golang *g);
const char *golang_layout_source(const struct golang *g);

/* A warning found at open (the version table disagrees with the binary's
 * DWARF, which is then used), or NULL. */
const char *golang_note(const struct golang *g);

/* Read the goroutine table into r (zeroed first; release with
 * go_read_fini): with stacks (unwound and symbolized) when `stacks`, else
 * only the g structs (a poll). Returns 0, or -1 with the reason in err. */
int golang_read(struct golang *g, bool stacks, struct go_read *r, char *err, size_t errlen);

/* Free everything. NULL is a no-op. */
void golang_free(struct golang *g);

#endif
