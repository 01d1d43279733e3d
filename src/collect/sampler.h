/*
 * sampler.h - one thread's registers and the top of its stack, taken
 * with ptrace while the thread is held stopped for as short a time as
 * possible. The only module that calls ptrace.
 *
 * Per grab: PTRACE_SEIZE -> PTRACE_INTERRUPT -> waitpid -> GETREGS ->
 * process_vm_readv of the stack top -> PTRACE_DETACH, for many threads at
 * once through a sliding window. Between grabs the
 * target is not traced at all, so a crash or kill -9 of cdtop cannot
 * leave it stopped (SEIZE, never ATTACH, never PTRACE_O_EXITKILL).
 */
#ifndef CDTOP_SAMPLER_H
#define CDTOP_SAMPLER_H

#include <stdbool.h>
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

#define SAMPLER_WINDOW 256              /* threads interrupted at once at most */

/* Whether sampler_grab_many may run at SCHED_FIFO priority 1 while
 * threads of the target are stopped (default on; silently off when not
 * permitted). */
void sampler_set_realtime(bool on);

/* Stack buffers and slots of the grab window. */
struct sampler_pool;

/* A new window (buffers grow on first use). Never NULL. */
struct sampler_pool *sampler_pool_new(void);

/* Free a window. NULL is a no-op. */
void sampler_pool_free(struct sampler_pool *p);

/* Called once per thread with the result of its grab, after the thread
 * was let go; g is valid only during the call. idx is its index in tids. */
typedef void (*sampler_done_fn)(void *ctx, int idx, const struct stack_grab *g);

/* Grab the n threads tids of process pid, copying up to max_stack bytes
 * of each stack: up to SAMPLER_WINDOW interrupted at once, each let go as
 * soon as its registers and stack are copied, done() called for every
 * tid. Returns when all are handled. */
void sampler_grab_many(struct sampler_pool *pool, int pid, const int *tids, int n,
		       size_t max_stack, sampler_done_fn done, void *ctx);

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
