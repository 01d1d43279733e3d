/*
 * check.h - a minimal assertion helper for the unit tests.
 *
 * Every CHECK* counts one check; a failure prints file:line and what was
 * expected, and the test goes on. CHECK_DONE() ends main(): it fails the
 * test when any check failed or when no check ran at all.
 */
#ifndef CDTOP_TEST_CHECK_H
#define CDTOP_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_count, check_failed;

#define CHECK_FAIL_(...) do { \
		check_failed++; \
		fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} while (0)

#define CHECK(cond) do { \
		check_count++; \
		if (!(cond)) \
			CHECK_FAIL_("%s", #cond); \
	} while (0)

#define CHECK_EQ_INT(got, want) do { \
		long long got_ = (long long)(got), want_ = (long long)(want); \
		check_count++; \
		if (got_ != want_) \
			CHECK_FAIL_("%s == %lld, expected %s == %lld", #got, got_, #want, want_); \
	} while (0)

/* NULL-safe: two NULLs are equal, NULL and a string are not. */
#define CHECK_STR(got, want) do { \
		const char *got_ = (got), *want_ = (want); \
		check_count++; \
		if ((got_ == NULL) != (want_ == NULL) || (got_ && strcmp(got_, want_) != 0)) \
			CHECK_FAIL_("%s == \"%s\", expected \"%s\"", #got, \
				    got_ ? got_ : "(null)", want_ ? want_ : "(null)"); \
	} while (0)

#define CHECK_NEAR(got, want, eps) do { \
		double got_ = (double)(got), want_ = (double)(want); \
		check_count++; \
		if (!(fabs(got_ - want_) <= (eps))) \
			CHECK_FAIL_("%s == %g, expected %g (+-%g)", #got, got_, want_, (double)(eps)); \
	} while (0)

static inline int check_done(void)
{
	if (check_count == 0) {
		fprintf(stderr, "FAIL: no checks ran\n");
		return 1;
	}
	if (check_failed) {
		fprintf(stderr, "FAIL: %d of %d checks failed\n", check_failed, check_count);
		return 1;
	}
	printf("ok %d checks\n", check_count);
	return 0;
}

#define CHECK_DONE() check_done()

#endif
