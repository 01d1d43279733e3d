/*
 * frame.h - the frame vocabulary: what a stack frame is, which frame of a
 * stack is the program's own, and how frames are named for display.
 *
 * Why one place: "is this the program's code, or the plumbing between it
 * and the kernel (libc, the loader, a syscall or lock wrapper, the Go
 * runtime, thread start, the vdso, a frame the unwinder could not name)?"
 * decides which function a thread, a lock waiter, a goroutine group or a
 * verdict is said to be in. Lock analysis, triage, goroutine grouping,
 * the Go reader, the wait reader and the panes all ask it here, so they
 * cannot disagree.
 *
 * A frame is a function name and, when known, the path of its module.
 * The name decides first (a static binary holds glibc in the program's
 * own module; Go frames carry no module), then the module. Model layer:
 * plain functions of strings, no IO.
 */
#ifndef CDTOP_FRAME_H
#define CDTOP_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot.h"

enum frame_class {
	FRAME_PROGRAM,          /* the program's own code (its own libraries too) */
	FRAME_RUNTIME,          /* the Go runtime: runtime., runtime/, internal/, sync. */
	FRAME_SYSTEM_LIB,       /* libc, ld.so, libpthread, libstdc++, libgcc_s, libc++, libm...
				 * by module; reserved names (__x, _X); C++/Rust std::, core::,
				 * alloc::; Go's IO and waiting library code (time.Sleep, net.,
				 * os., io., bufio.) */
	FRAME_SYSCALL_WRAPPER,  /* read, __poll, syscall, sleep; Go's syscall.Syscall6 and kin */
	FRAME_LOCK_WAIT,        /* __lll_lock_wait, pthread_mutex_lock, pthread_cond_wait, sem_wait,
				 * futex waits, pthread_join; sync.(*Mutex).Lock, WaitGroup.Wait */
	FRAME_THREAD_START,     /* start_thread, clone3, _start, __libc_start_main, runtime.goexit,
				 * runtime.mstart, std::thread's entry */
	FRAME_VDSO,             /* the kernel's [vdso] */
	FRAME_UNKNOWN,          /* no name: "0x7f..." from the unwinder, module [unknown] */
};

/* Class of the frame `function` in `module` (a path, "[vdso]",
 * "[unknown]"; NULL or "" when unknown, as for Go frames). */
enum frame_class frame_class(const char *function, const char *module);

/* Short name of a class for debugging and tests ("program", "runtime"...). */
const char *frame_class_name(enum frame_class c);

/* Is the frame the program's own code (frame_class is FRAME_PROGRAM)? */
bool frame_is_program(const char *function, const char *module);

/* Position in stack (indices into p->frames, innermost first) of the
 * first frame of the program's own code, or -1 when there is none (or p
 * or stack is NULL). Out-of-range indices are skipped. This is a
 * thread's top_frame: where the thread is, in the program. */
int frame_first_program(const struct snap_profile *p, const int *stack, int n);

/* The innermost frame before the stack's first program frame (the
 * wrappers, lock waits or runtime code the program called into; the whole
 * stack when it has no program frame) whose function satisfies
 * match(function, arg): its function name, or NULL. */
const char *frame_find_wrapper(const struct snap_profile *p, const int *stack, int n,
			       bool (*match)(const char *function, const void *arg), const void *arg);

/* Position of the frame that names a goroutine stack (function names,
 * innermost first, entries may be NULL): the first frame of package
 * main, else the first program frame, else the first frame outside the
 * Go runtime (os/signal.signal_recv rather than runtime.gopark), else
 * the innermost. -1 when n is 0. */
int frame_go_anchor(char *const *functions, int n);

/* ---- names ---------------------------------------------------------- */

/* The function's plain name, for matching: without glibc's leading
 * underscores, its internal "GI_" and "libc_" alias prefixes, a symbol
 * version and Go's ABI suffix ("__GI___poll@@GLIBC_2.2.5" -> "poll",
 * "__libc_malloc" -> "malloc", "runtime.usleep.abi0" -> "runtime.usleep").
 * Into out (size n); returns out. */
char *frame_plain_name(const char *function, char *out, size_t n);

/* The system call a wrapper is named after: true, with the call's name in
 * out (size n), when the plain name of function is one ("__libc_read",
 * "__poll", "clock_nanosleep"). restart_syscall is a call too. */
bool frame_syscall_name(const char *function, char *out, size_t n);

/* The file name of a module path ("/usr/lib/x86_64-linux-gnu/libc.so.6"
 * -> "libc.so.6"); "" for NULL. Points into module. */
const char *frame_module_name(const char *module);

/* Frames shown in a chain by frame_chain before " <- ...". */
#define FRAME_CHAIN_MAX 4

/* A stack on one line, innermost first: "__lll_lock_wait <-
 * pthread_mutex_lock <- post_ledger <- worker <- ..." from the first
 * FRAME_CHAIN_MAX of names (n is the stack's depth; NULL names print
 * "?"). Into buf (size len); returns buf. */
char *frame_chain(const char *const *names, int n, char *buf, size_t len);

/* ---- categories the verdicts need ----------------------------------- */

/* Is the frame taking a lock that somebody holds: a glibc mutex or
 * rwlock slow path (pthread_mutex_lock, __lll_lock_wait,
 * pthread_rwlock_wrlock...), Go's sync.(*Mutex) and sync.(*RWMutex)
 * (internal/sync.(*Mutex) since Go 1.24) and their semaphores, Rust's
 * contended std mutex? Condition variables and semaphores are not. */
bool frame_is_lock_acquire(const char *function);

/* Is the frame a wait for work rather than for a lock: condition
 * variables, semaphores, event loops, sleeps, joins, the idle system
 * calls (syscall_is_idle), Go's parked Ms (runtime.futexsleep,
 * runtime.notesleep, runtime.netpoll...)? */
bool frame_is_idle_wait(const char *function);

/* Is the frame allocation or garbage collection: malloc and free,
 * operator new and delete, runtime.mallocgc, Go's mark and sweep? */
bool frame_is_alloc(const char *function);

/* ---- Go ------------------------------------------------------------- */

/* Is the frame runtime.goexit (or .symtab's runtime.goexit.abi0), the
 * bottom of every goroutine's stack? */
bool frame_is_goexit(const char *function);

/* Does a goroutine started at function count as a runtime (system)
 * goroutine, as the runtime's isSystemGoroutine says: started in package
 * runtime, except runtime.main, runtime.corostart and
 * runtime.handleAsyncEvent? */
bool frame_is_go_system_start(const char *function);

#endif
