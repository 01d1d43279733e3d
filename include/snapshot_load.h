/*
 * snapshot_load.h - read a saved snapshot file ("cdtop-snapshot", format
 * version 1, doc/snapshot-format.md) back into a struct snapshot, so the
 * views and the analysis work on a file exactly as on a live process
 * ("replay"). The inverse of report_json.c: loading what it wrote and
 * writing it again gives the same text.
 *
 * A file that is not JSON, not a cdtop snapshot, of a newer version, or
 * whose fields have the wrong type is refused with a one-line message
 * naming what is wrong; it never crashes. Fields missing from a file of an
 * older cdtop (format 1 grows only by adding fields) load as unknown.
 */
#ifndef CDTOP_SNAPSHOT_LOAD_H
#define CDTOP_SNAPSHOT_LOAD_H

#include <stddef.h>
#include <stdio.h>
#include "snapshot.h"

/* Load the snapshot file at path. Returns a snapshot with replay set
 * (caller frees with snapshot_free), or NULL with a one-line message
 * starting with the path in err. */
struct snapshot *snapshot_load(const char *path, char *err, size_t errlen);

/* Load a snapshot from an open stream (read to its end, not closed).
 * NULL with a one-line message in err on failure. */
struct snapshot *snapshot_load_stream(FILE *f, char *err, size_t errlen);

/* Load a snapshot from the len bytes at text (need not be NUL-terminated).
 * NULL with a one-line message in err on failure. */
struct snapshot *snapshot_load_buffer(const char *text, size_t len, char *err, size_t errlen);

#endif
