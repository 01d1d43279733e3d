/*
 * fd_tcp - test target with a known set of file descriptors and TCP
 * sockets, so a test can compare cdtop's counts with exact expectations.
 *
 * Usage: fd_tcp [N_FILES]   (default 50)
 *
 * Sets up, all on loopback with ephemeral ports:
 *   - N_FILES descriptors open on /dev/null (leaked on purpose);
 *   - 1 IPv4 LISTEN socket;
 *   - 3 IPv4 connections with both ends in this process (6 ESTABLISHED);
 *   - 2 IPv4 connections whose client end was closed: the accepted end is
 *     CLOSE_WAIT, the closed client end is an orphan FIN_WAIT2 that no
 *     descriptor refers to (so it is not this process's socket);
 *   - if [::1] works, 1 IPv6 connection with both ends here (2 more
 *     ESTABLISHED); its listener is closed again so LISTEN stays 1.
 * Every inherited descriptor above 2 is closed first, so the descriptor
 * table is exactly stdin/stdout/stderr plus the above.
 *
 * Prints one line with the expected figures, then "ready":
 *   expect ESTABLISHED=8 LISTEN=1 CLOSE_WAIT=2 files=50 sockets=11 ipv6=1
 * ("files" and "sockets" count only descriptors this program opened.)
 * Ends on SIGTERM or after alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "fd_tcp: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A listening socket on loopback (family AF_INET or AF_INET6), port chosen
 * by the kernel; its address is stored in *ss. Returns -1 if the family's
 * loopback address cannot be bound (only tolerated for IPv6). */
static int listen_loopback(int family, struct sockaddr_storage *ss, socklen_t *len)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		*len = sizeof *sin6;
	}
	if (bind(fd, (struct sockaddr *)ss, *len) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)ss, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Connect a new client socket to the listener at ss and accept it.
 * Stores the accepted end in *server and returns the client end. */
static int connect_pair(int lfd, const struct sockaddr_storage *ss, socklen_t len, int *server)
{
	int c = socket(ss->ss_family, SOCK_STREAM, 0);

	if (c < 0)
		die("socket");
	if (connect(c, (const struct sockaddr *)ss, len) < 0)
		die("connect");
	*server = accept(lfd, NULL, NULL);
	if (*server < 0)
		die("accept");
	return c;
}

int main(int argc, char **argv)
{
	int nfiles = argc > 1 ? atoi(argv[1]) : 50;
	int established = 0, close_wait = 0, sockets = 0, ipv6 = 0;
	struct sockaddr_storage ss;
	socklen_t len;
	int lfd, s;
	char c;

	alarm(120);
	if (nfiles < 0 || nfiles > 900) {
		fprintf(stderr, "fd_tcp: N_FILES must be 0..900\n");
		return 2;
	}
	for (int fd = 3; fd < 4096; fd++)
		close(fd);

	for (int i = 0; i < nfiles; i++)
		if (open("/dev/null", O_RDONLY) < 0)
			die("open /dev/null");

	lfd = listen_loopback(AF_INET, &ss, &len);
	if (lfd < 0)
		die("listen on 127.0.0.1");
	sockets++;

	for (int i = 0; i < 3; i++) {
		connect_pair(lfd, &ss, len, &s);
		established += 2;
		sockets += 2;
	}
	for (int i = 0; i < 2; i++) {
		int client = connect_pair(lfd, &ss, len, &s);
		close(client);
		/* EOF on the accepted end means the FIN arrived: CLOSE_WAIT. */
		if (read(s, &c, 1) != 0)
			die("waiting for EOF");
		close_wait++;
		sockets++;
	}

	int l6 = listen_loopback(AF_INET6, &ss, &len);
	if (l6 >= 0) {
		connect_pair(l6, &ss, len, &s);
		close(l6);
		established += 2;
		sockets += 2;
		ipv6 = 1;
	} else {
		fprintf(stderr, "fd_tcp: IPv6 loopback unusable (%s); IPv4 only\n", strerror(errno));
	}

	printf("expect ESTABLISHED=%d LISTEN=1 CLOSE_WAIT=%d files=%d sockets=%d ipv6=%d\n",
	       established, close_wait, nfiles, sockets, ipv6);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
