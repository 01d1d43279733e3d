/*
 * tw_churn - test target for the TIME_WAIT item of the triage checklist:
 * many short connections without keep-alive. The client closes first, so
 * each connection leaves a socket in TIME_WAIT for 60 s.
 *
 * Usage: tw_churn [N]   (default 3000)
 * To count only its own sockets, it first moves into a new network
 * namespace (unshare(CLONE_NEWNET), needs CAP_SYS_ADMIN) and brings its
 * loopback up; when that is not permitted it prints "cannot: <why>" and
 * exits 77. Then N times: connect to its own listener on 127.0.0.1,
 * accept, close the client end, then the server end (short_request).
 * Prints "ready" when the N connections are done; ends on SIGTERM or
 * after alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int lfd;
static struct sockaddr_in addr;

/* One request on a fresh connection, client hangs up first. */
static __attribute__((noinline)) int short_request(void)
{
	char c;
	int cl = socket(AF_INET, SOCK_STREAM, 0);
	if (cl < 0 || connect(cl, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return -1;
	int s = accept(lfd, NULL, NULL);
	if (s < 0)
		return -1;
	close(cl);
	while (read(s, &c, 1) > 0)
		;
	close(s);
	return 0;
}

static int lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3000;
	socklen_t len = sizeof(addr);

	alarm(120);
	if (n < 1 || n > 20000) {
		fprintf(stderr, "tw_churn: N must be 1..20000\n");
		return 2;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		printf("cannot: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 77;
	}
	if (lo_up() < 0) {
		printf("cannot: bring up lo in the new namespace: %s\n", strerror(errno));
		return 77;
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len) < 0) {
		perror("tw_churn: listen on 127.0.0.1");
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (short_request() < 0) {
			fprintf(stderr, "tw_churn: connection %d: %s\n", i, strerror(errno));
			return 1;
		}
	printf("connections=%d\nready\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
