/*
 * cdtop.h - project-wide constants: exit codes and limits.
 *
 * Exit codes are part of the command-line interface (scripts test them),
 * so they are listed once here and documented in doc/cdtop.1 and README.md.
 * Each failure class has its own code so a wrapper script can tell "the
 * pid is wrong" from "the disk is full" without parsing stderr.
 */
#ifndef CDTOP_H
#define CDTOP_H

enum cdtop_exit {
	CDTOP_EXIT_OK = 0,          /* success */
	CDTOP_EXIT_INTERNAL = 1,    /* internal error, out of memory */
	CDTOP_EXIT_USAGE = 2,       /* invalid command line */
	CDTOP_EXIT_NO_PROCESS = 3,  /* no such process */
	CDTOP_EXIT_PERMISSION = 4,  /* the process cannot be read at all */
	CDTOP_EXIT_EXITED = 5,      /* the process exited during observation */
	CDTOP_EXIT_KTHREAD = 6,     /* the pid is a kernel thread */
	CDTOP_EXIT_ZOMBIE = 7,      /* the process is a zombie */
	CDTOP_EXIT_OUTPUT = 8,      /* output file cannot be written */
	CDTOP_EXIT_TERMINAL = 9,    /* no usable terminal for the screen */
	CDTOP_EXIT_INPUT = 10,      /* input file (replay) unreadable or invalid */
	CDTOP_EXIT_TRIAGE = 11,     /* --fail-on: the checklist reached that level (the
				       snapshot was written) */
};

#define CDTOP_ERRLEN 512          /* size of caller-supplied error buffers */

#endif
