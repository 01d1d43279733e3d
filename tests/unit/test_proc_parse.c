/*
 * test_proc_parse.c - the pure /proc parsers of src/proc_parse.c and
 * src/syscall_names.c, fed files captured from real processes
 * (tests/fixtures/proc/, see its README) and hand-made edge cases.
 */
#include "proc_parse.h"
#include "util.h"
#include "check.h"
#include "fixtures.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Contents of $FIXTURES/proc/<name>; exits when it cannot be read, so a
 * missing fixture is a failure, never a silently skipped check. */
static char *fixture(const char *name)
{
	const char *dir = getenv("FIXTURES");
	if (!dir || !*dir) {
		fprintf(stderr, "FIXTURES is not set (run through make check)\n");
		exit(1);
	}
	char path[4096];
	fixtures_path(path, sizeof(path), "proc", name);
	char *buf = read_file_alloc_at(AT_FDCWD, path, NULL);
	if (!buf) {
		perror(path);
		exit(1);
	}
	return buf;
}

static void test_stat(void)
{
	struct task_stat st;
	char *b;

	b = fixture("self_stat");
	CHECK_EQ_INT(parse_task_stat(b, &st), 0);
	CHECK_STR(st.comm, "cat");
	CHECK_EQ_INT(st.state, 'R');
	CHECK_EQ_INT(st.ppid, 30670);
	CHECK_EQ_INT(st.flags, 0x400000);
	CHECK((st.flags & PF_KTHREAD_FLAG) == 0);
	CHECK_EQ_INT(st.minflt, 75);
	CHECK_EQ_INT(st.majflt, 0);
	CHECK_EQ_INT(st.utime, 0);
	CHECK_EQ_INT(st.stime, 0);
	CHECK_EQ_INT(st.num_threads, 1);
	CHECK_EQ_INT(st.starttime, 86187);
	CHECK_EQ_INT(st.vsize, 3133440);
	CHECK_EQ_INT(st.processor, 1);
	free(b);

	/* Every field distinct: field N holds 1000+N. */
	b = fixture("hand_stat_distinct");
	CHECK_EQ_INT(parse_task_stat(b, &st), 0);
	CHECK_STR(st.comm, "my prog");
	CHECK_EQ_INT(st.state, 'D');
	CHECK_EQ_INT(st.ppid, 1004);
	CHECK_EQ_INT(st.flags, 1009);
	CHECK_EQ_INT(st.minflt, 1010);
	CHECK_EQ_INT(st.majflt, 1012);
	CHECK_EQ_INT(st.utime, 1014);
	CHECK_EQ_INT(st.stime, 1015);
	CHECK_EQ_INT(st.num_threads, 1020);
	CHECK_EQ_INT(st.starttime, 1022);
	CHECK_EQ_INT(st.vsize, 1023);
	CHECK_EQ_INT(st.processor, 1039);
	free(b);

	/* A real process whose comm is "(a) b)": comm runs to the last ')'. */
	b = fixture("comm_paren_stat");
	CHECK_EQ_INT(parse_task_stat(b, &st), 0);
	CHECK_STR(st.comm, "(a) b)");
	CHECK_EQ_INT(st.state, 'S');
	CHECK_EQ_INT(st.ppid, 30670);
	CHECK_EQ_INT(st.minflt, 301);
	CHECK_EQ_INT(st.num_threads, 1);
	CHECK_EQ_INT(st.starttime, 86340);
	CHECK_EQ_INT(st.vsize, 94248960);
	free(b);

	/* A kworker: PF_KTHREAD set, nice -20, vsize 0. */
	b = fixture("kthread_stat");
	CHECK_EQ_INT(parse_task_stat(b, &st), 0);
	CHECK_STR(st.comm, "kworker/R-rcu_gp");
	CHECK_EQ_INT(st.state, 'I');
	CHECK_EQ_INT(st.ppid, 2);
	CHECK_EQ_INT(st.flags, 69238880);
	CHECK((st.flags & PF_KTHREAD_FLAG) != 0);
	CHECK_EQ_INT(st.num_threads, 1);
	CHECK_EQ_INT(st.starttime, 25);
	CHECK_EQ_INT(st.vsize, 0);
	CHECK_EQ_INT(st.processor, 0);
	free(b);

	b = fixture("zombie_stat");
	CHECK_EQ_INT(parse_task_stat(b, &st), 0);
	CHECK_STR(st.comm, "python3");
	CHECK_EQ_INT(st.state, 'Z');
	CHECK_EQ_INT(st.ppid, 30670);
	CHECK_EQ_INT(st.flags, 4227148);
	CHECK((st.flags & PF_KTHREAD_FLAG) == 0);
	CHECK_EQ_INT(st.minflt, 243);
	CHECK_EQ_INT(st.num_threads, 1);
	CHECK_EQ_INT(st.starttime, 86310);
	CHECK_EQ_INT(st.vsize, 0);
	free(b);

	b = fixture("stat_stopped");
	CHECK_EQ_INT(parse_task_stat(b, &st), 0);
	CHECK_STR(st.comm, "sh");
	CHECK_EQ_INT(st.state, 'T');
	CHECK_EQ_INT(st.utime, 17);
	CHECK_EQ_INT(st.stime, 0);
	CHECK_EQ_INT(st.minflt, 64);
	CHECK_EQ_INT(st.vsize, 2654208);
	free(b);

	/* A thread's stat: num_threads counts the whole process. */
	b = fixture("task_stat_sleeper");
	CHECK_EQ_INT(parse_task_stat(b, &st), 0);
	CHECK_STR(st.comm, "python3");
	CHECK_EQ_INT(st.state, 'S');
	CHECK_EQ_INT(st.ppid, 30666);
	CHECK_EQ_INT(st.minflt, 3);   /* not cminflt (7085) */
	CHECK_EQ_INT(st.num_threads, 2);
	free(b);

	/* comm longer than the buffer is truncated, not overflowed. */
	char longc[256];
	snprintf(longc, sizeof(longc), "7 (%s) S 1 7 7 0 -1 4194304 1 0 2 0 3 4 0 0 20 0 1 0 5 4096 1 0",
		 "kworker/0:1-a-very-long-workqueue-name-that-goes-on-and-on-and-on-forever");
	CHECK_EQ_INT(parse_task_stat(longc, &st), 0);
	CHECK_EQ_INT(strlen(st.comm), sizeof(st.comm) - 1);
	CHECK(strncmp(st.comm, "kworker/0:1-a-very-long", 23) == 0);
	CHECK_EQ_INT(st.state, 'S');
	CHECK_EQ_INT(st.utime, 3);
	CHECK_EQ_INT(st.vsize, 4096);

	/* Malformed: errors, not crashes. */
	b = fixture("hand_stat_truncated");
	CHECK_EQ_INT(parse_task_stat(b, &st), -1);
	free(b);
	CHECK_EQ_INT(parse_task_stat("", &st), -1);
	CHECK_EQ_INT(parse_task_stat("1234 (abc", &st), -1);
	CHECK_EQ_INT(parse_task_stat("1234 abc) S 1", &st), -1);
	CHECK_EQ_INT(parse_task_stat("1234 )abc( S 1", &st), -1);
	CHECK_EQ_INT(parse_task_stat("1 (x)", &st), -1);
	CHECK_EQ_INT(parse_task_stat("1 (x) S\n", &st), -1);
	CHECK_EQ_INT(parse_task_stat("1 (x) S 1 2 zz 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22", &st), -1);
}

static void test_status(void)
{
	struct proc_status ps;
	char *b;

	b = fixture("self_status");
	parse_status(b, &ps);
	CHECK_EQ_INT(ps.vm_rss_kb, 1780);
	CHECK_EQ_INT(ps.rss_anon_kb, 112);
	CHECK_EQ_INT(ps.rss_file_kb, 1668);
	CHECK_EQ_INT(ps.rss_shmem_kb, 0);
	CHECK_EQ_INT(ps.vm_size_kb, 3060);
	CHECK_EQ_INT(ps.vm_swap_kb, 0);
	CHECK_EQ_INT(ps.ctx_vol, 0);
	CHECK_EQ_INT(ps.ctx_invol, 0);
	CHECK_EQ_INT(ps.threads, 1);
	CHECK_EQ_INT(ps.tracer_pid, 0);
	CHECK_EQ_INT(ps.uid, 0);
	free(b);

	/* Traced, 3 threads, real uid 1234 but effective uid 0. */
	b = fixture("status_traced");
	parse_status(b, &ps);
	CHECK_EQ_INT(ps.vm_rss_kb, 13560);
	CHECK_EQ_INT(ps.rss_anon_kb, 6916);
	CHECK_EQ_INT(ps.rss_file_kb, 6644);
	CHECK_EQ_INT(ps.rss_shmem_kb, 0);
	CHECK_EQ_INT(ps.vm_size_kb, 164060);
	CHECK_EQ_INT(ps.vm_swap_kb, 0);
	CHECK_EQ_INT(ps.ctx_vol, 5391);
	CHECK_EQ_INT(ps.ctx_invol, 11);
	CHECK_EQ_INT(ps.threads, 3);
	CHECK_EQ_INT(ps.tracer_pid, 9275);
	CHECK_EQ_INT(ps.uid, 1234);
	free(b);

	/* Kernel thread and zombie: no Vm/Rss lines, so memory stays -1. */
	b = fixture("kthread_status");
	parse_status(b, &ps);
	CHECK_EQ_INT(ps.vm_rss_kb, -1);
	CHECK_EQ_INT(ps.rss_anon_kb, -1);
	CHECK_EQ_INT(ps.rss_file_kb, -1);
	CHECK_EQ_INT(ps.rss_shmem_kb, -1);
	CHECK_EQ_INT(ps.vm_size_kb, -1);
	CHECK_EQ_INT(ps.vm_swap_kb, -1);
	CHECK_EQ_INT(ps.ctx_vol, 2);
	CHECK_EQ_INT(ps.ctx_invol, 0);
	CHECK_EQ_INT(ps.threads, 1);
	CHECK_EQ_INT(ps.tracer_pid, 0);
	CHECK_EQ_INT(ps.uid, 0);
	free(b);

	b = fixture("zombie_status");
	parse_status(b, &ps);
	CHECK_EQ_INT(ps.vm_rss_kb, -1);
	CHECK_EQ_INT(ps.vm_size_kb, -1);
	CHECK_EQ_INT(ps.ctx_vol, 1);
	CHECK_EQ_INT(ps.ctx_invol, 0);
	CHECK_EQ_INT(ps.threads, 1);
	free(b);

	/* Empty and junk: everything -1. */
	parse_status("", &ps);
	CHECK_EQ_INT(ps.vm_rss_kb, -1);
	CHECK_EQ_INT(ps.ctx_vol, -1);
	CHECK_EQ_INT(ps.ctx_invol, -1);
	CHECK_EQ_INT(ps.threads, -1);
	CHECK_EQ_INT(ps.tracer_pid, -1);
	CHECK_EQ_INT(ps.uid, -1);
	parse_status("VmRSSx:\t5 kB\nThreadsFoo: 3\nVmRSS 7 kB\n", &ps);
	CHECK_EQ_INT(ps.vm_rss_kb, -1);
	CHECK_EQ_INT(ps.threads, -1);
}

static void test_io_limits_schedstat(void)
{
	uint64_t rd = 77, wr = 77;
	char *b = fixture("self_io");
	CHECK_EQ_INT(parse_io(b, &rd, &wr), 0);
	CHECK_EQ_INT(rd, 0);
	CHECK_EQ_INT(wr, 0);
	free(b);
	CHECK_EQ_INT(parse_io("rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 4096\n"
			      "write_bytes: 8192\ncancelled_write_bytes: 12288\n", &rd, &wr), 0);
	CHECK_EQ_INT(rd, 4096);
	CHECK_EQ_INT(wr, 8192);
	CHECK_EQ_INT(parse_io("cancelled_write_bytes: 12288\nwrite_bytes: 5\nread_bytes: 6", &rd, &wr), 0);
	CHECK_EQ_INT(rd, 6);
	CHECK_EQ_INT(wr, 5);
	CHECK_EQ_INT(parse_io("rchar: 1\nread_bytes: 4096\n", &rd, &wr), -1);
	CHECK_EQ_INT(parse_io("", &rd, &wr), -1);

	b = fixture("self_limits");
	CHECK_EQ_INT(parse_limits_nofile(b), 20000);
	free(b);
	b = fixture("hand_limits_unlimited");
	CHECK(parse_limits_nofile(b) == INT64_MAX);
	free(b);
	CHECK_EQ_INT(parse_limits_nofile(""), -1);
	CHECK_EQ_INT(parse_limits_nofile("Limit                     Soft Limit           Hard Limit           Units     \n"
					 "Max cpu time              unlimited            unlimited            seconds   \n"), -1);

	b = fixture("net_sockstat");
	CHECK_EQ_INT(parse_sockstat_tw(b), 0);
	free(b);
	CHECK_EQ_INT(parse_sockstat_tw("sockets: used 14\nTCP: inuse 9 orphan 0 tw 2841 alloc 12 mem 3\n"), 2841);
	CHECK_EQ_INT(parse_sockstat_tw("TCP: inuse 1 orphan 0 tw 7 alloc 1 mem 1\n"), 7);
	CHECK_EQ_INT(parse_sockstat_tw("sockets: used 14\nTCP: inuse 1\nUDP: inuse 0 tw 5\n"), -1);
	CHECK_EQ_INT(parse_sockstat_tw("sockets: used 14\n"), -1);
	CHECK_EQ_INT(parse_sockstat_tw(""), -1);

	b = fixture("self_schedstat");
	CHECK_EQ_INT(parse_schedstat_run_ns(b), 0);
	free(b);
	CHECK_EQ_INT(parse_schedstat_run_ns("123456789012 5000 7\n"), 123456789012LL);
	CHECK_EQ_INT(parse_schedstat_run_ns(""), -1);
	CHECK_EQ_INT(parse_schedstat_run_ns("x 1 2"), -1);
}

static void test_syscall(void)
{
	struct task_syscall sc;
	char *b;

	b = fixture("task_syscall_futex");
	CHECK_EQ_INT(parse_syscall(b, &sc), 0);
	CHECK_EQ_INT(sc.kind, SYSCALL_IN);
	CHECK_EQ_INT(sc.nr, 202);
	CHECK(sc.args[0] == 0x7faf0c000ba0ULL);
	CHECK(sc.args[1] == 0x189);
	CHECK(sc.args[2] == 0);
	CHECK(sc.args[3] == 0);
	CHECK(sc.args[4] == 0);
	CHECK(sc.args[5] == 0xffffffffULL);
	CHECK_STR(syscall_name(sc.nr), "futex");
	free(b);

	b = fixture("syscall_nanosleep");
	CHECK_EQ_INT(parse_syscall(b, &sc), 0);
	CHECK_EQ_INT(sc.kind, SYSCALL_IN);
	CHECK_EQ_INT(sc.nr, 230);
	CHECK(sc.args[2] == 0x7fff51070bd0ULL);
	CHECK(sc.args[3] == 0x7fff51070c10ULL);
	CHECK_STR(syscall_name(sc.nr), "clock_nanosleep");
	free(b);

	b = fixture("syscall_running");
	CHECK_EQ_INT(parse_syscall(b, &sc), 0);
	CHECK_EQ_INT(sc.kind, SYSCALL_RUNNING);
	free(b);

	/* "-1 sp pc": stopped in user space, not in a system call. */
	b = fixture("syscall_stopped");
	CHECK_EQ_INT(parse_syscall(b, &sc), 0);
	CHECK_EQ_INT(sc.kind, SYSCALL_NONE);
	CHECK_EQ_INT(sc.nr, -1);
	free(b);

	CHECK_EQ_INT(parse_syscall("", &sc), -1);
	CHECK_EQ_INT(parse_syscall("\n", &sc), -1);
	CHECK_EQ_INT(parse_syscall("garbage", &sc), -1);
	CHECK_EQ_INT(parse_syscall("202 0x1 0x2", &sc), -1);   /* truncated args */

	CHECK_STR(syscall_name(202), "futex");
	CHECK_STR(syscall_name(0), "read");
	CHECK_STR(syscall_name(1), "write");
	CHECK_STR(syscall_name(232), "epoll_wait");
	CHECK_STR(syscall_name(435), "clone3");
	CHECK_STR(syscall_name(-1), NULL);
	CHECK_STR(syscall_name(100000), NULL);
	CHECK_STR(syscall_name(335), NULL);   /* unassigned gap 335..423 */
}

static void test_cgroup(void)
{
	char v2[256], v1[256];
	char *b;

	/* Real hybrid layout: both v2 "0::/" and v1 "1:cpu:/". */
	b = fixture("self_cgroup");
	CHECK_EQ_INT(parse_cgroup(b, v2, sizeof(v2), v1, sizeof(v1)), 0);
	CHECK_STR(v2, "/");
	CHECK_STR(v1, "/");
	free(b);

	b = fixture("hand_cgroup_v1_only");
	CHECK_EQ_INT(parse_cgroup(b, v2, sizeof(v2), v1, sizeof(v1)), 0);
	CHECK_STR(v2, "");
	CHECK_STR(v1, "/system.slice/app.service");
	free(b);

	b = fixture("hand_cgroup_v2_only");
	CHECK_EQ_INT(parse_cgroup(b, v2, sizeof(v2), v1, sizeof(v1)), 0);
	CHECK_STR(v2, "/system.slice/app.service");
	CHECK_STR(v1, "");
	free(b);

	/* "cpu" is a whole controller name, not a prefix of cpuacct/cpuset. */
	CHECK_EQ_INT(parse_cgroup("5:cpuset:/no1\n3:cpuacct:/no2\n2:cpu:/yes\n0::/v2\n",
				  v2, sizeof(v2), v1, sizeof(v1)), 0);
	CHECK_STR(v1, "/yes");
	CHECK_STR(v2, "/v2");
	CHECK_EQ_INT(parse_cgroup("4:cpuacct,cpu:/both", v2, sizeof(v2), v1, sizeof(v1)), 0);
	CHECK_STR(v1, "/both");
	CHECK_STR(v2, "");

	/* Paths are truncated to the buffer. */
	char small[5];
	CHECK_EQ_INT(parse_cgroup("0::/system.slice\n", small, sizeof(small), v1, sizeof(v1)), 0);
	CHECK_STR(small, "/sys");

	strcpy(v2, "stale");
	strcpy(v1, "stale");
	CHECK_EQ_INT(parse_cgroup("", v2, sizeof(v2), v1, sizeof(v1)), 0);
	CHECK_STR(v2, "");
	CHECK_STR(v1, "");
}

static void test_cpu_stat(void)
{
	uint64_t per = 77, thr = 77;
	char *b;

	b = fixture("cpu_stat_v1");
	CHECK_EQ_INT(parse_cpu_stat(b, &per, &thr), 0);
	CHECK_EQ_INT(per, 0);
	CHECK_EQ_INT(thr, 0);
	free(b);

	b = fixture("hand_cpu_stat_v2");
	CHECK_EQ_INT(parse_cpu_stat(b, &per, &thr), 0);
	CHECK_EQ_INT(per, 500);
	CHECK_EQ_INT(thr, 25);
	free(b);

	/* Root v2 cgroup without the cpu controller: no nr_periods. */
	b = fixture("cpu_stat_v2_root");
	CHECK_EQ_INT(parse_cpu_stat(b, &per, &thr), -1);
	free(b);
	CHECK_EQ_INT(parse_cpu_stat("", &per, &thr), -1);
	CHECK_EQ_INT(parse_cpu_stat("nr_periods 3\n", &per, &thr), -1);
}

static void test_mountinfo(void)
{
	char mnt[256];
	char *b;

	b = fixture("self_mountinfo");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup2", NULL, mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/unified");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "cpu", mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/cpu");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "cpuacct", mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/cpuacct");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "memory", mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/memory");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "nosuchctl", mnt, sizeof(mnt)), -1);
	char tiny[8];
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "cpu", tiny, sizeof(tiny)), -1);
	free(b);

	b = fixture("hand_mountinfo_v2_only");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup2", NULL, mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "cpu", mnt, sizeof(mnt)), -1);
	free(b);

	b = fixture("hand_mountinfo_v1_cpu_cpuacct");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "cpu", mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/cpu,cpuacct");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "cpuacct", mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/cpu,cpuacct");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup2", NULL, mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/unified");
	CHECK_EQ_INT(parse_mountinfo_cgroup(b, "cgroup", "name=systemd", mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/sys/fs/cgroup/systemd");
	free(b);

	CHECK_EQ_INT(parse_mountinfo_cgroup("", "cgroup2", NULL, mnt, sizeof(mnt)), -1);
	CHECK_EQ_INT(parse_mountinfo_cgroup("garbage line\n", "cgroup2", NULL, mnt, sizeof(mnt)), -1);

	/* BUG (src/proc_parse.c parse_mountinfo_cgroup): mountinfo escapes
	 * space, tab, newline and backslash in the mount point as \040,
	 * \011, \012, \134 (proc(5)); the parser returns the escaped text,
	 * a path that does not exist. Expected the unescaped mount point. */
	CHECK_EQ_INT(parse_mountinfo_cgroup("41 31 0:38 / /mnt/my\\040cgroup rw,relatime - cgroup2 cgroup2 rw\n",
					    "cgroup2", NULL, mnt, sizeof(mnt)), 0);
	CHECK_STR(mnt, "/mnt/my cgroup");
}

static void test_fd_classify(void)
{
	uint64_t ino = 0;
	CHECK_EQ_INT(fd_classify("socket:[123]", &ino), FD_SOCKET);
	CHECK_EQ_INT(ino, 123);
	CHECK_EQ_INT(fd_classify("socket:[227826]", &ino), FD_SOCKET);
	CHECK_EQ_INT(ino, 227826);
	CHECK_EQ_INT(fd_classify("socket:[42]", NULL), FD_SOCKET);
	CHECK_EQ_INT(fd_classify("pipe:[4]", &ino), FD_PIPE);
	CHECK_EQ_INT(fd_classify("anon_inode:[eventfd]", &ino), FD_ANON_INODE);
	CHECK_EQ_INT(fd_classify("anon_inode:[eventpoll]", &ino), FD_ANON_INODE);
	CHECK_EQ_INT(fd_classify("anon_inode:[timerfd]", &ino), FD_ANON_INODE);
	CHECK_EQ_INT(fd_classify("/dev/null", &ino), FD_FILE);
	CHECK_EQ_INT(fd_classify("/memfd:buf (deleted)", &ino), FD_FILE);
	CHECK_EQ_INT(fd_classify("net:[4026531840]", &ino), FD_OTHER);
	CHECK_EQ_INT(fd_classify("mnt:[4026531841]", &ino), FD_OTHER);
	CHECK_EQ_INT(fd_classify("", &ino), FD_OTHER);
}

static void test_net_tcp(void)
{
	int st = -7;
	uint64_t ino = 7;
	char *b, *save = NULL;
	int n, count[16];

	b = fixture("net_tcp");
	n = 0;
	memset(count, 0, sizeof(count));
	char *line = strtok_r(b, "\n", &save);
	CHECK_EQ_INT(parse_net_tcp_line(line, &st, &ino), -1);  /* header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (parse_net_tcp_line(line, &st, &ino) == 0 && st > 0 && st < 16) {
			count[st]++;
			n++;
		}
	}
	CHECK_EQ_INT(n, 11);
	CHECK_EQ_INT(count[0x0A], 6);   /* LISTEN */
	CHECK_EQ_INT(count[0x01], 2);   /* ESTABLISHED */
	CHECK_EQ_INT(count[0x08], 1);   /* CLOSE_WAIT */
	CHECK_EQ_INT(count[0x06], 1);   /* TIME_WAIT */
	CHECK_EQ_INT(count[0x05], 1);   /* FIN_WAIT2 */
	free(b);

	CHECK_EQ_INT(parse_net_tcp_line("   0: 0100007F:9399 00000000:0000 0A 00000000:00000000 00:00000000 "
					"00000000     0        0 227829 1 000000002200671f 100 0 0 10 0",
					&st, &ino), 0);
	CHECK_EQ_INT(st, 10);
	CHECK_EQ_INT(ino, 227829);
	/* Wide slot number with no leading blank. */
	CHECK_EQ_INT(parse_net_tcp_line("9746: 0100007F:ADB4 0100007F:9399 08 00000000:00000001 00:00000000 "
					"00000000     0        0 227830 2 000000002d1a2d2d 20 4 0 10 -1",
					&st, &ino), 0);
	CHECK_EQ_INT(st, 8);
	CHECK_EQ_INT(ino, 227830);
	/* TIME_WAIT: no inode. */
	CHECK_EQ_INT(parse_net_tcp_line(" 161: 0100007F:CB86 0100007F:8DD7 06 00000000:00000000 03:00000FAC "
					"00000000     0        0 0 3 000000000d0bef38", &st, &ino), 0);
	CHECK_EQ_INT(st, 6);
	CHECK_EQ_INT(ino, 0);

	b = fixture("net_tcp6");
	save = NULL;
	line = strtok_r(b, "\n", &save);
	CHECK_EQ_INT(parse_net_tcp_line(line, &st, &ino), -1);  /* header */
	static const int want_st[] = {0x0A, 0x0A, 0x01, 0x05, 0x01, 0x08};
	static const uint64_t want_ino[] = {227832, 227835, 227833, 0, 227834, 227836};
	n = 0;
	while ((line = strtok_r(NULL, "\n", &save)) && n < 6) {
		CHECK_EQ_INT(parse_net_tcp_line(line, &st, &ino), 0);
		CHECK_EQ_INT(st, want_st[n]);
		CHECK_EQ_INT(ino, want_ino[n]);
		n++;
	}
	CHECK_EQ_INT(n, 6);
	CHECK(line == NULL);
	free(b);

	CHECK_EQ_INT(parse_net_tcp_line("", &st, &ino), -1);
	CHECK_EQ_INT(parse_net_tcp_line("   0: 0100007F:9399 00000000:0000 0A", &st, &ino), -1);
	CHECK_EQ_INT(parse_net_tcp_line("  sl  local_address rem_address   st tx_queue", &st, &ino), -1);
}

/* The full /proc/net/tcp entry parser (sockets list, /proc fallback):
 * every line that parse_net_tcp_line accepts gives the same state and
 * inode, and addresses, ports and queues decode as `ss` shows them. */
static void test_net_tcp_entry(void)
{
	const char *files[] = {"net_tcp", "net_tcp6"};
	for (int fi = 0; fi < 2; fi++) {
		char *b = fixture(files[fi]), *save = NULL;
		int lines = 0;
		for (char *line = strtok_r(b, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			int st;
			uint64_t ino;
			struct net_tcp_entry e;
			int r1 = parse_net_tcp_line(line, &st, &ino), r2 = parse_net_tcp_entry(line, &e);
			CHECK_EQ_INT(r2, r1);
			if (r1 == 0 && r2 == 0) {
				CHECK_EQ_INT(e.state, st);
				CHECK_EQ_INT(e.ino, ino);
				CHECK_EQ_INT(e.family, fi == 0 ? 4 : 6);
				lines++;
			}
		}
		CHECK(lines >= 6);
		free(b);
	}
	struct net_tcp_entry e;
	char l[64], r[64];
	CHECK_EQ_INT(parse_net_tcp_entry("9746: 0100007F:ADB4 0100007F:9399 08 00000000:00000001 00:00000000 "
					 "00000000     0        0 227830 2 000000002d1a2d2d 20 4 0 10 -1", &e), 0);
	CHECK_STR(format_inet(e.family, e.local, e.lport, l, sizeof(l)), "127.0.0.1:44468");
	CHECK_STR(format_inet(e.family, e.remote, e.rport, r, sizeof(r)), "127.0.0.1:37785");
	CHECK_EQ_INT(e.state, 8);
	CHECK_EQ_INT(e.tx_queue, 0);
	CHECK_EQ_INT(e.rx_queue, 1);
	CHECK_EQ_INT(e.ino, 227830);
	/* A LISTEN socket with a backlog of 128 (tx) and 3 in the accept queue. */
	CHECK_EQ_INT(parse_net_tcp_entry("   4: 0200017F:9ECF 00000000:0000 0A 00000080:00000003 00:00000000 "
					 "00000000     0        0 106836 1 00000000dfb3f6ac 100 0 0 10 0", &e), 0);
	CHECK_STR(format_inet(e.family, e.local, e.lport, l, sizeof(l)), "127.1.0.2:40655");
	CHECK_STR(format_inet(e.family, e.remote, e.rport, r, sizeof(r)), "0.0.0.0:0");
	CHECK_EQ_INT(e.tx_queue, 128);
	CHECK_EQ_INT(e.rx_queue, 3);
	CHECK_EQ_INT(parse_net_tcp_entry("   4: 00000000000000000000000001000000:AB8F 00000000000000000000000001000000:DCE8 "
					 "01 00000000:00000000 00:00000000 00000000     0        0 227834 1 0 20 0 0 10 -1",
					 &e), 0);
	CHECK_STR(format_inet(e.family, e.local, e.lport, l, sizeof(l)), "[::1]:43919");
	CHECK_STR(format_inet(e.family, e.remote, e.rport, r, sizeof(r)), "[::1]:56552");
	/* v4-mapped IPv6 and a full address. */
	CHECK_EQ_INT(parse_net_tcp_entry("  0: 0000000000000000FFFF00000100007F:0050 B80D0120000000000000000001000000:01BB "
					 "01 00000000:00000000 00:00000000 00000000  0 0 5 1", &e), 0);
	CHECK_STR(format_inet(e.family, e.local, e.lport, l, sizeof(l)), "[::ffff:127.0.0.1]:80");
	CHECK_STR(format_inet(e.family, e.remote, e.rport, r, sizeof(r)), "[2001:db8::1]:443");
	/* Malformed: header, truncated, odd address lengths, no inode. */
	CHECK_EQ_INT(parse_net_tcp_entry("  sl  local_address rem_address   st tx_queue", &e), -1);
	CHECK_EQ_INT(parse_net_tcp_entry("", &e), -1);
	CHECK_EQ_INT(parse_net_tcp_entry("   0: 0100007F:9399 00000000:0000 0A", &e), -1);
	CHECK_EQ_INT(parse_net_tcp_entry("   0: 00007F:9399 00000000:0000 0A 0:0 00:0 0 0 0 1", &e), -1);
	CHECK_EQ_INT(parse_net_tcp_entry("   0: 0100007F:9399 00000000:0000 0A 00000000:00000000 00:00000000 "
					 "00000000     0        0", &e), -1);
	CHECK_EQ_INT(parse_net_tcp_entry("   0: 0100007F:9399 00000000000000000000000000000000:0000 0A "
					 "00000000:00000000 00:00000000 00000000 0 0 1 1", &e), -1);
}

int main(void)
{
	test_stat();
	test_status();
	test_io_limits_schedstat();
	test_syscall();
	test_cgroup();
	test_cpu_stat();
	test_mountinfo();
	test_fd_classify();
	test_net_tcp();
	test_net_tcp_entry();
	/* Every file of tests/fixtures/proc is read by some check above. */
	CHECK_EQ_INT(fixtures_unnamed("proc"), 0);
	return CHECK_DONE();
}
