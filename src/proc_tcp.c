/*
 * proc_tcp.c - TCP sockets of the target process by state.
 *
 * The kernel's socket tables are per network namespace, not per process,
 * so we list the namespace's IPv4 and IPv6 TCP sockets and keep those
 * whose inode is one of the process's socket fds (from proc_fds.c).
 *
 * First choice is netlink NETLINK_SOCK_DIAG (what `ss` uses): a netlink
 * socket answers for the namespace it was created in, so we setns() into
 * /proc/PID/ns/net, create the socket, and setns() back at once. About
 * twice as fast as parsing text on 60k sockets (design-notes §6). When
 * setns is not permitted (no CAP_SYS_ADMIN) or netlink fails, we parse
 * /proc/PID/net/tcp and tcp6, which show the target's namespace too.
 */
#include "collect.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <netinet/in.h>

static int force_proc;

void tcp_force_proc(int on)
{
	force_proc = on;
}

static bool ino_in(const uint64_t *inos, size_t n, uint64_t ino)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (inos[mid] == ino)
			return true;
		if (inos[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* A NETLINK_SOCK_DIAG socket in the network namespace of the process
 * whose /proc directory is piddir. Returns fd or -errno. */
static int diag_socket_in_ns(int piddir)
{
	struct stat mine, theirs;
	int same = stat("/proc/self/ns/net", &mine) == 0 &&
		   fstatat(piddir, "ns/net", &theirs, 0) == 0 &&
		   mine.st_ino == theirs.st_ino && mine.st_dev == theirs.st_dev;
	if (same) {
		int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		return s < 0 ? -errno : s;
	}
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	int target = openat(piddir, "ns/net", O_RDONLY | O_CLOEXEC);
	if (target < 0) {
		int e = errno;
		close(self);
		return -e;
	}
	int s = -1, err = 0;
	if (setns(target, CLONE_NEWNET) < 0) {
		err = -errno;
	} else {
		s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (s < 0)
			err = -errno;
		if (setns(self, CLONE_NEWNET) < 0)
			fatal("cannot return to our own network namespace: %s", strerror(errno));
	}
	close(target);
	close(self);
	return s < 0 ? err : s;
}

/* Dump one address family over netlink and count matching sockets. */
static int diag_dump(int s, int family, const uint64_t *inos, size_t n, struct snap_tcp *out)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = (uint32_t)family;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = ~0U;   /* every state, TIME_WAIT included */
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	if (sendto(s, &msg, sizeof(msg), 0, (struct sockaddr *)&nl, sizeof(nl)) < 0)
		return -errno;

	static char buf[64 * 1024];
	for (;;) {
		ssize_t len = recv(s, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (len == 0)
			return -EIO;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				return e->error ? e->error : -EIO;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
				continue;
			struct inet_diag_msg *m = NLMSG_DATA(h);
			/* TIME_WAIT sockets have no inode (0): they belong to
			 * no process any more, so they never match. */
			if (m->idiag_inode && ino_in(inos, n, m->idiag_inode) &&
			    m->idiag_state > 0 && m->idiag_state < TCP_ST_MAX)
				out->count[m->idiag_state]++;
		}
	}
}

static int count_netlink(int piddir, const uint64_t *inos, size_t n, struct snap_tcp *out)
{
	int s = diag_socket_in_ns(piddir);
	if (s < 0)
		return s;
	int rc = diag_dump(s, AF_INET, inos, n, out);
	if (rc == 0)
		rc = diag_dump(s, AF_INET6, inos, n, out);
	close(s);
	return rc;
}

static int count_proc_file(int piddir, const char *path, const uint64_t *inos, size_t n,
			   struct snap_tcp *out)
{
	int fd = openat(piddir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	FILE *f = fdopen(fd, "r");
	if (!f) {
		int e = errno;
		close(fd);
		return -e;
	}
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		int st;
		uint64_t ino;
		if (parse_net_tcp_line(line, &st, &ino) == 0 && ino && ino_in(inos, n, ino) &&
		    st > 0 && st < TCP_ST_MAX)
			out->count[st]++;
	}
	fclose(f);
	return 0;
}

int tcp_count(int pid, int piddir, const uint64_t *inos, size_t ninos,
	      struct snap_tcp *out, char *err, size_t errlen)
{
	(void)pid;
	memset(out, 0, sizeof(*out));
	if (!force_proc) {
		int rc = count_netlink(piddir, inos, ninos, out);
		if (rc == 0) {
			out->known = true;
			str_copy(out->source, "netlink", sizeof(out->source));
			return 0;
		}
		memset(out, 0, sizeof(*out));
	}
	int rc4 = count_proc_file(piddir, "net/tcp", inos, ninos, out);
	int rc6 = count_proc_file(piddir, "net/tcp6", inos, ninos, out);
	if (rc4 < 0 && rc6 < 0) {
		memset(out, 0, sizeof(*out));
		snprintf(err, errlen, "cannot read the TCP table of the target's network namespace: %s",
			 strerror(-rc4));
		return rc4;
	}
	out->known = true;
	str_copy(out->source, "proc", sizeof(out->source));
	return 0;
}
