/*
 * maps.h - the target's memory map (/proc/PID/maps) and the ELF modules
 * mapped into it.
 *
 * A module is an ELF file (main binary, shared library, vdso) opened
 * through /proc/PID/map_files/<start>-<end> (works for deleted or replaced
 * files) or /proc/PID/root/<path> (other mount namespaces), mapped
 * read-only into cdtop. The unwinder reads .eh_frame_hdr/.eh_frame and
 * code from that local copy instead of the target's memory; the
 * symbolizer reads its symbol tables. Modules are cached by device,
 * inode and build-id, so a library shared by many processes or seen in
 * many polls is opened once.
 */
#ifndef CDTOP_MAPS_H
#define CDTOP_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symtab;

/* One line of /proc/PID/maps. */
struct mapping {
	uint64_t start, end;            /* [start, end) in the target */
	uint64_t offset;                /* file offset of start */
	bool r, w, x;
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	char *path;                     /* "" for anonymous; "[vdso]", "[stack]" ... */
	struct module *mod;             /* executable file-backed mappings only, else NULL */
	uint64_t bias;                  /* target address = ELF vaddr + bias */
};

/* A PT_LOAD segment of a module. */
struct segment {
	uint64_t vaddr, memsz, offset, filesz;
	bool x;
};

struct module {
	char *path;                     /* as in maps, e.g. /usr/lib/x86_64-linux-gnu/libc.so.6 */
	char *name;                     /* basename, for display */
	uint64_t dev, inode;
	uint8_t build_id[64];
	int build_id_len;               /* 0 = none */
	const uint8_t *image;           /* read-only mmap of the whole file, or NULL */
	size_t size;
	void *elf;                      /* Elf * (libelf) over image */
	int e_type;                     /* ET_EXEC or ET_DYN */
	struct segment *segs;
	int nsegs;
	uint64_t eh_frame_hdr_vaddr;    /* 0 = none (Go binaries, static glibc binaries) */
	uint64_t eh_frame_hdr_size;
	uint64_t eh_frame_vaddr;        /* .eh_frame section, for a table built by unwind.c */
	uint64_t eh_frame_size;
	void *synth;                    /* unwind.c's table built from .eh_frame, or NULL */
	bool synth_tried;
	struct symtab *syms;            /* filled lazily by symbols.c */
	bool syms_loaded;
	int refs;
	bool borrowed;                  /* image is not ours to unmap ([vdso]) */
};

/* The memory map of one process with its modules. */
struct procmap {
	int pid;
	struct mapping *maps;
	int nmaps;
	char *text;                     /* raw maps text of the last read, to spot changes */
};

/* Parse one maps line into m (path strdup'ed). Returns 0 or -1. */
int maps_parse_line(const char *line, struct mapping *m);

/* Read /proc/PID/maps into a new procmap, opening the ELF module of every
 * executable file-backed mapping (through `piddir`, an open /proc/PID).
 * Returns NULL with errno set when maps is unreadable. */
struct procmap *procmap_read(int pid, int piddir);

/* Re-read maps if it changed since pm was read. Returns pm itself when
 * unchanged, else a new procmap (and frees pm), or NULL on error. */
struct procmap *procmap_refresh(struct procmap *pm, int piddir);

/* The mapping containing target address addr, or NULL. */
const struct mapping *procmap_find(const struct procmap *pm, uint64_t addr);

/* Free a procmap (modules are released, not necessarily freed). NULL ok. */
void procmap_free(struct procmap *pm);

/* Open (or find in the cache) the module for mapping m of process `piddir`.
 * Returns NULL when the file cannot be opened or is not ELF. */
struct module *module_get(int piddir, const struct mapping *m);

/* Load the module of a file path on the local machine (tests, debug files).
 * Returns NULL on failure. Release with module_put. */
struct module *module_open_path(const char *path);

/* Drop a reference; the module is freed when the cache is flushed. */
void module_put(struct module *mod);

/* Copy `len` bytes at ELF virtual address vaddr of the module from its
 * file image (only file-backed bytes). Returns 0 or -1. */
int module_read_vaddr(const struct module *mod, uint64_t vaddr, void *buf, size_t len);

/* Free every cached module without references. */
void module_cache_flush(void);

#endif
