/*
 * triage.h - the built-in triage checklist: the on-call knowledge of
 * doc/triage.md encoded as rules over a snapshot (pure analysis, no /proc,
 * no curses). Each rule gives a status (ok, warn, alert, unknown while the
 * data is too short, manual for questions only a person can answer), the
 * evidence it used and the next step. Manual answers are kept by the
 * caller (the screen) in struct triage_answers and land in the snapshot
 * when it is evaluated, so a saved file carries them. The text of the
 * summary and of the checklist is the view's (report_triage.c); this
 * module only ranks the items for it.
 */
#ifndef CDTOP_TRIAGE_H
#define CDTOP_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include "snapshot.h"

#define TRIAGE_MAX_MANUAL 16
#define TRIAGE_NOTE_LEN 160

/* The engineer's answers to the manual items, by item id. */
struct triage_answers {
	int n;
	struct {
		char id[32];
		enum check_answer answer;       /* yes, no, unknown; NONE not answered */
		char note[TRIAGE_NOTE_LEN];     /* "" none */
	} item[TRIAGE_MAX_MANUAL];
};

/* Evaluate every rule over s and put the checklist (walk order: manual
 * scope questions first, then resources, then where time goes) into
 * s->checklist, replacing any there. answers may be NULL. */
void triage_evaluate(struct snapshot *s, const struct triage_answers *answers);

/* Record an answer (yes, no, unknown; NONE keeps the old one) and/or a
 * note (NULL keeps the old one) for manual item id. Returns 0, or -1 when
 * id is not a manual item or the answer is not one of the enum's. */
int triage_answer(struct triage_answers *a, const char *id, enum check_answer answer, const char *note);

/* Copy the answers found in a (loaded) snapshot's checklist into a, so a
 * replayed file keeps them. */
void triage_answers_from(struct triage_answers *a, const struct snapshot *s);

/* The worst status in s->checklist (ALERT > WARN > UNKNOWN > OK; manual
 * items do not count). OK when there is no checklist. */
enum check_status triage_worst(const struct snapshot *s);

/* The indices of s->checklist in the order the summary ranks them, into
 * order (room for s->nchecks): by status from the top of the enum
 * (MANUAL, ALERT, WARN, UNKNOWN, OK), then the rule's rank (the more
 * specific cause first: doc/triage-rules.md), then walk order. Returns
 * how many (0 when there is no checklist). */
int triage_order(const struct snapshot *s, int *order);

#endif
