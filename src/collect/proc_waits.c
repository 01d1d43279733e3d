/*
 * proc_waits.c - what each blocked thread is waiting on, read from the
 * outside without stopping anything.
 *
 * The observer already has every blocked thread's syscall number and
 * arguments (/proc/PID/task/TID/syscall). Here the key argument is
 * turned into words an engineer can act on:
 *   - futex/futex_waitv: the futex word's address, op, expected value,
 *     64 bytes of target memory around it (process_vm_readv, one remote
 *     iovec per page: design-notes §2) and the data symbol that contains
 *     it (a global or static lock's variable name). The address sits in a
 *     writable mapping (.data/.bss, which may be an anonymous mapping
 *     right after the file's), so the module is found by its PT_LOAD
 *     segments and the load bias of its executable mapping;
 *   - fd syscalls (read, recvfrom, epoll_wait, ...): the fd and what it
 *     refers to, via readlink /proc/PID/fd/N: a TCP connection from the
 *     process's socket list, a pipe, a file path, an epoll set with the
 *     fds it watches (/proc/PID/fdinfo/N);
 *   - poll/ppoll: the first fd of the set; nanosleep/clock_nanosleep:
 *     how long; wait4/waitid: which child.
 * Memory reads go through process_vm_readv only; a read that fails (the
 * thread moved on, the page vanished) leaves the field unknown.
 */
#include "collect.h"
#include "frame.h"
#include "maps.h"
#include "symbols.h"
#include "u64map.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>

#define FUTEX_CMD_MASK_ 0x7f            /* op without PRIVATE (128) and CLOCK_REALTIME (256) */
#define FUTEX_PRIVATE_ 128
#define FUTEX2_PRIVATE_ 128
#define PAGE 4096ULL
#define MAX_FD_CACHE 64

struct waits {
	int pid, piddir;
	char root[64];
	struct procmap *pm;
	bool pm_fresh;                  /* maps re-read in this fill */
	struct { struct module *mod; uint64_t bias; } *mods;   /* distinct modules of pm */
	int nmods;
	const struct procmap *mods_of;  /* the procmap mods was built from */
	/* syscall numbers looked up by name once */
	long nr_futex, nr_futex_waitv, nr_poll, nr_ppoll, nr_nanosleep, nr_clock_nanosleep;
	long nr_wait4, nr_waitid, nr_sendfile, nr_splice, nr_epoll[3], nr_restart;
	long *fd_nrs;                   /* syscalls whose first argument is an fd */
	int nfd_nrs;
	/* per fill */
	struct snap_socket **sock_by_ino;
	int nsock_by_ino;
	bool sock_index_built;
	struct { int fd; char text[160]; } fdc[MAX_FD_CACHE];
	int nfdc;
	/* futex words already read in this fill (an idle pool of 1,000
	 * threads on one condvar costs one read): address -> index of the
	 * first thread of the snapshot that waited on it */
	struct u64map fxc;
};

static const char *const fd_syscalls[] = {
	"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev",
	"preadv2", "pwritev2", "recvfrom", "sendto", "recvmsg", "sendmsg", "recvmmsg",
	"sendmmsg", "accept", "accept4", "connect", "shutdown", "ioctl", "fcntl", "flock",
	"fsync", "fdatasync", "syncfs", "ftruncate", "fallocate", "getdents64", "tee",
	"sync_file_range", "copy_file_range", "io_uring_enter", "close", "lseek",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", NULL
};

struct waits *waits_new(int pid, int piddir)
{
	struct waits *w = xcalloc(1, sizeof(*w));
	w->pid = pid;
	w->piddir = piddir;
	snprintf(w->root, sizeof(w->root), "/proc/%d/root", pid);
	w->nr_futex = syscall_nr("futex");
	w->nr_futex_waitv = syscall_nr("futex_waitv");
	w->nr_poll = syscall_nr("poll");
	w->nr_ppoll = syscall_nr("ppoll");
	w->nr_nanosleep = syscall_nr("nanosleep");
	w->nr_clock_nanosleep = syscall_nr("clock_nanosleep");
	w->nr_wait4 = syscall_nr("wait4");
	w->nr_waitid = syscall_nr("waitid");
	w->nr_sendfile = syscall_nr("sendfile");
	w->nr_splice = syscall_nr("splice");
	w->nr_epoll[0] = syscall_nr("epoll_wait");
	w->nr_epoll[1] = syscall_nr("epoll_pwait");
	w->nr_epoll[2] = syscall_nr("epoll_pwait2");
	w->nr_restart = syscall_nr("restart_syscall");
	int n = 0;
	while (fd_syscalls[n])
		n++;
	w->fd_nrs = xcalloc((size_t)n + 1, sizeof(long));
	for (int i = 0; i < n; i++) {
		long nr = syscall_nr(fd_syscalls[i]);
		if (nr >= 0)
			w->fd_nrs[w->nfd_nrs++] = nr;
	}
	return w;
}

void waits_free(struct waits *w)
{
	if (!w)
		return;
	procmap_free(w->pm);
	free(w->mods);
	free(w->fd_nrs);
	free(w->sock_by_ino);
	u64map_fini(&w->fxc);
	free(w);
}

/* Read len bytes of the target at addr, one remote iovec per page so a
 * range that crosses into an unmapped page still reads its first part.
 * Returns the bytes read (0 on failure). */
static size_t read_mem(int pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {.iov_base = buf, .iov_len = len};
	struct iovec remote[4];
	int nr = 0;
	uint64_t a = addr, end = addr + len;
	while (a < end && nr < 4) {
		uint64_t next = (a & ~(PAGE - 1)) + PAGE;
		if (next > end)
			next = end;
		remote[nr].iov_base = (void *)(uintptr_t)a;
		remote[nr++].iov_len = (size_t)(next - a);
		a = next;
	}
	ssize_t n = process_vm_readv(pid, &local, 1, remote, (unsigned long)nr, 0);
	return n > 0 ? (size_t)n : 0;
}

/* The data symbol of the target containing addr: a module whose PT_LOAD
 * segments cover addr - bias. Returns the name (owned by the module) and
 * the symbol's target start and size, or NULL. */
static const char *data_symbol(struct waits *w, uint64_t addr, uint64_t *start, uint64_t *size)
{
	if (!w->pm_fresh) {
		w->pm_fresh = true;
		struct procmap *n = w->pm ? procmap_refresh(w->pm, w->piddir) : procmap_read(w->pid, w->piddir);
		if (n)
			w->pm = n;
	}
	if (!w->pm)
		return NULL;
	if (w->mods_of != w->pm) {
		/* One entry per module (a process with 10,000 threads has
		 * 20,000 mappings, a few dozen of them modules). */
		free(w->mods);
		w->mods = xcalloc((size_t)w->pm->nmaps + 1, sizeof(*w->mods));
		w->nmods = 0;
		for (int i = 0; i < w->pm->nmaps; i++) {
			const struct mapping *m = &w->pm->maps[i];
			bool seen = false;
			for (int k = 0; m->mod && k < w->nmods && !seen; k++)
				seen = w->mods[k].mod == m->mod;
			if (m->mod && !seen) {
				w->mods[w->nmods].mod = m->mod;
				w->mods[w->nmods++].bias = m->bias;
			}
		}
		w->mods_of = w->pm;
	}
	for (int i = 0; i < w->nmods; i++) {
		struct module *mod = w->mods[i].mod;
		if (addr < w->mods[i].bias)
			continue;
		uint64_t vaddr = addr - w->mods[i].bias;
		for (int k = 0; k < mod->nsegs; k++) {
			const struct segment *sg = &mod->segs[k];
			if (vaddr < sg->vaddr || vaddr >= sg->vaddr + sg->memsz)
				continue;
			symbols_load(mod, w->root);
			uint64_t st, sz;
			const char *name = symbols_data_range(mod, vaddr, &st, &sz);
			if (!name)
				return NULL;
			*start = st + w->mods[i].bias;
			*size = sz;
			return name;
		}
	}
	return NULL;
}

/* Fill t->futex (t a thread of s) for a wait on the futex word addr. */
static void futex_details(struct waits *w, const struct snapshot *s, struct snap_thread *t, uint64_t addr,
			  int op, bool priv, uint32_t val)
{
	struct snap_futex *f = &t->futex;
	free(f->symbol);
	memset(f, 0, sizeof(*f));
	f->valid = true;
	f->addr = addr;
	f->op = op;
	f->private_op = priv;
	f->val = val;
	uint32_t first;
	if (u64map_find(&w->fxc, addr, &first)) {
		const struct snap_futex *seen = &s->threads[first].futex;
		f->mem_base = seen->mem_base;
		f->mem_ok = seen->mem_ok;
		memcpy(f->mem, seen->mem, sizeof(f->mem));
		if (seen->symbol) {
			f->symbol = xstrdup(seen->symbol);
			f->symbol_addr = seen->symbol_addr;
			f->symbol_size = seen->symbol_size;
		}
		return;
	}
	u64map_put(&w->fxc, addr, (uint32_t)(t - s->threads));
	f->mem_base = (addr - 32) & ~3ULL;
	if (addr >= 32)
		f->mem_ok = read_mem(w->pid, f->mem_base, f->mem, sizeof(f->mem)) == sizeof(f->mem);
	if (!f->mem_ok)
		memset(f->mem, 0, sizeof(f->mem));
	uint64_t st = 0, sz = 0;
	const char *name = data_symbol(w, addr, &st, &sz);
	if (name) {
		f->symbol = xstrdup(name);
		f->symbol_addr = st;
		f->symbol_size = sz;
	}
}

/* "name" or "name+0x10" for the futex symbol, "" when none. */
static void symbol_text(const struct snap_futex *f, char *buf, size_t n)
{
	buf[0] = '\0';
	if (!f->symbol)
		return;
	if (f->addr == f->symbol_addr)
		snprintf(buf, n, " (%s)", f->symbol);
	else
		snprintf(buf, n, " (%s+%" PRIu64 ")", f->symbol, f->addr - f->symbol_addr);
}

static int cmp_sock_ino(const void *a, const void *b)
{
	const struct snap_socket *x = *(struct snap_socket *const *)a, *y = *(struct snap_socket *const *)b;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

static const struct snap_socket *socket_by_ino(struct waits *w, const struct snapshot *s, uint64_t ino)
{
	if (!s->sockets)
		return NULL;
	if (!w->sock_index_built) {
		w->sock_index_built = true;
		free(w->sock_by_ino);
		w->sock_by_ino = xmalloc(sizeof(*w->sock_by_ino) * (size_t)(s->nsockets + 1));
		for (int i = 0; i < s->nsockets; i++)
			w->sock_by_ino[i] = &s->sockets[i];
		w->nsock_by_ino = s->nsockets;
		qsort(w->sock_by_ino, (size_t)s->nsockets, sizeof(*w->sock_by_ino), cmp_sock_ino);
	}
	int lo = 0, hi = w->nsock_by_ino;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		uint64_t v = w->sock_by_ino[mid]->inode;
		if (v == ino)
			return w->sock_by_ino[mid];
		if (v < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The fds an epoll instance watches, from fdinfo ("tfd: 7 events: ..."),
 * the lowest first. */
static void epoll_text(struct waits *w, int fd, char *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "fdinfo/%d", fd);
	char *info = read_file_alloc_at(w->piddir, path, NULL);
	if (!info) {
		snprintf(buf, n, "epoll");
		return;
	}
	int count = 0, cap = 64, *tfds = xmalloc(sizeof(int) * (size_t)cap);
	for (char *p = strstr(info, "tfd:"); p; p = strstr(p + 4, "tfd:")) {
		ARRAY_GROW(tfds, count, cap, 64);
		tfds[count++] = atoi(p + 4);
	}
	free(info);
	qsort(tfds, (size_t)count, sizeof(int), cmp_int);
	char list[64] = "";
	size_t used = 0;
	for (int i = 0; i < count && i < 4; i++) {
		int k = snprintf(list + used, sizeof(list) - used, "%s%d", i ? " " : "", tfds[i]);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
	}
	free(tfds);
	if (count == 0)
		snprintf(buf, n, "epoll watching no fd");
	else
		snprintf(buf, n, "epoll watching %d fd%s (%s%s)", count, count == 1 ? "" : "s", list,
			 count > 4 ? " ..." : "");
}

/* What fd refers to, e.g. "TCP 10.0.0.1:5432 -> 10.0.0.2:40312 ESTABLISHED",
 * "pipe:[1234]", "/var/log/x"; cached for the fill. */
static const char *fd_text(struct waits *w, const struct snapshot *s, int fd)
{
	for (int i = 0; i < w->nfdc; i++)
		if (w->fdc[i].fd == fd)
			return w->fdc[i].text;
	static char tmp[160];
	char *out = w->nfdc < MAX_FD_CACHE ? w->fdc[w->nfdc].text : tmp;
	size_t outn = w->nfdc < MAX_FD_CACHE ? sizeof(w->fdc[0].text) : sizeof(tmp);
	char path[64], link[512];
	snprintf(path, sizeof(path), "fd/%d", fd);
	ssize_t n = readlinkat(w->piddir, path, link, sizeof(link) - 1);
	if (n < 0) {
		snprintf(out, outn, "%s", errno == ENOENT ? "closed" : "?");
	} else {
		link[n] = '\0';
		uint64_t ino = 0;
		enum fd_type ty = fd_classify(link, &ino);
		const struct snap_socket *k = ty == FD_SOCKET ? socket_by_ino(w, s, ino) : NULL;
		if (k) {
			const char *st = tcp_state_name(k->state);
			if (k->state == TCP_ST_LISTEN)
				snprintf(out, outn, "TCP listening on %s", k->local);
			else
				snprintf(out, outn, "TCP %s -> %s %s", k->local, k->remote, st ? st : "?");
		} else if (strcmp(link, "anon_inode:[eventpoll]") == 0) {
			epoll_text(w, fd, out, outn);
		} else {
			char *clean = utf8_sanitize(link);
			snprintf(out, outn, "%s", clean);
			free(clean);
		}
	}
	if (w->nfdc < MAX_FD_CACHE)
		w->fdc[w->nfdc++].fd = fd;
	return out;
}

static bool is_fd_syscall(const struct waits *w, long nr)
{
	for (int i = 0; i < w->nfd_nrs; i++)
		if (w->fd_nrs[i] == nr)
			return true;
	return false;
}

/* Could these be the arguments of a glibc futex wait with a timeout (the
 * only futex waits that continue as restart_syscall)? */
static bool futex_timed_args(const uint64_t *a)
{
	if (a[0] < 4096 || (a[0] & 3) || (a[1] & ~0x1ffULL))
		return false;
	int cmd = (int)(a[1] & FUTEX_CMD_MASK_);
	if (cmd == 9)
		return (uint32_t)a[5] != 0;     /* WAIT_BITSET: the bitset is never 0 */
	return cmd == 0 && a[3] != 0;       /* WAIT with a timeout */
}

/* Is fn a library frame named after a sleeping call (futex, nanosleep,
 * poll; epoll_wait continues as itself)? For frame_find_wrapper. */
static bool names_sleep(const char *fn, const void *arg)
{
	(void)arg;
	return strstr(fn, "futex") || strstr(fn, "nanosleep") || (strstr(fn, "poll") && !strstr(fn, "epoll"));
}

/* The system call a restart_syscall continues. A sleep with a timeout
 * that was interrupted (by our own first stack sample, often) goes on as
 * restart_syscall, which keeps the original call's argument registers
 * but not its number: the library frames of the thread's stack name it
 * (__futex_abstimed_wait_common, clock_nanosleep, poll), or, without a
 * stack, the arguments look like a timed futex wait. -1 when unknown. */
static long restarted_nr(const struct waits *w, const struct snapshot *s, const struct snap_thread *t,
			 const uint64_t *a)
{
	const char *fn = s && t ? frame_find_wrapper(s->profile, t->stack, t->nstack, names_sleep, NULL) : NULL;
	if (fn) {
		if (strstr(fn, "futex"))
			return w->nr_futex;
		if (strstr(fn, "clock_nanosleep"))
			return w->nr_clock_nanosleep;
		if (strstr(fn, "nanosleep"))
			return w->nr_nanosleep;
		return strstr(fn, "ppoll") ? w->nr_ppoll : w->nr_poll;
	}
	return futex_timed_args(a) ? w->nr_futex : -1;
}

/* Describe one wait into t (syscall_arg, futex). */
static void describe(struct waits *w, struct snapshot *s, struct snap_thread *t,
		     const struct thread_wait *tw0)
{
	char *out = t->syscall_arg, sym[96];
	size_t n = sizeof(t->syscall_arg);
	struct thread_wait restarted;
	const struct thread_wait *tw = tw0;
	if (tw0->nr == w->nr_restart) {
		long nr = restarted_nr(w, s, t, tw0->args);
		if (nr >= 0) {
			restarted = *tw0;
			restarted.nr = nr;
			tw = &restarted;
			if (strcmp(t->syscall, "restart_syscall") == 0 && syscall_name(nr))
				str_copy(t->syscall, syscall_name(nr), sizeof(t->syscall));
		}
	}
	const uint64_t *a = tw->args;
	out[0] = '\0';
	if (tw->nr == w->nr_futex) {
		int op = (int)(a[1] & FUTEX_CMD_MASK_);
		futex_details(w, s, t, a[0], op, (a[1] & FUTEX_PRIVATE_) != 0, (uint32_t)a[2]);
		symbol_text(&t->futex, sym, sizeof(sym));
		snprintf(out, n, "futex 0x%" PRIx64 "%s", a[0], sym);
	} else if (tw->nr == w->nr_futex_waitv) {
		struct { uint64_t val, uaddr; uint32_t flags, reserved; } fw;
		if (read_mem(w->pid, a[0], &fw, sizeof(fw)) == sizeof(fw)) {
			futex_details(w, s, t, fw.uaddr, -1, (fw.flags & FUTEX2_PRIVATE_) != 0, (uint32_t)fw.val);
			symbol_text(&t->futex, sym, sizeof(sym));
			snprintf(out, n, "futex_waitv %" PRIu64 " futex%s, first 0x%" PRIx64 "%s", a[1],
				 a[1] == 1 ? "" : "es", fw.uaddr, sym);
		} else {
			snprintf(out, n, "futex_waitv %" PRIu64 " futexes", a[1]);
		}
	} else if (is_fd_syscall(w, tw->nr) || tw->nr == w->nr_splice || tw->nr == w->nr_sendfile) {
		/* sendfile(out, in, ...): the input side is what it waits on
		 * as often as the output; show the first argument, the
		 * convention of every other fd call. */
		int fd = (int)a[0];
		snprintf(out, n, "fd %d: %s", fd, fd_text(w, s, fd));
	} else if (tw->nr == w->nr_poll || tw->nr == w->nr_ppoll) {
		struct { int fd; short events, revents; } pfd;
		uint64_t nfds = a[1];
		if (nfds == 0)
			snprintf(out, n, "no fd");
		else if (read_mem(w->pid, a[0], &pfd, sizeof(pfd)) == sizeof(pfd))
			snprintf(out, n, "%" PRIu64 " fd%s, first fd %d: %s", nfds, nfds == 1 ? "" : "s",
				 pfd.fd, pfd.fd >= 0 ? fd_text(w, s, pfd.fd) : "ignored");
		else
			snprintf(out, n, "%" PRIu64 " fds", nfds);
	} else if (tw->nr == w->nr_nanosleep || tw->nr == w->nr_clock_nanosleep) {
		bool clk = tw->nr == w->nr_clock_nanosleep;
		uint64_t tsp = clk ? a[2] : a[0];
		struct timespec ts;
		if (read_mem(w->pid, tsp, &ts, sizeof(ts)) == sizeof(ts)) {
			double v = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
			struct timespec now;
			if (clk && (a[1] & 1) && clock_gettime((clockid_t)a[0], &now) == 0)
				snprintf(out, n, "until %.3f s from now",
					 v - ((double)now.tv_sec + (double)now.tv_nsec / 1e9));
			else
				snprintf(out, n, "sleep %.3f s", v);
		}
	} else if (tw->nr == w->nr_wait4) {
		int pid = (int)a[0];
		if (pid == -1)
			snprintf(out, n, "any child");
		else if (pid > 0)
			snprintf(out, n, "child %d", pid);
		else
			snprintf(out, n, "process group %d", pid == 0 ? 0 : -pid);
	} else if (tw->nr == w->nr_waitid) {
		static const char *const idt[] = {"any child", "child", "process group", "pidfd"};
		unsigned it = (unsigned)a[0];
		if (it == 0)
			snprintf(out, n, "any child");
		else if (it < 4)
			snprintf(out, n, "%s %d", idt[it], (int)a[1]);
	}
}

void waits_fill(struct waits *w, struct snapshot *s, const struct thread_wait *tw, int nw)
{
	w->pm_fresh = false;
	w->sock_index_built = false;
	w->nfdc = 0;
	if (!s->threads)
		return;
	u64map_clear(&w->fxc);
	int j = 0;
	for (int i = 0; i < s->nthreads; i++) {
		struct snap_thread *t = &s->threads[i];
		while (j < nw && tw[j].tid < t->tid)
			j++;
		if (j >= nw || tw[j].tid != t->tid || t->state == 'R')
			continue;
		describe(w, s, t, &tw[j]);
	}
	/* The cache points into s: drop it with the fill (keeping its room). */
	u64map_clear(&w->fxc);
}

/* True for the futex commands that sleep (WAIT, WAIT_BITSET, LOCK_PI,
 * LOCK_PI2, WAIT_REQUEUE_PI). */
static bool futex_cmd_waits(int cmd)
{
	return cmd == 0 || cmd == 9 || cmd == 6 || cmd == 13 || cmd == 11;
}

int waits_futex_words(struct waits *w, const struct thread_wait *tw, int nw, uint64_t **out)
{
	int n = 0;
	*out = xmalloc(sizeof(uint64_t) * (size_t)(nw + 1));
	for (int i = 0; i < nw; i++) {
		if (tw[i].state == 'D')
			continue;
		if (tw[i].nr == w->nr_futex && futex_cmd_waits((int)(tw[i].args[1] & FUTEX_CMD_MASK_))) {
			(*out)[n++] = tw[i].args[0];
		} else if (tw[i].nr == w->nr_restart && restarted_nr(w, NULL, NULL, tw[i].args) == w->nr_futex) {
			(*out)[n++] = tw[i].args[0];
		} else if (tw[i].nr == w->nr_futex_waitv) {
			uint64_t fw[2];
			if (read_mem(w->pid, tw[i].args[0], fw, sizeof(fw)) == sizeof(fw))
				(*out)[n++] = fw[1];
		}
	}
	return n;
}
