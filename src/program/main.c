/*
 * main.c - command line of cdtop: parse and validate options, then either
 * run the live screen (tui.c), replay a saved snapshot in the same screen
 * (-r), or observe for a window and write a snapshot file (headless
 * mode).
 *
 * Every failure is one line on stderr starting "cdtop: " and a distinct
 * exit code from cdtop.h, so scripts can react without parsing text.
 *
 * Flow: cli_parse (getopt_long, one value at a time in cli_option) ->
 * cli_check (combinations, the output checked before any window) ->
 * run_replay, or run_target (session_open, then --stacks, headless or
 * the screen). main.c talks to the session (session.h) and the views,
 * never to a collector: the session owns priority, defaults and teardown.
 */
#include "cdtop.h"
#include "output.h"
#include "session.h"
#include "signals.h"
#include "snapshot.h"
#include "snapshot_load.h"
#include "triage.h"
#include "tui.h"
#include "tui_worker.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CLI_GO_ON (-1)                  /* cli_* result: no exit yet, carry on */

/* The command line, validated value by value. */
struct cli {
	long pid;                       /* -1 none */
	double delay;                   /* -d, seconds */
	double duration;                /* --duration, seconds */
	const char *snap_path, *replay_path, *out_dir;
	int fmt;                        /* enum out_format, -1 from the file name */
	double hz;                      /* -F, samples per second per thread */
	enum profile_mode mode;         /* CPU, WALL or AUTO */
	bool no_stacks, stacks_once;
	const char *fail_on;            /* "alert", "warn" or NULL */
	long nice_level;                /* --nice */
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: cdtop -p PID [-d SECS] [-F HZ] [--mode cpu|wall|auto] [--no-stacks]\n"
"                    [--out-dir DIR]\n"
"       cdtop -r FILE [--out-dir DIR]\n"
"       cdtop -p PID --snapshot FILE [--duration SECS] [--format json|text|folded]\n"
"             [--fail-on alert|warn]\n"
"       cdtop -p PID --stacks\n"
"\n"
"Show where a live process spends its time and what is stuck, from outside,\n"
"with no agent and no restart.\n"
"\n"
"  -p, --pid PID          process to observe\n"
"  -d, --delay SECS       screen refresh interval (default 1)\n"
"  -r, --replay FILE      show a saved JSON snapshot in the screen (read-only)\n"
"      --out-dir DIR      where the screen's s key saves snapshots (default .)\n"
"  -o, --snapshot FILE    observe for --duration, write a snapshot to FILE (- for\n"
"                         standard output) and exit; Ctrl-C ends the window early\n"
"      --duration SECS    observation window for --snapshot (default 3; 0 = one reading)\n"
"      --format FMT       json, text or folded (flame graph input; default: from\n"
"                         FILE's extension, else json)\n"
"  -F, --frequency HZ     stack samples per second per thread (default 49, 1-1000;\n"
"                         lowered automatically to keep stops under 1%%)\n"
"      --mode MODE        top functions of cpu (running threads), wall (all\n"
"                         threads) or auto (cpu when busy; default)\n"
"      --fail-on LEVEL    with --snapshot: exit 11 when the triage checklist has an\n"
"                         item at LEVEL or worse (alert, or warn = warn or alert)\n"
"      --no-stacks        do not sample stacks (no ptrace): /proc figures only\n"
"      --nice N           run cdtop itself at nice N when permitted (default -10), and\n"
"                         at real-time priority while it holds threads stopped, so\n"
"                         it is served at once on a saturated machine; 0 = neither\n"
"      --stacks           print every thread's current stack once and exit\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Exit status: 0 ok, 1 internal error, 2 usage, 3 no such process,\n"
"4 permission denied, 5 process exited during observation, 6 kernel thread,\n"
"7 zombie, 8 output not writable, 9 no usable terminal, 10 replay file\n"
"unreadable or invalid, 11 --fail-on level reached (the snapshot was written).\n"
"See cdtop(1).\n");
}

/* Parse a non-negative decimal number of seconds; -1 when invalid. */
static double parse_secs(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0)
		return -1;
	return v;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("cdtop: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see cdtop --help)\n", stderr);
	return CDTOP_EXIT_USAGE;
}

/* Sleep until monotonic time t or an interrupt. */
static void sleep_until(double t)
{
	for (;;) {
		double left = t - now_mono();
		if (left <= 0 || signals_interrupted())
			return;
		struct timespec ts = {.tv_sec = (time_t)left,
				      .tv_nsec = (long)((left - (double)(time_t)left) * 1e9)};
		nanosleep(&ts, NULL);
	}
}

/* The checklist items at `level` (ALERT or WARN) or worse, as
 * "cpu-user, hot-function" into buf; returns how many. */
static int triage_reached(const struct snapshot *s, enum check_status level, char *buf, size_t n)
{
	int count = 0;
	buf[0] = '\0';
	for (int i = 0; s->checklist && i < s->nchecks; i++) {
		enum check_status st = s->checklist[i].status;
		if (st != CHECK_ST_ALERT && !(level == CHECK_ST_WARN && st == CHECK_ST_WARN))
			continue;
		size_t used = strlen(buf);
		if (used + 2 < n)
			snprintf(buf + used, n - used, "%s%s", count ? ", " : "", s->checklist[i].id);
		count++;
	}
	return count;
}

static int run_headless(struct session *ss, enum profile_mode mode, const char *path,
			enum out_format fmt, double duration, const char *fail_on)
{
	char err[CDTOP_ERRLEN];
	double start = now_mono(), end = start + duration;
	double next_poll = start + 1.0;
	/* One reading per second feeds the history; the last lands at the
	 * end. Stack rounds run in between at the sampling rate. */
	while (!signals_interrupted() && now_mono() < end) {
		double wake = next_poll < end ? next_poll : end;
		double t = session_tick(ss);
		if (t >= 0 && now_mono() + t < wake)
			wake = now_mono() + t;
		sleep_until(wake);
		double now = now_mono();
		if (now >= next_poll || now >= end) {
			int rc = session_poll(ss, err, sizeof(err));
			if (rc != CDTOP_EXIT_OK) {
				fprintf(stderr, "cdtop: %s; no snapshot written\n", err);
				return rc;
			}
			next_poll += 1.0;
		}
	}
	struct snapshot *s = session_snapshot(ss, SESSION_WINDOW_ALL, mode);
	int rc = strcmp(path, "-") == 0 ? output_write_stdout(s, fmt, err, sizeof(err))
					: output_write_snapshot(s, path, fmt, err, sizeof(err));
	char items[CDTOP_ERRLEN];
	enum check_status level = CHECK_ST_ALERT;
	int reached = fail_on && check_status_from_name(fail_on, &level)
		      ? triage_reached(s, level, items, sizeof(items)) : 0;
	const char *worst = check_status_name(triage_worst(s));
	snapshot_free(s);
	if (rc < 0) {
		fprintf(stderr, "cdtop: %s\n", err);
		return CDTOP_EXIT_OUTPUT;
	}
	if (reached) {
		fprintf(stderr, "cdtop: checklist %s: %s (--fail-on %s)\n", worst, items, fail_on);
		return CDTOP_EXIT_TRIAGE;
	}
	return CDTOP_EXIT_OK;
}

/* The --out-dir directory must exist and take new files: checked at
 * start, so the first `s` does not find out. Prints the error. */
static int check_out_dir(const char *dir)
{
	struct stat st;
	char probe[4096], err[CDTOP_ERRLEN];
	if (stat(dir, &st) != 0) {
		fprintf(stderr, "cdtop: --out-dir %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "cdtop: --out-dir %s: not a directory\n", dir);
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/cdtop-probe", dir);
	if (output_check_writable(probe, err, sizeof(err)) < 0) {
		fprintf(stderr, "cdtop: --out-dir %s: cannot create files there (%s)\n", dir, err);
		return -1;
	}
	return 0;
}

/* cdtop -r FILE: the saved snapshot in the screen. */
static int run_replay(const char *path, const char *out_dir)
{
	char err[CDTOP_ERRLEN];
	struct snapshot *s = snapshot_load(path, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "cdtop: %s\n", err);
		return CDTOP_EXIT_INPUT;
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		snapshot_free(s);
		fprintf(stderr, "cdtop: standard %s is not a terminal: -r needs one (the file is JSON: "
			"read it with jq)\n", isatty(STDOUT_FILENO) ? "input" : "output");
		return CDTOP_EXIT_TERMINAL;
	}
	signals_catch();
	struct tui_opts topts = {.delay = 1.0, .out_dir = out_dir, .replay_path = path,
				 .stop = signals_flag()};
	int rc = tui_replay(s, &topts, err, sizeof(err));
	if (rc != CDTOP_EXIT_OK)
		fprintf(stderr, "cdtop: %s\n", err);
	return rc;
}

/* The live screen: the session in a worker thread (tui_worker.h), the
 * screen on it through a struct tui_source. */
static int run_screen(struct session *ss, const struct cli *c)
{
	char err[CDTOP_ERRLEN];
	int rc = CDTOP_EXIT_INTERNAL;
	struct tui_worker *w = tui_worker_start(ss, c->delay, c->mode, err, sizeof(err));
	if (w) {
		struct tui_source src = tui_worker_source(w);
		struct tui_opts topts = {.delay = c->delay, .out_dir = c->out_dir,
					 .stacks_off = session_stacks_off(ss),
					 .warning = session_warnings(ss)[0], .stop = signals_flag()};
		rc = tui_run(&src, &topts, err, sizeof(err));
		tui_worker_stop(w);
	}
	if (rc != CDTOP_EXIT_OK)
		fprintf(stderr, "cdtop: %s\n", err);
	return rc;
}

/* cdtop -p PID: open the session, then --stacks, headless or the screen. */
static int run_target(const struct cli *c)
{
	char err[CDTOP_ERRLEN];
	signals_catch();
	struct session *ss;
	struct session_opts so = {.pid = (int)c->pid, .hz = c->hz, .nice = (int)c->nice_level,
				  .mode = c->mode, .no_stacks = c->no_stacks,
				  .stacks_once = c->stacks_once};
	int rc = session_open(&ss, &so, err, sizeof(err));
	if (rc != CDTOP_EXIT_OK) {
		fprintf(stderr, "cdtop: %s\n", err);
		return rc;
	}
	for (const char *const *w = session_warnings(ss); c->snap_path && *w; w++)
		fprintf(stderr, "cdtop: warning: %s\n", *w);
	if (!c->no_stacks && session_stacks_off(ss) && c->snap_path)
		fprintf(stderr, "cdtop: warning: %s\n", session_stacks_off(ss));
	if (c->stacks_once) {
		if (session_write_stacks(ss, stdout, err, sizeof(err)) < 0) {
			fprintf(stderr, "cdtop: %s\n", err);
			rc = session_stacks_off(ss) ? CDTOP_EXIT_PERMISSION : CDTOP_EXIT_OUTPUT;
		}
	} else if (c->snap_path) {
		rc = run_headless(ss, c->mode, c->snap_path, (enum out_format)c->fmt, c->duration,
				  c->fail_on);
	} else {
		rc = run_screen(ss, c);
	}
	session_free(ss);
	return rc;
}

enum { OPT_DURATION = 256, OPT_FORMAT, OPT_MODE, OPT_NO_STACKS, OPT_STACKS, OPT_OUT_DIR,
       OPT_FAIL_ON, OPT_NICE };

/* Parse "N" into *v when it is a decimal integer in [lo, hi]. */
static bool parse_long(const char *s, long lo, long hi, long *v)
{
	char *end;
	errno = 0;
	long x = strtol(s, &end, 10);
	if (errno || end == s || *end || x < lo || x > hi)
		return false;
	*v = x;
	return true;
}

/* One option and its value into c. Returns CLI_GO_ON, or an exit code
 * after printing why. */
static int cli_option(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'p':
		if (!parse_long(arg, 1, INT_MAX, &c->pid))
			return usage_error("invalid pid '%s': expected a positive number", arg);
		break;
	case 'd':
		c->delay = parse_secs(arg);
		if (c->delay < 0.1 || c->delay > 3600)
			return usage_error("invalid delay '%s': expected seconds between 0.1 and 3600", arg);
		break;
	case 'o':
		c->snap_path = arg;
		break;
	case OPT_DURATION:
		c->duration = parse_secs(arg);
		if (c->duration < 0 || c->duration > 86400)
			return usage_error("invalid duration '%s': expected seconds between 0 and 86400", arg);
		break;
	case OPT_FORMAT:
		c->fmt = strcmp(arg, "json") == 0 ? OUT_JSON : strcmp(arg, "text") == 0 ? OUT_TEXT
		       : strcmp(arg, "folded") == 0 ? OUT_FOLDED : -1;
		if (c->fmt < 0)
			return usage_error("invalid format '%s': expected json, text or folded", arg);
		break;
	case 'F':
		c->hz = parse_secs(arg);
		if (c->hz < 1 || c->hz > 1000)
			return usage_error("invalid frequency '%s': expected 1 to 1000 samples per second", arg);
		break;
	case OPT_MODE:
		if (!profile_mode_from_name(arg, &c->mode) || c->mode == PROFILE_MODE_NONE)
			return usage_error("invalid mode '%s': expected cpu, wall or auto", arg);
		break;
	case OPT_NO_STACKS:
		c->no_stacks = true;
		break;
	case OPT_STACKS:
		c->stacks_once = true;
		break;
	case 'r':
		c->replay_path = arg;
		break;
	case OPT_OUT_DIR:
		c->out_dir = arg;
		break;
	case OPT_NICE:
		if (!parse_long(arg, -20, 19, &c->nice_level))
			return usage_error("invalid nice value '%s': expected -20 to 19", arg);
		break;
	case OPT_FAIL_ON:
		if (strcmp(arg, "alert") && strcmp(arg, "warn"))
			return usage_error("invalid --fail-on level '%s': expected alert or warn", arg);
		c->fail_on = arg;
		break;
	}
	return CLI_GO_ON;
}

/* The whole command line into c (defaults first). Returns CLI_GO_ON, or
 * an exit code: 0 after --help or --version, else after printing why. */
static int cli_parse(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"pid", required_argument, NULL, 'p'},
		{"delay", required_argument, NULL, 'd'},
		{"snapshot", required_argument, NULL, 'o'},
		{"duration", required_argument, NULL, OPT_DURATION},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"frequency", required_argument, NULL, 'F'},
		{"mode", required_argument, NULL, OPT_MODE},
		{"no-stacks", no_argument, NULL, OPT_NO_STACKS},
		{"stacks", no_argument, NULL, OPT_STACKS},
		{"replay", required_argument, NULL, 'r'},
		{"out-dir", required_argument, NULL, OPT_OUT_DIR},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"nice", required_argument, NULL, OPT_NICE},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	*c = (struct cli){.pid = -1, .delay = 1.0, .duration = 3.0, .fmt = -1,
			  .hz = SESSION_DEFAULT_HZ, .mode = PROFILE_MODE_AUTO, .nice_level = SESSION_DEFAULT_NICE};
	int opt, rc;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:d:o:F:r:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return CDTOP_EXIT_OK;
		case 'V':
			printf("cdtop %s\n", PACKAGE_VERSION);
			return CDTOP_EXIT_OK;
		/* optopt is the short option's letter; for a long-only option
		 * it is its OPT_* value (not a character) or 0: name it as typed. */
		case ':':
			if (optopt > 0 && optopt < OPT_DURATION)
				fprintf(stderr, "cdtop: option -%c needs a value (see cdtop --help)\n", optopt);
			else
				fprintf(stderr, "cdtop: option %s needs a value (see cdtop --help)\n", argv[optind - 1]);
			return CDTOP_EXIT_USAGE;
		case '?':
			if (optopt > 0 && optopt < OPT_DURATION)
				fprintf(stderr, "cdtop: unknown option -%c (see cdtop --help)\n", optopt);
			else
				fprintf(stderr, "cdtop: unknown option %s (see cdtop --help)\n", argv[optind - 1]);
			return CDTOP_EXIT_USAGE;
		default:
			if ((rc = cli_option(c, opt, optarg)) != CLI_GO_ON)
				return rc;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return CLI_GO_ON;
}

/* The combinations of options, the --out-dir directory, and for a live
 * target what it needs before the session starts: a writable --snapshot
 * path (checked before the window, not after) or a terminal. May set
 * c->fmt from the file name. Returns CLI_GO_ON or an exit code after
 * printing why. */
static int cli_check(struct cli *c)
{
	if (c->replay_path && (c->pid >= 0 || c->snap_path || c->stacks_once))
		return usage_error("%s", "-r FILE shows a saved snapshot: it cannot be combined with -p, "
				   "--snapshot or --stacks");
	if (c->out_dir && (c->snap_path || c->stacks_once))
		return usage_error("%s", "--out-dir is where the screen saves (key s): give --snapshot "
				   "a path instead");
	if (c->out_dir && check_out_dir(c->out_dir) != 0)
		return CDTOP_EXIT_OUTPUT;
	if (c->replay_path)
		return CLI_GO_ON;
	if (c->pid < 0) {
		fprintf(stderr, "cdtop: no process given: use -p PID (see cdtop --help)\n");
		return CDTOP_EXIT_USAGE;
	}
	if (c->stacks_once && (c->snap_path || c->no_stacks))
		return usage_error("%s", "--stacks cannot be combined with --snapshot or --no-stacks");
	if (c->fail_on && !c->snap_path)
		return usage_error("%s", "--fail-on needs --snapshot (it sets the exit status of a headless run)");

	char err[CDTOP_ERRLEN];
	if (c->stacks_once) {
		/* no terminal needed */
	} else if (c->snap_path) {
		if (c->fmt < 0)
			c->fmt = output_format_from_name(c->snap_path);
		if (c->fmt < 0)
			c->fmt = OUT_JSON;
		if (strcmp(c->snap_path, "-") != 0 &&
		    output_check_writable(c->snap_path, err, sizeof(err)) < 0) {
			fprintf(stderr, "cdtop: %s\n", err);
			return CDTOP_EXIT_OUTPUT;
		}
	} else if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr, "cdtop: standard %s is not a terminal: use --snapshot FILE for a "
			"report without a screen\n", isatty(STDOUT_FILENO) ? "input" : "output");
		return CDTOP_EXIT_TERMINAL;
	}
	return CLI_GO_ON;
}

int main(int argc, char **argv)
{
	struct cli c;
	int rc;
	setlocale(LC_ALL, "");
	if ((rc = cli_parse(&c, argc, argv)) != CLI_GO_ON || (rc = cli_check(&c)) != CLI_GO_ON)
		return rc;
	return c.replay_path ? run_replay(c.replay_path, c.out_dir) : run_target(&c);
}
