/*
 * remote_mem.h - reading another process's memory without stopping it,
 * with process_vm_readv: one range, many ranges (batched, IOV_MAX per
 * call, per-range success), and many small ranges coalesced into runs.
 *
 * The kernel pins the pages of every remote iovec separately, so reading
 * 100,000 small objects as 100,000 iovecs costs far more than reading
 * the few thousand runs of memory they sit in; rmem_gather sorts the
 * requests, merges those closer than a gap, reads the runs into a staging
 * buffer and hands out each request's bytes (copied, or in place). Needs
 * the same permission as ptrace's PTRACE_MODE_ATTACH_REALCREDS, never
 * stops the target.
 */
#ifndef CDTOP_REMOTE_MEM_H
#define CDTOP_REMOTE_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* A reader of one process and the buffers it keeps between gathers
 * (fresh pages would fault on every read). */
struct rmem {
	int pid;
	uint8_t *stage, *fb;            /* runs, and requests re-read alone */
	size_t stage_cap, fb_cap;
	void *q, *rs, *re, *rf, *sl, *sr, *sok;
	size_t q_cap, rs_cap, re_cap, rf_cap, sl_cap, sr_cap, sok_cap;
};

/* Set up m for pid (no allocation yet). */
void rmem_init(struct rmem *m, int pid);

/* Free m's buffers. */
void rmem_fini(struct rmem *m);

/* Read len bytes at addr of pid into buf. Returns 0, or -errno (a short
 * read is -EFAULT). */
int rmem_read(int pid, uint64_t addr, void *buf, size_t len);

/* Read n (local, remote) pairs of equal lengths: ok[i] tells which were
 * read (the kernel never splits one). Returns 0, or -errno when the
 * process cannot be read at all (ok[] all false then). */
int rmem_readv(int pid, struct iovec *l, struct iovec *r, int n, bool *ok);

/* Read n remote ranges r[], merged into runs when closer than gap bytes
 * (the gaps are read and dropped; a run that cannot be read is retried
 * range by range). With where == NULL, range i is copied to l[i]; else
 * where[i] points at its bytes in m's buffers (valid until the next
 * call on m; l is not used), NULL when unreadable. ok[i] as in
 * rmem_readv. Returns 0 or -errno. */
int rmem_gather(struct rmem *m, struct iovec *l, struct iovec *r, int n, bool *ok, size_t gap,
		const uint8_t **where);

/* Grow *p (capacity *cap) to at least need bytes; contents are not
 * kept. Returns *p. For buffers reused from read to read. */
void *rmem_scratch(void **p, size_t *cap, size_t need);

#endif
