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

#define SNAP_UNKNOWN (-1)
#define SNAP_FORMAT_VERSION 1

/* TCP states, numbered as in the kernel (include/net/tcp_states.h). */
enum tcp_state {
	TCP_ST_ESTABLISHED = 1, TCP_ST_SYN_SENT, TCP_ST_SYN_RECV,
	TCP_ST_FIN_WAIT1, TCP_ST_FIN_WAIT2, TCP_ST_TIME_WAIT, TCP_ST_CLOSE,
	TCP_ST_CLOSE_WAIT, TCP_ST_LAST_ACK, TCP_ST_LISTEN, TCP_ST_CLOSING,
	TCP_ST_MAX
};

/* Name of a TCP state as in the snapshot ("ESTABLISHED"), or NULL. */
const char *tcp_state_name(int st);

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
	char source[16];                /* "netlink" or "proc" */
};

struct snap_process {
	int pid, ppid;
	char comm[64];
	char *exe;                      /* NULL when unreadable */
	char **argv;                    /* NULL when unreadable */
	int argc;
	char state;                     /* R S D T t Z X I */
	double uptime_s;
	char runtime[16];               /* "native" or "go" */
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
};

/* One per-second point of the history ring. */
struct snap_hist {
	double t;                       /* seconds since the first point */
	double cpu_user_pct, cpu_sys_pct;
	int64_t rss_kb, threads, fds, goroutines;
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
	char mode[8];                   /* "cpu" (running samples only) or "wall" (all) */
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
};

/* Allocate an empty snapshot with every figure unknown. Never NULL. */
struct snapshot *snapshot_new(void);

/* Free a snapshot and everything it owns. NULL is a no-op. */
void snapshot_free(struct snapshot *s);

/* Append an error record (message is copied). */
void snapshot_add_error(struct snapshot *s, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Free a profile and everything it owns. NULL is a no-op. */
void snap_profile_free(struct snap_profile *p);

/* Free the exe, argv and cgroup path of p and set them unknown (NULL). */
void snap_process_free_strings(struct snap_process *p);

/* Set every figure of `p` to unknown. */
void snap_process_clear(struct snap_process *p);

#endif
