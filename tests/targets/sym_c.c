/*
 * sym_c - test target for the symbolizer (tests/unit/test_symbols.c).
 *
 * Built PIE, non-PIE and static (tests/unit.mk). It holds the
 * kinds of symbols the symbolizer must name: global and static noinline
 * functions, a function without an ELF size (hand-written assembly), an
 * IFUNC, functions carrying Rust-mangled names (so demangling is tested
 * without rustc), a global pthread_mutex_t and a static array.
 *
 * Usage: sym_c          run the functions once and exit 0
 *        sym_c wait     print "func|data|libc NAME 0xADDR" lines (run-time
 *                       addresses), then "ready", then wait for EOF on
 *                       stdin; alarm(60) ends a forgotten target.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t ledger_lock = PTHREAD_MUTEX_INITIALIZER;
static long sym_static_table[32];
volatile long sym_sink;

/* Prototypes (the file is built with -Wmissing-prototypes elsewhere). */
long sym_leaf_a(long x);
long sym_middle(long x);
long sym_nosize(long x);
long sym_ifunc(long x);
long sym_rust_legacy(long x) __asm__("_ZN4core3fmt5write17h0123456789abcdefE");
long sym_rust_v0(long x) __asm__("_RNvNtCs1234_7mycrate3foo3bar");

__attribute__((noinline)) long sym_leaf_a(long x)
{
	for (int i = 0; i < 8; i++)
		x = x * 31 + i;
	return x;
}

static __attribute__((noinline)) long sym_static_b(long x)
{
	sym_static_table[x & 31] += x;
	return sym_static_table[(x >> 3) & 31] + 1;
}

__attribute__((noinline)) long sym_middle(long x)
{
	pthread_mutex_lock(&ledger_lock);
	long r = sym_static_b(sym_leaf_a(x));
	pthread_mutex_unlock(&ledger_lock);
	return r;
}

__attribute__((noinline)) long sym_rust_legacy(long x)
{
	return x ^ 0x5a5a;
}

__attribute__((noinline)) long sym_rust_v0(long x)
{
	return x + 0x1234;
}

/* A function symbol with no .size directive: st_size is 0 and the
 * symbolizer must extend it to the next symbol. 12 bytes of code. */
__asm__(".text\n"
	".globl sym_nosize\n"
	".type sym_nosize, @function\n"
	"sym_nosize:\n"
	"\tmovq %rdi, %rax\n"
	"\taddq $1, %rax\n"
	"\taddq $2, %rax\n"
	"\tret\n");

static long sym_ifunc_impl(long x)
{
	return x * 3;
}

/* The resolver's address is the IFUNC symbol's value. */
static __attribute__((used)) long (*sym_ifunc_resolver(void))(long)
{
	return sym_ifunc_impl;
}

long sym_ifunc(long x) __attribute__((ifunc("sym_ifunc_resolver")));

static void print_addr(const char *kind, const char *name, const void *p)
{
	printf("%s %s %#lx\n", kind, name, (unsigned long)(uintptr_t)p);
}

int main(int argc, char **argv)
{
	long v = sym_middle(argc) + sym_nosize(argc) + sym_ifunc(argc);
	v += sym_rust_legacy(v) + sym_rust_v0(v);
	sym_sink = v;
	if (argc < 2 || strcmp(argv[1], "wait") != 0)
		return 0;
	alarm(60);
	print_addr("func", "sym_leaf_a", (const void *)(uintptr_t)&sym_leaf_a);
	print_addr("func", "sym_middle", (const void *)(uintptr_t)&sym_middle);
	print_addr("func", "sym_static_b", (const void *)(uintptr_t)&sym_static_b);
	print_addr("func", "main", (const void *)(uintptr_t)&main);
	print_addr("data", "ledger_lock", &ledger_lock);
	print_addr("data", "sym_static_table", sym_static_table);
	/* In a PIE these are libc's own addresses (through the GOT); a
	 * non-PIE would print canonical PLT entries of the executable. */
	print_addr("libc", "pthread_mutex_lock", (const void *)(uintptr_t)&pthread_mutex_lock);
	print_addr("libc", "fgets", (const void *)(uintptr_t)&fgets);
	printf("ready\n");
	fflush(stdout);
	char buf[64];
	while (fgets(buf, sizeof(buf), stdin))
		;
	return 0;
}
