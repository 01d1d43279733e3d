/*
 * proc_fds.c - open file descriptors of the target: count, count by type
 * and the inodes of its sockets (which proc_tcp.c matches against the
 * namespace's TCP table), plus RLIMIT_NOFILE from /proc/PID/limits.
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

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
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
	size_t cap = 256;
	r->sock_inos = xmalloc(cap * sizeof(uint64_t));
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
			if (r->nsock == cap) {
				cap *= 2;
				r->sock_inos = xrealloc(r->sock_inos, cap * sizeof(uint64_t));
			}
			r->sock_inos[r->nsock++] = ino;
		}
	}
	closedir(d);
	close(fddir);
	if (r->err) {
		fds_reading_fini(r);
		r->open = -1;
		memset(r->by_type, 0, sizeof(r->by_type));
		return r->err;
	}
	r->open = open;
	qsort(r->sock_inos, r->nsock, sizeof(uint64_t), cmp_u64);
	return 0;
}

void fds_reading_fini(struct fd_reading *r)
{
	free(r->sock_inos);
	r->sock_inos = NULL;
	r->nsock = 0;
}
