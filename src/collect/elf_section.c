/*
 * elf_section.c - walking and finding ELF sections by name
 * (elf_section.h), for the collectors that read the target's modules:
 * maps (.eh_frame), symbols (symbol tables, debug links, .gopclntab),
 * the Go reader (.data, .bss, ...) and the runtime detector
 * (.go.buildinfo). Every libelf return value is checked: the files are
 * the target's and may be truncated or crafted.
 */
#include "elf_section.h"

#include <stdint.h>
#include <string.h>

void elf_section_begin(struct elf_section_iter *it, Elf *e)
{
	memset(it, 0, sizeof(*it));
	it->elf = e && elf_kind(e) == ELF_K_ELF ? e : NULL;
	it->shstrndx = SIZE_MAX;
	size_t ndx;
	if (it->elf && elf_getshdrstrndx(it->elf, &ndx) == 0)
		it->shstrndx = ndx;
}

bool elf_section_next(struct elf_section_iter *it)
{
	if (!it->elf)
		return false;
	while ((it->scn = elf_nextscn(it->elf, it->scn)) != NULL) {
		if (!gelf_getshdr(it->scn, &it->sh))
			continue;
		const char *n = it->shstrndx != SIZE_MAX ? elf_strptr(it->elf, it->shstrndx, it->sh.sh_name) : NULL;
		it->name = n ? n : "";
		return true;
	}
	it->elf = NULL;                 /* the end: later calls stay false */
	return false;
}

Elf_Scn *elf_section_find(Elf *e, const char *name, GElf_Shdr *sh)
{
	struct elf_section_iter it;
	for (elf_section_begin(&it, e); elf_section_next(&it);) {
		if (strcmp(it.name, name) == 0) {
			if (sh)
				*sh = it.sh;
			return it.scn;
		}
	}
	return NULL;
}
