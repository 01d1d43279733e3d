/*
 * snapshot.h - the plain-data picture of one process over one observation
 * window.
 *
 * Collectors fill it, analysis reads it, views (TUI, JSON, text) render
 * it. It holds no file descriptors, no curses and no ptrace state, so a
 * snapshot loaded from a file is as good as a live one.
 *
 * "Not known" is explicit: doubles use NAN and integers use SNAP_UNKNOWN
 * (-1); the JSON writer turns both into null. A known zero is 0.
 */
#ifndef CDTOP_SNAPSHOT_H
#define CDTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include "snapshot_enums.h"

#define SNAP_UNKNOWN (-1)
#define SNAP_FORMAT_VERSION 1

struct snap_host {
	char hostname[256];
	char kernel[128];               /* uname -r */
	int ncpu;                       /* online CPUs */
};

struct snap_fds {
	int64_t open;                   /* open fds, SNAP_UNKNOWN if unreadable */
	int64_t limit;                  /* RLIMIT_NOFILE soft limit, -1 unknown, INT64_MAX unlimited */
	int64_t file, socket, pipe, anon_inode, other;  /* counts by type */
};

struct snap_tcp {
	bool known;                     /* false: counts are unknown (null) */
	int64_t count[TCP_ST_MAX];      /* by enum tcp_state; [0] unused */
	enum tcp_source source;         /* netlink or proc; NONE when loaded from a file */
};

struct snap_process {
	int pid, ppid;
	char comm[64];
	char *exe;                      /* NULL when unreadable */
	char **argv;                    /* NULL when unreadable */
	int argc;
	char state;                     /* R S D T t Z X I */
	double uptime_s;
	enum proc_runtime runtime;      /* native or go */
	int64_t threads;
	double cpu_user_pct, cpu_sys_pct, cpu_total_pct; /* % of one CPU */
	int64_t rss_kb, rss_anon_kb, rss_file_kb, rss_shmem_kb, vsz_kb, swap_kb;
	struct snap_fds fds;
	struct snap_tcp tcp;
	double ctx_vol_per_s, ctx_invol_per_s;
	double flt_min_per_s, flt_maj_per_s;
	double io_read_bps, io_write_bps;   /* storage bytes per second */
	char *cgroup_path;              /* cgroup v2 path (or v1 cpu path); NULL unknown */
	double cgroup_throttled_pct;    /* % of CFS periods throttled in the window */
	int64_t netns_time_wait;        /* TIME_WAIT sockets of the whole network namespace (they have
					   no owner): /proc/PID/net/sockstat "tw"; -1 unknown */
};

/* One per-second point of the history ring. */
struct snap_hist {
	double t;                       /* seconds since the first point */
	double cpu_user_pct, cpu_sys_pct;
	int64_t rss_kb, threads, fds, goroutines;
};

/* A thread blocked in futex()/futex_waitv(): what the lock analysis
 * (locks.c) needs, read from /proc/PID/task/TID/syscall and from the
 * target's memory around the address (process_vm_readv, no stop). */
#define SNAP_FUTEX_WORDS 16
struct snap_futex {
	bool valid;                     /* the thread waits in futex/futex_waitv */
	uint64_t addr;                  /* uaddr (first word for futex_waitv) */
	int op;                         /* futex op & FUTEX_CMD_MASK (0 WAIT, 6 LOCK_PI, 9 WAIT_BITSET, ...);
					   -1 for futex_waitv */
	bool private_op;                /* FUTEX_PRIVATE_FLAG was set */
	uint32_t val;                   /* expected value argument */
	bool mem_ok;                    /* mem[] was read */
	uint64_t mem_base;              /* target address of mem[0] (addr - 32, 4-aligned) */
	uint32_t mem[SNAP_FUTEX_WORDS]; /* 64 bytes of target memory around addr */
	char *symbol;                   /* data symbol containing addr ("ledger_lock"), NULL unknown */
	uint64_t symbol_addr;           /* target address where that symbol starts */
	uint64_t symbol_size;           /* its size in bytes (0 unknown) */
};

struct snap_thread {
	int tid;
	char name[64];
	char state;
	double cpu_user_pct, cpu_sys_pct;
	char syscall[32];               /* "" = not in a syscall or unknown */
	bool syscall_known;             /* false: syscall field is null */
	char wchan[64];                 /* "" = null */
	double blocked_s;               /* time in the same syscall; 0 running; NAN unknown */
	int *stack;                     /* latest sampled stack: indices into profile->frames,
					   innermost first; NULL when not sampled */
	int nstack;
	/* Added for lock analysis and the thread view (issue 4). */
	char syscall_arg[192];          /* the key argument, decoded: "futex 0x5600aa10",
					   "fd 7: TCP 10.0.0.1:5432 -> 10.0.0.2:40312 ESTABLISHED",
					   "fd 3: pipe:[1234]", "fd 4: /var/log/x"; "" = none */
	struct snap_futex futex;        /* futex wait details; futex.valid false otherwise */
	int top_frame;                  /* index into profile->frames of the first frame of the
					   program itself (libc/runtime wrappers skipped); -1 unknown */
	int64_t ctx_vol, ctx_invol;     /* cumulative context switches (task status); -1 unknown */
	int stalled_polls;              /* consecutive poll intervals in the same wait (same syscall
					   and first argument) with no context switch at all */
	uint64_t lock_addr;             /* address of the lock object it waits for (locks.c); 0 none */
};

/* One TCP socket of the process (for the sockets pane and fd decoding). */
struct snap_socket {
	int fd;                         /* lowest fd that refers to it; -1 unknown */
	uint64_t inode;
	int state;                      /* enum tcp_state */
	char local[64], remote[64];     /* "127.0.0.1:8080", "[::1]:443" */
	int64_t rx_queue, tx_queue;     /* bytes queued (LISTEN: accept queue / backlog); -1 unknown */
};

/* A waiter of a lock. */
struct snap_lock_waiter {
	int tid;
	double wait_s;                  /* how long it has waited (blocked_s); NAN unknown */
	enum lock_mode mode;            /* read / write for an rwlock, else NONE */
	char *function;                 /* where it waits: first program frame; NULL unknown */
	uint64_t futex;                 /* the futex word it sleeps on (rwlock: lock+8 or +12) */
};

/* One futex address that threads wait on (locks.c). */
struct snap_lock {
	uint64_t address;               /* the lock object's address (not always the futex word) */
	char *symbol;                   /* variable name, "ledger_lock" (or "arena+16"); NULL unknown */
	enum lock_kind kind;            /* mutex, rwlock, condvar, pi_mutex, internal, join,
					   semaphore, unknown */
	int owner_tid;                  /* SNAP_UNKNOWN when the lock does not record it ("join": the
					   thread being joined) */
	char *owner_function;           /* where the owner is now (first program frame); NULL unknown */
	char owner_state;               /* owner's thread state, '?' unknown */
	char owner_syscall[32];         /* what the owner is blocked in, "" none/unknown */
	struct snap_lock_waiter *waiters;
	int nwaiters;
	double max_wait_s;              /* longest wait among waiters; NAN unknown */
	int *waiters_history;           /* waiter count at each poll, oldest first (contention) */
	int nwaiters_history;
	bool contended;                 /* many waiters across polls */
	bool in_deadlock;
	/* Added with the lock analysis (issue 4). */
	char owner_syscall_arg[192];    /* the owner's syscall argument decoded (thread.syscall_arg) */
	double owner_blocked_s;         /* how long the owner has been in that syscall; NAN unknown */
	int *owner_stack;               /* owner's latest stack: indices into profile->frames,
					   innermost first; NULL unknown */
	int nowner_stack;
	int readers;                    /* rwlock: readers holding it now; SNAP_UNKNOWN otherwise */
	uint64_t size;                  /* bytes of the lock object (40 mutex, 56 rwlock, ...); 0 unknown */
};

/* A cycle in the wait-for graph that made no progress (locks.c). */
struct snap_deadlock {
	int *tids; int ntids;           /* in cycle order: tids[i] waits for a lock held by tids[i+1] */
	uint64_t *locks; int nlocks;    /* locks[i] is what tids[i] waits for */
	char **symbols;                 /* name of locks[i] or NULL */
	double stalled_s;               /* how long the cycle has shown no progress */
	char **functions;               /* where tids[i] waits (first program frame) or NULL */
	enum lock_kind *kinds;          /* kind of locks[i]; NONE where not recorded */
};

/* Goroutines grouped by identical stack and wait reason (golang.c). */
struct snap_gr_group {
	int64_t count;
	enum gr_status status;          /* waiting, runnable, running, syscall, ... */
	char wait_reason[48];           /* "chan receive", "" when not waiting */
	double max_wait_s;              /* longest wait in the group (runtime waitsince); NAN unknown */
	char **frames; int nframes;     /* function names, innermost first */
	int64_t *goids; int ngoids;     /* a few goroutine ids of the group */
	/* Added by the goroutine reader (issue 7). */
	int *tids; int ntids;           /* threads (m.procid) running goroutines of the group */
	double stalled_s;               /* every goroutine of the group stayed parked in the same
					   place (no progress) for at least this long; NAN unknown */
	bool deadlock_hint;             /* waits on a sync.Mutex/RWMutex with no progress over the
					   whole window (goroutines.h) */
};

/* A name with a count (by status, by wait reason). */
struct snap_count {
	char name[48];
	int64_t count;
};

struct snap_goroutines {
	int64_t count;                  /* goroutines that exist (not dead) */
	char go_version[32];            /* "go1.19.8" */
	struct snap_count *by_status; int nby_status;
	struct snap_count *by_wait_reason; int nby_wait_reason;
	struct snap_gr_group *groups; int ngroups;   /* largest first */
	double read_ms;                 /* time cdtop took to read them */
	char layout[32];                /* where struct offsets came from: "dwarf", "table go1.21" */
	/* Added by the goroutine reader (issue 7). */
	int64_t system;                 /* runtime goroutines (GC workers...), not in count */
	int64_t created_during_read;    /* g structs the runtime added while we read (lower bound) */
	int64_t moved_during_read;      /* goroutines that ran while their stack was read, twice:
					   their frames may be partial */
};

/* One item of the triage checklist (triage.c). */
struct snap_check {
	char id[32];                    /* "cpu-user", "fd-limit", "manual-deploy" ... */
	char title[96];
	enum check_status status;       /* ok, warn, alert, unknown, manual */
	char *evidence;                 /* the figures the verdict used; for manual items the answer */
	char *next_step;
	enum check_pane pane;           /* pane that shows the evidence: funcs, threads, locks,
					   files, goroutines, overview */
	enum check_answer answer;       /* manual items: yes, no, unknown; NONE not answered */
	char *note;                     /* manual items: the engineer's one-line note, NULL none */
};

/* A symbolized frame, shared by every stack that contains it. */
struct snap_frame {
	char *function;                 /* "validate_record", or "libfoo.so+0x1234" when unknown */
	char *module;                   /* path of the module, "[unknown]" outside any */
};

/* Identical samples of one thread, merged. */
struct snap_stack {
	int64_t count;
	int tid;
	bool running;                   /* the thread was on CPU (state R) when sampled */
	int nframes;
	int *frames;                    /* indices into profile->frames, innermost first */
};

/* One row of the top-functions table. */
struct snap_top {
	int frame;                      /* index into profile->frames */
	int64_t flat, cum;              /* samples with it innermost / anywhere */
	double flat_pct, cum_pct;       /* of the samples counted in the mode */
};

struct snap_profile {
	enum profile_mode mode;         /* CPU (running samples only) or WALL (all) */
	double frequency_hz;            /* sampling rate per thread in effect at the end */
	double requested_hz;            /* -F */
	int64_t samples;                /* samples counted in mode */
	int64_t samples_total;          /* all samples (both modes) */
	int64_t stops;                  /* times a thread was stopped */
	double pause_us_p50, pause_us_p99, pause_us_max; /* per stop; NAN when none */
	double duration_s;              /* span the samples cover */
	struct snap_frame *frames; int nframes;
	struct snap_stack *stacks; int nstacks;
	struct snap_top *top; int ntop;
	char status[512];               /* "" or a note: rate lowered, process stopped */
};

struct snap_error {
	char source[32];                /* collector: "process", "fds", "tcp", ... */
	char *message;
};

struct snapshot {
	char cdtop_version[32];
	double taken_at;                /* UTC seconds since the epoch, end of window */
	double window_s;
	struct snap_host host;
	struct snap_process proc;
	struct snap_hist *history; int nhistory;
	struct snap_thread *threads; int nthreads;
	struct snap_error *errors; int nerrors;
	struct snap_profile *profile;   /* NULL: no stacks (not sampled or not permitted) */
	struct snap_socket *sockets;    /* NULL: unknown */
	int nsockets;
	struct snap_lock *locks;        /* NULL: not analysed (null in JSON); else nlocks >= 0 */
	int nlocks;
	struct snap_deadlock *deadlocks;/* NULL: not analysed */
	int ndeadlocks;
	struct snap_goroutines *goroutines; /* NULL: not a Go program, or not read */
	struct snap_check *checklist;   /* NULL: not evaluated */
	int nchecks;
	bool replay;                    /* loaded from a file (snapshot_load.c) */
};

/* Allocate an empty snapshot with every figure unknown. Never NULL. */
struct snapshot *snapshot_new(void);

/* Free a snapshot and everything it owns. NULL is a no-op. */
void snapshot_free(struct snapshot *s);

/* Append an error record (message is copied). */
void snapshot_add_error(struct snapshot *s, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Free the arrays of locks, deadlocks, goroutines, checklist and sockets
 * of s and set them to NULL (not analysed). */
void snapshot_free_analysis(struct snapshot *s);

/* Free a goroutines record. NULL is a no-op. */
void snap_goroutines_free(struct snap_goroutines *g);

/* Free the strings of one checklist item (not the item). */
void snap_check_fini(struct snap_check *c);

/* Free a profile and everything it owns. NULL is a no-op. */
void snap_profile_free(struct snap_profile *p);

/* Free the exe, argv and cgroup path of p and set them unknown (NULL). */
void snap_process_free_strings(struct snap_process *p);

/* Set every figure of `p` to unknown. */
void snap_process_clear(struct snap_process *p);

#endif
