/*
 * units.h - the one size formatter: every size cdtop shows a person (the
 * screen, the text report, checklist evidence) is spelled with the same
 * binary units and rounded by the same rules.
 *
 * Units: B, KiB, MiB, GiB, TiB, PiB, EiB, ZiB, YiB (1 KiB = 1024 B). A figure moves to the
 * next unit where it would round to 1024. B and KiB are whole numbers;
 * from MiB up a figure under 10 keeps one decimal. So: "512 B", "640 KiB",
 * "1023 KiB", "1.0 MiB", "4.9 MiB", "812 MiB", "3.2 GiB", "12 GiB".
 * An unknown figure (NaN, infinite; a negative size) is "-" with no unit.
 *
 * Also the one spelling of an observation window ("over 6 s", "over 3
 * min") that the checklist's evidence and the text report's summary share.
 */
#ifndef CDTOP_UNITS_H
#define CDTOP_UNITS_H

#include <stddef.h>

/* No space before the unit ("812MiB", at most 7 characters), for narrow
 * screen columns. */
#define UNITS_COMPACT 1u
/* A negative figure is a decrease ("-1.5 MiB") rather than unknown: for
 * changes and rates. */
#define UNITS_SIGNED 2u

/* `bytes` as a size ("640 KiB"), or "-" when unknown, into b (n >= 16
 * holds every figure up to 1023 YiB). Returns b. */
const char *units_bytes(char *b, size_t n, double bytes, unsigned flags);

/* The same for a figure in KiB (the kernel's unit for memory); never
 * shown in B. */
const char *units_kib(char *b, size_t n, double kib, unsigned flags);

/* An observation window of `seconds` as words, into b (n >= 32): "over
 * 6 s" under two minutes, then "over 3 min"; "at one reading" when the
 * window is unknown (NaN) or not positive. Returns b. */
const char *units_window(char *b, size_t n, double seconds);

#endif
