/*
 * report_folded.c - a snapshot's stacks in Brendan Gregg's folded format
 * ("thread;outer;...;inner count" per line) for flamegraph.pl, speedscope
 * and the like: the samples the profile's mode counts (profile.h: cpu
 * mode only running threads), outermost frame first, the thread's name
 * as the root.
 *
 * Why here: which samples count is analysis (profile.c, pure); the file
 * format around them is a view's, beside the JSON and text writers.
 */
#include "report.h"
#include "profile.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>

/* Folded frames may not contain ';' or end in a count: replace ';'. */
static void put_frame(FILE *f, const char *name)
{
	for (const char *c = name; *c; c++)
		fputc(*c == ';' ? ':' : (*c == '\n' ? ' ' : *c), f);
}

int report_folded_write(const struct snapshot *s, FILE *f)
{
	const struct snap_profile *p = s->profile;
	if (!p)
		return 0;
	for (int i = 0; i < p->nstacks; i++) {
		const struct snap_stack *st = &p->stacks[i];
		if (!profile_stack_counted(st, p->mode, 0) || st->nframes < 1)
			continue;
		const char *tname = s->proc.comm;
		for (int k = 0; k < s->nthreads; k++)
			if (s->threads[k].tid == st->tid) {
				tname = s->threads[k].name;
				break;
			}
		char *clean = utf8_sanitize(tname);
		put_frame(f, clean);
		free(clean);
		for (int j = st->nframes - 1; j >= 0; j--) {
			fputc(';', f);
			put_frame(f, p->frames[st->frames[j]].function);
		}
		fprintf(f, " %lld\n", (long long)st->count);
	}
	if (ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}
