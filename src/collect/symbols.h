/*
 * symbols.h - function and data symbols of ELF modules (libelf).
 *
 * For each module: .symtab if present, else .dynsym; a separate debug file
 * found by build-id (/usr/lib/debug/.build-id/xx/yyyy.debug, on the host
 * then under the target's root) or by .gnu_debuglink (next to the binary,
 * in its .debug/, under /usr/lib/debug/<dir>); MiniDebugInfo
 * (.gnu_debugdata, xz); Go's .gopclntab for Go binaries, stripped or not.
 * C++ and Rust names are demangled. Data symbols (OBJECT/TLS) are kept
 * in a second table so a lock address can be named by its variable.
 * Lookups take an ELF virtual address (target address - mapping bias).
 */
#ifndef CDTOP_SYMBOLS_H
#define CDTOP_SYMBOLS_H

#include <stdint.h>
#include "maps.h"

/* Load the symbols of mod (once; later calls return at once). root is a
 * prefix under which the target's files are seen (e.g. "/proc/123/root")
 * for debug-file lookups, or NULL. Returns the number of function symbols
 * (0 when none, which is not an error). */
int symbols_load(struct module *mod, const char *root);

/* Name of the function containing vaddr, demangled; *off gets the offset
 * into it. NULL when no symbol covers vaddr. The string lives as long as
 * the module. */
const char *symbols_func(struct module *mod, uint64_t vaddr, uint64_t *off);

/* Name of the data object (global or static variable) containing vaddr;
 * *off as above. NULL when none. */
const char *symbols_data(struct module *mod, uint64_t vaddr, uint64_t *off);

/* Like symbols_data, with the object's bounds: *start (ELF vaddr) and
 * *size in bytes (a size-0 symbol is given the extent symbols.c gave it). */
const char *symbols_data_range(struct module *mod, uint64_t vaddr, uint64_t *start, uint64_t *size);

/* Where the symbols came from, for --stacks and diagnostics: ".symtab",
 * ".dynsym", "debuglink:/path", "build-id:/path", "minidebuginfo",
 * ".gopclntab", or "none". */
const char *symbols_source(const struct module *mod);

/* For a Go module (pclntab of Go 1.16 or later): the stack pointer
 * offset of the frame at vaddr, from the function's pcsp table, i.e.
 * where the return address sits: [sp + delta], caller sp = sp + delta + 8.
 * Returns 0, or -1 when vaddr is not in a Go function. */
int symbols_go_spdelta(struct module *mod, uint64_t vaddr, int64_t *delta);

/* Free a module's symbol tables (called by the module cache). */
void symtab_free(struct symtab *st);

#endif
