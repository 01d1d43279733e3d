/*
 * output.c - writing snapshot files safely.
 *
 * A snapshot may be attached to a ticket or read by a script while being
 * written, and the disk may fill up or cdtop be killed: we write to an
 * unnamed O_TMPFILE file (mode 0600, which also keeps the file private: it
 * can name hosts, paths and command lines) in the destination directory,
 * flush and fsync it, link it under a temporary name and rename() it over
 * the target. A kill before the link leaves nothing behind. Where the file
 * system has no O_TMPFILE, a mkstemp() file is used and removed on error.
 */
#include "output.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int output_format_from_name(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return -1;
	if (strcasecmp(dot, ".json") == 0)
		return OUT_JSON;
	if (strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".text") == 0 ||
	    strcasecmp(dot, ".log") == 0)
		return OUT_TEXT;
	if (strcasecmp(dot, ".folded") == 0)
		return OUT_FOLDED;
	return -1;
}

static int write_format(const struct snapshot *s, enum out_format fmt, FILE *f)
{
	switch (fmt) {
	case OUT_JSON: return report_json_write(s, f);
	case OUT_TEXT: return report_text_write(s, f);
	case OUT_FOLDED: return report_folded_write(s, f);
	}
	return -1;
}

/* Create a temp file beside `path`; fills tmp (size n). Returns fd or -1. */
static int make_temp(const char *path, char *tmp, size_t n)
{
	char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	char *copy2 = xstrdup(path);
	const char *base = basename(copy2);
	snprintf(tmp, n, "%s/.%s.XXXXXX", dir, base);
	free(copy);
	free(copy2);
	mode_t old = umask(077);
	int fd = mkostemp(tmp, O_CLOEXEC);
	umask(old);
	if (fd >= 0)
		fchmod(fd, 0600);
	return fd;
}

/* An unnamed file in the directory of path (O_TMPFILE): it disappears
 * with its last descriptor, even if cdtop is killed. Returns fd, or -1
 * with errno (EOPNOTSUPP/EISDIR when the file system cannot do it). */
static int open_unnamed(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	int e = errno;
	free(copy);
	errno = e;
	if (fd >= 0)
		fchmod(fd, 0600);
	return fd;
}

static bool tmpfile_unsupported(int e)
{
	return e == EOPNOTSUPP || e == EISDIR || e == EINVAL;
}

/* True, with a message in err, when path exists and is not a regular file
 * (or a link to one): a directory, a device, a FIFO or a socket. Renaming
 * a finished file over it would replace it: as root, `--snapshot
 * /dev/null` used to turn the device into a regular file. */
static bool not_a_file(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
		return false;
	const char *what = S_ISDIR(st.st_mode) ? "it is a directory"
			   : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "it is a device, not a file"
			   : S_ISFIFO(st.st_mode) ? "it is a FIFO, not a file"
			   : "it is not a regular file";
	snprintf(err, errlen, "cannot write %s: %s (give a file name, or - for standard output)", path, what);
	return true;
}

int output_check_writable(const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	if (not_a_file(path, err, errlen))
		return -1;
	int fd = open_unnamed(path);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (!tmpfile_unsupported(errno)) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	fd = make_temp(path, tmp, sizeof(tmp));
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(tmp);
	return 0;
}

int output_write_snapshot(const struct snapshot *s, const char *path, enum out_format fmt,
			  char *err, size_t errlen)
{
	char tmp[4096];
	if (not_a_file(path, err, errlen))
		return -1;
	/* Preferred: write an unnamed file, give it a temporary name only
	 * once complete, and rename that over the destination. A kill at any
	 * moment leaves either nothing or a complete file. */
	bool named = false;
	int fd = open_unnamed(path);
	if (fd < 0) {
		if (!tmpfile_unsupported(errno)) {
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		fd = make_temp(path, tmp, sizeof(tmp));
		named = true;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		if (named)
			unlink(tmp);
		return -1;
	}
	errno = 0;
	int rc = write_format(s, fmt, f);
	if (rc == 0 && fflush(f) != 0)
		rc = -1;
	if (rc == 0 && fsync(fileno(f)) != 0)
		rc = -1;
	if (rc == 0 && !named) {
		/* Link the finished file under a temporary name beside path. */
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fileno(f));
		for (int i = 0; i < 100; i++) {
			int tfd = make_temp(path, tmp, sizeof(tmp));
			if (tfd < 0) {
				rc = -1;
				break;
			}
			close(tfd);
			unlink(tmp);   /* we only wanted a fresh unique name */
			if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
				named = true;
				break;
			}
			if (errno != EEXIST) {
				rc = -1;
				break;
			}
		}
	}
	int e = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		e = errno;
	}
	if (rc != 0) {
		if (named)
			unlink(tmp);
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(e ? e : EIO));
		return -1;
	}
	return 0;
}

int output_write_stdout(const struct snapshot *s, enum out_format fmt, char *err, size_t errlen)
{
	errno = 0;
	int rc = write_format(s, fmt, stdout);
	if (rc == 0 && fflush(stdout) != 0)
		rc = -1;
	if (rc != 0) {
		snprintf(err, errlen, "cannot write to standard output: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}
