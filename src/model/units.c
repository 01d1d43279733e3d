/*
 * units.c - sizes for people (units.h): one set of units and one rounding
 * rule for the screen, the text report and the checklist's evidence, so
 * the same figure never reads "5000K" in one place and "4.9 MiB" in
 * another. The JSON snapshot keeps raw numbers (rss_kb and the like).
 * Windows of time get one spelling too ("over 6 s", "over 3 min").
 */
#include "units.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

static const char *const unit_names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" };
#define NUNITS ((int)(sizeof(unit_names) / sizeof(unit_names[0])))
#define UNIT_MIB 2

/* v in unit u (an index into unit_names). */
static const char *format(char *b, size_t n, double v, int u, unsigned flags)
{
	if (!isfinite(v) || (v < 0 && !(flags & UNITS_SIGNED))) {
		snprintf(b, n, "-");
		return b;
	}
	bool neg = v < 0;
	double a = fabs(v);
	while (u < NUNITS - 1 && a >= 1023.5) {
		a /= 1024.0;
		u++;
	}
	/* From MiB up, one decimal under 10 ("9.9"); 9.95 and over would
	 * print "10.0", so those are whole. */
	bool decimal = u >= UNIT_MIB && a < 9.95;
	if (!decimal && a < 0.5)
		neg = false;                    /* no "-0 KiB" */
	snprintf(b, n, decimal ? "%s%.1f%s%s" : "%s%.0f%s%s", neg ? "-" : "", a,
		 (flags & UNITS_COMPACT) ? "" : " ", unit_names[u]);
	return b;
}

const char *units_bytes(char *b, size_t n, double bytes, unsigned flags)
{
	return format(b, n, bytes, 0, flags);
}

const char *units_kib(char *b, size_t n, double kib, unsigned flags)
{
	return format(b, n, kib, 1, flags);
}

const char *units_window(char *b, size_t n, double seconds)
{
	if (isnan(seconds) || seconds <= 0)
		snprintf(b, n, "at one reading");
	else if (seconds < 120)
		snprintf(b, n, "over %.0f s", seconds);
	else
		snprintf(b, n, "over %.0f min", seconds / 60.0);
	return b;
}
