/*
 * maps.c - /proc/PID/maps and the ELF modules behind executable mappings.
 *
 * Modules are opened through /proc/PID/map_files/<start>-<end>, which
 * reaches the very file that is mapped even if it was deleted or
 * replaced on disk (a deploy in progress) or lives in another mount
 * namespace; when map_files is not readable we fall back to
 * /proc/PID/root/<path>. Each file is mmap'ed read-only once and cached
 * by (dev, inode, build-id); libelf parses it in place.
 */
#include "elf_section.h"
#include "maps.h"
#include "symbols.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <gelf.h>
#include <libelf.h>

#define MAX_MODULES 4096

static struct module *cache[MAX_MODULES];
static int ncache;

int maps_parse_line(const char *line, struct mapping *m)
{
	unsigned long long start, end, off, ino;
	unsigned maj, min;
	char perms[8];
	int pos = 0;
	memset(m, 0, sizeof(*m));
	if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &off, &maj, &min,
		   &ino, &pos) < 7)
		return -1;
	m->start = start;
	m->end = end;
	m->offset = off;
	m->r = perms[0] == 'r';
	m->w = perms[1] == 'w';
	m->x = perms[2] == 'x';
	m->dev_major = maj;
	m->dev_minor = min;
	m->inode = ino;
	const char *p = line + pos;
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	/* A deleted file shows as "/path (deleted)": keep the path. */
	static const char del[] = " (deleted)";
	if (n > sizeof(del) - 1 && memcmp(p + n - (sizeof(del) - 1), del, sizeof(del) - 1) == 0)
		n -= sizeof(del) - 1;
	m->path = xmalloc(n + 1);
	memcpy(m->path, p, n);
	m->path[n] = '\0';
	return 0;
}

/* Parse program headers and the build-id note of a freshly mapped module. */
static int module_parse(struct module *mod)
{
	elf_version(EV_CURRENT);
	Elf *e = elf_memory((char *)mod->image, mod->size);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		return -1;
	}
	mod->elf = e;
	GElf_Ehdr eh;
	if (!gelf_getehdr(e, &eh)) {
		return -1;
	}
	mod->e_type = eh.e_type;
	size_t nph;
	if (elf_getphdrnum(e, &nph) != 0)
		return -1;
	mod->segs = xcalloc(nph + 1, sizeof(*mod->segs));
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph))
			continue;
		if (ph.p_type == PT_LOAD) {
			struct segment *s = &mod->segs[mod->nsegs++];
			s->vaddr = ph.p_vaddr;
			s->memsz = ph.p_memsz;
			s->offset = ph.p_offset;
			s->filesz = ph.p_filesz;
			s->x = (ph.p_flags & PF_X) != 0;
		} else if (ph.p_type == PT_GNU_EH_FRAME) {
			mod->eh_frame_hdr_vaddr = ph.p_vaddr;
			mod->eh_frame_hdr_size = ph.p_memsz;
		} else if (ph.p_type == PT_NOTE && ph.p_offset + ph.p_filesz <= mod->size) {
			/* Walk the notes for NT_GNU_BUILD_ID. */
			const uint8_t *p = mod->image + ph.p_offset, *end = p + ph.p_filesz;
			while (p + 12 <= end) {
				uint32_t namesz, descsz, type;
				memcpy(&namesz, p, 4);
				memcpy(&descsz, p + 4, 4);
				memcpy(&type, p + 8, 4);
				const uint8_t *name = p + 12;
				const uint8_t *desc = name + ((namesz + 3) & ~3U);
				if (desc + descsz > end)
					break;
				if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
				    descsz <= sizeof(mod->build_id)) {
					memcpy(mod->build_id, desc, descsz);
					mod->build_id_len = (int)descsz;
				}
				p = desc + ((descsz + 3) & ~3U);
			}
		}
	}
	/* Without PT_GNU_EH_FRAME (gcc -static on Debian), remember where
	 * .eh_frame is: the unwinder builds its own search table. */
	GElf_Shdr sh;
	if (!mod->eh_frame_hdr_vaddr && elf_section_find(e, ".eh_frame", &sh) && sh.sh_type == SHT_PROGBITS) {
		mod->eh_frame_vaddr = sh.sh_addr;
		mod->eh_frame_size = sh.sh_size;
	}
	return 0;
}

static struct module *module_from_fd(int fd, const char *path)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 64)
		return NULL;
	for (int i = 0; i < ncache; i++) {
		struct module *c = cache[i];
		if (c->dev == (uint64_t)st.st_dev && c->inode == (uint64_t)st.st_ino &&
		    c->size == (size_t)st.st_size) {
			c->refs++;
			return c;
		}
	}
	void *img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img == MAP_FAILED)
		return NULL;
	struct module *mod = xcalloc(1, sizeof(*mod));
	mod->image = img;
	mod->size = (size_t)st.st_size;
	mod->dev = st.st_dev;
	mod->inode = st.st_ino;
	mod->path = xstrdup(path);
	const char *slash = strrchr(path, '/');
	mod->name = xstrdup(slash ? slash + 1 : path);
	if (module_parse(mod) < 0) {
		if (mod->elf)
			elf_end(mod->elf);
		munmap(img, mod->size);
		free(mod->segs);
		free(mod->path);
		free(mod->name);
		free(mod);
		return NULL;
	}
	mod->refs = 1;
	if (ncache < MAX_MODULES)
		cache[ncache++] = mod;
	return mod;
}

struct module *module_open_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct module *m = module_from_fd(fd, path);
	close(fd);
	return m;
}

/* The [vdso] is the same kernel-provided image in every x86_64 process
 * of this kernel: use the copy mapped into cdtop itself. */
static struct module *module_vdso(void)
{
	static struct module *vdso;
	if (vdso) {
		vdso->refs++;
		return vdso;
	}
	uintptr_t base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	if (!base)
		return NULL;
	char *maps = read_file_alloc_at(AT_FDCWD, "/proc/self/maps", NULL);
	size_t size = 0;
	for (char *l = maps; l && *l;) {
		struct mapping m;
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (maps_parse_line(l, &m) == 0) {
			if (m.start == base && strcmp(m.path, "[vdso]") == 0)
				size = (size_t)(m.end - m.start);
			free(m.path);
		}
		l = nl ? nl + 1 : NULL;
	}
	free(maps);
	if (!size)
		return NULL;
	struct module *mod = xcalloc(1, sizeof(*mod));
	mod->image = (const uint8_t *)base;
	mod->size = size;
	mod->borrowed = true;
	mod->path = xstrdup("[vdso]");
	mod->name = xstrdup("[vdso]");
	if (module_parse(mod) < 0) {
		free(mod->path);
		free(mod->name);
		free(mod->segs);
		free(mod);
		return NULL;
	}
	mod->refs = 2;   /* one for the caller, one that keeps it cached forever */
	vdso = mod;
	return mod;
}

struct module *module_get(int piddir, const struct mapping *m)
{
	if (strcmp(m->path, "[vdso]") == 0)
		return module_vdso();
	char p[4200];
	snprintf(p, sizeof(p), "map_files/%llx-%llx", (unsigned long long)m->start,
		 (unsigned long long)m->end);
	int fd = openat(piddir, p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && m->path[0] == '/') {
		snprintf(p, sizeof(p), "root%s", m->path);
		fd = openat(piddir, p, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return NULL;
	struct module *mod = module_from_fd(fd, m->path);
	close(fd);
	return mod;
}

void module_put(struct module *mod)
{
	if (mod && mod->refs > 0)
		mod->refs--;
}

void module_cache_flush(void)
{
	int j = 0;
	for (int i = 0; i < ncache; i++) {
		struct module *m = cache[i];
		if (m->refs > 0) {
			cache[j++] = m;
			continue;
		}
		if (m->syms)
			symtab_free(m->syms);
		free(m->synth);
		if (m->elf)
			elf_end(m->elf);
		if (!m->borrowed)
			munmap((void *)m->image, m->size);
		free(m->segs);
		free(m->path);
		free(m->name);
		free(m);
	}
	ncache = j;
}

int module_read_vaddr(const struct module *mod, uint64_t vaddr, void *buf, size_t len)
{
	for (int i = 0; i < mod->nsegs; i++) {
		const struct segment *s = &mod->segs[i];
		if (vaddr >= s->vaddr && vaddr + len <= s->vaddr + s->filesz) {
			uint64_t off = s->offset + (vaddr - s->vaddr);
			if (off + len > mod->size)
				return -1;
			memcpy(buf, mod->image + off, len);
			return 0;
		}
	}
	return -1;
}

/* Load bias of mapping m whose module is mod: the PT_LOAD segment that
 * covers the mapping's file offset tells which ELF address m->start is. */
static uint64_t mapping_bias(const struct mapping *m, const struct module *mod)
{
	for (int i = 0; i < mod->nsegs; i++) {
		const struct segment *s = &mod->segs[i];
		uint64_t pg_off = s->offset & ~0xfffULL;
		if (m->offset >= pg_off && m->offset < s->offset + s->filesz)
			return m->start - (s->vaddr - (s->offset - m->offset));
	}
	return m->start - m->offset;
}

static struct procmap *parse_maps_text(int pid, int piddir, char *text)
{
	struct procmap *pm = xcalloc(1, sizeof(*pm));
	pm->pid = pid;
	pm->text = text;
	int cap = 64;
	pm->maps = xmalloc(sizeof(*pm->maps) * (size_t)cap);
	for (char *l = text; l && *l;) {
		char *nl = strchr(l, '\n');
		ARRAY_GROW(pm->maps, pm->nmaps, cap, 64);
		struct mapping *m = &pm->maps[pm->nmaps];
		/* sscanf takes the length of its input first: parse the line
		 * alone, or 20,000 mappings cost 20,000 scans of the whole text. */
		if (nl)
			*nl = '\0';
		int rc = maps_parse_line(l, m);
		if (nl)
			*nl = '\n';
		if (rc == 0) {
			if (m->x && ((m->path[0] == '/' && m->inode) || strcmp(m->path, "[vdso]") == 0)) {
				m->mod = module_get(piddir, m);
				if (m->mod)
					m->bias = mapping_bias(m, m->mod);
			}
			pm->nmaps++;
		}
		l = nl ? nl + 1 : NULL;
	}
	return pm;
}

struct procmap *procmap_read(int pid, int piddir)
{
	char *text = read_file_alloc_at(piddir, "maps", NULL);
	if (!text)
		return NULL;
	return parse_maps_text(pid, piddir, text);
}

struct procmap *procmap_refresh(struct procmap *pm, int piddir)
{
	char *text = read_file_alloc_at(piddir, "maps", NULL);
	if (!text)
		return NULL;
	if (pm && strcmp(text, pm->text) == 0) {
		free(text);
		return pm;
	}
	int pid = pm ? pm->pid : 0;
	struct procmap *n = parse_maps_text(pid, piddir, text);
	procmap_free(pm);
	return n;
}

const struct mapping *procmap_find(const struct procmap *pm, uint64_t addr)
{
	int lo = 0, hi = pm->nmaps;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		const struct mapping *m = &pm->maps[mid];
		if (addr < m->start)
			hi = mid;
		else if (addr >= m->end)
			lo = mid + 1;
		else
			return m;
	}
	return NULL;
}

void procmap_free(struct procmap *pm)
{
	if (!pm)
		return;
	for (int i = 0; i < pm->nmaps; i++) {
		free(pm->maps[i].path);
		module_put(pm->maps[i].mod);
	}
	free(pm->maps);
	free(pm->text);
	free(pm);
}
