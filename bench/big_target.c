/*
 * big_target.c - a deliberately large, idle process for cdtop benchmarks.
 *
 *   big_target [-t THREADS] [-f FDS] [-s SOCKETS] [-a ALARM_SECS]
 *
 * Builds, in this order:
 *   - S TCP sockets on loopback (default 50000): S/2 connected pairs with
 *     both ends in this process, plus a few listening sockets;
 *   - filler fds up to F open fds in total (default 100000), alternating
 *     /dev/null opens and eventfds;
 *   - T extra threads (default 10000), 64 KiB stacks, all blocked in
 *     pthread_cond_wait.
 * Then prints one line on stdout (details on stderr) and sleeps:
 *   ready threads=T+1 fds=N established=2*(S/2) listen=L
 * with the counts the process then shows (threads include main; fds are
 * counted in /proc/self/fd and include stdio and anything inherited, = F).
 * alarm(ALARM_SECS, default 600) ends it if nobody else does.
 *
 * Port budget: the ephemeral range (ip_local_port_range, ~28k ports on
 * Debian) would run out if every client came from 127.0.0.1 to one
 * listener, so clients bind to many source addresses in 127.2.0.0/16
 * with IP_BIND_ADDRESS_NO_PORT (the port is picked at connect() time,
 * unique per 4-tuple, not per address) and spread over several
 * listeners on 127.1.0.x. All sockets get SO_LINGER {1,0} so that when
 * the process dies they are reset and leave no TIME_WAIT behind.
 *
 * Needs RLIMIT_NOFILE > F: it raises it itself (to max(200000, F + 64),
 * capped by fs.nr_open); raising the hard limit needs CAP_SYS_RESOURCE,
 * which even root may lack in a container: then it uses the hard limit
 * and exits 3 if F does not fit. Kernel limits for threads (kernel.pid_max,
 * kernel.threads-max, vm.max_map_count) are the caller's business; the
 * bench scripts check and raise them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define STACK_SIZE (64 * 1024)
#define BATCH 512            /* connects before draining the accept queues */
#define PAIRS_PER_LISTENER 4000
#define NSRC 256             /* client source addresses 127.2.x.y */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started;

static void die(const char *what)
{
	fprintf(stderr, "big_target: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long arg_long(const char *s, const char *name)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "big_target: invalid %s '%s'\n", name, s);
		exit(2);
	}
	return v;
}

static void *idle_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	started++;
	pthread_cond_broadcast(&cv);
	for (;;)
		pthread_cond_wait(&cv, &mu);   /* never signalled again */
	return NULL;
}

static void no_linger(int fd)
{
	struct linger l = {.l_onoff = 1, .l_linger = 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

static long read_long_file(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static long count_own_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	long n = 0;
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			n++;
	closedir(d);
	return n - 1;   /* the directory's own fd was listed too */
}

static void make_sockets(long pairs, int *nlisteners_out)
{
	int nl = (int)(pairs / PAIRS_PER_LISTENER) + 1;
	int *lfd = calloc((size_t)nl, sizeof(int));
	struct sockaddr_in *laddr = calloc((size_t)nl, sizeof(*laddr));
	if (!lfd || !laddr)
		die("calloc");
	for (int i = 0; i < nl; i++) {
		lfd[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (lfd[i] < 0)
			die("socket (listener)");
		int one = 1;
		setsockopt(lfd[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		no_linger(lfd[i]);
		memset(&laddr[i], 0, sizeof(laddr[i]));
		laddr[i].sin_family = AF_INET;
		laddr[i].sin_addr.s_addr = htonl(0x7f010001u + (uint32_t)i); /* 127.1.0.1+i */
		laddr[i].sin_port = 0;
		if (bind(lfd[i], (struct sockaddr *)&laddr[i], sizeof(laddr[i])) < 0)
			die("bind (listener)");
		socklen_t len = sizeof(laddr[i]);
		if (getsockname(lfd[i], (struct sockaddr *)&laddr[i], &len) < 0)
			die("getsockname");
		if (listen(lfd[i], 4096) < 0)
			die("listen");
	}

	long done = 0;
	while (done < pairs) {
		long batch = pairs - done < BATCH ? pairs - done : BATCH;
		/* Connect a batch, spread over listeners so no queue overflows
		 * (BATCH / nl per queue, far below somaxconn). */
		for (long k = 0; k < batch; k++) {
			long j = done + k;
			int li = (int)(j % nl);
			int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (c < 0)
				die("socket (client)");
			int one = 1;
			setsockopt(c, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
			no_linger(c);
			struct sockaddr_in src = {.sin_family = AF_INET};
			src.sin_addr.s_addr = htonl(0x7f020000u + (uint32_t)((j / nl) % NSRC) * 256u
						    + 1u + (uint32_t)(j % 200));
			if (bind(c, (struct sockaddr *)&src, sizeof(src)) < 0)
				die("bind (client)");
			if (connect(c, (struct sockaddr *)&laddr[li], sizeof(laddr[li])) < 0) {
				fprintf(stderr, "big_target: connect #%ld to listener %d: %s\n",
					j, li, strerror(errno));
				exit(1);
			}
		}
		/* Drain: one accept per connect made above. */
		for (long k = 0; k < batch; k++) {
			long j = done + k;
			int li = (int)(j % nl);
			int a = accept4(lfd[li], NULL, NULL, SOCK_CLOEXEC);
			if (a < 0)
				die("accept");
			no_linger(a);
		}
		done += batch;
	}
	free(lfd);
	free(laddr);
	*nlisteners_out = nl;
}

int main(int argc, char **argv)
{
	long threads = 10000, fds = 100000, sockets = 50000, alarm_s = 600;
	int c;
	while ((c = getopt(argc, argv, "t:f:s:a:h")) != -1) {
		switch (c) {
		case 't': threads = arg_long(optarg, "thread count"); break;
		case 'f': fds = arg_long(optarg, "fd count"); break;
		case 's': sockets = arg_long(optarg, "socket count"); break;
		case 'a': alarm_s = arg_long(optarg, "alarm seconds"); break;
		default:
			fprintf(stderr, "usage: big_target [-t threads] [-f fds] [-s sockets] [-a alarm_secs]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)alarm_s);   /* safety first: even a stuck setup dies */
	double t0 = now();

	long pairs = sockets / 2;
	/* fds needed: stdio + listeners + 2 per pair + filler; keep headroom. */
	rlim_t want = (rlim_t)(fds > 200000 - 64 ? fds + 64 : 200000);
	long nr_open = read_long_file("/proc/sys/fs/nr_open");
	if (nr_open > 0 && want > (rlim_t)nr_open)
		want = (rlim_t)nr_open;
	struct rlimit rl = {.rlim_cur = want, .rlim_max = want};
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		/* Not root: take what the hard limit allows. */
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		fprintf(stderr, "big_target: setrlimit(NOFILE, %lu): %s; using %lu\n",
			(unsigned long)want, strerror(errno), (unsigned long)rl.rlim_cur);
	}

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)fds + 16 > rl.rlim_cur) {
		fprintf(stderr, "big_target: RLIMIT_NOFILE is %lu, too low for %ld fds; raising the "
			"hard limit needs CAP_SYS_RESOURCE (ask for fewer with -f/-s)\n",
			(unsigned long)rl.rlim_cur, fds);
		return 3;
	}
	if (2 * pairs + 64 > fds) {
		fprintf(stderr, "big_target: -f %ld leaves no room for -s %ld sockets\n", fds, sockets);
		return 2;
	}
	long base = count_own_fds();   /* stdio and whatever was inherited */

	int nlisteners = 0;
	if (pairs > 0)
		make_sockets(pairs, &nlisteners);
	double t_sock = now();

	/* Filler fds up to the requested total. */
	long have = base + nlisteners + 2 * pairs;
	long nfill = fds > have ? fds - have : 0;
	for (long i = 0; i < nfill; i++) {
		int fd = (i & 1) ? eventfd(0, EFD_CLOEXEC) : open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die((i & 1) ? "eventfd" : "open /dev/null");
	}
	double t_fds = now();

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	if (pthread_attr_setstacksize(&attr, STACK_SIZE) != 0)
		die("pthread_attr_setstacksize");
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < threads; i++) {
		pthread_t th;
		int e = pthread_create(&th, &attr, idle_thread, NULL);
		if (e) {
			errno = e;
			fprintf(stderr, "big_target: pthread_create #%ld: %s "
				"(check kernel.threads-max, kernel.pid_max, vm.max_map_count)\n",
				i, strerror(e));
			exit(1);
		}
	}
	pthread_mutex_lock(&mu);
	while (started < threads)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	double t_thr = now();

	long nfds = count_own_fds();
	fprintf(stderr,
		"big_target: pid %d: %ld threads (+main), %ld fds open, %ld TCP pairs "
		"(%ld ESTABLISHED sockets), %d listeners; setup %.1fs "
		"(sockets %.1fs, fds %.1fs, threads %.1fs)\n",
		(int)getpid(), threads, nfds, pairs, 2 * pairs, nlisteners,
		t_thr - t0, t_sock - t0, t_fds - t_sock, t_thr - t_fds);
	printf("ready threads=%ld fds=%ld established=%ld listen=%d\n",
	       threads + 1, nfds, 2 * pairs, nlisteners);
	fflush(stdout);
	for (;;)
		pause();
}
