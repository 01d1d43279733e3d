/*
 * goroutine_read.c - Go's goroutine states as the snapshot names them
 * (enum gr_status) and the release of a goroutine read (see
 * goroutine_read.h). Plain data: shared by the Go reader that fills a
 * read and the analysis that groups it.
 */
#include "goroutine_read.h"

#include <stdlib.h>
#include <string.h>

enum gr_status go_status_to_gr(uint32_t status)
{
	static const enum gr_status st[GO_NSTATUS] = {
		[GO_IDLE] = GR_STATUS_IDLE, [GO_RUNNABLE] = GR_STATUS_RUNNABLE,
		[GO_RUNNING] = GR_STATUS_RUNNING, [GO_SYSCALL] = GR_STATUS_SYSCALL,
		[GO_WAITING] = GR_STATUS_WAITING, [GO_MORIBUND] = GR_STATUS_MORIBUND,
		[GO_DEAD] = GR_STATUS_DEAD, [GO_ENQUEUE] = GR_STATUS_ENQUEUE,
		[GO_COPYSTACK] = GR_STATUS_COPYSTACK, [GO_PREEMPTED] = GR_STATUS_PREEMPTED,
		[GO_LEAKED] = GR_STATUS_LEAKED, [GO_DEADEXTRA] = GR_STATUS_DEAD,
	};
	return status < GO_NSTATUS ? st[status] : GR_STATUS_UNKNOWN;
}

void go_read_fini(struct go_read *r)
{
	if (!r)
		return;
	free(r->g);
	free(r->frames);
	for (int i = 0; i < r->nfuncs; i++)
		free(r->funcs[i]);
	free(r->funcs);
	for (int i = 0; i < r->nreasons; i++)
		free(r->reasons[i]);
	free(r->reasons);
	memset(r, 0, sizeof(*r));
}
