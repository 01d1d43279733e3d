/*
 * report.h - renderers of a snapshot to files: JSON (the public format
 * documented in doc/snapshot-format.md) and a plain-text report for
 * pasting into a ticket. Both write to a FILE*; output.c makes the
 * writes atomic.
 */
#ifndef CDTOP_REPORT_H
#define CDTOP_REPORT_H

#include <stdio.h>
#include "snapshot.h"

/* Write `s` as snapshot JSON (format 1) to f. Returns 0, or -1 on a write
 * error (errno set). */
int report_json_write(const struct snapshot *s, FILE *f);

/* Write `s` as a human-readable text report to f. Returns 0 or -1. */
int report_text_write(const struct snapshot *s, FILE *f);

#endif
