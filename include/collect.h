/*
 * collect.h - raw readings of a target process, one collector module per
 * source: proc_process.c (stat/status/io/cgroup, via libproc2 where it
 * reads the file for us), proc_threads.c (task/TID/ files), proc_fds.c (fd/),
 * proc_tcp.c (netlink sock_diag or /proc/PID/net/tcp*), proc_waits.c
 * (what blocked threads wait on: futex words, fds, sleeps).
 *
 * A reading holds counters as the kernel gives them at one instant; the
 * observer (observer.c) turns two readings into rates over a window.
 * Collectors never write to the terminal and never exit: they return an
 * errno-style code and a message for the snapshot's `errors`.
 */
#ifndef CDTOP_COLLECT_H
#define CDTOP_COLLECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "proc_parse.h"
#include "snapshot.h"

/* Process-wide counters and gauges at one instant. */
struct process_reading {
	double t;                       /* CLOCK_MONOTONIC seconds */
	char comm[64];
	char state;
	int ppid;
	unsigned long flags;
	uint64_t starttime;             /* ticks after boot: pid-reuse guard */
	uint64_t utime, stime;          /* ticks, all threads */
	uint64_t minflt, majflt;
	int64_t threads;
	int64_t rss_kb, rss_anon_kb, rss_file_kb, rss_shmem_kb, vsz_kb, swap_kb;
	int64_t ctx_vol, ctx_invol;     /* leader's own (status); rates use the thread sums */
	bool io_ok;
	uint64_t io_read, io_write;     /* bytes */
	bool cg_ok;
	uint64_t cg_periods, cg_throttled;
	char cgroup_path[512];          /* "" unknown */
	int tracer_pid;
};

/* Open the libproc2 context. Returns 0 or -1. */
int process_collector_init(void);

/* Release the libproc2 context. */
void process_collector_fini(void);

/* Read the process `pid` whose /proc directory is open as `piddir`.
 * Returns 0, -ESRCH when it is gone, -EACCES when unreadable. io and
 * context switches that are unreadable are marked unknown, not zero. */
int process_read(int pid, int piddir, struct process_reading *r);

/* Read cmdline (split on NUL, never environ) and exe into the snapshot's
 * process. Unreadable ones stay NULL. */
void process_read_identity(int piddir, struct snap_process *p);

/* One thread at one instant. */
struct thread_reading {
	int tid;
	struct task_stat st;            /* stat; st.state '?' when unreadable */
	char name[64];                  /* comm */
	bool sc_ok;                     /* syscall readable */
	struct task_syscall sc;
	char wchan[64];
	int64_t run_ns;                 /* schedstat, -1 unknown */
	int64_t ctx_vol, ctx_invol;     /* from task status; -1 unknown */
};

/* Read every thread of the process into a malloc'd array (*out, *n).
 * Threads that vanish while read are skipped. Returns 0 or -errno when
 * the task directory itself is unreadable. Caller frees *out. */
int threads_read(int piddir, struct thread_reading **out, int *n);

/* Re-read the context switch counts and run time of one thread (what
 * cannot be read is left unchanged). Returns 0 or -errno. */
int thread_read_progress(int piddir, int tid, int64_t *ctx_vol, int64_t *ctx_invol, int64_t *run_ns);

/* Open fds. */
struct fd_reading {
	int err;                        /* 0, or errno of reading fd/ */
	int64_t open;
	int64_t by_type[5];             /* enum fd_type */
	uint64_t *sock_inos;            /* socket inodes, sorted, each once */
	int *sock_fds;                  /* lowest fd referring to sock_inos[i] */
	size_t nsock;
	int64_t limit;                  /* RLIMIT_NOFILE soft, INT64_MAX unlimited, -1 unknown */
};

/* Read fd/ and limits of the process. Returns 0 or -errno (also stored
 * in r->err). Free r->sock_inos with fds_reading_fini. */
int fds_read(int piddir, struct fd_reading *r);

/* Release what fds_read allocated. */
void fds_reading_fini(struct fd_reading *r);

/* Count the TCP sockets (IPv4 and IPv6) whose inodes are in `inos`
 * (sorted) by state, looking in the network namespace of `pid`: netlink
 * sock_diag first, /proc/PID/net/tcp{,6} as fallback. Returns 0 and fills
 * out (out->source says which), or -errno with a message in err.
 * When socks is not NULL, *socks gets a malloc'd list of those sockets
 * (*nsocks entries, sorted by fd; fds[i] is the fd of inos[i]); it is
 * NULL on error. Caller frees *socks. */
int tcp_count(int pid, int piddir, const uint64_t *inos, const int *fds, size_t ninos,
	      struct snap_tcp *out, struct snap_socket **socks, int *nsocks,
	      char *err, size_t errlen);

/* Force the /proc fallback (for tests and benchmarks); 0 = auto. */
void tcp_force_proc(int on);

/* A thread in a system call at the last reading (observer_waits). */
struct thread_wait {
	int tid;
	char state;                     /* S, D, ... (never R) */
	long nr;                        /* syscall number as first seen in this wait */
	uint64_t args[6];               /* its arguments as first seen (restart_syscall keeps them) */
};

/* What blocked threads wait on (proc_waits.c): keeps the target's memory
 * map for data symbols between snapshots. */
struct waits;

/* Start a wait reader for process pid (its /proc directory open as
 * piddir, which stays owned by the caller). Never NULL. */
struct waits *waits_new(int pid, int piddir);

/* For each thread of s that is in w[] (sorted by tid, nw entries): set
 * syscall_arg (the key argument decoded: futex address and variable,
 * fd and what it points to, poll set, sleep length, child pid) and, for
 * futex/futex_waitv, the futex details (op, val, 64 bytes of target
 * memory around the address, the data symbol containing it). Reads
 * /proc and the target's memory (process_vm_readv); never stops it.
 * s->sockets (if known) names socket fds. */
void waits_fill(struct waits *wt, struct snapshot *s, const struct thread_wait *w, int nw);

/* The futex words that threads of w[] not in D sleep on (futex wait
 * operations and the first word of futex_waitv), into a malloc'd *out.
 * Returns how many. For the per-poll contention tracker. */
int waits_futex_words(struct waits *wt, const struct thread_wait *w, int nw, uint64_t **out);

/* Free a wait reader. NULL is a no-op. */
void waits_free(struct waits *wt);

/* Detect the target's runtime from its executable: GO when the ELF has
 * a .go.buildinfo or .gopclntab section, else NATIVE. */
enum proc_runtime runtime_detect(int piddir);

#endif
