/*
 * sampler.h - one thread's registers and the top of its stack, taken
 * with ptrace while the thread is held stopped for as short a time as
 * possible. The only module that calls ptrace.
 *
 * Per grab: PTRACE_SEIZE -> PTRACE_INTERRUPT -> waitpid -> GETREGS ->
 * process_vm_readv of the stack top -> PTRACE_DETACH. Between grabs the
 * target is not traced at all, so a crash or kill -9 of cdtop cannot
 * leave it stopped (SEIZE, never ATTACH, never PTRACE_O_EXITKILL).
 */
#ifndef CDTOP_SAMPLER_H
#define CDTOP_SAMPLER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

enum grab_status {
	GRAB_OK,
	GRAB_GONE,          /* the thread exited */
	GRAB_STOPPED,       /* in a group-stop (SIGSTOP...): left stopped, not sampled */
	GRAB_DENIED,        /* ptrace not permitted */
	GRAB_TRACED,        /* already traced by another tracer */
	GRAB_PENDING,       /* did not stop within the timeout; reaped later */
	GRAB_ERROR,         /* anything else (errno in err) */
};

struct stack_grab {
	int tid;
	enum grab_status status;
	int err;                        /* errno for GRAB_ERROR / GRAB_DENIED */
	struct user_regs_struct regs;
	uint64_t sp;                    /* regs.rsp */
	uint8_t *stack;                 /* copy of [sp, sp + stack_len) */
	size_t stack_len;
	size_t stack_cap;
	uint64_t pause_ns;              /* from PTRACE_INTERRUPT to PTRACE_DETACH */
};

/* Take one grab of thread tid of process pid, copying up to max_stack
 * bytes from its stack pointer. g->stack is (re)allocated as needed and
 * owned by g. Returns g->status. */
enum grab_status sampler_grab(int pid, int tid, struct stack_grab *g, size_t max_stack);

/* Free the buffers of g. */
void sampler_grab_fini(struct stack_grab *g);

/* Reap threads left with a pending interrupt by an earlier timeout: those
 * that have stopped since are detached. Call once per round. Returns how
 * many are still pending. */
int sampler_reap_pending(void);

/* Detach everything we may still hold (signal handlers, exit). Safe to
 * call from a signal handler. */
void sampler_release_all(void);

/* Explain why ptrace on pid is not possible, with the fix, into msg
 * (one line). Uses TracerPid, capabilities, uids and Yama. */
void sampler_explain_denied(int pid, char *msg, size_t len);

#endif
