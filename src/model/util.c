/*
 * util.c - allocation that cannot fail silently, growing arrays, small-file
 * reads, clocks, string copies and appends, time formatting shared by all
 * modules.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void (*cleanup_fn)(void);

void fatal_set_cleanup(void (*fn)(void))
{
	cleanup_fn = fn;
}

void fatal(const char *fmt, ...)
{
	if (cleanup_fn)
		cleanup_fn();
	va_list ap;
	va_start(ap, fmt);
	fputs("cdtop: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		fatal("out of memory");
	return p;
}

ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t off = 0;
	while (off + 1 < len) {
		ssize_t r = read(fd, buf + off, len - 1 - off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		off += (size_t)r;
		/* /proc and sysfs files hand over everything that fits in one
		 * read: a short read is the end, no need for another syscall. */
		if (off + 1 < len)
			break;
	}
	buf[off] = '\0';
	close(fd);
	return (ssize_t)off;
}

void *array_grow(void *v, size_t size, size_t need, size_t *cap, size_t first)
{
	if (need <= *cap)
		return v;
	size_t c = *cap ? *cap : (first ? first : 1);
	while (c < need) {
		if (c > SIZE_MAX / 2)
			fatal("array of %zu elements is too large", need);
		c *= 2;
	}
	if (size && c > SIZE_MAX / size)
		fatal("array of %zu elements of %zu bytes is too large", c, size);
	*cap = c;
	return xrealloc(v, c * size);
}

char *read_file_alloc_at(int dirfd, const char *path, size_t *out_len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, off = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		ARRAY_GROW(buf, off + 1, cap, 4096);
		ssize_t r = read(fd, buf + off, cap - 1 - off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	buf[off] = '\0';
	if (out_len)
		*out_len = off;
	return buf;
}

uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void str_copy(char *dst, const char *src, size_t n)
{
	if (!n)
		return;
	size_t l = strlen(src);
	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

void str_appendf(char *buf, size_t n, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 1 >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
}

void fmt_utc_iso(double t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void fmt_utc_compact(double t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y%m%dT%H%M%SZ", &tm);
}

char *utf8_sanitize(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n * 3 + 1);
	const unsigned char *p = (const unsigned char *)s;
	char *o = out;
	while (*p) {
		unsigned c = *p;
		int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
			  (c & 0xF8) == 0xF0 ? 4 : 0;
		bool ok = len > 0;
		for (int i = 1; ok && i < len; i++)
			ok = (p[i] & 0xC0) == 0x80;
		if (ok && len == 2 && c < 0xC2)
			ok = false;                     /* overlong */
		if (ok && len == 3 && c == 0xE0 && p[1] < 0xA0)
			ok = false;
		if (ok && len == 3 && c == 0xED && p[1] >= 0xA0)
			ok = false;                     /* surrogates */
		if (ok && len == 4 && ((c == 0xF0 && p[1] < 0x90) || c > 0xF4 || (c == 0xF4 && p[1] >= 0x90)))
			ok = false;
		if (!ok) {
			*o++ = (char)0xEF; *o++ = (char)0xBF; *o++ = (char)0xBD;
			p++;
			continue;
		}
		if (len == 1 && (c < 0x20 || c == 0x7F)) {
			*o++ = '?';
			p++;
			continue;
		}
		memcpy(o, p, (size_t)len);
		o += len;
		p += len;
	}
	*o = '\0';
	return out;
}

char *utf8_cols(char *out, size_t n, const char *s, int width, bool pad)
{
	size_t o = 0;
	int cols = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && cols < width) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		size_t have = strnlen((const char *)p, len);
		if (have < len)
			break;
		if (o + len + 1 > n)
			break;
		memcpy(out + o, p, len);
		o += len;
		p += len;
		cols++;
	}
	while (pad && cols < width && o + 2 <= n) {
		out[o++] = ' ';
		cols++;
	}
	if (n)
		out[o < n ? o : n - 1] = '\0';
	return out;
}
