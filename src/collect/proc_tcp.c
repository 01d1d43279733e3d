/*
 * proc_tcp.c - TCP sockets of the target process: counts by state and
 * the list of sockets (addresses, queues, the fd that refers to each).
 *
 * The kernel's socket tables are per network namespace, not per process,
 * so we list the namespace's IPv4 and IPv6 TCP sockets and keep those
 * whose inode is one of the process's socket fds (from proc_fds.c).
 * Only matching entries are formatted, so a namespace of 50,000 sockets
 * costs one binary search per entry plus the process's own sockets.
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
#include <arpa/inet.h>

static int force_proc;

void tcp_force_proc(int on)
{
	force_proc = on;
}

/* Where matching sockets go. */
struct tcp_acc {
	const uint64_t *inos;
	const int *fds;
	size_t n;
	struct snap_tcp *out;
	struct snap_socket *socks;      /* NULL: counts only */
	int nsocks, cap;
	bool want;
};

/* Index of ino in the sorted inos, or -1. */
static long ino_find(const uint64_t *inos, size_t n, uint64_t ino)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (inos[mid] == ino)
			return (long)mid;
		if (inos[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Count a socket of the namespace if it is the process's; keep it in
 * the list when asked. */
static void acc_add(struct tcp_acc *a, uint64_t ino, int state, int family,
		    const uint8_t *laddr, uint16_t lport, const uint8_t *raddr, uint16_t rport,
		    int64_t rxq, int64_t txq)
{
	/* TIME_WAIT sockets have no inode (0): they belong to no process
	 * any more, so they never match. */
	if (!ino || state <= 0 || state >= TCP_ST_MAX)
		return;
	long i = ino_find(a->inos, a->n, ino);
	if (i < 0)
		return;
	a->out->count[state]++;
	if (!a->want)
		return;
	ARRAY_GROW(a->socks, a->nsocks, a->cap, 64);
	struct snap_socket *k = &a->socks[a->nsocks++];
	k->fd = a->fds ? a->fds[i] : -1;
	k->inode = ino;
	k->state = state;
	format_inet(family, laddr, lport, k->local, sizeof(k->local));
	format_inet(family, raddr, rport, k->remote, sizeof(k->remote));
	k->rx_queue = rxq;
	k->tx_queue = txq;
}

static int cmp_sock_fd(const void *x, const void *y)
{
	const struct snap_socket *a = x, *b = y;
	if (a->fd != b->fd)
		return (a->fd > b->fd) - (a->fd < b->fd);
	return (a->inode > b->inode) - (a->inode < b->inode);
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
static int diag_dump(int s, int family, struct tcp_acc *a)
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
			acc_add(a, m->idiag_inode, m->idiag_state, m->idiag_family == AF_INET ? 4 : 6,
				(const uint8_t *)m->id.idiag_src, ntohs(m->id.idiag_sport),
				(const uint8_t *)m->id.idiag_dst, ntohs(m->id.idiag_dport),
				m->idiag_rqueue, m->idiag_wqueue);
		}
	}
}

static int count_netlink(int piddir, struct tcp_acc *a)
{
	int s = diag_socket_in_ns(piddir);
	if (s < 0)
		return s;
	int rc = diag_dump(s, AF_INET, a);
	if (rc == 0)
		rc = diag_dump(s, AF_INET6, a);
	close(s);
	return rc;
}

static int count_proc_file(int piddir, const char *path, struct tcp_acc *a)
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
	struct net_tcp_entry e;
	while (fgets(line, sizeof(line), f)) {
		/* A LISTEN socket's backlog is not in the text (its
		 * tx_queue column is 0): unknown, unlike netlink's. */
		if (parse_net_tcp_entry(line, &e) == 0)
			acc_add(a, e.ino, e.state, e.family, e.local, e.lport, e.remote, e.rport,
				e.rx_queue, e.state == TCP_ST_LISTEN ? SNAP_UNKNOWN : e.tx_queue);
	}
	fclose(f);
	return 0;
}

/* Reset the accumulator for a new attempt. */
static void acc_reset(struct tcp_acc *a)
{
	memset(a->out, 0, sizeof(*a->out));
	a->nsocks = 0;
}

/* Hand the list to the caller, sorted by fd. */
static void acc_finish(struct tcp_acc *a, struct snap_socket **socks, int *nsocks)
{
	if (!socks)
		return;
	if (!a->socks)
		a->socks = xmalloc(sizeof(*a->socks));
	qsort(a->socks, (size_t)a->nsocks, sizeof(*a->socks), cmp_sock_fd);
	*socks = a->socks;
	*nsocks = a->nsocks;
}

int tcp_count(int pid, int piddir, const uint64_t *inos, const int *fds, size_t ninos,
	      struct snap_tcp *out, struct snap_socket **socks, int *nsocks,
	      char *err, size_t errlen)
{
	(void)pid;
	struct tcp_acc a = {.inos = inos, .fds = fds, .n = ninos, .out = out, .want = socks != NULL};
	if (socks) {
		*socks = NULL;
		*nsocks = 0;
	}
	acc_reset(&a);
	if (!force_proc) {
		int rc = count_netlink(piddir, &a);
		if (rc == 0) {
			out->known = true;
			out->source = TCP_SOURCE_NETLINK;
			acc_finish(&a, socks, nsocks);
			return 0;
		}
		acc_reset(&a);
	}
	int rc4 = count_proc_file(piddir, "net/tcp", &a);
	int rc6 = count_proc_file(piddir, "net/tcp6", &a);
	if (rc4 < 0 && rc6 < 0) {
		memset(out, 0, sizeof(*out));
		free(a.socks);
		snprintf(err, errlen, "cannot read the TCP table of the target's network namespace: %s",
			 strerror(-rc4));
		return rc4;
	}
	out->known = true;
	out->source = TCP_SOURCE_PROC;
	acc_finish(&a, socks, nsocks);
	return 0;
}
