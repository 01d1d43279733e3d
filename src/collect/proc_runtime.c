/*
 * proc_runtime.c - what runtime the target's executable was built with.
 *
 * Go binaries carry a .go.buildinfo section (Go >= 1.13) and .gopclntab
 * even when stripped; the goroutine view (a later module) keys on this.
 * The binary is opened through /proc/PID/exe so deleted or replaced
 * executables and other mount namespaces still work.
 */
#include "collect.h"
#include "elf_section.h"

#include <fcntl.h>
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
	if (elf_section_find(e, ".go.buildinfo", NULL) || elf_section_find(e, ".gopclntab", NULL))
		rt = PROC_RUNTIME_GO;
	if (e)
		elf_end(e);
	close(fd);
	return rt;
}
