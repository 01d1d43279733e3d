/*
 * rss_grow - test target: grows its anonymous resident memory by about
 * 20 MB per second (2 MB chunks every 100 ms, each fully written with
 * memset so the pages are really resident), up to 400 MB, then idles.
 *
 * Prints "ready" before it starts growing; ends on SIGTERM or after
 * alarm(120).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (2u * 1024 * 1024)
#define MAX_CHUNKS 200 /* 400 MB */

/* volatile so the compiler cannot drop the stores, nor the memset. */
static char *volatile chunks[MAX_CHUNKS];
static volatile unsigned char sink;

/* Allocate and touch one more chunk; returns 0, or -1 when at the cap. */
static __attribute__((noinline)) int grow_once(int i)
{
	char *p;

	if (i >= MAX_CHUNKS)
		return -1;
	p = malloc(CHUNK);
	if (!p) {
		fprintf(stderr, "rss_grow: out of memory\n");
		exit(1);
	}
	memset(p, 0x5a ^ i, CHUNK);
	chunks[i] = p;
	sink = (unsigned char)p[CHUNK - 1];
	return 0;
}

int main(void)
{
	struct timespec tick = {0, 100 * 1000 * 1000};

	alarm(120);
	printf("ready\n");
	fflush(stdout);
	for (int i = 0;; i++) {
		if (grow_once(i) < 0)
			pause();
		nanosleep(&tick, NULL);
	}
	return 0;
}
