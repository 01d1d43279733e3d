/*
 * signals.h - how cdtop is asked to stop: SIGINT, SIGTERM and SIGHUP set
 * one flag that the headless window (main.c) and the screen's loop check,
 * so each ends cleanly (no thread left traced, the terminal restored, the
 * snapshot written). SIGPIPE is ignored: a closed pipe is a write error,
 * not a death.
 *
 * The screen gets the flag through its options (tui.h), so the view never
 * includes this program header and nothing calls back into main.c. The
 * terminal's own signals (resize, Ctrl-Z, crashes) stay with the
 * terminal (tui.c).
 */
#ifndef CDTOP_SIGNALS_H
#define CDTOP_SIGNALS_H

#include <signal.h>

/* Install the handlers for SIGINT, SIGTERM and SIGHUP, and ignore
 * SIGPIPE. */
void signals_catch(void);

/* Non-zero once SIGINT, SIGTERM or SIGHUP arrived. */
int signals_interrupted(void);

/* The flag itself, for a loop that only reads it (the screen). */
const volatile sig_atomic_t *signals_flag(void);

#endif
