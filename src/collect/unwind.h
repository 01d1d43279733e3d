/*
 * unwind.h - turn a stack grab (registers + copy of the stack top) into
 * a list of instruction pointers, after the thread runs again.
 *
 * libunwind's remote API with our own accessors (the approach of
 * perf's unwind-libunwind-local.c): memory reads are served from the
 * stack copy, then from the local read-only image of the module
 * (.eh_frame_hdr, .eh_frame, code), then from process_vm_readv; unwind
 * tables are located from each module's PT_GNU_EH_FRAME. One address
 * space per target with libunwind's global cache on. Frames without
 * DWARF info (Go, hand-written asm) use libunwind's frame-pointer
 * fallback, and every frame is checked: the IP must lie in an executable
 * mapping and the stack pointer must grow, or the walk stops.
 */
#ifndef CDTOP_UNWIND_H
#define CDTOP_UNWIND_H

#include <stdint.h>
#include "maps.h"
#include "sampler.h"

#define UNWIND_MAX_FRAMES 128

struct unwinder;

/* Create an unwinder for process pid. Never NULL. */
struct unwinder *unwinder_new(int pid);

/* Use memory map pm from now on (after a maps change); flushes the
 * libunwind cache when it differs from the previous one. */
void unwinder_set_map(struct unwinder *u, struct procmap *pm);

/* Unwind g into ips (innermost first, at most max). Returns the number
 * of frames (>= 1 when g has registers). */
int unwinder_unwind(struct unwinder *u, const struct stack_grab *g, uint64_t *ips, int max);

/* Free the unwinder. NULL is a no-op. */
void unwinder_free(struct unwinder *u);

#endif
