/*
 * output.c - writing snapshot files safely.
 *
 * A snapshot may be attached to a ticket or read by a script while being
 * written, and the disk may fill up: we write to a mkstemp() file (mode
 * 0600, which also keeps the file private: it can name hosts, paths and
 * command lines) in the destination directory, flush and fsync it, then
 * rename() over the target. On any failure the temp file is removed.
 */
#include "output.h"
#include "profile.h"
#include "report.h"
#include "util.h"

#include <errno.h>
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
	case OUT_FOLDED: return profile_write_folded(s, f);
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

int output_check_writable(const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot write %s: it is a directory", path);
		return -1;
	}
	int fd = make_temp(path, tmp, sizeof(tmp));
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
	int fd = make_temp(path, tmp, sizeof(tmp));
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	errno = 0;
	int rc = write_format(s, fmt, f);
	if (rc == 0 && fflush(f) != 0)
		rc = -1;
	if (rc == 0 && fsync(fileno(f)) != 0)
		rc = -1;
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
