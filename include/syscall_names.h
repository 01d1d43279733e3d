/*
 * syscall_names.h - x86_64 system call names by number, and which calls
 * are waits for work. Model vocabulary: the /proc readers name a
 * thread's syscall with it, the frame vocabulary (frame.h) recognises
 * libc wrappers named after a call, triage tells an idle wait from a
 * stuck one.
 */
#ifndef CDTOP_SYSCALL_NAMES_H
#define CDTOP_SYSCALL_NAMES_H

#include <stdbool.h>

/* x86_64 syscall name for nr, or NULL when unknown. */
const char *syscall_name(long nr);

/* Number of the x86_64 syscall called `name`, or -1. */
long syscall_nr(const char *name);

/* Is `name` a system call a thread makes to wait for work (epoll_wait,
 * poll, select, accept, nanosleep, pause, wait4, ...)? A thread blocked
 * in one is idle, not stuck. */
bool syscall_is_idle(const char *name);

#endif
