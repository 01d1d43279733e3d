/*
 * goroutine_read.c - names of goroutine states and the release of a
 * goroutine read (see goroutine_read.h). Plain data: shared by the Go
 * reader that fills a read and the analysis that groups it.
 */
#include "goroutine_read.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[GO_NSTATUS] = {
	"idle", "runnable", "running", "syscall", "waiting", "moribund",
	"dead", "enqueue", "copystack", "preempted", "leaked", "dead",
};

const char *go_status_name(uint32_t status)
{
	return status < GO_NSTATUS ? status_names[status] : NULL;
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
