/*
 * test_golden.c - what cdtop writes from each fixture snapshot stays the
 * same: the JSON, text and folded reports as loaded, the JSON and text
 * after re-running the checklist on the loaded snapshot, and the screen
 * (overview and every pane, at 200x50 and 80x24, in both profile modes).
 *
 * Why: refactors of the model, the analysis or the views must not change
 * a verdict or a byte of output unless a change says so. Every
 * fixture snapshot (tests/fixtures/snapshots) must have its five golden
 * files in tests/fixtures/golden/, and every golden file its snapshot (a
 * missing or a stale one fails the test). After a change
 * that is meant to alter the output, rewrite them with
 * CDTOP_GOLDEN_WRITE=1 and review the diff in the commit.
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "canvas.h"
#include "report.h"
#include "snapshot_load.h"
#include "triage.h"
#include "ui.h"

static bool rewrite;

/* Render one kind of output of the snapshot at path into f. */
static int render(const char *path, const char *kind, FILE *f)
{
	char err[512];
	struct snapshot *s = snapshot_load(path, err, sizeof(err));
	if (!s) {
		fprintf(f, "load error: %s\n", err);
		return -1;
	}
	int rc = 0;
	if (strcmp(kind, "json") == 0) {
		rc = report_json_write(s, f);
	} else if (strcmp(kind, "text") == 0) {
		rc = report_text_write(s, f);
	} else if (strcmp(kind, "folded") == 0) {
		rc = report_folded_write(s, f);
	} else if (strcmp(kind, "retriage") == 0) {
		struct triage_answers a = {0};
		triage_answers_from(&a, s);
		triage_evaluate(s, &a);
		rc = report_json_write(s, f) | report_text_write(s, f);
	} else if (strcmp(kind, "screen") == 0) {
		struct ui u;
		struct ui_opts o = {.delay = 1.0, .out_dir = "/nonexistent", .replay = true, .utf8 = true,
				    .stacks_off = s->profile ? NULL : "stack sampling disabled (--no-stacks)"};
		ui_init(&u, &o);
		ui_set_snapshot(&u, s);
		s = NULL; /* the screen owns it now */
		struct canvas *big = canvas_new(200, 50, true), *small = canvas_new(80, 24, true);
		const char *keys = "=1234567w1";
		for (const char *k = keys; *k; k++) {
			if (*k != '=')
				ui_key(&u, *k);
			fprintf(f, "== key %c 200x50\n", *k);
			ui_render(&u, big);
			canvas_write(big, f);
			fprintf(f, "== key %c 80x24\n", *k);
			ui_render(&u, small);
			canvas_write(small, f);
		}
		canvas_free(big);
		canvas_free(small);
		ui_fini(&u);
	}
	snapshot_free(s);
	return rc;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	FILE *m = open_memstream(&buf, &cap);
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		fwrite(tmp, 1, n, m);
	fclose(f);
	fclose(m);
	*len = cap;
	return buf;
}

static void check_one(const char *name, const char *kind)
{
	char in[4096], gold[4096], file[512];
	snprintf(file, sizeof(file), "%s.json", name);
	fixtures_path(in, sizeof(in), "snapshots", file);
	snprintf(file, sizeof(file), "%s.%s", name, kind);
	fixtures_path(gold, sizeof(gold), "golden", file);
	char *got = NULL;
	size_t glen = 0;
	FILE *m = open_memstream(&got, &glen);
	render(in, kind, m);
	fclose(m);
	check_count++;
	if (rewrite) {
		FILE *f = fopen(gold, "wb");
		if (!f || fwrite(got, 1, glen, f) != glen || fclose(f) != 0)
			CHECK_FAIL_("cannot write %s: %s", gold, strerror(errno));
		free(got);
		return;
	}
	size_t wlen = 0;
	char *want = slurp(gold, &wlen);
	if (!want) {
		CHECK_FAIL_("%s is missing (CDTOP_GOLDEN_WRITE=1 writes it)", gold);
	} else if (wlen != glen || memcmp(want, got, glen) != 0) {
		size_t i = 0, line = 1;
		while (i < wlen && i < glen && want[i] == got[i])
			line += want[i++] == '\n';
		CHECK_FAIL_("%s %s differs from %s at line %zu", name, kind, gold, line);
		char out[4096];
		snprintf(out, sizeof(out), "/tmp/cdtop-golden-%s.%s", name, kind);
		FILE *f = fopen(out, "wb");
		if (f) {
			fwrite(got, 1, glen, f);
			fclose(f);
			fprintf(stderr, "  got: %s (diff -u %s %s)\n", out, gold, out);
		}
	}
	free(want);
	free(got);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	rewrite = getenv("CDTOP_GOLDEN_WRITE") != NULL;
	static const char *const kinds[] = {"json", "text", "folded", "retriage", "screen"};
	int n;
	char **names = fixtures_list("snapshots", ".json", &n);
	if (!names)
		return 1;
	for (int i = 0; i < n; i++) {
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(names[i]) - 5), names[i]);
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			check_one(name, kinds[k]);
	}
	fixtures_list_free(names, n);
	CHECK(n >= 10);
	/* No golden file is left from a snapshot that is gone. */
	if (!rewrite)
		CHECK_EQ_INT(fixtures_unnamed("golden"), 0);
	return CHECK_DONE();
}
