/*
 * util.h - small helpers shared by every module: checked allocation,
 * reading whole small files (mostly under /proc), clocks, string copies.
 *
 * /proc files are read with one read() into a caller buffer: they are
 * generated on open and a single read gives a consistent view.
 */
#ifndef CDTOP_UTIL_H
#define CDTOP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Print "cdtop: <msg>" and exit(1); runs the registered cleanup (terminal
 * restore) first. Used for out-of-memory only. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Register the function fatal() calls before exiting (one slot). */
void fatal_set_cleanup(void (*fn)(void));

/* malloc/calloc/realloc/strdup that never return NULL (fatal on failure). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Make room for `need` elements of `size` bytes in v, whose room is *cap
 * elements: when need > *cap, *cap doubles (from `first` when it is 0)
 * until it holds need, and v moves with xrealloc. The new slots are not
 * zeroed. Returns v, moved or not; fatal() when the size overflows. */
void *array_grow(void *v, size_t size, size_t need, size_t *cap, size_t first);

/* Room for element n of the array v (room for `cap` elements): the usual
 * append step, `ARRAY_GROW(v, n, cap, 64); v[n++] = x;`. v, n and cap are
 * lvalues of any pointer and integer types; cap doubles from `first`. */
#define ARRAY_GROW(v, n, cap, first)                                                       \
	do {                                                                                \
		if ((size_t)(n) >= (size_t)(cap)) {                                         \
			size_t array_cap_ = (size_t)(cap);                                  \
			(v) = array_grow((v), sizeof(*(v)), (size_t)(n) + 1, &array_cap_, (first)); \
			(cap) = array_cap_;                                                 \
			if ((size_t)(cap) != array_cap_)                                    \
				fatal("array of %zu elements is too large", array_cap_);   \
		}                                                                           \
	} while (0)

/* Read the file `path` relative to `dirfd` (AT_FDCWD allowed) into buf,
 * NUL-terminated. Returns bytes read, or -errno. Reads at most len-1 bytes.
 * Meant for /proc and sysfs: a short read is taken as the end of file. */
ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t len);

/* Read the whole file into a malloc'd NUL-terminated buffer; *out_len gets
 * its length. Returns NULL and sets errno on failure. Caller frees. */
char *read_file_alloc_at(int dirfd, const char *path, size_t *out_len);

/* Little-endian (host order) loads from unaligned bytes. */
static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, 4);
	return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	__builtin_memcpy(&v, p, 8);
	return v;
}

/* A 64-bit mix of x (the murmur3 finalizer) for hash tables. */
uint64_t hash64(uint64_t x);

/* CLOCK_MONOTONIC in seconds. */
double now_mono(void);

/* CLOCK_REALTIME in seconds. */
double now_real(void);

/* Copy src into dst of size n, always NUL-terminated, truncating. */
void str_copy(char *dst, const char *src, size_t n);

/* Append printf-style text to the NUL-terminated string in buf (size n),
 * truncating; nothing when buf is already full. For evidence and lists
 * built piece by piece. */
void str_appendf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Format a UTC time as ISO 8601 "2026-11-24T10:00:00Z" (buf >= 21). */
void fmt_utc_iso(double t, char *buf, size_t n);

/* Format a UTC time as "20261124T100000Z" for file names (buf >= 17). */
void fmt_utc_compact(double t, char *buf, size_t n);

/* Copy of s with every invalid UTF-8 sequence replaced by U+FFFD and
 * control characters by '?'; caller frees. For names the target chose. */
char *utf8_sanitize(const char *s);

/* Copy at most `width` characters (UTF-8 code points) of s into out (size
 * n), padded with spaces to `width` when pad is true; never splits a
 * multibyte character. Returns out. */
char *utf8_cols(char *out, size_t n, const char *s, int width, bool pad);

#endif
