/*
 * proc_parse.c - parsers for /proc and cgroup text formats.
 *
 * Everything here is a pure function over a NUL-terminated buffer so it
 * can be fed fixture files by the unit tests. Formats follow proc(5) and
 * the kernel's Documentation/admin-guide/cgroup-v2.rst.
 */
#include "proc_parse.h"

#include <arpa/inet.h>
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

/* Hex digit value, or -1. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse hex digits at *p into *v; returns the number of digits. */
static int scan_hex(const char **p, uint64_t *v)
{
	int n = 0, d;
	*v = 0;
	while ((d = hexval(**p)) >= 0) {
		*v = (*v << 4) | (uint64_t)d;
		(*p)++;
		n++;
	}
	return n;
}

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* Skip one whitespace-separated field. */
static void skip_field(const char **p)
{
	skip_blanks(p);
	while (**p && **p != ' ' && **p != '\t' && **p != '\n')
		(*p)++;
}

/* "0100007F:1F90": the kernel prints each 32-bit word of the address
 * in host byte order, so storing the words natively gives the address
 * in network order. Returns 0 or -1. */
static int scan_addr_port(const char **p, uint8_t addr[16], int *family, uint16_t *port)
{
	const char *s = *p;
	int nd = 0;
	while (hexval(s[nd]) >= 0)
		nd++;
	if ((nd != 8 && nd != 32) || s[nd] != ':')
		return -1;
	memset(addr, 0, 16);
	for (int w = 0; w < nd / 8; w++) {
		uint32_t v = 0;
		for (int k = 0; k < 8; k++)
			v = (v << 4) | (uint32_t)hexval(s[w * 8 + k]);
		memcpy(addr + 4 * w, &v, 4);
	}
	*family = nd == 8 ? 4 : 6;
	s += nd + 1;
	uint64_t pv;
	if (scan_hex(&s, &pv) == 0 || pv > 0xffff)
		return -1;
	*port = (uint16_t)pv;
	*p = s;
	return 0;
}

int parse_net_tcp_entry(const char *line, struct net_tcp_entry *e)
{
	const char *p = line;
	skip_blanks(&p);
	if (*p < '0' || *p > '9')
		return -1;   /* header */
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != ':')
		return -1;
	skip_blanks(&p);
	int fam2;
	if (scan_addr_port(&p, e->local, &e->family, &e->lport) < 0)
		return -1;
	skip_blanks(&p);
	if (scan_addr_port(&p, e->remote, &fam2, &e->rport) < 0 || fam2 != e->family)
		return -1;
	skip_blanks(&p);
	uint64_t v, tx, rx;
	if (scan_hex(&p, &v) == 0)
		return -1;
	e->state = (int)v;
	skip_blanks(&p);
	if (scan_hex(&p, &tx) == 0 || *p++ != ':' || scan_hex(&p, &rx) == 0)
		return -1;
	e->tx_queue = (int64_t)tx;
	e->rx_queue = (int64_t)rx;
	skip_field(&p);   /* tr:tm->when */
	skip_field(&p);   /* retrnsmt */
	skip_field(&p);   /* uid */
	skip_field(&p);   /* timeout */
	skip_blanks(&p);
	if (*p < '0' || *p > '9')
		return -1;
	uint64_t ino = 0;
	while (*p >= '0' && *p <= '9')
		ino = ino * 10 + (uint64_t)(*p++ - '0');
	e->ino = ino;
	return 0;
}

/* Decimal digits of v at p; returns the end. */
static char *put_uint(char *p, unsigned v)
{
	char t[8];
	int k = 0;
	do {
		t[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k)
		*p++ = t[--k];
	return p;
}

char *format_inet(int family, const uint8_t *addr, uint16_t port, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN];
	if (family == 4 && n >= 22) {
		/* By hand: tens of thousands per second on a busy server. */
		char *p = buf;
		for (int i = 0; i < 4; i++) {
			p = put_uint(p, addr[i]);
			*p++ = i < 3 ? '.' : ':';
		}
		p = put_uint(p, port);
		*p = '\0';
	} else if (family == 4) {
		inet_ntop(AF_INET, addr, a, sizeof(a));
		snprintf(buf, n, "%s:%u", a, (unsigned)port);
	} else {
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		snprintf(buf, n, "[%s]:%u", a, (unsigned)port);
	}
	return buf;
}
