/*
 * frame.c - the frame vocabulary (see frame.h): classes of frames, the
 * program's first frame, plain and display names, and the categories the
 * verdicts need (lock acquisition, waits for work, allocation).
 *
 * How a frame is classed, first match wins:
 *  1. no name, or the unwinder's "0x7f..."                 unknown
 *  2. module [vdso] or linux-vdso (or a __vdso_ name)      vdso
 *  3. module [unknown]                                     unknown
 *  4. an unsymbolized "module+0x1a2b": by its module alone (system
 *     library, else the program: a stripped binary's code is its own)
 *  5. by name, so that a static binary's glibc is not mistaken for the
 *     program: qualified names (Go "pkg.Func", Rust/C++ "std::..."), then
 *     the plain C name (thread start, lock waits, syscall wrappers), then
 *     names reserved for the implementation (C11 7.1.3: "__x", "_X")
 *  6. the module: libc, ld.so, libpthread, libstdc++, libgcc_s, ...
 *  7. otherwise                                            the program
 * The lists are what glibc 2.3x, libstdc++, Go 1.19-1.24 and Rust's std
 * put on real stacks (tests/unit/test_frame.c has them).
 */
#include "frame.h"
#include "syscall_names.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool any_prefix(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (has_prefix(s, list[i]))
			return true;
	return false;
}

static bool in_list(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* ---- names ------------------------------------------------------------- */

char *frame_plain_name(const char *fn, char *out, size_t n)
{
	if (!fn)
		fn = "";
	while (*fn == '_')
		fn++;
	if (has_prefix(fn, "GI_") || has_prefix(fn, "libc_"))
		for (fn += fn[0] == 'G' ? 3 : 5; *fn == '_'; fn++)
			;
	str_copy(out, fn, n);
	out[strcspn(out, "@")] = '\0';
	/* Go's ABI wrappers and assembly functions in .symtab */
	size_t len = strlen(out);
	if (len > 5 && strcmp(out + len - 5, ".abi0") == 0)
		out[len - 5] = '\0';
	else if (len > 12 && strcmp(out + len - 12, ".abiinternal") == 0)
		out[len - 12] = '\0';
	return out;
}

bool frame_syscall_name(const char *fn, char *out, size_t n)
{
	char name[64];
	frame_plain_name(fn, name, sizeof(name));
	if (!name[0] || syscall_nr(name) < 0)
		return false;
	str_copy(out, name, n);
	return true;
}

const char *frame_module_name(const char *module)
{
	if (!module)
		return "";
	const char *b = strrchr(module, '/');
	return b ? b + 1 : module;
}

char *frame_chain(const char *const *names, int n, char *buf, size_t len)
{
	size_t at = 0;
	if (len)
		buf[0] = '\0';
	for (int i = 0; i < n && i <= FRAME_CHAIN_MAX && at < len; i++) {
		const char *nm = i == FRAME_CHAIN_MAX ? "..." : names[i] ? names[i] : "?";
		int w = snprintf(buf + at, len - at, "%s%s", i ? " <- " : "", nm);
		if (w < 0)
			break;
		at += (size_t)w;
	}
	return buf;
}

/* ---- modules ----------------------------------------------------------- */

/* The C library, the loader and the compilers' runtimes: the libraries
 * every program sits on (file-name prefixes). */
static bool system_module(const char *module)
{
	static const char *const libs[] = {
		"libc.so", "libc-", "libc.musl", "ld-linux", "ld-", "ld64.so", "libpthread", "librt",
		"libdl", "libm.so", "libm-", "libresolv", "libnss_", "libanl", "libstdc++", "libgcc_s",
		"libc++", "libatomic", NULL};
	return module && any_prefix(frame_module_name(module), libs);
}

static bool vdso_module(const char *module)
{
	const char *b = frame_module_name(module);
	return strcmp(b, "[vdso]") == 0 || has_prefix(b, "linux-vdso");
}

/* "sleep+0x64af", "libfoo.so+0x1a2b": a frame the symbolizer could not
 * name, as the profiler writes it (module name, "+0x", hex offset). */
static bool unsymbolized(const char *fn)
{
	const char *p = strstr(fn, "+0x");
	if (!p || p == fn || !p[3])
		return false;
	return strspn(p + 3, "0123456789abcdefABCDEF") == strlen(p + 3);
}

/* ---- classes by name --------------------------------------------------- */

/* Go's sync.Mutex and sync.RWMutex slow paths and semaphores
 * (internal/sync.(*Mutex) since Go 1.24). */
static bool go_lock(const char *fn)
{
	static const char *const pre[] = {
		"sync.(*Mutex).", "sync.(*RWMutex).", "sync.runtime_SemacquireMutex",
		"sync.runtime_SemacquireRWMutex", NULL};
	return any_prefix(has_prefix(fn, "internal/") ? fn + 9 : fn, pre);
}

/* Go: the runtime, its syscall and lock wrappers, and the standard
 * library's waiting code. FRAME_PROGRAM when the name is none of them. */
static enum frame_class go_class(const char *fn, const char *plain)
{
	static const char *const start[] = {
		"runtime.goexit", "runtime.mstart", "runtime.mstart0", "runtime.mstart1", "runtime.rt0_go",
		"runtime.main", NULL};
	static const char *const wait[] = {
		"sync.(*WaitGroup).Wait", "sync.(*Cond).Wait", "sync.runtime_Semacquire",
		"sync.runtime_notifyListWait", NULL};
	static const char *const sys[] = {
		"syscall.", "internal/runtime/syscall.", "runtime/internal/syscall.",
		"golang.org/x/sys/unix.", NULL};
	static const char *const rt[] = {"runtime.", "runtime/", "internal/", "sync.", NULL};
	/* The standard library's IO and waiting code: what a goroutine
	 * blocked in the network, a file, a pipe, a child or a sleep is
	 * parked under (os.(*File).Read above syscall.read). */
	static const char *const std[] = {
		"time.Sleep", "net.", "os.", "os/signal.", "os/exec.", "io.", "bufio.", NULL};
	if (in_list(plain, start) || has_prefix(fn, "runtime/cgo"))
		return FRAME_THREAD_START;
	if (go_lock(fn) || any_prefix(has_prefix(fn, "internal/") ? fn + 9 : fn, wait))
		return FRAME_LOCK_WAIT;
	if (any_prefix(fn, sys))
		return FRAME_SYSCALL_WRAPPER;
	if (any_prefix(fn, rt))
		return FRAME_RUNTIME;
	if (any_prefix(fn, std))
		return FRAME_SYSTEM_LIB;
	return FRAME_PROGRAM;
}

/* C++ and Rust standard libraries (demangled names). */
static enum frame_class std_class(const char *fn)
{
	static const char *const lock[] = {
		"std::mutex::", "std::recursive_mutex::", "std::shared_mutex::", "std::timed_mutex::",
		"std::condition_variable::", "std::sys::sync::", "std::sys::unix::locks::",
		"std::sys::pal::unix::futex::", "std::sync::", NULL};
	static const char *const std[] = {
		"std::", "core::", "alloc::", "<std::", "<core::", "<alloc::", "__gnu_cxx::",
		"__cxxabiv1::", "__rust_", "panic_unwind::", NULL};
	if (strstr(fn, "::thread_start") || has_prefix(fn, "std::rt::lang_start") ||
	    has_prefix(fn, "std::thread::_State_impl<"))
		return FRAME_THREAD_START;
	if (any_prefix(fn, lock))
		return FRAME_LOCK_WAIT;
	if (any_prefix(fn, std))
		return FRAME_SYSTEM_LIB;
	return FRAME_PROGRAM;
}

/* C: glibc's thread start, lock and wait paths, syscall wrappers, and
 * names reserved for the implementation. */
static enum frame_class c_class(const char *fn, const char *plain)
{
	static const char *const start[] = {
		"_start", "start_thread", "clone", "clone3", "__libc_start_main", "__libc_start_call_main",
		"execute_native_thread_routine", NULL};
	/* Plain-name prefixes of glibc's lock, condvar, semaphore, join and
	 * futex waits (pthread_mutex_lock, __lll_lock_wait,
	 * __futex_abstimed_wait_common, __new_sem_wait_slow64, ...). */
	static const char *const lock[] = {
		"lll_", "pthread_mutex_", "pthread_rwlock_", "pthread_cond_", "pthread_join",
		"pthread_timedjoin", "pthread_clockjoin", "pthread_barrier_", "futex_wait",
		"futex_abstimed_", "futex_reltimed_", "futex_lock_pi", "condvar_", "new_sem_", "old_sem_",
		"do_futex_wait", "sem_wait", "sem_timedwait", "sem_clockwait", NULL};
	/* Wrappers not named after one call. */
	static const char *const sys[] = {
		"syscall", "syscall_cancel", "internal_syscall_cancel", "sleep", "usleep", NULL};
	/* glibc internals with a lowercase second letter. */
	static const char *const internal[] = {"_dl_", "_nl_", NULL};
	if (in_list(fn, start) || has_prefix(fn, "__clone"))
		return FRAME_THREAD_START;
	if (any_prefix(plain, lock))
		return FRAME_LOCK_WAIT;
	if (in_list(plain, sys) || (plain[0] && syscall_nr(plain) >= 0))
		return FRAME_SYSCALL_WRAPPER;
	/* C11 7.1.3: "__x" and "_X" belong to the implementation; "_Z" and
	 * "_R" are mangled C++ and Rust names left as they were. */
	if (fn[0] == '_' && (fn[1] == '_' || (fn[1] >= 'A' && fn[1] <= 'Z' && fn[1] != 'Z' && fn[1] != 'R')))
		return FRAME_SYSTEM_LIB;
	if (any_prefix(fn, internal))
		return FRAME_SYSTEM_LIB;
	return FRAME_PROGRAM;
}

enum frame_class frame_class(const char *fn, const char *module)
{
	if (!fn || !fn[0] || has_prefix(fn, "0x") || strcmp(fn, "?") == 0)
		return FRAME_UNKNOWN;
	if ((module && vdso_module(module)) || has_prefix(fn, "__vdso_"))
		return FRAME_VDSO;
	if (module && strcmp(module, "[unknown]") == 0)
		return FRAME_UNKNOWN;
	bool have_module = module && module[0];
	if (unsymbolized(fn))
		return system_module(module) ? FRAME_SYSTEM_LIB : have_module ? FRAME_PROGRAM : FRAME_UNKNOWN;
	char plain[128];
	frame_plain_name(fn, plain, sizeof(plain));
	enum frame_class c = go_class(fn, plain);
	if (c == FRAME_PROGRAM)
		c = std_class(fn);
	if (c == FRAME_PROGRAM)
		c = c_class(fn, plain);
	if (c == FRAME_PROGRAM && system_module(module))
		c = FRAME_SYSTEM_LIB;
	return c;
}

const char *frame_class_name(enum frame_class c)
{
	switch (c) {
	case FRAME_PROGRAM: return "program";
	case FRAME_RUNTIME: return "runtime";
	case FRAME_SYSTEM_LIB: return "system-lib";
	case FRAME_SYSCALL_WRAPPER: return "syscall-wrapper";
	case FRAME_LOCK_WAIT: return "lock-wait";
	case FRAME_THREAD_START: return "thread-start";
	case FRAME_VDSO: return "vdso";
	case FRAME_UNKNOWN: return "unknown";
	}
	return "?";
}

bool frame_is_program(const char *fn, const char *module)
{
	return frame_class(fn, module) == FRAME_PROGRAM;
}

/* ---- the program's frame ----------------------------------------------- */

int frame_first_program(const struct snap_profile *p, const int *stack, int n)
{
	if (!p || !stack)
		return -1;
	for (int i = 0; i < n; i++) {
		if (stack[i] < 0 || stack[i] >= p->nframes)
			continue;
		const struct snap_frame *f = &p->frames[stack[i]];
		if (frame_is_program(f->function, f->module))
			return i;
	}
	return -1;
}

const char *frame_find_wrapper(const struct snap_profile *p, const int *stack, int n,
			       bool (*match)(const char *function, const void *arg), const void *arg)
{
	int end = frame_first_program(p, stack, n);
	if (!p || !stack)
		return NULL;
	for (int i = 0; i < (end < 0 ? n : end); i++) {
		if (stack[i] < 0 || stack[i] >= p->nframes)
			continue;
		const char *fn = p->frames[stack[i]].function;
		if (fn && match(fn, arg))
			return fn;
	}
	return NULL;
}

int frame_go_anchor(char *const *fns, int n)
{
	for (int i = 0; i < n; i++)
		if (fns[i] && has_prefix(fns[i], "main."))
			return i;
	for (int i = 0; i < n; i++)
		if (fns[i] && frame_is_program(fns[i], NULL))
			return i;
	for (int i = 0; i < n; i++) {
		enum frame_class c = fns[i] ? frame_class(fns[i], NULL) : FRAME_UNKNOWN;
		if (c != FRAME_RUNTIME && c != FRAME_THREAD_START && c != FRAME_UNKNOWN)
			return i;
	}
	return n > 0 ? 0 : -1;
}

/* ---- categories -------------------------------------------------------- */

bool frame_is_lock_acquire(const char *fn)
{
	/* Plain-name prefixes: glibc's entry points and their internal
	 * variants (__pthread_mutex_lock_full, __pthread_rwlock_wrlock_full64,
	 * __lll_lock_wait_private). */
	static const char *const c[] = {
		"pthread_mutex_lock", "pthread_mutex_timedlock", "pthread_mutex_clocklock",
		"lll_lock_wait", "lll_clocklock", "pthread_rwlock_rdlock", "pthread_rwlock_wrlock",
		"pthread_rwlock_timedrdlock", "pthread_rwlock_timedwrlock", "pthread_rwlock_clockrdlock",
		"pthread_rwlock_clockwrlock", NULL};
	if (!fn)
		return false;
	if (go_lock(fn) || strstr(fn, "::Mutex::lock_contended") || strstr(fn, "::RwLock::read_contended") ||
	    strstr(fn, "::RwLock::write_contended"))
		return true;
	char plain[128];
	return any_prefix(frame_plain_name(fn, plain, sizeof(plain)), c);
}

bool frame_is_idle_wait(const char *fn)
{
	static const char *const idle[] = {
		"pthread_cond_wait", "pthread_cond_timedwait", "pthread_cond_clockwait", "sem_wait",
		"sem_timedwait", "sem_clockwait", "pselect", "sigwait", "sigwaitinfo", "sigtimedwait",
		"sleep", "usleep", "wait", "waitpid", "pthread_join", "pthread_clockjoin_np",
		"pthread_timedjoin_np", "runtime.futexsleep", "runtime.notesleep", "runtime.notetsleep",
		"runtime.notetsleepg", "runtime.netpoll", "runtime.usleep", "runtime.epollwait", NULL};
	if (!fn)
		return false;
	char plain[128];
	frame_plain_name(fn, plain, sizeof(plain));
	return in_list(plain, idle) || syscall_is_idle(plain);
}

bool frame_is_alloc(const char *fn)
{
	static const char *const alloc[] = {
		"malloc", "free", "calloc", "realloc", "int_malloc", "int_free", "malloc_consolidate",
		"int_realloc", "operator new(unsigned long)", "operator delete(void*)",
		"operator delete(void*, unsigned long)", "runtime.mallocgc", "runtime.gcBgMarkWorker",
		"runtime.scanobject", "runtime.gcDrain", "runtime.sweepone", "runtime.gcAssistAlloc",
		"runtime.greyobject", "runtime.markroot", NULL};
	if (!fn)
		return false;
	char plain[128];
	return in_list(frame_plain_name(fn, plain, sizeof(plain)), alloc);
}

/* ---- Go ---------------------------------------------------------------- */

bool frame_is_goexit(const char *fn)
{
	char plain[64];
	return fn && strcmp(frame_plain_name(fn, plain, sizeof(plain)), "runtime.goexit") == 0;
}

bool frame_is_go_system_start(const char *fn)
{
	static const char *const user[] = {"runtime.main", "runtime.corostart", "runtime.handleAsyncEvent", NULL};
	return fn && has_prefix(fn, "runtime.") && !in_list(fn, user);
}
