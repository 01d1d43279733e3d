/*
 * proc_runtime.c - what runtime the target's executable was built with.
 *
 * Go binaries carry a .go.buildinfo section (Go >= 1.13) and .gopclntab
 * even when stripped; the goroutine view (a later module) keys on this.
 * The binary is opened through /proc/PID/exe so deleted or replaced
 * executables and other mount namespaces still work.
 */
#include "collect.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>

enum proc_runtime runtime_detect(int piddir)
{
	enum proc_runtime rt = PROC_RUNTIME_NATIVE;
	int fd = openat(piddir, "exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rt;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t shstrndx;
	if (e && elf_kind(e) == ELF_K_ELF && elf_getshdrstrndx(e, &shstrndx) == 0) {
		for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
			GElf_Shdr sh;
			if (!gelf_getshdr(scn, &sh))
				continue;
			const char *name = elf_strptr(e, shstrndx, sh.sh_name);
			if (name && (strcmp(name, ".go.buildinfo") == 0 ||
				     strcmp(name, ".gopclntab") == 0)) {
				rt = PROC_RUNTIME_GO;
				break;
			}
		}
	}
	if (e)
		elf_end(e);
	close(fd);
	return rt;
}
