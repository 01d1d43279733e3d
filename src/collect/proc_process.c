/*
 * proc_process.c - process-wide figures of the target.
 *
 * stat and status are parsed by libproc2 (procps-ng 4), the library top
 * and ps use, through procps_pids_select on the one pid. What libproc2
 * does not expose, or would silently turn into 0 when unreadable
 * (context switches, /proc/PID/io, cgroup cpu.stat), is read here so that
 * "unknown" stays distinguishable from zero.
 *
 * libproc2 4.0.2 vs 4.0.5 differ in the PIDS_VAL macro; results are read
 * by index from stack->head[] which works with both.
 */
#include "collect.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libproc2/pids.h>

enum {
	I_CMD, I_STATE, I_PPID, I_FLAGS, I_FLT_MIN, I_FLT_MAJ, I_UTIME, I_STIME,
	I_NLWP, I_BEGAN, I_RSS, I_RSS_ANON, I_RSS_FILE, I_RSS_SHM, I_VSZ, I_SWAP,
	I_COUNT
};

static enum pids_item items[I_COUNT] = {
	[I_CMD] = PIDS_CMD, [I_STATE] = PIDS_STATE, [I_PPID] = PIDS_ID_PPID,
	[I_FLAGS] = PIDS_FLAGS, [I_FLT_MIN] = PIDS_FLT_MIN, [I_FLT_MAJ] = PIDS_FLT_MAJ,
	[I_UTIME] = PIDS_TICS_USER, [I_STIME] = PIDS_TICS_SYSTEM, [I_NLWP] = PIDS_NLWP,
	[I_BEGAN] = PIDS_TICS_BEGAN, [I_RSS] = PIDS_VM_RSS, [I_RSS_ANON] = PIDS_VM_RSS_ANON,
	[I_RSS_FILE] = PIDS_VM_RSS_FILE, [I_RSS_SHM] = PIDS_VM_RSS_SHARED,
	[I_VSZ] = PIDS_VM_SIZE, [I_SWAP] = PIDS_VM_SWAP,
};

static struct pids_info *pinfo;

int process_collector_init(void)
{
	if (pinfo)
		return 0;
	return procps_pids_new(&pinfo, items, I_COUNT) < 0 ? -1 : 0;
}

void process_collector_fini(void)
{
	if (pinfo)
		procps_pids_unref(&pinfo);
	pinfo = NULL;
}

/* Find the cgroup v2 (or v1 cpu) directory and read cpu.stat. */
static void read_cgroup(int piddir, struct process_reading *r)
{
	static char v2mnt[256], v1mnt[256];
	static int mounts_read;
	char buf[4096], v2[512], v1[512];

	r->cg_ok = false;
	r->cgroup_path[0] = '\0';
	if (!mounts_read) {
		char *mi = read_file_alloc_at(AT_FDCWD, "/proc/self/mountinfo", NULL);
		if (mi) {
			if (parse_mountinfo_cgroup(mi, "cgroup2", NULL, v2mnt, sizeof(v2mnt)) < 0)
				v2mnt[0] = '\0';
			if (parse_mountinfo_cgroup(mi, "cgroup", "cpu", v1mnt, sizeof(v1mnt)) < 0)
				v1mnt[0] = '\0';
			free(mi);
		}
		mounts_read = 1;
	}
	if (read_file_at(piddir, "cgroup", buf, sizeof(buf)) < 0)
		return;
	parse_cgroup(buf, v2, sizeof(v2), v1, sizeof(v1));
	char path[1024];
	uint64_t per, thr;
	if (v2[0] && v2mnt[0]) {
		str_copy(r->cgroup_path, v2, sizeof(r->cgroup_path));
		snprintf(path, sizeof(path), "%s%s/cpu.stat", v2mnt, strcmp(v2, "/") ? v2 : "");
		if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) >= 0 &&
		    parse_cpu_stat(buf, &per, &thr) == 0) {
			r->cg_ok = true;
			r->cg_periods = per;
			r->cg_throttled = thr;
			return;
		}
	}
	if (v1[0] && v1mnt[0]) {
		if (!r->cgroup_path[0])
			str_copy(r->cgroup_path, v1, sizeof(r->cgroup_path));
		snprintf(path, sizeof(path), "%s%s/cpu.stat", v1mnt, strcmp(v1, "/") ? v1 : "");
		if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) >= 0 &&
		    parse_cpu_stat(buf, &per, &thr) == 0) {
			r->cg_ok = true;
			r->cg_periods = per;
			r->cg_throttled = thr;
		}
	}
}

int process_read(int pid, int piddir, struct process_reading *r)
{
	char buf[8192];
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->t = now_mono();
	/* Probe with our own read first: libproc2 does not tell ESRCH from
	 * EACCES, and the caller needs to know which. */
	n = read_file_at(piddir, "stat", buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	if (n == 0)
		return -ESRCH;
	if (process_collector_init() < 0)
		return -ENOMEM;

	unsigned upid = (unsigned)pid;
	struct pids_fetch *f = procps_pids_select(pinfo, &upid, 1, PIDS_SELECT_PID);
	if (!f || f->counts->total < 1)
		return -ESRCH;
	struct pids_result *h = f->stacks[0]->head;
	str_copy(r->comm, h[I_CMD].result.str ? h[I_CMD].result.str : "", sizeof(r->comm));
	r->state = (char)h[I_STATE].result.s_ch;
	r->ppid = h[I_PPID].result.s_int;
	r->flags = h[I_FLAGS].result.ul_int;
	r->minflt = h[I_FLT_MIN].result.ul_int;
	r->majflt = h[I_FLT_MAJ].result.ul_int;
	r->utime = h[I_UTIME].result.ull_int;
	r->stime = h[I_STIME].result.ull_int;
	r->threads = h[I_NLWP].result.s_int;
	r->starttime = h[I_BEGAN].result.ull_int;
	r->rss_kb = (int64_t)h[I_RSS].result.ul_int;
	r->rss_anon_kb = (int64_t)h[I_RSS_ANON].result.ul_int;
	r->rss_file_kb = (int64_t)h[I_RSS_FILE].result.ul_int;
	r->rss_shmem_kb = (int64_t)h[I_RSS_SHM].result.ul_int;
	r->vsz_kb = (int64_t)h[I_VSZ].result.ul_int;
	r->swap_kb = (int64_t)h[I_SWAP].result.ul_int;

	/* Context switches and the tracer: from status, which libproc2 has
	 * no items for. The process-level status sums all threads. */
	r->ctx_vol = r->ctx_invol = -1;
	r->tracer_pid = -1;
	if (read_file_at(piddir, "status", buf, sizeof(buf)) > 0) {
		struct proc_status st;
		parse_status(buf, &st);
		r->ctx_vol = st.ctx_vol;
		r->ctx_invol = st.ctx_invol;
		r->tracer_pid = st.tracer_pid;
		if (st.vm_rss_kb < 0) {   /* zombie or kernel thread: no mm */
			r->rss_kb = r->rss_anon_kb = r->rss_file_kb = -1;
			r->rss_shmem_kb = r->vsz_kb = r->swap_kb = -1;
		}
	}
	r->io_ok = read_file_at(piddir, "io", buf, sizeof(buf)) > 0 &&
		   parse_io(buf, &r->io_read, &r->io_write) == 0;
	read_cgroup(piddir, r);
	return 0;
}

void process_read_identity(int piddir, struct snap_process *p)
{
	char link[4096];
	ssize_t n = readlinkat(piddir, "exe", link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		p->exe = xstrdup(link);
	}
	size_t len;
	char *cl = read_file_alloc_at(piddir, "cmdline", &len);
	if (cl) {
		int argc = 0;
		for (size_t i = 0; i < len; i++)
			if (cl[i] == '\0')
				argc++;
		if (len && cl[len - 1] != '\0')
			argc++;
		p->argv = xcalloc((size_t)argc + 1, sizeof(char *));
		size_t off = 0;
		for (int i = 0; i < argc && off < len; i++) {
			p->argv[i] = xstrdup(cl + off);
			off += strlen(cl + off) + 1;
		}
		p->argc = argc;
		free(cl);
	}
}
