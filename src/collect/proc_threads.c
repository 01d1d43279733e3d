/*
 * proc_threads.c - per-thread readings from /proc/PID/task/TID/.
 *
 * For each thread: stat (state, CPU ticks, name), syscall (current
 * syscall number and arguments), wchan, status (context switches), and
 * schedstat (run time in ns,
 * which the observer uses to tell "blocked all along" from "ran and
 * blocked again"). Files are opened relative to the task directory fd so
 * a 10,000-thread process costs five small opens per thread and no path
 * lookups from /. Threads that exit while being read are skipped.
 */
#include "collect.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_tid(const void *a, const void *b)
{
	const struct thread_reading *x = a, *y = b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Context switches (task status) and run time (schedstat) of one thread;
 * what cannot be read stays as it was. */
static void read_progress(int taskdir, int tid, int64_t *vol, int64_t *invol, int64_t *run_ns)
{
	char path[64], buf[128], sbuf[4096];
	/* Context switches are per task: process-wide rates are summed from
	 * these (the leader's /proc/PID/status counts only itself). */
	snprintf(path, sizeof(path), "%d/status", tid);
	if (read_file_at(taskdir, path, sbuf, sizeof(sbuf)) > 0) {
		char *v = strstr(sbuf, "\nvoluntary_ctxt_switches:");
		char *nv = strstr(sbuf, "\nnonvoluntary_ctxt_switches:");
		if (v && nv) {
			*vol = strtoll(v + 25, NULL, 10);
			*invol = strtoll(nv + 28, NULL, 10);
		}
	}
	snprintf(path, sizeof(path), "%d/schedstat", tid);
	if (read_file_at(taskdir, path, buf, sizeof(buf)) > 0)
		*run_ns = parse_schedstat_run_ns(buf);
}

int thread_read_progress(int piddir, int tid, int64_t *ctx_vol, int64_t *ctx_invol, int64_t *run_ns)
{
	int taskdir = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskdir < 0)
		return -errno;
	read_progress(taskdir, tid, ctx_vol, ctx_invol, run_ns);
	close(taskdir);
	return 0;
}

/* Read one thread; returns 0, or -1 when it vanished. */
static int read_one(int taskdir, int tid, struct thread_reading *t)
{
	char path[64], buf[1024];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->run_ns = -1;
	t->ctx_vol = t->ctx_invol = -1;

	snprintf(path, sizeof(path), "%d/stat", tid);
	if (read_file_at(taskdir, path, buf, sizeof(buf)) <= 0)
		return -1;
	if (parse_task_stat(buf, &t->st) < 0)
		return -1;
	str_copy(t->name, t->st.comm, sizeof(t->name));

	if (t->st.state == 'R') {
		/* On a CPU: no syscall to wait in, no wait channel. */
		t->sc_ok = true;
		t->sc.kind = SYSCALL_RUNNING;
		t->sc.nr = -1;
	} else {
		snprintf(path, sizeof(path), "%d/syscall", tid);
		t->sc_ok = read_file_at(taskdir, path, buf, sizeof(buf)) > 0 &&
			   parse_syscall(buf, &t->sc) == 0;
		snprintf(path, sizeof(path), "%d/wchan", tid);
		if (read_file_at(taskdir, path, buf, sizeof(buf)) > 0 && strcmp(buf, "0") != 0)
			str_copy(t->wchan, buf, sizeof(t->wchan));
	}

	read_progress(taskdir, tid, &t->ctx_vol, &t->ctx_invol, &t->run_ns);
	return 0;
}

int threads_read(int piddir, struct thread_reading **out, int *n)
{
	*out = NULL;
	*n = 0;
	int taskdir = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskdir < 0)
		return -errno;
	int dfd = dup(taskdir);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		close(taskdir);
		return -e;
	}
	size_t cap = 64, cnt = 0;
	struct thread_reading *arr = xmalloc(cap * sizeof(*arr));
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		int tid = atoi(de->d_name);
		ARRAY_GROW(arr, cnt, cap, 64);
		if (read_one(taskdir, tid, &arr[cnt]) == 0)
			cnt++;
	}
	closedir(d);
	close(taskdir);
	qsort(arr, cnt, sizeof(*arr), cmp_tid);
	*out = arr;
	*n = (int)cnt;
	return 0;
}
