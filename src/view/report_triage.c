/*
 * report_triage.c - the checklist as text, for the text report: the
 * "most likely explanation" summary (alerts and warnings ranked by
 * triage_order, each with its evidence and the first sentence of its next
 * step, then the person's answers, what could not be judged, the counts)
 * and the whole checklist in walk order, wrapped with hanging indents.
 *
 * Why here: the verdicts are analysis (triage.c, pure, no IO); the words
 * and the layout around them are a view's, like the rest of the report.
 * Names the target chose (comm, notes typed by a person) go through
 * utf8_sanitize; width counts code points, not bytes.
 */
#include "report.h"
#include "triage.h"
#include "units.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Write text wrapped at width with a hanging indent; width 0 = no wrap. */
static void wrap(FILE *f, const char *first, const char *indent, const char *text, int width)
{
	fputs(first, f);
	int col = (int)strlen(first), ind = (int)strlen(indent);
	const char *p = text;
	bool line_start = true;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		int wl = 0;     /* display width: count code points, not bytes */
		for (const char *q = p; q < e; q++)
			wl += ((unsigned char)*q & 0xC0) != 0x80;
		if (width > 0 && !line_start && col + 1 + wl > width) {
			fputc('\n', f);
			fputs(indent, f);
			col = ind;
			line_start = true;
		}
		if (!line_start) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, (size_t)(e - p), f);
		col += wl;
		line_start = false;
		p = e;
	}
	fputc('\n', f);
}

int report_triage_summary_write(const struct snapshot *s, FILE *f, int width)
{
	if (!s->checklist || s->nchecks == 0) {
		fputs("Most likely explanation: the checklist was not evaluated for this snapshot.\n", f);
		return ferror(f) ? -1 : 0;
	}
	int *ord = xmalloc(sizeof(int) * (size_t)s->nchecks);
	int n = triage_order(s, ord);

	int nalert = 0, nwarn = 0, nunk = 0, nok = 0;
	for (int i = 0; i < n; i++) {
		int st = (int)s->checklist[i].status;
		nalert += st == CHECK_ST_ALERT;
		nwarn += st == CHECK_ST_WARN;
		nunk += st == CHECK_ST_UNKNOWN;
		nok += st == CHECK_ST_OK;
	}
	char w[32], head[256];
	snprintf(head, sizeof(head), "Most likely explanation (pid %d %s, %s):", s->proc.pid,
		 s->proc.comm, units_window(w, sizeof(w), s->window_s));
	char *h = utf8_sanitize(head);
	fprintf(f, "%s\n", h);
	free(h);
	if (nalert + nwarn == 0) {
		wrap(f, "  ", "  ", "No automatic check found a problem. Walk the manual questions and the "
		     "unknown items below; the cause may be outside this process (a dependency, the "
		     "network, the host).", width);
	}
	for (int i = 0; i < n; i++) {
		const struct snap_check *c = &s->checklist[ord[i]];
		int st = (int)c->status;
		if (st != CHECK_ST_ALERT && st != CHECK_ST_WARN)
			continue;
		char first[160], line[1024];
		snprintf(first, sizeof(first), "  %-5s  ", st == CHECK_ST_ALERT ? "ALERT" : "WARN");
		snprintf(line, sizeof(line), "%s: %s", c->title, c->evidence ? c->evidence : "");
		char *clean = utf8_sanitize(line);
		wrap(f, first, "         ", clean, width);
		free(clean);
		if (c->next_step) {
			/* The first sentence of the next step, with the pane. */
			char nx[512];
			snprintf(nx, sizeof(nx), "-> %s: %s", check_pane_name(c->pane ? c->pane : CHECK_PANE_OVERVIEW),
				 c->next_step);
			for (char *dot = strstr(nx, ". "); dot; dot = strstr(dot + 1, ". "))
				if (dot[2] >= 'A' && dot[2] <= 'Z' && !(dot - nx >= 3 && dot[-2] == '.')) {
					dot[1] = '\0';
					break;
				}
			wrap(f, "         ", "            ", nx, width);
		}
	}
	/* What the person answered, and what could not be judged. */
	char ans[1024] = "";
	for (int i = 0; i < n; i++) {
		const struct snap_check *c = &s->checklist[i];
		if (c->status != CHECK_ST_MANUAL || (!c->answer && !(c->note && *c->note)))
			continue;
		str_appendf(ans, sizeof(ans), "%s%s %s%s%s%s", ans[0] ? "; " : "", c->title,
			    c->answer ? check_answer_name(c->answer) : "(no answer)",
			    c->note && *c->note ? " (" : "", c->note && *c->note ? c->note : "",
			    c->note && *c->note ? ")" : "");
	}
	if (ans[0]) {
		char *clean = utf8_sanitize(ans);
		wrap(f, "  Answers: ", "    ", clean, width);
		free(clean);
	} else {
		wrap(f, "  Answers: ", "    ", "none yet (traffic, deploy, heavy requests, one instance or "
		     "all, errors with latency).", width);
	}
	if (nunk) {
		char unk[512] = "";
		for (int i = 0; i < n; i++)
			if (s->checklist[i].status == CHECK_ST_UNKNOWN)
				str_appendf(unk, sizeof(unk), "%s%s", unk[0] ? ", " : "", s->checklist[i].id);
		wrap(f, "  Not judged (unknown): ", "    ", unk, width);
	}
	fprintf(f, "  %d alert, %d warn, %d ok, %d unknown.\n", nalert, nwarn, nok, nunk);
	free(ord);
	return ferror(f) ? -1 : 0;
}

int report_triage_checklist_write(const struct snapshot *s, FILE *f, int width)
{
	if (!s->checklist)
		return 0;
	fprintf(f, "Checklist (walk it top to bottom: scope, resources, where the time goes)\n");
	for (int i = 0; i < s->nchecks; i++) {
		const struct snap_check *c = &s->checklist[i];
		char first[64], line[1024];
		int st = (int)c->status;
		static const char *const tag[CHECK_ST_COUNT] = {"ok", "??", "WARN", "ALERT", "ask"};
		snprintf(first, sizeof(first), "  %-5s  ", tag[st]);
		snprintf(line, sizeof(line), "%s [%s]", c->title, c->id);
		char *clean = utf8_sanitize(line);
		wrap(f, first, "         ", clean, width);
		free(clean);
		if (c->evidence) {
			clean = utf8_sanitize(c->evidence);
			wrap(f, "         ", "           ", clean, width);
			free(clean);
		}
		if (c->next_step && st != CHECK_ST_OK) {
			snprintf(line, sizeof(line), "next (%s): %s",
				 check_pane_name(c->pane ? c->pane : CHECK_PANE_OVERVIEW),
				 c->next_step);
			clean = utf8_sanitize(line);
			wrap(f, "         ", "           ", clean, width);
			free(clean);
		}
	}
	fprintf(f, "  (ok = checked, nothing found; ?? = unknown: not enough data; ask = a question "
		"for you)\n");
	return ferror(f) ? -1 : 0;
}
