/*
 * remote_mem.c - batched reads of another process's memory with
 * process_vm_readv (see remote_mem.h). The goroutine reader uses it for
 * g structs and stacks; nothing here knows about Go.
 *
 * process_vm_readv never splits a remote iovec: an element is read whole
 * or not at all, and the call stops at the first element it cannot read,
 * returning the bytes done so far. rmem_readv turns that into a per-range
 * success flag and goes on after the failed element.
 */
#include "remote_mem.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define IOV_BATCH 1024                  /* iovecs per process_vm_readv (IOV_MAX) */
#define RUN_MAX (1u << 20)              /* longest merged run, bytes */

void rmem_init(struct rmem *m, int pid)
{
	memset(m, 0, sizeof(*m));
	m->pid = pid;
}

void rmem_fini(struct rmem *m)
{
	free(m->stage);
	free(m->fb);
	free(m->q);
	free(m->rs);
	free(m->re);
	free(m->rf);
	free(m->sl);
	free(m->sr);
	free(m->sok);
	memset(m, 0, sizeof(*m));
}

void *rmem_scratch(void **p, size_t *cap, size_t need)
{
	if (need > *cap) {
		free(*p);
		*cap = need + need / 4;
		*p = xmalloc(*cap);
	}
	return *p;
}

int rmem_read(int pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &l, 1, &r, 1, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

int rmem_readv(int pid, struct iovec *l, struct iovec *r, int n, bool *ok)
{
	int i = 0;
	while (i < n) {
		int cnt = n - i > IOV_BATCH ? IOV_BATCH : n - i;
		ssize_t got = process_vm_readv(pid, l + i, (unsigned long)cnt, r + i, (unsigned long)cnt, 0);
		if (got < 0) {
			if (errno == EFAULT) {          /* the first element is unreadable */
				ok[i++] = false;
				continue;
			}
			int e = errno;
			memset(ok, 0, sizeof(bool) * (size_t)n);
			return -e;
		}
		size_t left = (size_t)got;
		int k = i;
		while (k < i + cnt && left >= r[k].iov_len) {
			left -= r[k].iov_len;
			ok[k++] = true;
		}
		if (k < i + cnt)
			ok[k++] = false;                /* stopped here: unreadable */
		i = k;
	}
	return 0;
}

/* A request, sorted by address. */
struct req {
	uint64_t addr;
	int idx;
};

static int cmp_req(const void *a, const void *b)
{
	const struct req *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

int rmem_gather(struct rmem *m, struct iovec *l, struct iovec *r, int n, bool *ok, size_t gap,
		const uint8_t **where)
{
	if (n < 16 && !where)
		return rmem_readv(m->pid, l, r, n, ok);
	struct req *q = rmem_scratch(&m->q, &m->q_cap, sizeof(*q) * ((size_t)n + 1));
	bool sorted = true;
	for (int i = 0; i < n; i++) {
		q[i].addr = (uint64_t)(uintptr_t)r[i].iov_base;
		q[i].idx = i;
		sorted = sorted && (i == 0 || q[i].addr >= q[i - 1].addr);
	}
	if (!sorted)                    /* often in address order already */
		qsort(q, (size_t)n, sizeof(*q), cmp_req);
	/* runs: [rs, re), holding requests q[rf[k] .. rf[k+1]) */
	uint64_t *rs = rmem_scratch(&m->rs, &m->rs_cap, sizeof(uint64_t) * ((size_t)n + 1));
	uint64_t *re = rmem_scratch(&m->re, &m->re_cap, sizeof(uint64_t) * ((size_t)n + 1));
	int *rf = rmem_scratch(&m->rf, &m->rf_cap, sizeof(int) * ((size_t)n + 1)), nr = 0;
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		uint64_t a = q[i].addr, e = a + r[q[i].idx].iov_len;
		if (nr && a <= re[nr - 1] + gap && e - rs[nr - 1] <= RUN_MAX) {
			if (e > re[nr - 1]) {
				total += e - re[nr - 1];
				re[nr - 1] = e;
			}
			continue;
		}
		rs[nr] = a;
		re[nr] = e;
		rf[nr++] = i;
		total += e - a;
	}
	rf[nr] = n;
	uint8_t *stage = rmem_scratch((void **)&m->stage, &m->stage_cap, total + 1);
	struct iovec *sl = rmem_scratch(&m->sl, &m->sl_cap, sizeof(*sl) * ((size_t)nr + 1));
	struct iovec *sr = rmem_scratch(&m->sr, &m->sr_cap, sizeof(*sr) * ((size_t)nr + 1));
	bool *sok = rmem_scratch(&m->sok, &m->sok_cap, sizeof(bool) * ((size_t)nr + 1));
	size_t off = 0;
	for (int k = 0; k < nr; k++) {
		sl[k].iov_base = stage + off;
		sr[k].iov_base = (void *)(uintptr_t)rs[k];
		sl[k].iov_len = sr[k].iov_len = re[k] - rs[k];
		off += re[k] - rs[k];
	}
	int rc = rmem_readv(m->pid, sl, sr, nr, sok);
	int nfail = 0;
	size_t fail_bytes = 0;
	for (int k = 0; rc == 0 && k < nr; k++) {
		for (int i = rf[k]; i < rf[k + 1]; i++) {
			int x = q[i].idx;
			const uint8_t *src = (const uint8_t *)sl[k].iov_base + (q[i].addr - rs[k]);
			if (!sok[k]) {
				q[nfail++].idx = x;     /* q[i] is no longer needed */
				fail_bytes += r[x].iov_len;
			} else if (where) {
				where[x] = src;
				ok[x] = true;
			} else {
				memcpy(l[x].iov_base, src, l[x].iov_len);
				ok[x] = true;
			}
		}
	}
	if (rc == 0 && nfail) {
		/* Runs that crossed something unreadable: range by range. */
		struct iovec *fl = xmalloc(sizeof(*fl) * (size_t)nfail), *fr = xmalloc(sizeof(*fr) * (size_t)nfail);
		bool *fok = xmalloc(sizeof(bool) * (size_t)nfail);
		uint8_t *fb = where ? rmem_scratch((void **)&m->fb, &m->fb_cap, fail_bytes + 1) : NULL;
		size_t fo = 0;
		for (int i = 0; i < nfail; i++) {
			fr[i] = r[q[i].idx];
			if (where) {
				fl[i].iov_base = fb + fo;
				fl[i].iov_len = fr[i].iov_len;
				fo += fr[i].iov_len;
			} else {
				fl[i] = l[q[i].idx];
			}
		}
		rc = rmem_readv(m->pid, fl, fr, nfail, fok);
		for (int i = 0; i < nfail; i++) {
			ok[q[i].idx] = rc == 0 && fok[i];
			if (where)
				where[q[i].idx] = ok[q[i].idx] ? fl[i].iov_base : NULL;
		}
		free(fl);
		free(fr);
		free(fok);
	}
	if (rc < 0) {
		memset(ok, 0, sizeof(bool) * (size_t)n);
		if (where)
			memset(where, 0, sizeof(*where) * (size_t)n);
	}
	return rc;
}
