/*
 * report.h - renderers of a snapshot to files: JSON (the public format
 * documented in doc/snapshot-format.md), a plain-text report for pasting
 * into a ticket (with the checklist's summary and items as text) and
 * folded stacks for flame graphs. All write to a FILE*; output.c makes
 * the writes atomic.
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

/* Write the checklist's "most likely explanation" summary: the alert and
 * warn items ranked by triage_order with their evidence and next pane,
 * the manual answers, the items not judged and the counts; for pasting
 * into the incident channel. width is the line width to wrap at (0 = no
 * wrapping). Returns 0 or -1 on a write error. */
int report_triage_summary_write(const struct snapshot *s, FILE *f, int width);

/* Write every checklist item in walk order with its status, evidence and
 * (unless ok) next step, wrapped at width (0 = no wrapping). Nothing when
 * the snapshot has no checklist. Returns 0 or -1 on a write error. */
int report_triage_checklist_write(const struct snapshot *s, FILE *f, int width);

/* Write Brendan Gregg's folded format: "thread;outer;...;inner count"
 * per line, for the samples counted in the profile's mode; nothing when
 * the snapshot has no profile. Returns 0 or -1 (errno set). */
int report_folded_write(const struct snapshot *s, FILE *f);

#endif
