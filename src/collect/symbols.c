/*
 * symbols.c - function and data symbols of the ELF modules mapped into
 * the target, to name stack frames and the global variable a lock lives in.
 *
 * Each module gets one sorted table of functions (STT_FUNC/STT_GNU_IFUNC)
 * and one of data objects (STT_OBJECT/STT_COMMON; TLS symbols are offsets,
 * not addresses, and are left out), built once and looked up by binary
 * search. The first source that yields functions wins: the module's own
 * .symtab; a separate debug file found by build-id or .gnu_debuglink
 * (CRC-checked), on the host and then under the target's root; Go's
 * .gopclntab (stripped Go binaries keep it, the runtime needs it); and
 * last .dynsym, completed by MiniDebugInfo (.gnu_debugdata, an xz'ed ELF
 * whose .symtab holds the static functions .dynsym lacks).
 *
 * Loading must be cheap (libc's .dynsym in well under a millisecond), so
 * names are not copied: they point into the module's image, the mapped
 * debug file or the decompressed MiniDebugInfo, all owned by the table.
 * Demangling (libiberty, C++ and Rust) and sanitizing of target-chosen
 * bytes happen lazily, once per symbol, on its first lookup; the result is
 * kept in the table. Lookups are therefore not thread-safe: one thread
 * (the sampler) symbolizes. x86_64 only: multi-byte fields are read as
 * little-endian.
 */
#include "elf_section.h"
#include "symbols.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>
#include <lzma.h>
#include <libiberty/demangle.h>

/* One symbol of a final table. */
struct sym {
	uint64_t addr;                  /* ELF vaddr of the first byte */
	uint64_t end;                   /* one past the last byte */
	const char *name;               /* as in the file until SYM_READY, then display form */
	unsigned flags;                 /* SYM_* */
};

enum {
	SYM_READY = 1,                  /* name demangled/sanitized already */
	SYM_OWNED = 2,                  /* name is malloc'd by us */
};

struct symtab {
	struct sym *funcs;              /* sorted by addr, disjoint starts */
	uint64_t *func_addrs;           /* funcs[i].addr, dense for the binary search */
	size_t nfuncs;
	struct sym *data;               /* sorted by addr */
	uint64_t *data_addrs;
	size_t ndata;
	char *source;                   /* see symbols_source() */
	void *debug_image;              /* mmap of the separate debug file, or NULL */
	size_t debug_size;
	void *mini_image;               /* decompressed .gnu_debugdata, or NULL */
	const uint8_t *go_tab;          /* the pclntab found (Go 1.16+), for unwinding */
	size_t go_len;
	uint64_t go_text;               /* text start the function table is relative to */
};

/* Where go_collect found a valid table (set on success). */
static const uint8_t *go_found_tab;
static size_t go_found_len;
static uint64_t go_found_text;

/* A symbol while the tables are being built. */
struct rawsym {
	uint64_t addr, size;
	uint64_t limit;                 /* end of its section; UINT64_MAX = unknown */
	const char *name;
	unsigned char bind;             /* STB_* */
};

struct symvec {
	struct rawsym *v;
	size_t n, cap;
};

/* Largest decompressed MiniDebugInfo we accept, and liblzma's memory cap. */
#define MINI_MAX_SIZE ((size_t)512 << 20)
#define LZMA_MEMLIMIT ((uint64_t)256 << 20)

static void symvec_push(struct symvec *sv, const struct rawsym *r)
{
	ARRAY_GROW(sv->v, sv->n, sv->cap, 1024);
	sv->v[sv->n++] = *r;
}

/* ---- ELF symbol tables ------------------------------------------------ */

/*
 * Append the FUNC/IFUNC symbols of every section of type `type`
 * (SHT_SYMTAB or SHT_DYNSYM) of e to funcs and its OBJECT/COMMON symbols
 * to data. Names point into image (the bytes e was opened over).
 * Returns the number of functions added.
 */
static size_t elf_collect(Elf *e, const uint8_t *image, size_t isize, Elf64_Word type,
			  struct symvec *funcs, struct symvec *data)
{
	size_t shnum, added = 0;
	if (elf_getshdrnum(e, &shnum) != 0 || shnum == 0)
		return 0;
	uint64_t *sec_end = NULL;
	struct elf_section_iter it;
	for (elf_section_begin(&it, e); elf_section_next(&it);) {
		const GElf_Shdr sh = it.sh;
		GElf_Shdr strsh;
		if (sh.sh_type != type || sh.sh_entsize == 0)
			continue;
		Elf_Scn *strscn = elf_getscn(e, sh.sh_link);
		if (!strscn || !gelf_getshdr(strscn, &strsh) || strsh.sh_type != SHT_STRTAB ||
		    strsh.sh_offset > isize || strsh.sh_size > isize - strsh.sh_offset)
			continue;
		/* Names are used in place: only those before the table's last
		 * NUL are safe. */
		const char *strtab = (const char *)image + strsh.sh_offset;
		size_t strsize = strsh.sh_size;
		while (strsize > 0 && strtab[strsize - 1] != '\0')
			strsize--;
		Elf_Data *d = elf_getdata(it.scn, NULL);
		if (!d || strsize == 0)
			continue;
		if (!sec_end) {
			/* End address of each section, to bound size-0 symbols. */
			sec_end = xcalloc(shnum, sizeof(*sec_end));
			for (size_t i = 1; i < shnum; i++) {
				GElf_Shdr s2;
				Elf_Scn *c = elf_getscn(e, i);
				if (c && gelf_getshdr(c, &s2) && (s2.sh_flags & SHF_ALLOC))
					sec_end[i] = s2.sh_addr + s2.sh_size;
			}
		}
		size_t n = d->d_size / sh.sh_entsize;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym s;
			if (!gelf_getsym(d, (int)i, &s))
				break;
			int st = GELF_ST_TYPE(s.st_info);
			bool is_func = st == STT_FUNC || st == STT_GNU_IFUNC;
			bool is_data = st == STT_OBJECT || st == STT_COMMON;
			if ((!is_func && !is_data) || s.st_shndx == SHN_UNDEF || s.st_value == 0 ||
			    s.st_name == 0 || s.st_name >= strsize || strtab[s.st_name] == '\0')
				continue;
			struct rawsym r = {
				.addr = s.st_value,
				.size = s.st_size,
				.limit = UINT64_MAX,
				.name = strtab + s.st_name,
				.bind = (unsigned char)GELF_ST_BIND(s.st_info),
			};
			if (s.st_shndx < shnum && sec_end[s.st_shndx] > r.addr)
				r.limit = sec_end[s.st_shndx];
			if (is_func) {
				symvec_push(funcs, &r);
				added++;
			} else {
				symvec_push(data, &r);
			}
		}
	}
	free(sec_end);
	return added;
}

/* Number of leading underscores of s. */
static int underscores(const char *s)
{
	int n = 0;
	while (s[n] == '_')
		n++;
	return n;
}

/* Sort order: by address; among aliases the best name first: one with a
 * size, not local, fewest leading underscores (malloc over __libc_malloc),
 * global over weak, shortest, then alphabetical for a stable choice. */
static int rawsym_cmp(const void *pa, const void *pb)
{
	const struct rawsym *a = pa, *b = pb;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if ((a->size == 0) != (b->size == 0))
		return a->size == 0 ? 1 : -1;
	if ((a->bind == STB_LOCAL) != (b->bind == STB_LOCAL))
		return a->bind == STB_LOCAL ? 1 : -1;
	int ua = underscores(a->name), ub = underscores(b->name);
	if (ua != ub)
		return ua - ub;
	if ((a->bind == STB_GLOBAL) != (b->bind == STB_GLOBAL))
		return a->bind == STB_GLOBAL ? -1 : 1;
	size_t la = strcspn(a->name, "@"), lb = strcspn(b->name, "@");
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a->name, b->name);
}

/*
 * Turn raw symbols into a final table: sort, keep one name per address,
 * and give each symbol an end. A size-0 function extends to the next
 * symbol (bounded by its section); a size-0 data object covers its first
 * byte only, so a lock is never named after an unrelated neighbour.
 * Frees sv's array. Returns the table, its start addresses in *addrs and
 * its length in *n.
 */
static struct sym *symvec_finish(struct symvec *sv, bool extend, uint64_t **addrs, size_t *n)
{
	*n = 0;
	*addrs = NULL;
	if (sv->n == 0) {
		free(sv->v);
		sv->v = NULL;
		return NULL;
	}
	qsort(sv->v, sv->n, sizeof(*sv->v), rawsym_cmp);
	struct sym *out = xmalloc(sv->n * sizeof(*out));
	uint64_t *a = xmalloc(sv->n * sizeof(*a));
	size_t k = 0;
	for (size_t i = 0; i < sv->n; i++) {
		const struct rawsym *r = &sv->v[i];
		if (i > 0 && r->addr == sv->v[i - 1].addr)
			continue;
		uint64_t end;
		if (r->size > 0 && r->addr + r->size > r->addr) {
			end = r->addr + r->size;
		} else if (extend) {
			size_t j = i + 1;
			while (j < sv->n && sv->v[j].addr == r->addr)
				j++;
			end = j < sv->n ? sv->v[j].addr : r->limit;
			if (end > r->limit)
				end = r->limit;
			if (end == UINT64_MAX || end <= r->addr)
				end = r->addr + 1;
		} else {
			end = r->addr + 1;
		}
		a[k] = r->addr;
		out[k++] = (struct sym){ .addr = r->addr, .end = end, .name = r->name };
	}
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
	*n = k;
	*addrs = a;
	return out;
}

/* Find SHT_NOTE NT_GNU_BUILD_ID in the sections of e (image bytes).
 * Returns its length (0 = none) and copies it to id (>= 64 bytes). */
static int elf_build_id(Elf *e, const uint8_t *image, size_t isize, uint8_t *id)
{
	struct elf_section_iter it;
	for (elf_section_begin(&it, e); elf_section_next(&it);) {
		const GElf_Shdr sh = it.sh;
		if (sh.sh_type != SHT_NOTE || sh.sh_offset > isize || sh.sh_size > isize - sh.sh_offset)
			continue;
		const uint8_t *p = image + sh.sh_offset, *end = p + sh.sh_size;
		while (end - p >= 12) {
			uint32_t namesz = rd32(p), descsz = rd32(p + 4), ntype = rd32(p + 8);
			const uint8_t *name = p + 12;
			if (namesz > (size_t)(end - name))
				break;
			const uint8_t *desc = name + ((namesz + 3) & ~3U);
			if (desc > end || descsz > (size_t)(end - desc))
				break;
			if (ntype == NT_GNU_BUILD_ID && namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
			    descsz > 0 && descsz <= 64) {
				memcpy(id, desc, descsz);
				return (int)descsz;
			}
			p = desc + ((descsz + 3) & ~3U);
		}
	}
	return 0;
}

/* ---- separate debug files -------------------------------------------- */

/* Files already tried for this module, so a path seen both on the host
 * and under a root that is "/" is read (and CRC'ed) once. */
struct tried {
	uint64_t dev[16], ino[16];
	int n;
};

/*
 * Try path as the debug file of mod: a regular ELF file, not mod itself,
 * whose build-id matches mod's when both have one, whose CRC32 is `crc`
 * when check_crc, and whose .symtab has functions. On success the file
 * stays mapped in st, its symbols are appended, st->source is set to
 * "<kind>:<path>" and true is returned.
 */
static bool debug_try(struct symtab *st, const struct module *mod, const char *path,
		      const char *kind, bool check_crc, uint32_t crc, struct tried *tried,
		      struct symvec *funcs, struct symvec *data)
{
	/* O_NONBLOCK: a FIFO planted where a debug file is looked for must
	 * not hang us; only regular files are read. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size < 64 ||
	    ((uint64_t)sb.st_dev == mod->dev && (uint64_t)sb.st_ino == mod->inode)) {
		close(fd);
		return false;
	}
	for (int i = 0; i < tried->n; i++) {
		if (tried->dev[i] == (uint64_t)sb.st_dev && tried->ino[i] == (uint64_t)sb.st_ino) {
			close(fd);
			return false;
		}
	}
	if (tried->n < 16) {
		tried->dev[tried->n] = sb.st_dev;
		tried->ino[tried->n++] = sb.st_ino;
	}
	size_t size = (size_t)sb.st_size;
	/* Private writable mapping: libelf may fix up data in place; pages
	 * are only copied if it does. */
	void *img = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return false;
	bool ok = false;
	size_t f0 = funcs->n, d0 = data->n;
	Elf *e = NULL;
	if (check_crc && lzma_crc32(img, size, 0) != crc)
		goto out;
	e = elf_memory(img, size);
	if (!e || elf_kind(e) != ELF_K_ELF)
		goto out;
	if (mod->build_id_len > 0) {
		uint8_t id[64];
		int idlen = elf_build_id(e, img, size, id);
		if (idlen > 0 && (idlen != mod->build_id_len || memcmp(id, mod->build_id, (size_t)idlen) != 0))
			goto out;
	}
	if (elf_collect(e, img, size, SHT_SYMTAB, funcs, data) == 0)
		goto out;
	ok = true;
	st->debug_image = img;
	st->debug_size = size;
	size_t len = strlen(kind) + strlen(path) + 2;
	st->source = xmalloc(len);
	snprintf(st->source, len, "%s:%s", kind, path);
out:
	if (e)
		elf_end(e);
	if (!ok) {
		funcs->n = f0;
		data->n = d0;
		munmap(img, size);
	}
	return ok;
}

/* Try "<path>" on the host, then "<root><path>" when root is a real prefix. */
static bool debug_try_both(struct symtab *st, const struct module *mod, const char *root,
			   const char *path, const char *kind, bool check_crc, uint32_t crc,
			   struct tried *tried, struct symvec *funcs, struct symvec *data)
{
	if (debug_try(st, mod, path, kind, check_crc, crc, tried, funcs, data))
		return true;
	if (!root || !root[0] || strcmp(root, "/") == 0)
		return false;
	char p[PATH_MAX];
	if ((size_t)snprintf(p, sizeof(p), "%s%s", root, path) >= sizeof(p))
		return false;
	return debug_try(st, mod, p, kind, check_crc, crc, tried, funcs, data);
}

/* Look for mod's separate debug file: build-id first, then .gnu_debuglink
 * (debuglink is the raw section, NULL when absent). */
static bool debug_find(struct symtab *st, const struct module *mod, const char *root,
		       const uint8_t *debuglink, size_t linklen, struct symvec *funcs,
		       struct symvec *data)
{
	struct tried tried = { .n = 0 };
	char p[PATH_MAX];
	if (mod->build_id_len >= 2) {
		char hex[2 * 64 + 1];
		for (int i = 0; i < mod->build_id_len; i++)
			snprintf(hex + 2 * i, 3, "%02x", mod->build_id[i]);
		snprintf(p, sizeof(p), "/usr/lib/debug/.build-id/%.2s/%s.debug", hex, hex + 2);
		if (debug_try_both(st, mod, root, p, "build-id", false, 0, &tried, funcs, data))
			return true;
	}
	if (!debuglink || linklen < 6)
		return false;
	/* Section layout: file name, NUL, padding to 4, CRC32. */
	const char *name = (const char *)debuglink;
	size_t nlen = strnlen(name, linklen);
	size_t crcoff = (nlen + 4) & ~(size_t)3;
	if (nlen == 0 || nlen == linklen || crcoff + 4 > linklen || strchr(name, '/') ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	uint32_t crc = rd32(debuglink + crcoff);
	char dir[PATH_MAX];
	const char *slash = strrchr(mod->path, '/');
	if (slash && (size_t)(slash - mod->path) < sizeof(dir)) {
		memcpy(dir, mod->path, (size_t)(slash - mod->path));
		dir[slash - mod->path] = '\0';
	} else {
		str_copy(dir, ".", sizeof(dir));
	}
	static const char *const fmts[] = { "%s/%s", "%s/.debug/%s", "/usr/lib/debug%s/%s" };
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		if (i == 2 && dir[0] != '/')
			break;
		if ((size_t)snprintf(p, sizeof(p), fmts[i], dir, name) >= sizeof(p))
			continue;
		if (debug_try_both(st, mod, root, p, "debuglink", true, crc, &tried, funcs, data))
			return true;
	}
	return false;
}

/* ---- MiniDebugInfo ---------------------------------------------------- */

/* Decompress an .xz buffer. Returns a malloc'd buffer (length in *outlen)
 * or NULL when the data is not valid xz or decompresses too large. */
static uint8_t *xz_decode(const uint8_t *in, size_t inlen, size_t *outlen)
{
	lzma_stream s = LZMA_STREAM_INIT;
	if (lzma_stream_decoder(&s, LZMA_MEMLIMIT, 0) != LZMA_OK)
		return NULL;
	size_t cap = inlen * 4 + 4096;
	if (cap > MINI_MAX_SIZE)
		cap = MINI_MAX_SIZE;
	uint8_t *out = xmalloc(cap);
	s.next_in = in;
	s.avail_in = inlen;
	s.next_out = out;
	s.avail_out = cap;
	for (;;) {
		lzma_ret r = lzma_code(&s, LZMA_FINISH);
		if (r == LZMA_STREAM_END)
			break;
		if (r != LZMA_OK)
			goto fail;
		if (s.avail_out == 0) {
			if (cap >= MINI_MAX_SIZE)
				goto fail;
			size_t used = cap;
			cap = cap * 2 > MINI_MAX_SIZE ? MINI_MAX_SIZE : cap * 2;
			out = xrealloc(out, cap);
			s.next_out = out + used;
			s.avail_out = cap - used;
		}
	}
	*outlen = (size_t)s.total_out;
	lzma_end(&s);
	return out;
fail:
	lzma_end(&s);
	free(out);
	return NULL;
}

/* Add the functions of the .gnu_debugdata section (xz'ed ELF) to funcs;
 * the decompressed image is kept in st. Returns the number added. */
static size_t minidebug_collect(struct symtab *st, const uint8_t *xz, size_t xzlen,
				struct symvec *funcs, struct symvec *data)
{
	size_t len = 0;
	uint8_t *img = xz_decode(xz, xzlen, &len);
	if (!img)
		return 0;
	size_t added = 0;
	Elf *e = elf_memory((char *)img, len);
	if (e && elf_kind(e) == ELF_K_ELF)
		added = elf_collect(e, img, len, SHT_SYMTAB, funcs, data);
	if (e)
		elf_end(e);
	if (added == 0) {
		free(img);
		return 0;
	}
	st->mini_image = img;
	return added;
}

/* ---- Go .gopclntab ---------------------------------------------------- */

enum { GO_12 = 0xfffffffb, GO_116 = 0xfffffffa, GO_118 = 0xfffffff0, GO_120 = 0xfffffff1 };

/* Whether the 8-byte pclntab header at p looks valid. */
static bool go_header_ok(const uint8_t *p)
{
	uint32_t magic = rd32(p);
	return (magic == GO_12 || magic == GO_116 || magic == GO_118 || magic == GO_120) &&
	       p[4] == 0 && p[5] == 0 && (p[6] == 1 || p[6] == 2 || p[6] == 4) &&
	       (p[7] == 4 || p[7] == 8);
}

/* Whether vaddr lies in an executable PT_LOAD segment of mod. */
static bool in_text(const struct module *mod, uint64_t vaddr)
{
	for (int i = 0; i < mod->nsegs; i++)
		if (mod->segs[i].x && vaddr >= mod->segs[i].vaddr &&
		    vaddr - mod->segs[i].vaddr < mod->segs[i].memsz)
			return true;
	return false;
}

/* File offset -> vaddr through mod's segments; 0 when not mapped. */
static uint64_t off_to_vaddr(const struct module *mod, uint64_t off)
{
	for (int i = 0; i < mod->nsegs; i++) {
		const struct segment *s = &mod->segs[i];
		if (off >= s->offset && off - s->offset < s->filesz)
			return s->vaddr + (off - s->offset);
	}
	return 0;
}

/* Addend of an R_X86_64_RELATIVE relocation at vaddr (a pointer the
 * loader fills in a PIE), or 0. */
static uint64_t relative_reloc(Elf *e, uint64_t vaddr)
{
	struct elf_section_iter it;
	for (elf_section_begin(&it, e); elf_section_next(&it);) {
		const GElf_Shdr sh = it.sh;
		if (sh.sh_type != SHT_RELA || sh.sh_entsize == 0)
			continue;
		Elf_Data *d = elf_getdata(it.scn, NULL);
		if (!d)
			continue;
		size_t n = d->d_size / sh.sh_entsize;
		for (size_t i = 0; i < n; i++) {
			GElf_Rela r;
			if (gelf_getrela(d, (int)i, &r) && r.r_offset == vaddr &&
			    GELF_R_TYPE(r.r_info) == R_X86_64_RELATIVE)
				return (uint64_t)r.r_addend;
		}
	}
	return 0;
}

/*
 * Parse a pclntab (tab..tab+len, at vaddr tabva) per Go's
 * src/debug/gosym/pclntab.go: the function table gives each function's
 * entry PC and the offset of its _func record, whose second field is the
 * name's offset in the name table; a function ends where the next one
 * starts (the table ends with the end PC). text_fallback is used when the
 * header's text start is 0. Appends to funcs only when most entries fall
 * in executable segments. Returns the number added.
 */
static size_t go_collect(Elf *e, const struct module *mod, const uint8_t *tab, size_t len,
			 uint64_t tabva, uint64_t text_fallback, struct symvec *funcs)
{
	if (len < 64 || !go_header_ok(tab))
		return 0;
	uint32_t magic = rd32(tab);
	size_t ps = tab[7];
#define GO_WORD(p) (ps == 8 ? rd64(p) : (uint64_t)rd32(p))
#define HDR(i) GO_WORD(tab + 8 + (size_t)(i) * ps)
	uint64_t nfunc, names_off, funcdata_off, text = 0;
	size_t ent;                     /* size of one functab field */
	bool rel;                       /* entries are offsets from text start */
	if (magic == GO_118 || magic == GO_120) {
		nfunc = HDR(0);
		text = HDR(2);
		names_off = HDR(3);
		funcdata_off = HDR(7);
		ent = 4;
		rel = true;
		if (text == 0 && tabva)
			text = relative_reloc(e, tabva + 8 + 2 * ps);
		if (text == 0)
			text = text_fallback;
	} else if (magic == GO_116) {
		nfunc = HDR(0);
		names_off = HDR(2);
		funcdata_off = HDR(6);
		ent = ps;
		rel = false;
	} else {
		nfunc = HDR(0);
		names_off = 0;
		funcdata_off = 0;
		ent = ps;
		rel = false;
	}
	/* Go 1.2-1.15: the function table follows the header's nfunc word. */
	uint64_t functab = magic == GO_12 ? 8 + ps : funcdata_off;
	if (nfunc == 0 || nfunc > len / 8 || functab > len || names_off >= len ||
	    (nfunc * 2 + 1) * ent > len - functab)
		return 0;
	size_t f0 = funcs->n, intext = 0;
	const uint8_t *ft = tab + functab;
	for (uint64_t i = 0; i < nfunc; i++) {
		const uint8_t *p = ft + i * 2 * ent;
		uint64_t entry = ent == 4 ? rd32(p) : GO_WORD(p);
		uint64_t foff = ent == 4 ? rd32(p + ent) : GO_WORD(p + ent);
		uint64_t next = ent == 4 ? rd32(p + 2 * ent) : GO_WORD(p + 2 * ent);
		if (rel) {
			entry += text;
			next += text;
		}
		/* _func: entry (uint32 offset since 1.18, else uintptr), then
		 * int32 name offset. */
		uint64_t fpos = funcdata_off + foff;
		size_t nameoff_at = magic == GO_118 || magic == GO_120 ? 4 : ps;
		if (fpos > len || nameoff_at + 4 > len - fpos)
			continue;
		int32_t nameoff = (int32_t)rd32(tab + fpos + nameoff_at);
		if (nameoff < 0 || names_off + (uint64_t)nameoff >= len)
			continue;
		const char *name = (const char *)tab + names_off + (uint64_t)nameoff;
		if (!*name || !memchr(name, 0, len - (names_off + (uint64_t)nameoff)))
			continue;
		if (entry == 0 || next <= entry)
			continue;
		struct rawsym r = {
			.addr = entry,
			.size = next - entry,
			.limit = UINT64_MAX,
			.name = name,
			.bind = STB_GLOBAL,
		};
		symvec_push(funcs, &r);
		if (in_text(mod, entry))
			intext++;
	}
#undef HDR
#undef GO_WORD
	size_t added = funcs->n - f0;
	if (added == 0 || intext * 2 < added) {
		funcs->n = f0;          /* wrong text start or not a pclntab */
		return 0;
	}
	go_found_tab = tab;
	go_found_len = len;
	go_found_text = text;
	return added;
}

/*
 * Functions of a Go binary from its pclntab: the .gopclntab section
 * (.data.rel.ro.gopclntab in PIEs), else a scan of the file-backed
 * segments for a pclntab header (external linking can merge the section
 * away). Returns the number added.
 */
static size_t go_find(const struct module *mod, const uint8_t *sect, size_t sectlen,
		      uint64_t sectva, uint64_t text_addr, struct symvec *funcs)
{
	Elf *e = mod->elf;
	if (sect) {
		size_t n = go_collect(e, mod, sect, sectlen, sectva, text_addr, funcs);
		if (n > 0)
			return n;
	}
	static const uint8_t pat[] = { 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x08 };
	for (int i = 0; i < mod->nsegs; i++) {
		const struct segment *s = &mod->segs[i];
		if (s->offset >= mod->size || s->filesz == 0)
			continue;
		size_t seglen = s->filesz < mod->size - s->offset ? s->filesz : mod->size - s->offset;
		const uint8_t *base = mod->image + s->offset, *p = base + 1;
		while (p < base + seglen) {
			const uint8_t *hit = memmem(p, (size_t)(base + seglen - p), pat, sizeof(pat));
			if (!hit)
				break;
			const uint8_t *h = hit - 1;
			if (((uintptr_t)(h - mod->image) & 7) == 0 && go_header_ok(h)) {
				size_t off = (size_t)(h - mod->image);
				size_t n = go_collect(e, mod, h, mod->size - off,
						      off_to_vaddr(mod, off), text_addr, funcs);
				if (n > 0)
					return n;
			}
			p = hit + 1;
		}
	}
	return 0;
}

/* ---- loading ---------------------------------------------------------- */

/* What symbols_load needs to know about mod's sections. */
struct secinfo {
	bool symtab, go;
	const uint8_t *debuglink, *debugdata, *pclntab;
	size_t debuglink_len, debugdata_len, pclntab_len;
	uint64_t pclntab_va, text_addr;
};

/* File-backed bytes of section sh of mod, or NULL. */
static const uint8_t *scn_bytes(const struct module *mod, const GElf_Shdr *sh, size_t *len)
{
	if (sh->sh_type == SHT_NOBITS || sh->sh_offset > mod->size ||
	    sh->sh_size > mod->size - sh->sh_offset)
		return NULL;
	*len = sh->sh_size;
	return mod->image + sh->sh_offset;
}

static void scan_sections(const struct module *mod, struct secinfo *si)
{
	memset(si, 0, sizeof(*si));
	struct elf_section_iter it;
	for (elf_section_begin(&it, mod->elf); elf_section_next(&it);) {
		const GElf_Shdr sh = it.sh;
		if (sh.sh_type == SHT_SYMTAB) {
			si->symtab = true;
			continue;
		}
		const char *n = it.name;
		if (n[0] != '.')
			continue;
		if (strcmp(n, ".gnu_debuglink") == 0) {
			si->debuglink = scn_bytes(mod, &sh, &si->debuglink_len);
		} else if (strcmp(n, ".gnu_debugdata") == 0) {
			si->debugdata = scn_bytes(mod, &sh, &si->debugdata_len);
		} else if (strcmp(n, ".gopclntab") == 0 || strcmp(n, ".data.rel.ro.gopclntab") == 0) {
			si->pclntab = scn_bytes(mod, &sh, &si->pclntab_len);
			si->pclntab_va = sh.sh_addr;
			si->go = true;
		} else if (strcmp(n, ".go.buildinfo") == 0 || strcmp(n, ".note.go.buildid") == 0) {
			si->go = true;
		} else if (strcmp(n, ".text") == 0) {
			si->text_addr = sh.sh_addr;
		}
	}
}

int symbols_load(struct module *mod, const char *root)
{
	if (!mod)
		return 0;
	if (mod->syms_loaded)
		return mod->syms ? (int)mod->syms->nfuncs : 0;
	mod->syms_loaded = true;
	struct symtab *st = xcalloc(1, sizeof(*st));
	mod->syms = st;
	if (!mod->elf || !mod->image) {
		st->source = xstrdup("none");
		return 0;
	}
	Elf *e = mod->elf;
	struct symvec funcs = { 0 }, data = { 0 };
	struct secinfo si;
	const char *src = NULL;
	scan_sections(mod, &si);

	if (si.symtab && elf_collect(e, mod->image, mod->size, SHT_SYMTAB, &funcs, &data) > 0)
		src = ".symtab";
	if (!src) {
		funcs.n = data.n = 0;
		if (debug_find(st, mod, root, si.debuglink, si.debuglink_len, &funcs, &data))
			src = st->source;
	}
	go_found_tab = NULL;
	if (!src && si.go) {
		funcs.n = data.n = 0;
		if (go_find(mod, si.pclntab, si.pclntab_len, si.pclntab_va, si.text_addr, &funcs) > 0)
			src = ".gopclntab";
	} else if (si.go) {
		/* Symbols came from elsewhere; the unwinder still needs the
		 * pclntab's frame sizes. */
		struct symvec scratch = { 0 };
		go_find(mod, si.pclntab, si.pclntab_len, si.pclntab_va, si.text_addr, &scratch);
		free(scratch.v);
	}
	if (go_found_tab && (rd32(go_found_tab) == GO_118 || rd32(go_found_tab) == GO_120 ||
			     rd32(go_found_tab) == GO_116)) {
		st->go_tab = go_found_tab;
		st->go_len = go_found_len;
		st->go_text = go_found_text;
	}
	if (!src) {
		funcs.n = data.n = 0;
		size_t nd = elf_collect(e, mod->image, mod->size, SHT_DYNSYM, &funcs, &data);
		size_t nm = si.debugdata ? minidebug_collect(st, si.debugdata, si.debugdata_len,
							     &funcs, &data) : 0;
		src = nm > 0 ? "minidebuginfo" : nd > 0 ? ".dynsym" : "none";
	}
	if (!st->source)
		st->source = xstrdup(src);
	st->funcs = symvec_finish(&funcs, true, &st->func_addrs, &st->nfuncs);
	st->data = symvec_finish(&data, false, &st->data_addrs, &st->ndata);
	return (int)st->nfuncs;
}

/* ---- lookups ---------------------------------------------------------- */

/* Display name of s: demangled when it is a C++ or Rust name (libiberty
 * tries Rust first, then the GNU v3 ABI), and with control or invalid
 * UTF-8 bytes replaced, since the target chose them. Done once. */
static const char *sym_name(struct sym *s)
{
	if (s->flags & SYM_READY)
		return s->name;
	s->flags |= SYM_READY;
	/* glibc's debug .symtab has versioned names: "memcpy@@GLIBC_2.14". */
	const char *at = strchr(s->name + 1, '@');
	if (at) {
		size_t len = (size_t)(at - s->name);
		char *base = xmalloc(len + 1);
		memcpy(base, s->name, len);
		base[len] = '\0';
		s->name = base;
		s->flags |= SYM_OWNED;
	}
	const char *n = s->name;
	if (n[0] == '_' && (n[1] == 'Z' || n[1] == 'R')) {
		char *d = cplus_demangle(n, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
		if (d) {
			if (s->flags & SYM_OWNED)
				free((char *)s->name);
			s->name = d;
			s->flags |= SYM_OWNED;
		}
	}
	for (const unsigned char *p = (const unsigned char *)s->name; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f) {
			char *clean = utf8_sanitize(s->name);
			if (strcmp(clean, s->name) == 0) {
				free(clean);
				break;
			}
			if (s->flags & SYM_OWNED)
				free((char *)s->name);
			s->name = clean;
			s->flags |= SYM_OWNED;
			break;
		}
	}
	return s->name;
}

/* The symbol of tab covering vaddr, or NULL. */
static struct sym *sym_find(struct sym *tab, const uint64_t *addrs, size_t n, uint64_t vaddr)
{
	if (n == 0)
		return NULL;
	/* Branch-free binary search (the compiler emits a cmov): lo becomes
	 * the number of symbols starting at or before vaddr. Random
	 * addresses would mispredict half of the branches of the usual loop. */
	const uint64_t *b = addrs;
	size_t len = n;
	while (len > 1) {
		size_t half = len / 2;
		b = b[half] <= vaddr ? b + half : b;
		len -= half;
	}
	size_t lo = (size_t)(b - addrs) + (*b <= vaddr);
	/* Usually the last symbol starting at or before vaddr covers it;
	 * look a few further back for an enclosing symbol (a sized function
	 * with a nested label, an alias-free overlap). */
	for (size_t i = lo, k = 0; i > 0 && k < 4; i--, k++) {
		if (vaddr < tab[i - 1].end)
			return &tab[i - 1];
	}
	return NULL;
}

/* The symbol of table `data` (else the function table) of mod that
 * contains vaddr, loading the module's symbols first; NULL when none. */
static struct sym *sym_lookup(struct module *mod, bool data, uint64_t vaddr)
{
	if (!mod)
		return NULL;
	if (!mod->syms_loaded)
		symbols_load(mod, NULL);
	struct symtab *st = mod->syms;
	if (!st)
		return NULL;
	return data ? sym_find(st->data, st->data_addrs, st->ndata, vaddr)
		    : sym_find(st->funcs, st->func_addrs, st->nfuncs, vaddr);
}

/* Name of symbol s (NULL: none) with vaddr's offset into it in *off. */
static const char *sym_name_off(struct sym *s, uint64_t vaddr, uint64_t *off)
{
	if (!s)
		return NULL;
	if (off)
		*off = vaddr - s->addr;
	return sym_name(s);
}

const char *symbols_func(struct module *mod, uint64_t vaddr, uint64_t *off)
{
	return sym_name_off(sym_lookup(mod, false, vaddr), vaddr, off);
}

const char *symbols_data(struct module *mod, uint64_t vaddr, uint64_t *off)
{
	return sym_name_off(sym_lookup(mod, true, vaddr), vaddr, off);
}

const char *symbols_data_range(struct module *mod, uint64_t vaddr, uint64_t *start, uint64_t *size)
{
	struct sym *s = sym_lookup(mod, true, vaddr);
	if (!s)
		return NULL;
	*start = s->addr;
	*size = s->end - s->addr;
	return sym_name(s);
}

const char *symbols_source(const struct module *mod)
{
	if (!mod || !mod->syms || !mod->syms->source)
		return "none";
	return mod->syms->source;
}

void symtab_free(struct symtab *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nfuncs; i++)
		if (st->funcs[i].flags & SYM_OWNED)
			free((char *)st->funcs[i].name);
	for (size_t i = 0; i < st->ndata; i++)
		if (st->data[i].flags & SYM_OWNED)
			free((char *)st->data[i].name);
	free(st->funcs);
	free(st->func_addrs);
	free(st->data);
	free(st->data_addrs);
	free(st->source);
	if (st->debug_image)
		munmap(st->debug_image, st->debug_size);
	free(st->mini_image);
	free(st);
}

/* Read a Go varint at *p (bounded by end); 0 when it runs out. */
static uint32_t go_uvarint(const uint8_t **p, const uint8_t *end)
{
	uint32_t v = 0;
	for (int shift = 0; *p < end && shift < 35; shift += 7) {
		uint8_t b = *(*p)++;
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	*p = end;
	return 0;
}

int symbols_go_spdelta(struct module *mod, uint64_t vaddr, int64_t *delta)
{
	if (!mod->syms_loaded)
		symbols_load(mod, NULL);
	struct symtab *st = mod->syms;
	if (!st || !st->go_tab)
		return -1;
	const uint8_t *tab = st->go_tab;
	size_t len = st->go_len, ps = tab[7];
	uint32_t magic = rd32(tab);
	bool v118 = magic == GO_118 || magic == GO_120;
#define GO_WORD(p) (ps == 8 ? rd64(p) : (uint64_t)rd32(p))
#define HDR(i) GO_WORD(tab + 8 + (size_t)(i) * ps)
	uint64_t nfunc = HDR(0);
	uint64_t pctab = v118 ? HDR(6) : HDR(5);
	uint64_t functab = v118 ? HDR(7) : HDR(6);
#undef HDR
	size_t ent = v118 ? 4 : ps;
	if (nfunc == 0 || functab > len || (nfunc * 2 + 1) * ent > len - functab || pctab >= len)
		return -1;
	const uint8_t *ft = tab + functab;
	/* Entries are sorted by entry PC: find the last entry <= vaddr. */
	uint64_t target = v118 ? vaddr - st->go_text : vaddr;
	uint64_t lo = 0, hi = nfunc;
	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		uint64_t e = ent == 4 ? rd32(ft + mid * 2 * ent) : GO_WORD(ft + mid * 2 * ent);
		if (e <= target)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	const uint8_t *fe = ft + (lo - 1) * 2 * ent;
	uint64_t entry = ent == 4 ? rd32(fe) : GO_WORD(fe);
	uint64_t next = ent == 4 ? rd32(fe + 2 * ent) : GO_WORD(fe + 2 * ent);
	uint64_t foff = ent == 4 ? rd32(fe + ent) : GO_WORD(fe + ent);
	if (target >= next)
		return -1;
	/* _func: entry (uint32 since 1.18, else uintptr), nameoff, args,
	 * deferreturn, then pcsp (all int32/uint32). */
	uint64_t fpos = functab + foff + (v118 ? 4 : ps) + 12;
	if (fpos + 4 > len)
		return -1;
	uint32_t pcsp = rd32(tab + fpos);
#undef GO_WORD
	if (pcsp == 0 || pctab + pcsp >= len)
		return -1;
	/* The pc-value table: (value delta zigzag, pc delta) varint pairs,
	 * starting at value -1 and the function's entry (runtime.pcvalue). */
	const uint8_t *p = tab + pctab + pcsp, *end = tab + len;
	uint64_t pc = entry;
	int64_t val = -1;
	bool first = true;
	while (p < end) {
		uint32_t uv = go_uvarint(&p, end);
		if (uv == 0 && !first)
			return -1;
		first = false;
		val += (int32_t)(-(uv & 1) ^ (uv >> 1));
		pc += go_uvarint(&p, end) * (uint64_t)tab[6];
		if (target < pc) {
			*delta = val;
			return val >= 0 ? 0 : -1;
		}
	}
	return -1;
}
