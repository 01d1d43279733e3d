/*
 * elf_section.h - the one way collectors walk and find ELF sections
 * (libelf): every section whose header reads, with its name.
 *
 * ELF files here are the target's: hostile. A header that does not read
 * is skipped, a name that does not resolve (bad offset, no string table)
 * reads as "", and a NULL Elf is a file without sections. What a section
 * header claims (offset, size, link) is still for the caller to bound.
 */
#ifndef CDTOP_ELF_SECTION_H
#define CDTOP_ELF_SECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <gelf.h>
#include <libelf.h>

/* A walk over the sections: `for (elf_section_begin(&it, e);
 * elf_section_next(&it);) use(it.scn, &it.sh, it.name);` */
struct elf_section_iter {
	Elf *elf;                       /* NULL: nothing to walk */
	size_t shstrndx;                /* section of the names; SIZE_MAX when unknown */
	Elf_Scn *scn;                   /* the current section, NULL before the first */
	GElf_Shdr sh;                   /* its header */
	const char *name;               /* its name, "" when it does not resolve */
};

/* Start a walk over e's sections (e may be NULL). */
void elf_section_begin(struct elf_section_iter *it, Elf *e);

/* Move to the next section whose header reads; false at the end. */
bool elf_section_next(struct elf_section_iter *it);

/* The first section of e named `name` (its header in *sh when not NULL),
 * or NULL. */
Elf_Scn *elf_section_find(Elf *e, const char *name, GElf_Shdr *sh);

#endif
