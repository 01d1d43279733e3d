/*
 * signals.c - the interrupt flag (see signals.h). The handler only sets
 * a sig_atomic_t: everything else happens in the loops that read it.
 */
#include "signals.h"

#include <string.h>

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void signals_catch(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int signals_interrupted(void)
{
	return interrupted;
}

const volatile sig_atomic_t *signals_flag(void)
{
	return &interrupted;
}
