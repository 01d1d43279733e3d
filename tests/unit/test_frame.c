/*
 * test_frame.c - the frame vocabulary (src/model/frame.c): the class of
 * frames from C (dynamic and static), C++, Rust and Go programs, the vdso
 * and frames the unwinder could not name; the first program frame of
 * stacks as the sampler records them; the frame that names a goroutine
 * group; plain names, chains and the categories the verdicts use.
 *
 * Why: lock analysis, triage, goroutine grouping, the Go reader and the
 * panes all take "whose code is this frame?" from here. A wrong answer
 * names `write` or `runtime.futex` where the program's function belongs.
 */
#include "check.h"
#include "frame.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define LIBSTDCXX "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"
#define LIBGCC "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1"
#define PROG "/srv/app/bin/ledger"
#define RUSTPROG "/srv/rsvc/bin/rsvc"
#define GOPROG "/srv/gosvc/bin/gosvc"

#define CHECK_CLASS(fn, mod, want) do { \
		enum frame_class c_ = frame_class(fn, mod); \
		check_count++; \
		if (c_ != (want)) \
			CHECK_FAIL_("frame_class(%s, %s) == %s, expected %s", (fn) ? (const char *)(fn) : "NULL", \
				    (mod) ? (const char *)(mod) : "NULL", frame_class_name(c_), \
				    frame_class_name(want)); \
	} while (0)

static void test_classes_c(void)
{
	/* A dynamic C program on glibc. */
	CHECK_CLASS("flush_journal", PROG, FRAME_PROGRAM);
	CHECK_CLASS("main", PROG, FRAME_PROGRAM);
	CHECK_CLASS("read", LIBC, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("write", LIBC, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("clock_nanosleep", LIBC, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("syscall", LIBC, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("__lll_lock_wait", LIBC, FRAME_LOCK_WAIT);
	CHECK_CLASS("pthread_mutex_lock", LIBC, FRAME_LOCK_WAIT);
	CHECK_CLASS("___pthread_cond_wait", LIBC, FRAME_LOCK_WAIT);
	CHECK_CLASS("__futex_abstimed_wait_common", LIBC, FRAME_LOCK_WAIT);
	CHECK_CLASS("__pthread_clockjoin_ex", LIBC, FRAME_LOCK_WAIT);
	CHECK_CLASS("__new_sem_wait_slow64", LIBC, FRAME_LOCK_WAIT);
	CHECK_CLASS("start_thread", LIBC, FRAME_THREAD_START);
	CHECK_CLASS("clone3", LIBC, FRAME_THREAD_START);
	CHECK_CLASS("__libc_start_call_main", LIBC, FRAME_THREAD_START);
	CHECK_CLASS("__libc_start_main", LIBC, FRAME_THREAD_START);
	CHECK_CLASS("_start", PROG, FRAME_THREAD_START);
	CHECK_CLASS("qsort", LIBC, FRAME_SYSTEM_LIB);
	CHECK_CLASS("__memcpy_avx_unaligned_erms", LIBC, FRAME_SYSTEM_LIB);
	CHECK_CLASS("_dl_runtime_resolve_xsavec", "/usr/lib64/ld-linux-x86-64.so.2", FRAME_SYSTEM_LIB);
	CHECK_CLASS("cos", "/usr/lib/x86_64-linux-gnu/libm.so.6", FRAME_SYSTEM_LIB);
	/* A program's own function that merely looks like glibc's. */
	CHECK_CLASS("my_futex_wait", PROG, FRAME_PROGRAM);
	CHECK_CLASS("post_ledger", PROG, FRAME_PROGRAM);
	CHECK_CLASS("compress_chunk", "/srv/app/lib/libledger.so.1", FRAME_PROGRAM);

	/* A static binary: glibc is in the program's module, named by name. */
	CHECK_CLASS("__lll_lock_wait", PROG, FRAME_LOCK_WAIT);
	CHECK_CLASS("___pthread_mutex_lock", PROG, FRAME_LOCK_WAIT);
	CHECK_CLASS("__libc_read", PROG, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("__GI___poll", PROG, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("__GI___poll@@GLIBC_2.2.5", PROG, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("_IO_file_write", PROG, FRAME_SYSTEM_LIB);
	CHECK_CLASS("__restore_rt", PROG, FRAME_SYSTEM_LIB);
	CHECK_CLASS("_dl_relocate_object", PROG, FRAME_SYSTEM_LIB);
	CHECK_CLASS("start_thread", PROG, FRAME_THREAD_START);
	CHECK_CLASS("__clone3", PROG, FRAME_THREAD_START);
}

static void test_classes_cpp_rust(void)
{
	CHECK_CLASS("Queue::pop()", PROG, FRAME_PROGRAM);
	CHECK_CLASS("main::{lambda()#1}::operator()() const", PROG, FRAME_PROGRAM);
	CHECK_CLASS("std::condition_variable::wait(std::unique_lock<std::mutex>&)", LIBSTDCXX, FRAME_LOCK_WAIT);
	CHECK_CLASS("std::mutex::lock()", PROG, FRAME_LOCK_WAIT);
	CHECK_CLASS("std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(int const&)", PROG,
		    FRAME_SYSTEM_LIB);
	CHECK_CLASS("std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)()> > >::_M_run()", PROG,
		    FRAME_THREAD_START);
	CHECK_CLASS("execute_native_thread_routine", LIBSTDCXX, FRAME_THREAD_START);
	CHECK_CLASS("__cxa_guard_acquire", LIBSTDCXX, FRAME_SYSTEM_LIB);
	CHECK_CLASS("operator new(unsigned long)", LIBSTDCXX, FRAME_SYSTEM_LIB);
	CHECK_CLASS("_Unwind_RaiseException", LIBGCC, FRAME_SYSTEM_LIB);
	/* A mangled name the demangler left alone is still the program's. */
	CHECK_CLASS("_ZN6Ledger4postEv", PROG, FRAME_PROGRAM);

	/* Rust's std, demangled. */
	CHECK_CLASS("rsvc::ledger::post", RUSTPROG, FRAME_PROGRAM);
	CHECK_CLASS("<rsvc::Job as core::fmt::Display>::fmt", RUSTPROG, FRAME_PROGRAM);
	CHECK_CLASS("std::sys::sync::mutex::futex::Mutex::lock_contended", RUSTPROG, FRAME_LOCK_WAIT);
	CHECK_CLASS("std::sync::mpsc::Receiver<T>::recv", RUSTPROG, FRAME_LOCK_WAIT);
	CHECK_CLASS("<alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once", RUSTPROG,
		    FRAME_SYSTEM_LIB);
	CHECK_CLASS("core::ptr::drop_in_place<rsvc::Job>", RUSTPROG, FRAME_SYSTEM_LIB);
	CHECK_CLASS("std::sys::pal::unix::thread::Thread::new::thread_start", RUSTPROG, FRAME_THREAD_START);
	CHECK_CLASS("std::rt::lang_start::{{closure}}", RUSTPROG, FRAME_THREAD_START);
}

static void test_classes_go(void)
{
	CHECK_CLASS("main.handle", GOPROG, FRAME_PROGRAM);
	CHECK_CLASS("main.handle", NULL, FRAME_PROGRAM);
	CHECK_CLASS("github.com/lib/pq.(*conn).recv", NULL, FRAME_PROGRAM);
	CHECK_CLASS("runtime.futex", GOPROG, FRAME_RUNTIME);
	CHECK_CLASS("runtime.futex.abi0", GOPROG, FRAME_RUNTIME);
	CHECK_CLASS("runtime.gopark", NULL, FRAME_RUNTIME);
	CHECK_CLASS("internal/poll.(*FD).Read", NULL, FRAME_RUNTIME);
	CHECK_CLASS("sync.(*Pool).Get", NULL, FRAME_RUNTIME);
	CHECK_CLASS("runtime.goexit", NULL, FRAME_THREAD_START);
	CHECK_CLASS("runtime.goexit.abi0", NULL, FRAME_THREAD_START);
	CHECK_CLASS("runtime.mstart.abi0", GOPROG, FRAME_THREAD_START);
	CHECK_CLASS("runtime/cgo(.text)", GOPROG, FRAME_THREAD_START);
	CHECK_CLASS("syscall.Syscall6", GOPROG, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("syscall.read", NULL, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("runtime/internal/syscall.Syscall6", GOPROG, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("internal/runtime/syscall.Syscall6", GOPROG, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("golang.org/x/sys/unix.EpollWait", NULL, FRAME_SYSCALL_WRAPPER);
	CHECK_CLASS("sync.(*Mutex).lockSlow", NULL, FRAME_LOCK_WAIT);
	CHECK_CLASS("internal/sync.(*Mutex).lockSlow", NULL, FRAME_LOCK_WAIT);
	CHECK_CLASS("sync.runtime_SemacquireMutex", NULL, FRAME_LOCK_WAIT);
	CHECK_CLASS("sync.(*WaitGroup).Wait", NULL, FRAME_LOCK_WAIT);
	CHECK_CLASS("net.(*conn).Read", NULL, FRAME_SYSTEM_LIB);
	CHECK_CLASS("os.(*File).Read", NULL, FRAME_SYSTEM_LIB);
	CHECK_CLASS("os/signal.signal_recv", NULL, FRAME_SYSTEM_LIB);
	CHECK_CLASS("time.Sleep", NULL, FRAME_SYSTEM_LIB);
	CHECK_CLASS("bufio.(*Reader).fill", NULL, FRAME_SYSTEM_LIB);
}

static void test_classes_vdso_unknown(void)
{
	CHECK_CLASS("__vdso_clock_gettime", "[vdso]", FRAME_VDSO);
	CHECK_CLASS("clock_gettime", "linux-vdso.so.1", FRAME_VDSO);
	CHECK_CLASS("__vdso_gettimeofday", NULL, FRAME_VDSO);
	CHECK_CLASS("0x7f0000001234", "[unknown]", FRAME_UNKNOWN);
	CHECK_CLASS("0x4a5b10", NULL, FRAME_UNKNOWN);
	CHECK_CLASS("epoll_wait", "[unknown]", FRAME_UNKNOWN);
	CHECK_CLASS(NULL, PROG, FRAME_UNKNOWN);
	CHECK_CLASS("", PROG, FRAME_UNKNOWN);
	CHECK_CLASS("?", NULL, FRAME_UNKNOWN);
	/* Unsymbolized "module+0xoffset": the module decides. A stripped
	 * program's code is its own, not the sleep() it is named like. */
	CHECK_CLASS("sleep+0x64af", "/usr/bin/sleep", FRAME_PROGRAM);
	CHECK_CLASS("libc.so.6+0x29d90", LIBC, FRAME_SYSTEM_LIB);
	CHECK_CLASS("app+0x10", NULL, FRAME_UNKNOWN);
	CHECK(frame_is_program("post_ledger", PROG));
	CHECK(!frame_is_program("write", LIBC));
	CHECK_STR(frame_class_name(FRAME_LOCK_WAIT), "lock-wait");
	CHECK_STR(frame_class_name(FRAME_PROGRAM), "program");
}

/* ---- first program frame ------------------------------------------------ */

static struct snap_profile prof;

static int frame_of(const char *fn, const char *mod)
{
	for (int i = 0; i < prof.nframes; i++)
		if (strcmp(prof.frames[i].function, fn) == 0 && strcmp(prof.frames[i].module, mod) == 0)
			return i;
	prof.frames = xrealloc(prof.frames, sizeof(*prof.frames) * (size_t)(prof.nframes + 1));
	prof.frames[prof.nframes].function = xstrdup(fn);
	prof.frames[prof.nframes].module = xstrdup(mod);
	return prof.nframes++;
}

/* The position frame_first_program gives for a stack of (function,
 * module) pairs, innermost first, NULL-terminated. */
static int first(const char *fn, ...)
{
	int st[32], n = 0;
	va_list ap;
	va_start(ap, fn);
	for (; fn && n < 32; fn = va_arg(ap, const char *)) {
		const char *mod = va_arg(ap, const char *);
		st[n++] = frame_of(fn, mod);
	}
	va_end(ap);
	return frame_first_program(&prof, st, n);
}

/* frame_find_wrapper's match: the function contains the string arg. */
static bool named(const char *fn, const void *arg)
{
	return strstr(fn, arg) != NULL;
}

static void test_first_program(void)
{
	/* deadlock_abba: the main thread joins, a worker waits for a mutex. */
	CHECK_EQ_INT(first("__futex_abstimed_wait_common", LIBC, "__pthread_clockjoin_ex", LIBC, "main", PROG,
			   "__libc_start_call_main", LIBC, "__libc_start_main", LIBC, "_start", PROG, NULL), 2);
	CHECK_EQ_INT(first("__lll_lock_wait", LIBC, "pthread_mutex_lock", LIBC, "transfer", PROG,
			   "transfer_main", PROG, "start_thread", LIBC, "clone3", LIBC, NULL), 2);
	/* A static binary. */
	CHECK_EQ_INT(first("__lll_lock_wait", PROG, "___pthread_mutex_lock", PROG, "__libc_read", PROG,
			   "post_entry", PROG, "start_thread", PROG, NULL), 3);
	/* A stripped /usr/bin/sleep under nanosleep. */
	CHECK_EQ_INT(first("clock_nanosleep", LIBC, "nanosleep", LIBC, "sleep+0x64af", "/usr/bin/sleep",
			   "sleep+0x5f81", "/usr/bin/sleep", "__libc_start_call_main", LIBC, NULL), 2);
	/* Time read through the vdso inside a spin loop. */
	CHECK_EQ_INT(first("__vdso_clock_gettime", "[vdso]", "clock_gettime", LIBC, "spin_us", PROG,
			   "transfer_ab", PROG, NULL), 2);
	/* C++: a queue waiting on a condition variable. */
	CHECK_EQ_INT(first("__futex_abstimed_wait_common", LIBC, "pthread_cond_wait", LIBC,
			   "std::condition_variable::wait(std::unique_lock<std::mutex>&)", LIBSTDCXX,
			   "Queue::pop()", PROG, "worker()", PROG,
			   "std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)()> > >::_M_run()", PROG,
			   "execute_native_thread_routine", LIBSTDCXX, "start_thread", LIBC, NULL), 3);
	/* Rust: a contended std Mutex. */
	CHECK_EQ_INT(first("syscall", LIBC, "std::sys::pal::unix::futex::futex_wait", RUSTPROG,
			   "std::sys::sync::mutex::futex::Mutex::lock_contended", RUSTPROG,
			   "std::sync::mutex::Mutex<T>::lock", RUSTPROG, "rsvc::ledger::post", RUSTPROG,
			   "rsvc::worker::run", RUSTPROG,
			   "std::sys_common::backtrace::__rust_begin_short_backtrace", RUSTPROG,
			   "std::sys::pal::unix::thread::Thread::new::thread_start", RUSTPROG,
			   "start_thread", LIBC, "clone3", LIBC, NULL), 4);
	/* Go: an idle M has no program frame; a cgo thread neither. */
	CHECK_EQ_INT(first("runtime.futex.abi0", GOPROG, "runtime.futexsleep", GOPROG, "runtime.notesleep", GOPROG,
			   "runtime.mPark", GOPROG, "runtime.stoplockedm", GOPROG, "runtime.schedule", GOPROG,
			   "runtime.park_m", GOPROG, "runtime.mcall", GOPROG, NULL), -1);
	CHECK_EQ_INT(first("runtime.epollwait.abi0", GOPROG, "runtime.netpoll", GOPROG, "runtime.findRunnable",
			   GOPROG, "runtime.schedule", GOPROG, "runtime.mstart1", GOPROG, "runtime.mstart0", GOPROG,
			   "runtime.mstart.abi0", GOPROG, "runtime/cgo(.text)", GOPROG, NULL), -1);
	/* Go: a read in a syscall names the program's reader, not Syscall6. */
	CHECK_EQ_INT(first("runtime/internal/syscall.Syscall6", GOPROG, "syscall.Syscall", GOPROG,
			   "syscall.read", GOPROG, "internal/poll.ignoringEINTRIO", GOPROG,
			   "internal/poll.(*FD).Read", GOPROG, "os.(*File).Read", GOPROG, "main.readLoop", GOPROG,
			   "runtime.goexit.abi0", GOPROG, NULL), 6);
	CHECK_EQ_INT(first("runtime.futex", "/srv/go", "runtime.futexsleep", "/srv/go", "syscall.Syscall", "/srv/go",
			   "internal/poll.(*FD).Read", "/srv/go", "main.handle", "/srv/go", NULL), 4);
	CHECK_EQ_INT(first("main.hotLoop", GOPROG, "main.hot.func1", GOPROG, "runtime.goexit.abi0", GOPROG, NULL), 0);
	/* The signal goroutine's thread is the standard library's. */
	CHECK_EQ_INT(first("runtime.futex.abi0", GOPROG, "runtime.notetsleepg", GOPROG, "os/signal.signal_recv",
			   GOPROG, "os/signal.loop", GOPROG, "runtime.goexit.abi0", GOPROG, NULL), -1);
	/* Nothing of the program. */
	CHECK_EQ_INT(first("epoll_wait", LIBC, "0x7f0000001234", "[unknown]", NULL), -1);

	/* The wrappers above the program frame, searched innermost first. */
	int st4[4] = {frame_of("__futex_abstimed_wait_common", LIBC), frame_of("pthread_cond_wait", LIBC),
		      frame_of("queue_pop", PROG), frame_of("clock_nanosleep", LIBC)};
	CHECK_STR(frame_find_wrapper(&prof, st4, 4, named, "cond"), "pthread_cond_wait");
	CHECK_STR(frame_find_wrapper(&prof, st4, 4, named, "futex"), "__futex_abstimed_wait_common");
	CHECK_STR(frame_find_wrapper(&prof, st4, 4, named, "nanosleep"), NULL);   /* below the program */
	CHECK_STR(frame_find_wrapper(&prof, st4 + 3, 1, named, "nanosleep"), "clock_nanosleep");
	CHECK_STR(frame_find_wrapper(NULL, st4, 4, named, "cond"), NULL);
	CHECK_STR(frame_find_wrapper(&prof, NULL, 0, named, "cond"), NULL);

	/* Out-of-range indices are skipped; no profile or stack is -1. */
	int fp = frame_of("flush_journal", PROG);
	int st[3] = {-1, prof.nframes + 5, fp};
	CHECK_EQ_INT(frame_first_program(&prof, st, 3), 2);
	CHECK_EQ_INT(frame_first_program(NULL, st, 3), -1);
	CHECK_EQ_INT(frame_first_program(&prof, NULL, 0), -1);
	CHECK_EQ_INT(frame_first_program(&prof, st, 0), -1);
	for (int i = 0; i < prof.nframes; i++) {
		free(prof.frames[i].function);
		free(prof.frames[i].module);
	}
	free(prof.frames);
}

/* ---- goroutine groups ------------------------------------------------ */

#define ANCHOR(want, ...) do { \
		char *fr_[] = {__VA_ARGS__}; \
		CHECK_EQ_INT(frame_go_anchor(fr_, (int)(sizeof(fr_) / sizeof(fr_[0]))), want); \
	} while (0)

static void test_go_anchor(void)
{
	/* Stacks as cdtop read them from a Go 1.19 program. */
	ANCHOR(7, "runtime.gopark", "runtime.netpollblock", "internal/poll.runtime_pollWait",
	       "internal/poll.(*pollDesc).wait", "internal/poll.(*FD).Read", "net.(*netFD).Read",
	       "net.(*conn).Read", "main.ioReader", "main.iowait.func1");
	ANCHOR(2, "runtime.gopark", "time.Sleep", "main.sleeper");
	ANCHOR(4, "runtime.gopark", "runtime.semacquire1", "sync.runtime_SemacquireMutex",
	       "sync.(*Mutex).lockSlow", "main.lockAB", "main.deadlock.func1");
	ANCHOR(3, "runtime.gopark", "runtime.chanrecv", "runtime.chanrecv2", "main.main.func2");
	/* No program frame: the first outside the runtime. */
	ANCHOR(1, "runtime.notetsleepg", "os/signal.signal_recv", "os/signal.loop");
	ANCHOR(2, "runtime.gopark", "runtime.semacquire1", "sync.(*WaitGroup).Wait", "runtime.goexit");
	/* A library's goroutine; package main wins over a library frame. */
	ANCHOR(2, "runtime.gopark", "runtime.selectgo", "github.com/x/pool.(*P).loop");
	ANCHOR(3, "runtime.gopark", "runtime.chanrecv1", "github.com/x/q.(*Q).Pop", "main.worker");
	/* All runtime: the innermost. */
	ANCHOR(0, "runtime.gopark", "runtime.bgsweep");
	ANCHOR(1, NULL, "main.x");
	CHECK_EQ_INT(frame_go_anchor(NULL, 0), -1);
}

/* ---- names and categories ---------------------------------------------- */

static void test_names(void)
{
	char b[128];
	CHECK_STR(frame_plain_name("__GI___poll@@GLIBC_2.2.5", b, sizeof(b)), "poll");
	CHECK_STR(frame_plain_name("__libc_malloc", b, sizeof(b)), "malloc");
	CHECK_STR(frame_plain_name("___pthread_mutex_lock", b, sizeof(b)), "pthread_mutex_lock");
	CHECK_STR(frame_plain_name("memcpy@@GLIBC_2.14", b, sizeof(b)), "memcpy");
	CHECK_STR(frame_plain_name("runtime.usleep.abi0", b, sizeof(b)), "runtime.usleep");
	CHECK_STR(frame_plain_name("main.handle", b, sizeof(b)), "main.handle");
	CHECK_STR(frame_plain_name(NULL, b, sizeof(b)), "");

	CHECK(frame_syscall_name("__libc_read", b, sizeof(b)) && strcmp(b, "read") == 0);
	CHECK(frame_syscall_name("clock_nanosleep", b, sizeof(b)) && strcmp(b, "clock_nanosleep") == 0);
	CHECK(frame_syscall_name("__poll", b, sizeof(b)) && strcmp(b, "poll") == 0);
	CHECK(!frame_syscall_name("flush_journal", b, sizeof(b)));
	CHECK(!frame_syscall_name("sleep+0x64af", b, sizeof(b)));

	CHECK_STR(frame_module_name(LIBC), "libc.so.6");
	CHECK_STR(frame_module_name("[vdso]"), "[vdso]");
	CHECK_STR(frame_module_name("app"), "app");
	CHECK_STR(frame_module_name(NULL), "");

	const char *st[] = {"__lll_lock_wait", "pthread_mutex_lock", "post_ledger", "worker", "start_thread"};
	CHECK_STR(frame_chain(st, 5, b, sizeof(b)),
		  "__lll_lock_wait <- pthread_mutex_lock <- post_ledger <- worker <- ...");
	CHECK_STR(frame_chain(st, 3, b, sizeof(b)), "__lll_lock_wait <- pthread_mutex_lock <- post_ledger");
	CHECK_STR(frame_chain(st, 0, b, sizeof(b)), "");
	const char *gaps[] = {NULL, "main.x"};
	CHECK_STR(frame_chain(gaps, 2, b, sizeof(b)), "? <- main.x");
	char small[12];
	CHECK_STR(frame_chain(st, 5, small, sizeof(small)), "__lll_lock_");
}

static void test_categories(void)
{
	/* Taking a lock somebody holds. */
	CHECK(frame_is_lock_acquire("pthread_mutex_lock"));
	CHECK(frame_is_lock_acquire("__lll_lock_wait"));
	CHECK(frame_is_lock_acquire("__lll_lock_wait_private"));
	CHECK(frame_is_lock_acquire("__pthread_mutex_lock_full"));
	CHECK(frame_is_lock_acquire("__pthread_rwlock_wrlock_full64"));
	CHECK(frame_is_lock_acquire("pthread_rwlock_rdlock"));
	CHECK(frame_is_lock_acquire("sync.(*Mutex).Lock"));
	CHECK(frame_is_lock_acquire("sync.(*RWMutex).RLock"));
	CHECK(frame_is_lock_acquire("internal/sync.(*Mutex).lockSlow"));
	CHECK(frame_is_lock_acquire("sync.runtime_SemacquireMutex"));
	CHECK(frame_is_lock_acquire("std::sys::sync::mutex::futex::Mutex::lock_contended"));
	CHECK(!frame_is_lock_acquire("pthread_cond_wait"));
	CHECK(!frame_is_lock_acquire("sync.(*WaitGroup).Wait"));
	CHECK(!frame_is_lock_acquire("mysync.(*Mutex).Lock"));
	CHECK(!frame_is_lock_acquire("post_ledger"));
	CHECK(!frame_is_lock_acquire(NULL));

	/* Waiting for work. */
	CHECK(frame_is_idle_wait("pthread_cond_wait"));
	CHECK(frame_is_idle_wait("___pthread_cond_wait"));
	CHECK(frame_is_idle_wait("epoll_wait"));
	CHECK(frame_is_idle_wait("__GI_epoll_wait"));
	CHECK(frame_is_idle_wait("__libc_accept"));
	CHECK(frame_is_idle_wait("sem_wait"));
	CHECK(frame_is_idle_wait("pthread_join"));
	CHECK(frame_is_idle_wait("runtime.notesleep"));
	CHECK(frame_is_idle_wait("runtime.usleep.abi0"));
	CHECK(frame_is_idle_wait("runtime.epollwait.abi0"));
	CHECK(!frame_is_idle_wait("read"));
	CHECK(!frame_is_idle_wait("pthread_mutex_lock"));
	CHECK(!frame_is_idle_wait("__futex_abstimed_wait_common"));
	CHECK(!frame_is_idle_wait(NULL));

	/* Allocation and GC. */
	CHECK(frame_is_alloc("malloc"));
	CHECK(frame_is_alloc("__libc_malloc"));
	CHECK(frame_is_alloc("_int_malloc"));
	CHECK(frame_is_alloc("operator new(unsigned long)"));
	CHECK(frame_is_alloc("runtime.mallocgc"));
	CHECK(frame_is_alloc("runtime.gcBgMarkWorker"));
	CHECK(!frame_is_alloc("memcpy"));
	CHECK(!frame_is_alloc(NULL));

	/* Go's goroutine bottom and runtime goroutines. */
	CHECK(frame_is_goexit("runtime.goexit"));
	CHECK(frame_is_goexit("runtime.goexit.abi0"));
	CHECK(!frame_is_goexit("runtime.goexit1"));
	CHECK(!frame_is_goexit("main.goexit"));
	CHECK(!frame_is_goexit(NULL));
	CHECK(frame_is_go_system_start("runtime.bgsweep"));
	CHECK(frame_is_go_system_start("runtime.forcegchelper"));
	CHECK(!frame_is_go_system_start("runtime.main"));
	CHECK(!frame_is_go_system_start("runtime.corostart"));
	CHECK(!frame_is_go_system_start("runtime.handleAsyncEvent"));
	CHECK(!frame_is_go_system_start("main.worker"));
	CHECK(!frame_is_go_system_start(NULL));
}

int main(void)
{
	test_classes_c();
	test_classes_cpp_rust();
	test_classes_go();
	test_classes_vdso_unknown();
	test_first_program();
	test_go_anchor();
	test_names();
	test_categories();
	return CHECK_DONE();
}
