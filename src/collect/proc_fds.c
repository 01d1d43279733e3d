/*
 * proc_fds.c - open file descriptors of the target: count, count by type
 * and the inodes of its sockets with the lowest fd referring to each
 * (which proc_tcp.c matches against the namespace's TCP table), plus
 * RLIMIT_NOFILE from /proc/PID/limits.
 *
 * One readlinkat per fd (about 3 us each); on a 100,000-fd process this is
 * the largest cost of a collection, so nothing else is done per fd.
 */
#include "collect.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sockref {
	uint64_t ino;
	int fd;
};

static int cmp_sockref(const void *a, const void *b)
{
	const struct sockref *x = a, *y = b;
	if (x->ino != y->ino)
		return (x->ino > y->ino) - (x->ino < y->ino);
	return (x->fd > y->fd) - (x->fd < y->fd);
}

int fds_read(int piddir, struct fd_reading *r)
{
	char buf[4096];
	memset(r, 0, sizeof(*r));
	r->open = -1;
	r->limit = -1;
	if (read_file_at(piddir, "limits", buf, sizeof(buf)) > 0)
		r->limit = parse_limits_nofile(buf);

	int fddir = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fddir < 0)
		return r->err = -errno;
	int dfd = dup(fddir);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		r->err = -errno;
		if (dfd >= 0)
			close(dfd);
		close(fddir);
		return r->err;
	}
	size_t cap = 256, nref = 0;
	struct sockref *refs = xmalloc(cap * sizeof(*refs));
	int64_t open = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				r->err = -errno;
			break;
		}
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		char link[512];
		ssize_t n = readlinkat(fddir, de->d_name, link, sizeof(link) - 1);
		if (n < 0) {
			if (errno == EACCES || errno == EPERM) {
				r->err = -errno;
				break;
			}
			continue;   /* closed meanwhile */
		}
		link[n] = '\0';
		uint64_t ino = 0;
		enum fd_type t = fd_classify(link, &ino);
		r->by_type[t]++;
		open++;
		if (t == FD_SOCKET) {
			ARRAY_GROW(refs, nref, cap, 256);
			refs[nref].ino = ino;
			refs[nref++].fd = atoi(de->d_name);
		}
	}
	closedir(d);
	close(fddir);
	if (r->err) {
		free(refs);
		fds_reading_fini(r);
		r->open = -1;
		memset(r->by_type, 0, sizeof(r->by_type));
		return r->err;
	}
	r->open = open;
	/* Sorted by inode, then fd: the first of each inode is its lowest fd
	 * (a dup'ed or inherited socket is one socket). */
	qsort(refs, nref, sizeof(*refs), cmp_sockref);
	r->sock_inos = xmalloc((nref + 1) * sizeof(uint64_t));
	r->sock_fds = xmalloc((nref + 1) * sizeof(int));
	for (size_t i = 0; i < nref; i++) {
		if (r->nsock && r->sock_inos[r->nsock - 1] == refs[i].ino)
			continue;
		r->sock_inos[r->nsock] = refs[i].ino;
		r->sock_fds[r->nsock++] = refs[i].fd;
	}
	free(refs);
	return 0;
}

void fds_reading_fini(struct fd_reading *r)
{
	free(r->sock_inos);
	free(r->sock_fds);
	r->sock_inos = NULL;
	r->sock_fds = NULL;
	r->nsock = 0;
}
