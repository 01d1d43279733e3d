/*
 * goroutine_read.h - one read of a Go target's goroutine table, as plain
 * data: a record per live goroutine (status, wait reason, where it
 * parked, its stack as indices into a table of function names) and the
 * read's own figures.
 *
 * The Go reader (golang.h, a collector) fills it; goroutine grouping and
 * progress tracking (goroutines.h, pure analysis) read it. It holds no
 * reader state, so analysis never depends on the collector and the unit
 * tests build reads by hand.
 */
#ifndef CDTOP_GOROUTINE_READ_H
#define CDTOP_GOROUTINE_READ_H

#include <stdbool.h>
#include <stdint.h>
#include "snapshot_enums.h"

/* Go's goroutine states (runtime2.go); GO_SCAN is or'ed in while the GC
 * scans a stack and is masked off by the reader. */
enum go_status {
	GO_IDLE = 0, GO_RUNNABLE = 1, GO_RUNNING = 2, GO_SYSCALL = 3, GO_WAITING = 4,
	GO_MORIBUND = 5, GO_DEAD = 6, GO_ENQUEUE = 7, GO_COPYSTACK = 8, GO_PREEMPTED = 9,
	GO_LEAKED = 10, GO_DEADEXTRA = 11, GO_NSTATUS = 12,
	GO_SCAN = 0x1000,
};

/* The snapshot's status for a (masked) Go status: GR_STATUS_UNKNOWN for a
 * value outside Go's table (its name is the snapshot's, snapshot_enums.h). */
enum gr_status go_status_to_gr(uint32_t status);

/* One live goroutine as read. */
struct go_g {
	uint64_t addr;                  /* address of its runtime.g */
	uint64_t goid;
	uint32_t status;                /* enum go_status, scan bit masked off */
	uint8_t waitreason;             /* index into go_read.reasons */
	int64_t waitsince;              /* runtime nanotime (CLOCK_MONOTONIC ns) when a GC first saw
					   it blocked; 0 when not recorded */
	uint64_t sched_pc, sched_sp;    /* where it parked (progress tracking) */
	uint64_t startpc;               /* its function's entry */
	bool system;                    /* started in package runtime: not counted by runtime.NumGoroutine */
	int tid;                        /* thread running it (m.procid), -1 none or unknown */
	int frame0, nframes;            /* its stack: go_read.frames[frame0 .. frame0+nframes),
					   innermost first; nframes 0 when not read */
	bool moved;                     /* its g changed while its stack was read (stack may be partial) */
	uint64_t stack_hash;            /* hash of its stack bytes from sp up (locals included), 0 when
					   not read: a goroutine that ran and parked again at the same
					   place almost always changed some of them */
};

/* A read of the goroutine table. */
struct go_read {
	double t;                       /* now_mono() at the read, seconds */
	double read_ms;                 /* wall time the read took, milliseconds */
	int64_t now_ns;                 /* CLOCK_MONOTONIC ns at the read (to age waitsince) */
	int64_t allglen;                /* g structs that existed when the read started */
	int64_t created;                /* g structs appended during the read (a lower bound of the
					   goroutines created meanwhile: reused ones are not seen) */
	struct go_g *g; int ng;         /* live goroutines (not dead), runtime ones included */
	bool stacks;                    /* stacks were read (full read) */
	int *frames; int nframes;       /* indices into funcs, per goroutine slices */
	char **funcs; int nfuncs;       /* distinct function names */
	char **reasons; int nreasons;   /* the target's waitReasonStrings */
	int64_t moved;                  /* goroutines whose g changed while their stack was read */
};

/* Free the arrays of r (not r itself) and zero it. NULL is a no-op. */
void go_read_fini(struct go_read *r);

#endif
