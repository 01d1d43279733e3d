/*
 * proc_parse.h - pure parsers for the /proc and /sys text formats cdtop
 * reads. They take a buffer and fill a struct: no IO, so each is unit
 * tested from fixture files in tests/fixtures/.
 */
#ifndef CDTOP_PROC_PARSE_H
#define CDTOP_PROC_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "syscall_names.h"             /* parse_syscall's nr, named */

/* Fields of /proc/PID/stat or /proc/PID/task/TID/stat we use. */
struct task_stat {
	char comm[64];
	char state;
	int ppid;
	unsigned long flags;            /* PF_* (PF_KTHREAD = 0x00200000) */
	uint64_t minflt, majflt;
	uint64_t utime, stime;          /* clock ticks */
	int64_t num_threads;
	uint64_t starttime;             /* clock ticks after boot */
	uint64_t vsize;                 /* bytes */
	int processor;
};

#define PF_KTHREAD_FLAG 0x00200000UL

/* Parse a stat line. Returns 0, or -1 when malformed. comm may contain
 * spaces and parentheses: it runs to the last ')'. */
int parse_task_stat(const char *buf, struct task_stat *out);

/* Fields of /proc/PID/status we use; -1 where the line is absent. */
struct proc_status {
	int64_t vm_rss_kb, rss_anon_kb, rss_file_kb, rss_shmem_kb, vm_size_kb, vm_swap_kb;
	int64_t ctx_vol, ctx_invol;
	int64_t threads;
	int tracer_pid;
	int uid;                        /* real uid */
};

/* Parse /proc/PID/status. Always succeeds; missing lines stay -1. */
void parse_status(const char *buf, struct proc_status *out);

/* Parse /proc/PID/io read_bytes and write_bytes. Returns 0 or -1. */
int parse_io(const char *buf, uint64_t *read_bytes, uint64_t *write_bytes);

/* Soft "Max open files" limit from /proc/PID/limits: INT64_MAX when
 * unlimited, -1 when absent. */
int64_t parse_limits_nofile(const char *buf);

/* /proc/PID/task/TID/syscall. */
struct task_syscall {
	enum { SYSCALL_RUNNING, SYSCALL_NONE, SYSCALL_IN } kind; /* "running", "-1 ...", "nr ..." */
	long nr;
	uint64_t args[6];
};

/* Parse a syscall line. Returns 0 or -1 when malformed. */
int parse_syscall(const char *buf, struct task_syscall *out);

/* The "tw" figure (TIME_WAIT sockets of the network namespace) of the
 * "TCP:" line of /proc/PID/net/sockstat, or -1 when absent. */
int64_t parse_sockstat_tw(const char *buf);

/* First field (run time in ns) of /proc/PID/task/TID/schedstat, or -1. */
int64_t parse_schedstat_run_ns(const char *buf);

/* From /proc/PID/cgroup: the v2 path ("0::/x") and the v1 path of the
 * cpu controller. Either is "" when absent. Returns 0. */
int parse_cgroup(const char *buf, char *v2, size_t v2len, char *v1cpu, size_t v1len);

/* nr_periods and nr_throttled from a cpu.stat (v1 or v2). Returns 0 or -1. */
int parse_cpu_stat(const char *buf, uint64_t *nr_periods, uint64_t *nr_throttled);

/* Mount point of the cgroup filesystem of the given type ("cgroup2", or
 * "cgroup" with option `opt`, e.g. "cpu") from /proc/self/mountinfo text.
 * Returns 0 and fills mnt, or -1. */
int parse_mountinfo_cgroup(const char *buf, const char *fstype, const char *opt,
			   char *mnt, size_t mntlen);

enum fd_type { FD_FILE, FD_SOCKET, FD_PIPE, FD_ANON_INODE, FD_OTHER };

/* Classify a /proc/PID/fd link target; for sockets *ino gets the inode. */
enum fd_type fd_classify(const char *link, uint64_t *ino);

/* One line of /proc/PID/net/tcp or tcp6 (not the header). Returns 0 and
 * fills state and inode, or -1 for a header or malformed line. */
int parse_net_tcp_line(const char *line, int *state, uint64_t *ino);

/* Everything of one /proc/PID/net/tcp or tcp6 line cdtop shows. */
struct net_tcp_entry {
	int family;                     /* 4 or 6 */
	uint8_t local[16], remote[16];  /* network byte order (IPv4 in the first 4 bytes) */
	uint16_t lport, rport;
	int state;                      /* enum tcp_state */
	int64_t tx_queue, rx_queue;     /* bytes (LISTEN: rx = accept queue) */
	uint64_t ino;                   /* 0 for TIME_WAIT and orphans */
};

/* Parse one line of net/tcp or net/tcp6 (hand-written: 50,000-line
 * tables are read every second). Returns 0, or -1 for a header or
 * malformed line. */
int parse_net_tcp_entry(const char *line, struct net_tcp_entry *e);

/* "127.0.0.1:8080" or "[::1]:443" into buf (family 4 or 6, addr in
 * network byte order). Returns buf. */
char *format_inet(int family, const uint8_t *addr, uint16_t port, char *buf, size_t n);

#endif
