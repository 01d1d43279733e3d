/*
 * pane_files.c - files and sockets: open fds by type against the limit,
 * the process's TCP sockets by state (CLOSE_WAIT, the sign of connections
 * the program forgets to close, in the alert style), and the sockets
 * themselves with local and remote address and their queues, sorted so
 * the suspicious ones come first (CLOSE_WAIT, then big queues).
 */
#include "ui_pane.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct snapshot *sort_snap;

static int state_rank(int st)
{
	switch (st) {
	case TCP_ST_CLOSE_WAIT: return 0;
	case TCP_ST_SYN_SENT: return 1;
	case TCP_ST_ESTABLISHED: return 2;
	case TCP_ST_LISTEN: return 4;
	default: return 3;
	}
}

static int cmp_socks(const void *a, const void *b)
{
	const struct snap_socket *x = &sort_snap->sockets[*(const int *)a];
	const struct snap_socket *y = &sort_snap->sockets[*(const int *)b];
	int r = state_rank(x->state) - state_rank(y->state);
	if (r)
		return r;
	int64_t qx = (x->rx_queue > 0 ? x->rx_queue : 0) + (x->tx_queue > 0 ? x->tx_queue : 0);
	int64_t qy = (y->rx_queue > 0 ? y->rx_queue : 0) + (y->tx_queue > 0 ? y->tx_queue : 0);
	if (qx != qy)
		return qx < qy ? 1 : -1;
	return x->fd - y->fd;
}

/* The pane's state is its list: indices into snap->sockets, filtered,
 * suspicious first. */
static void files_refresh(void *data, const struct ui *u, const struct snapshot *s)
{
	(void)u;
	struct ui_list *l = data;
	ui_list_reset(l, s->sockets ? s->nsockets : 0);
	if (!s->sockets)
		return;
	for (int i = 0; i < s->nsockets; i++) {
		const struct snap_socket *k = &s->sockets[i];
		const char *st = tcp_state_name(k->state);
		if (ui_match(k->local, l->filter) || ui_match(k->remote, l->filter) || ui_match(st, l->filter))
			ui_list_add(l, i);
	}
	sort_snap = s;
	ui_list_sort(l, cmp_socks);
	sort_snap = NULL;
}

static void files_draw(void *data, const struct ui *u, const struct snapshot *s, const struct view *v,
		       bool focused)
{
	(void)u;
	struct ui_list *l = data;
	const struct snap_process *p = &s->proc;
	char a[32], b[32];
	ui_title(v, UI_PANE_FILES, l, focused, "%s fds, %s sockets listed", fmt_int(a, sizeof(a), p->fds.open),
		 s->sockets ? (snprintf(b, sizeof(b), "%d", s->nsockets), b) : "no");
	int y = 1;
	/* File descriptors by type. */
	int x = view_put(v, y, 1, CV_LABEL, "FDS ");
	if (p->fds.open >= 0) {
		x = view_printf(v, y, x, CV_NORMAL, "%lld open", (long long)p->fds.open);
		x = ui_fd_limit(v, y, x, &p->fds, " of ", " (no limit)");
		view_printf(v, y, x, CV_NORMAL, ": file %lld, socket %lld, pipe %lld, anon_inode %lld, other %lld",
			    (long long)p->fds.file, (long long)p->fds.socket, (long long)p->fds.pipe,
			    (long long)p->fds.anon_inode, (long long)p->fds.other);
	} else {
		view_put(v, y, x, CV_DIM, "unknown (no permission to read /proc/PID/fd)");
	}
	y++;
	/* TCP states. */
	x = view_put(v, y, 1, CV_LABEL, "TCP ");
	if (p->tcp.known) {
		for (int st = 1; st < TCP_ST_MAX; st++) {
			int64_t n = p->tcp.count[st];
			bool always = st == TCP_ST_ESTABLISHED || st == TCP_ST_CLOSE_WAIT ||
				      st == TCP_ST_TIME_WAIT || st == TCP_ST_LISTEN;
			if (!n && !always)
				continue;
			int style = st == TCP_ST_CLOSE_WAIT && n > 0 ? CV_ALERT : n ? CV_NORMAL : CV_DIM;
			x = view_printf(v, y, x, style, "%s %lld  ", tcp_state_name(st), (long long)n);
		}
		if (v->w - x > 14)
			view_printf(v, y, x, CV_DIM, "(from %s)", tcp_source_name(p->tcp.source));
	} else {
		view_put(v, y, x, CV_DIM, "states unknown");
	}
	y++;
	/* TIME_WAIT sockets belong to no process: the namespace's count. */
	if (p->netns_time_wait >= 0 && y < v->h) {
		x = view_put(v, y, 1, CV_LABEL, "NET ");
		view_printf(v, y++, x, CV_NORMAL, "TIME_WAIT %lld in the network namespace (they have no owner)",
			    (long long)p->netns_time_wait);
	}
	if (y >= v->h)
		return;
	/* The sockets themselves. */
	if (!s->sockets) {
		view_put(v, y, 1, CV_DIM, "socket list not collected in this snapshot");
		return;
	}
	if (s->nsockets == 0) {
		view_put(v, y, 1, CV_DIM, "no TCP sockets");
		return;
	}
	/* Addresses get what the fixed columns leave (an IPv6 address with
	 * port is up to 47 characters). */
	int aw = (v->w - 6 - 1 - 11 - 1 - 1 - 1 - 8 - 1 - 8) / 2;
	aw = aw < 12 ? 12 : aw > 47 ? 47 : aw;
	y = ui_heading(v, y, "%6s %-11s %-*s %-*s %8s %8s", "FD", "STATE", aw, "LOCAL", aw, "REMOTE", "RECV-Q",
		       "SEND-Q");
	if (ui_list_none(v, y, l, "socket"))
		return;
	int rows = v->h - y;
	ui_list_clamp(l, rows);
	for (int i = 0; i < rows && l->scroll + i < l->nrows; i++, y++) {
		int r = l->scroll + i;
		const struct snap_socket *k = &s->sockets[l->rows[r]];
		bool sel = focused && r == l->cursor;
		int style = sel ? CV_SEL : k->state == TCP_ST_CLOSE_WAIT ? CV_ALERT : CV_NORMAL;
		const char *st = tcp_state_name(k->state);
		char fd[16], rq[32], tq[32];
		if (sel)
			view_fill(v, y, CV_SEL);
		x = view_printf(v, y, 0, style, "%6s ", k->fd >= 0 ? (snprintf(fd, sizeof(fd), "%d", k->fd), fd) : "-");
		x = view_put_col(v, y, x, 11, style, st ? st : "?");
		x = view_put_col(v, y, x + 1, aw, style, k->local);
		x = view_put_col(v, y, x + 1, aw, style, k->state == TCP_ST_LISTEN ? "*" : k->remote);
		view_printf(v, y, x + 1, style, "%8s %8s", fmt_int(rq, sizeof(rq), k->rx_queue),
			    fmt_int(tq, sizeof(tq), k->tx_queue));
	}
}

/* Rows for the overview: the fd, TCP (and namespace) lines, the sockets. */
static int files_want(void *data, const struct snapshot *s)
{
	int n = ((struct ui_list *)data)->nrows;
	return 4 + (s->proc.netns_time_wait >= 0) + (s->sockets && s->nsockets ? n + 1 : 0);
}

static const char *const files_help[] = {
	"/\tfilter sockets by address or state (e.g. CLOSE_WAIT, :5432)",
	NULL,
};

const struct pane pane_files = {
	.name = "files", .title = "Files and sockets", .tab = "Files", .hotkey = '5',
	.init = ui_list_new, .free = ui_list_free, .refresh = files_refresh,
	.draw = files_draw, .want = files_want, .help = files_help,
};
