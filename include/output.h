/*
 * output.h - safe file output: a snapshot is written to a temporary file
 * (mode 0600) in the destination directory, flushed, fsync'ed and
 * renamed over the destination, so a reader never sees half a file and a
 * failure leaves nothing behind.
 */
#ifndef CDTOP_OUTPUT_H
#define CDTOP_OUTPUT_H

#include <stddef.h>
#include "snapshot.h"

enum out_format { OUT_JSON, OUT_TEXT, OUT_FOLDED };

/* Format from a file name's extension (.json -> JSON, .txt/.text/.log ->
 * text, .folded -> folded stacks); -1 when the extension says nothing. */
int output_format_from_name(const char *path);

/* Check early that `path` can be created (directory exists and is
 * writable) by creating and removing a temp file. Returns 0 or -1 with a
 * one-line message in err. */
int output_check_writable(const char *path, char *err, size_t errlen);

/* Write s to path in format fmt atomically (temp file + rename, 0600).
 * Returns 0, or -1 with a one-line message in err. */
int output_write_snapshot(const struct snapshot *s, const char *path, enum out_format fmt,
			  char *err, size_t errlen);

/* Write s to standard output in format fmt. Returns 0, or -1 with a
 * message in err. */
int output_write_stdout(const struct snapshot *s, enum out_format fmt, char *err, size_t errlen);

#endif
