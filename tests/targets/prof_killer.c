/*
 * prof_killer - drives the kill -9 safety test
 * (tests/sampler/test_safety_kill9.sh): starts cdtop against a target
 * again and again and SIGKILLs it at a random moment while it samples,
 * then checks that no thread of the target is left traced or stopped.
 *
 *   prof_killer CDTOP PID OUTDIR KILLS WARMUP_MS MAXSLEEP_MS
 *
 * For each of KILLS rounds: fork and exec
 *   CDTOP -p PID --snapshot OUTDIR/k.json --duration 60 -F 1000
 * sleep WARMUP_MS + a random 0..MAXSLEEP_MS ms, scan the target's threads
 * (TracerPid in task/TID/status, state in task/TID/stat), SIGKILL cdtop,
 * scan again at once, reap cdtop, and poll every 0.2 ms for up to 200 ms
 * until every thread has TracerPid 0 and a state other than t or T.
 *
 * Prints one line per round that found a thread traced or stayed dirty,
 * and a summary:
 *   kills=N traced_before_kill=N traced_right_after_kill=N
 *   stopped_right_after_kill=N dirty_after_200ms=N max_clean_us=N
 *   mean_clean_us=N cdtop_exited_early=N
 * Exits 1 if any round stayed dirty for 200 ms or the target died.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct scan {
	int threads;
	int traced;        /* TracerPid != 0 */
	int stopped;       /* state t or T */
	char detail[512];
};

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void sleep_us(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* Returns -1 when the process is gone. */
static int scan_target(int pid, struct scan *s)
{
	char path[128], buf[4096];
	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		int tid = atoi(de->d_name);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
		if (read_small(path, buf, sizeof(buf)) <= 0)
			continue;
		char *rp = strrchr(buf, ')');
		char state = rp && rp[1] && rp[2] ? rp[2] : '?';
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
		int tracer = 0;
		if (read_small(path, buf, sizeof(buf)) > 0) {
			char *tp = strstr(buf, "TracerPid:");
			if (tp)
				tracer = atoi(tp + 10);
		}
		s->threads++;
		if (tracer)
			s->traced++;
		if (state == 't' || state == 'T')
			s->stopped++;
		if ((tracer || state == 't' || state == 'T') && strlen(s->detail) < sizeof(s->detail) - 40) {
			size_t l = strlen(s->detail);
			snprintf(s->detail + l, sizeof(s->detail) - l, " tid %d state %c tracer %d;", tid, state, tracer);
		}
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: prof_killer CDTOP PID OUTDIR KILLS WARMUP_MS MAXSLEEP_MS\n");
		return 2;
	}
	const char *cdtop = argv[1];
	int pid = atoi(argv[2]);
	const char *outdir = argv[3];
	int kills = atoi(argv[4]);
	long warmup = atol(argv[5]), maxsleep = atol(argv[6]);
	char snap[4096], pidarg[32];
	snprintf(snap, sizeof(snap), "%s/k.json", outdir);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	srand((unsigned)(time(NULL) ^ getpid()));
	setvbuf(stdout, NULL, _IOLBF, 0);

	int traced_before = 0, traced_after = 0, stopped_after = 0, dirty = 0, early = 0;
	double max_clean = 0, sum_clean = 0;
	for (int k = 0; k < kills; k++) {
		pid_t c = fork();
		if (c < 0) {
			perror("fork");
			return 1;
		}
		if (c == 0) {
			int devnull = open("/dev/null", O_RDWR);
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
			execl(cdtop, cdtop, "-p", pidarg, "--snapshot", snap, "--duration", "60",
			      "-F", "1000", (char *)NULL);
			_exit(127);
		}
		sleep_us(1000 * (warmup + (maxsleep > 0 ? rand() % (maxsleep + 1) : 0)));
		struct scan before, after;
		if (scan_target(pid, &before) < 0) {
			printf("round %d: target %d is gone\n", k, pid);
			kill(c, SIGKILL);
			waitpid(c, NULL, 0);
			return 1;
		}
		int st;
		if (waitpid(c, &st, WNOHANG) == c) {
			early++;
			printf("round %d: cdtop exited by itself before the kill (status 0x%x)\n", k, st);
			continue;
		}
		double t0 = now_us();
		kill(c, SIGKILL);
		scan_target(pid, &after);
		if (before.traced)
			traced_before++;
		if (after.traced)
			traced_after++;
		if (after.stopped)
			stopped_after++;
		waitpid(c, &st, 0);
		double clean_at = -1;
		struct scan s;
		for (;;) {
			if (scan_target(pid, &s) < 0) {
				printf("round %d: target %d died after the kill\n", k, pid);
				return 1;
			}
			double t = now_us() - t0;
			if (!s.traced && !s.stopped) {
				clean_at = t;
				break;
			}
			if (t > 200000)
				break;
			sleep_us(200);
		}
		if (clean_at < 0) {
			dirty++;
			printf("round %d: still dirty 200 ms after kill -9 of cdtop %d:%s\n", k, (int)c, s.detail);
		} else {
			if (clean_at > max_clean)
				max_clean = clean_at;
			sum_clean += clean_at;
		}
		if (before.traced || after.traced)
			printf("round %d: before kill:%s | right after:%s | clean after %.0f us\n", k,
			       before.detail[0] ? before.detail : " none", after.detail[0] ? after.detail : " none",
			       clean_at);
	}
	int done = kills - early - dirty;
	printf("kills=%d traced_before_kill=%d traced_right_after_kill=%d stopped_right_after_kill=%d "
	       "dirty_after_200ms=%d max_clean_us=%.0f mean_clean_us=%.0f cdtop_exited_early=%d\n",
	       kills - early, traced_before, traced_after, stopped_after, dirty, max_clean,
	       done > 0 ? sum_clean / done : 0.0, early);
	return dirty ? 1 : 0;
}
