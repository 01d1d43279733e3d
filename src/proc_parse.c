/*
 * proc_parse.c - parsers for /proc and cgroup text formats.
 *
 * Everything here is a pure function over a NUL-terminated buffer so it
 * can be fed fixture files by the unit tests. Formats follow proc(5) and
 * the kernel's Documentation/admin-guide/cgroup-v2.rst.
 */
#include "proc_parse.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_task_stat(const char *buf, struct task_stat *out)
{
	const char *lp = strchr(buf, '(');
	const char *rp = strrchr(buf, ')');
	if (!lp || !rp || rp < lp)
		return -1;
	memset(out, 0, sizeof(*out));
	size_t n = (size_t)(rp - lp - 1);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, lp + 1, n);
	out->comm[n] = '\0';

	/* Fields after comm, numbered from 3 (state) as in proc(5). */
	const char *p = rp + 1;
	char *end;
	unsigned long long v[52] = {0};
	int field = 3;
	while (*p && field <= 52) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		if (field == 3) {
			out->state = *p;
			while (*p && *p != ' ')
				p++;
		} else {
			if (*p == '-') {
				long long sv = strtoll(p, &end, 10);
				v[field - 1] = (unsigned long long)sv;
			} else {
				v[field - 1] = strtoull(p, &end, 10);
			}
			if (end == p)
				return -1;
			p = end;
		}
		field++;
	}
	if (field <= 24)   /* need at least up to rss */
		return -1;
	out->ppid = (int)v[3];
	out->flags = (unsigned long)v[8];
	out->minflt = v[9];
	out->majflt = v[11];
	out->utime = v[13];
	out->stime = v[14];
	out->num_threads = (int64_t)v[19];
	out->starttime = v[21];
	out->vsize = v[22];
	out->processor = field > 39 ? (int)v[38] : -1;
	return 0;
}

/* Value of "Key:\t123 kB" lines: returns the number or -1. */
static int64_t status_value(const char *line, const char *key)
{
	size_t kl = strlen(key);
	if (strncmp(line, key, kl) != 0 || line[kl] != ':')
		return -1;
	return strtoll(line + kl + 1, NULL, 10);
}

void parse_status(const char *buf, struct proc_status *out)
{
	out->vm_rss_kb = out->rss_anon_kb = out->rss_file_kb = -1;
	out->rss_shmem_kb = out->vm_size_kb = out->vm_swap_kb = -1;
	out->ctx_vol = out->ctx_invol = out->threads = -1;
	out->tracer_pid = -1;
	out->uid = -1;
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		int64_t v;
		switch (*l) {
		case 'V':
			if ((v = status_value(l, "VmRSS")) >= 0) out->vm_rss_kb = v;
			else if ((v = status_value(l, "VmSize")) >= 0) out->vm_size_kb = v;
			else if ((v = status_value(l, "VmSwap")) >= 0) out->vm_swap_kb = v;
			break;
		case 'R':
			if ((v = status_value(l, "RssAnon")) >= 0) out->rss_anon_kb = v;
			else if ((v = status_value(l, "RssFile")) >= 0) out->rss_file_kb = v;
			else if ((v = status_value(l, "RssShmem")) >= 0) out->rss_shmem_kb = v;
			break;
		case 'T':
			if ((v = status_value(l, "Threads")) >= 0) out->threads = v;
			else if ((v = status_value(l, "TracerPid")) >= 0) out->tracer_pid = (int)v;
			break;
		case 'U':
			if ((v = status_value(l, "Uid")) >= 0) out->uid = (int)v;
			break;
		case 'v':
			if ((v = status_value(l, "voluntary_ctxt_switches")) >= 0) out->ctx_vol = v;
			break;
		case 'n':
			if ((v = status_value(l, "nonvoluntary_ctxt_switches")) >= 0) out->ctx_invol = v;
			break;
		default:
			break;
		}
	}
}

int parse_io(const char *buf, uint64_t *read_bytes, uint64_t *write_bytes)
{
	int found = 0;
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, "read_bytes:", 11) == 0) {
			*read_bytes = strtoull(l + 11, NULL, 10);
			found |= 1;
		} else if (strncmp(l, "write_bytes:", 12) == 0) {
			*write_bytes = strtoull(l + 12, NULL, 10);
			found |= 2;
		}
	}
	return found == 3 ? 0 : -1;
}

int64_t parse_limits_nofile(const char *buf)
{
	const char *l = strstr(buf, "Max open files");
	if (!l)
		return -1;
	l += strlen("Max open files");
	while (*l == ' ')
		l++;
	if (strncmp(l, "unlimited", 9) == 0)
		return INT64_MAX;
	char *end;
	long long v = strtoll(l, &end, 10);
	return end == l ? -1 : v;
}

int64_t parse_sockstat_tw(const char *buf)
{
	const char *l = strncmp(buf, "TCP: ", 5) == 0 ? buf : strstr(buf, "\nTCP: ");
	if (!l)
		return -1;
	l += *l == '\n';
	const char *eol = strchr(l, '\n');
	const char *tw = strstr(l, " tw ");
	if (!tw || (eol && tw > eol))
		return -1;
	char *end;
	long long v = strtoll(tw + 4, &end, 10);
	return end == tw + 4 || v < 0 ? -1 : v;
}

int parse_syscall(const char *buf, struct task_syscall *out)
{
	memset(out, 0, sizeof(*out));
	if (strncmp(buf, "running", 7) == 0) {
		out->kind = SYSCALL_RUNNING;
		out->nr = -1;
		return 0;
	}
	char *end;
	long nr = strtol(buf, &end, 10);
	if (end == buf)
		return -1;
	out->nr = nr;
	if (nr < 0) {
		out->kind = SYSCALL_NONE;
		return 0;
	}
	out->kind = SYSCALL_IN;
	const char *p = end;
	for (int i = 0; i < 6; i++) {
		out->args[i] = strtoull(p, &end, 16);
		if (end == p)
			return -1;
		p = end;
	}
	return 0;
}

int64_t parse_schedstat_run_ns(const char *buf)
{
	char *end;
	unsigned long long v = strtoull(buf, &end, 10);
	return end == buf ? -1 : (int64_t)v;
}

int parse_cgroup(const char *buf, char *v2, size_t v2len, char *v1cpu, size_t v1len)
{
	v2[0] = v1cpu[0] = '\0';
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *c1 = strchr(l, ':');
		if (!c1)
			continue;
		const char *c2 = strchr(c1 + 1, ':');
		const char *eol = strchr(l, '\n');
		if (!c2 || (eol && c2 > eol))
			continue;
		size_t plen = eol ? (size_t)(eol - c2 - 1) : strlen(c2 + 1);
		if (strncmp(l, "0::", 3) == 0) {
			if (plen >= v2len)
				plen = v2len - 1;
			memcpy(v2, c2 + 1, plen);
			v2[plen] = '\0';
			continue;
		}
		/* v1: "N:ctrl,ctrl:/path"; look for the cpu controller. */
		const char *q = c1 + 1;
		while (q < c2) {
			const char *comma = memchr(q, ',', (size_t)(c2 - q));
			const char *tok_end = comma ? comma : c2;
			if (tok_end - q == 3 && strncmp(q, "cpu", 3) == 0) {
				size_t n = plen < v1len ? plen : v1len - 1;
				memcpy(v1cpu, c2 + 1, n);
				v1cpu[n] = '\0';
				break;
			}
			q = tok_end + 1;
		}
	}
	return 0;
}

int parse_cpu_stat(const char *buf, uint64_t *nr_periods, uint64_t *nr_throttled)
{
	int found = 0;
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, "nr_periods ", 11) == 0) {
			*nr_periods = strtoull(l + 11, NULL, 10);
			found |= 1;
		} else if (strncmp(l, "nr_throttled ", 13) == 0) {
			*nr_throttled = strtoull(l + 13, NULL, 10);
			found |= 2;
		}
	}
	return found == 3 ? 0 : -1;
}

int parse_mountinfo_cgroup(const char *buf, const char *fstype, const char *opt,
			   char *mnt, size_t mntlen)
{
	/* "36 25 0:31 / /sys/fs/cgroup/cpu rw,... shared:9 - cgroup cgroup rw,cpu" */
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *eol = strchr(l, '\n');
		size_t len = eol ? (size_t)(eol - l) : strlen(l);
		char line[1024];
		if (len >= sizeof(line))
			continue;
		memcpy(line, l, len);
		line[len] = '\0';
		char *sep = strstr(line, " - ");
		if (!sep)
			continue;
		char type[64], src[256], opts[512] = "";
		if (sscanf(sep + 3, "%63s %255s %511s", type, src, opts) < 2)
			continue;
		if (strcmp(type, fstype) != 0)
			continue;
		if (opt) {
			bool hit = false;
			for (char *tok = strtok(opts, ","); tok; tok = strtok(NULL, ","))
				if (strcmp(tok, opt) == 0)
					hit = true;
			if (!hit)
				continue;
		}
		char mp[512];
		if (sscanf(line, "%*s %*s %*s %*s %511s", mp) != 1)
			continue;
		/* The kernel escapes ' ', '\t', '\n' and '\\' as \ooo. */
		char dec[512];
		size_t o = 0;
		for (const char *q = mp; *q && o + 1 < sizeof(dec); q++) {
			if (q[0] == '\\' && q[1] >= '0' && q[1] <= '3' && q[2] >= '0' && q[2] <= '7' &&
			    q[3] >= '0' && q[3] <= '7') {
				dec[o++] = (char)((q[1] - '0') * 64 + (q[2] - '0') * 8 + (q[3] - '0'));
				q += 3;
			} else {
				dec[o++] = *q;
			}
		}
		dec[o] = '\0';
		if (o >= mntlen)
			continue;
		memcpy(mnt, dec, o + 1);
		return 0;
	}
	return -1;
}

enum fd_type fd_classify(const char *link, uint64_t *ino)
{
	if (strncmp(link, "socket:[", 8) == 0) {
		if (ino)
			*ino = strtoull(link + 8, NULL, 10);
		return FD_SOCKET;
	}
	if (strncmp(link, "pipe:[", 6) == 0)
		return FD_PIPE;
	if (strncmp(link, "anon_inode:", 11) == 0)
		return FD_ANON_INODE;
	if (link[0] == '/')
		return FD_FILE;
	return FD_OTHER;
}

int parse_net_tcp_line(const char *line, int *state, uint64_t *ino)
{
	/* "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 12345 1 ..." */
	unsigned st;
	unsigned long long inode;
	int n = sscanf(line, " %*d: %*[0-9A-Fa-f]:%*x %*[0-9A-Fa-f]:%*x %x %*x:%*x %*x:%*x %*x %*u %*u %llu",
		       &st, &inode);
	if (n != 2)
		return -1;
	*state = (int)st;
	*ino = inode;
	return 0;
}
