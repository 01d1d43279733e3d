/*
 * tui.c - the terminal side of the screen, and the only file that
 * includes curses: the event loop of the UI thread, key translation, the
 * copy of the rendered canvas (ui.h, canvas.h) to the terminal, colors,
 * and terminal care.
 *
 * The UI thread waits in poll() on the keyboard and on the live source's
 * descriptor (struct tui_source, tui.h: the program's worker thread
 * behind it); it reads keys, takes finished snapshots and draws, and
 * never does collection work, so a key is answered while a sampling
 * round over thousands of threads runs in the worker. While frozen it
 * keeps its own snapshot and only remembers the newest one published.
 *
 * Terminal care: SIGWINCH (ncurses turns it into KEY_RESIZE) re-lays out
 * at once; colors only when the terminal has them and NO_COLOR is unset;
 * endwin() on quit, on SIGINT/SIGTERM/SIGHUP (the program's handler sets
 * the flag given in tui_opts.stop, which this loop checks), from fatal()
 * through the cleanup hook, and on a crash signal. Ctrl-Z first parks the
 * source between sampling rounds, so cdtop never stops while it holds a
 * target thread stopped.
 */
#include "tui.h"
#include "canvas.h"
#include "cdtop.h"
#include "ui.h"
#include "util.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t suspend_wanted;
static attr_t style_attr[CV_NSTYLES];

/* Give the terminal back: cursor visible, attributes off, shell mode. */
static void restore_terminal(void)
{
	if (isendwin())
		return;
	curs_set(1);
	attrset(A_NORMAL);
	refresh();
	endwin();
}

static void tui_cleanup(void)
{
	restore_terminal();
}

static void on_tstp(int sig)
{
	(void)sig;
	suspend_wanted = 1;
}

/* A crash: give the terminal back, then die of the same signal. */
static void on_crash(int sig)
{
	restore_terminal();   /* not async-signal-safe; a best effort, as htop does */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set_signals(bool on)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on ? on_tstp : SIG_DFL;
	sigaction(SIGTSTP, &sa, NULL);
	static const int crash[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	sa.sa_handler = on ? on_crash : SIG_DFL;
	sa.sa_flags = on ? SA_RESETHAND : 0;
	for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &sa, NULL);
}

static void setup_styles(bool color)
{
	if (color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_CYAN, -1);            /* labels */
		init_pair(2, COLOR_BLACK, COLOR_CYAN);   /* bars, selection */
		init_pair(3, COLOR_BLACK, COLOR_YELLOW); /* focused bar */
		init_pair(4, COLOR_BLACK, COLOR_GREEN);  /* column headings */
		init_pair(5, COLOR_GREEN, -1);
		init_pair(6, COLOR_YELLOW, -1);
		init_pair(7, COLOR_RED, -1);
		init_pair(8, COLOR_WHITE, COLOR_RED);    /* FROZEN, REPLAY */
		style_attr[CV_NORMAL] = A_NORMAL;
		style_attr[CV_BOLD] = A_BOLD;
		style_attr[CV_DIM] = A_DIM;
		style_attr[CV_LABEL] = COLOR_PAIR(1) | A_BOLD;
		style_attr[CV_BAR] = COLOR_PAIR(2);
		style_attr[CV_BAR_FOCUS] = COLOR_PAIR(3) | A_BOLD;
		style_attr[CV_HEAD] = COLOR_PAIR(4);
		style_attr[CV_SEL] = COLOR_PAIR(2) | A_BOLD;
		style_attr[CV_OK] = COLOR_PAIR(5);
		style_attr[CV_WARN] = COLOR_PAIR(6) | A_BOLD;
		style_attr[CV_ALERT] = COLOR_PAIR(7) | A_BOLD;
		style_attr[CV_MARK] = COLOR_PAIR(8) | A_BOLD;
	} else {
		/* Attributes only: still readable on a monochrome terminal. */
		style_attr[CV_NORMAL] = A_NORMAL;
		style_attr[CV_BOLD] = A_BOLD;
		style_attr[CV_DIM] = A_DIM;
		style_attr[CV_LABEL] = A_BOLD;
		style_attr[CV_BAR] = A_REVERSE;
		style_attr[CV_BAR_FOCUS] = A_REVERSE | A_BOLD | A_UNDERLINE;
		style_attr[CV_HEAD] = A_BOLD | A_UNDERLINE;
		style_attr[CV_SEL] = A_REVERSE;
		style_attr[CV_OK] = A_NORMAL;
		style_attr[CV_WARN] = A_BOLD;
		style_attr[CV_ALERT] = A_BOLD;
		style_attr[CV_MARK] = A_REVERSE | A_BOLD;
	}
}

/* Copy the canvas to the screen, one run of equal style at a time. */
static void blit(const struct canvas *c)
{
	size_t cap = (size_t)c->w * 4 + 1;
	char *run = xmalloc(cap);
	for (int y = 0; y < c->h && y < LINES; y++) {
		const struct cv_cell *row = &c->cells[(size_t)y * (size_t)c->w];
		int x = 0;
		while (x < c->w && x < COLS) {
			int st = row[x].style, x0 = x;
			size_t len = 0;
			while (x < c->w && x < COLS && row[x].style == st) {
				uint32_t ch = row[x].ch;
				if (ch == 0) {          /* right half of a wide character */
					x++;
					continue;
				}
				if (ch < 0x80) {
					run[len++] = (char)ch;
				} else if (ch < 0x800) {
					run[len++] = (char)(0xC0 | (ch >> 6));
					run[len++] = (char)(0x80 | (ch & 0x3F));
				} else if (ch < 0x10000) {
					run[len++] = (char)(0xE0 | (ch >> 12));
					run[len++] = (char)(0x80 | ((ch >> 6) & 0x3F));
					run[len++] = (char)(0x80 | (ch & 0x3F));
				} else {
					run[len++] = (char)(0xF0 | (ch >> 18));
					run[len++] = (char)(0x80 | ((ch >> 12) & 0x3F));
					run[len++] = (char)(0x80 | ((ch >> 6) & 0x3F));
					run[len++] = (char)(0x80 | (ch & 0x3F));
				}
				x++;
			}
			attrset(style_attr[st < CV_NSTYLES ? st : CV_NORMAL]);
			/* The bottom-right cell cannot advance the cursor: ERR is fine. */
			mvaddnstr(y, x0, run, (int)len);
		}
	}
	attrset(A_NORMAL);
	free(run);
}

/* Translate a curses key to a ui key; -1 to ignore. */
static int map_key(int r, wint_t wc)
{
	if (r == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP: return UI_KEY_UP;
		case KEY_DOWN: return UI_KEY_DOWN;
		case KEY_LEFT: return UI_KEY_LEFT;
		case KEY_RIGHT: return UI_KEY_RIGHT;
		case KEY_PPAGE: return UI_KEY_PGUP;
		case KEY_NPAGE: return UI_KEY_PGDN;
		case KEY_HOME: return UI_KEY_HOME;
		case KEY_END: return UI_KEY_END;
		case KEY_ENTER: return UI_KEY_ENTER;
		case KEY_BACKSPACE: return UI_KEY_BACKSPACE;
		case KEY_BTAB: return UI_KEY_BTAB;
		case KEY_RESIZE: return UI_KEY_RESIZE;
		default:
			if (wc == (wint_t)KEY_F(1))
				return UI_KEY_F1;
			if (wc == (wint_t)KEY_F(10))
				return UI_KEY_F10;
			return -1;
		}
	}
	switch (wc) {
	case '\n': case '\r': return UI_KEY_ENTER;
	case 27: return UI_KEY_ESC;
	case 127: case 8: return UI_KEY_BACKSPACE;
	case '\t': return UI_KEY_TAB;
	default: return (int)wc;
	}
}

/* Ctrl-Z: park the live source between rounds, give the terminal back,
 * stop; on SIGCONT take the terminal again. */
static void suspend(const struct tui_source *src)
{
	suspend_wanted = 0;
	if (src)
		src->pause(src->ctx);
	restore_terminal();
	signal(SIGTSTP, SIG_DFL);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTSTP);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	raise(SIGTSTP);
	/* Continued. */
	set_signals(true);
	if (src)
		src->resume(src->ctx);
	curs_set(0);
	refresh();
	clearok(curscr, TRUE);
}

/* Render the screen and copy it to the terminal. */
static void draw(struct ui *u, struct canvas *cv)
{
	if (cv->w != COLS || cv->h != LINES)
		canvas_resize(cv, COLS, LINES);
	ui_render(u, cv);
	blit(cv);
	refresh();
}

/* The event loop: src is NULL for a replay; stop may be NULL. */
static int run(struct ui *u, const struct tui_source *src, const volatile sig_atomic_t *stop,
	       char *err, size_t errlen)
{
	set_signals(true);
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		set_signals(false);
		snprintf(err, errlen, "cannot use the terminal (TERM=%s): use --snapshot FILE instead",
			 getenv("TERM") ? getenv("TERM") : "unset");
		return CDTOP_EXIT_TERMINAL;
	}
	fatal_set_cleanup(tui_cleanup);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	const char *cs = nl_langinfo(CODESET);
	bool utf8 = cs && strcmp(cs, "UTF-8") == 0;
	const char *nc = getenv("NO_COLOR");
	setup_styles(has_colors() && !(nc && nc[0]));
	u->opts.utf8 = utf8;
	/* CDTOP_KEYLOG=FILE: one line per answered key, "read drawn" (UTC
	 * seconds), for bench/tui_keys.sh. */
	const char *kl = getenv("CDTOP_KEYLOG");
	FILE *keylog = kl && kl[0] ? fopen(kl, "ae") : NULL;

	struct canvas *cv = canvas_new(COLS, LINES, utf8);
	struct snapshot *newest = NULL;     /* published while frozen */
	int rc = CDTOP_EXIT_OK;
	bool dirty = true;
	while (!u->quit && !(stop && *stop)) {
		/* What the source published: a snapshot, the target's exit. */
		if (src) {
			struct tui_event ev;
			struct snapshot *s = src->take(src->ctx, &ev);
			if (s) {
				snapshot_free(newest);
				newest = s;
			}
			if (ev.exited) {
				u->exited = true;
				ui_status(u, CV_ALERT, "%s; showing its last state, q quits", ev.message);
				dirty = true;
			}
			if (ev.fatal) {
				str_copy(err, ev.message, errlen);
				rc = ev.fatal;
				break;
			}
		}
		if (newest && !u->frozen) {
			ui_set_snapshot(u, newest);
			newest = NULL;
			dirty = true;
		}
		if (suspend_wanted) {
			suspend(src);
			dirty = true;
		}
		if (dirty) {
			draw(u, cv);
			dirty = false;
		}
		struct pollfd pf[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
				       {.fd = src ? src->fd : -1, .events = POLLIN}};
		/* A bounded wait: a SIGWINCH that lands just before poll() is
		 * seen by the next get_wch anyway. */
		if (poll(pf, 2, 250) < 0 && errno != EINTR)
			break;
		wint_t wc;
		int r;
		double t_read = 0;
		while ((r = get_wch(&wc)) != ERR) {
			if (r == OK && wc == 12) {      /* Ctrl-L: redraw everything */
				clearok(curscr, TRUE);
				dirty = true;
				continue;
			}
			int key = map_key(r, wc);
			if (key < 0)
				continue;
			if (!t_read)
				t_read = now_real();
			ui_key(u, key);
			dirty = true;
			if (u->quit)
				break;
		}
		if (src && (u->requests & UI_REQ_RESET_PROFILE))
			src->reset_profile(src->ctx);
		if (src && (u->requests & UI_REQ_ANSWERS))
			src->set_answers(src->ctx, &u->answers);
		u->requests = 0;
		/* Answer keys before looking at new snapshots. */
		if (dirty && !u->quit) {
			draw(u, cv);
			dirty = false;
			if (keylog && t_read) {
				fprintf(keylog, "%.6f %.6f\n", t_read, now_real());
				fflush(keylog);
			}
		}
	}
	restore_terminal();
	delscreen(scr);
	fatal_set_cleanup(NULL);
	set_signals(false);
	if (keylog)
		fclose(keylog);
	snapshot_free(newest);
	canvas_free(cv);
	return rc;
}

int tui_run(const struct tui_source *src, const struct tui_opts *opts, char *err, size_t errlen)
{
	struct ui u;
	struct ui_opts uo = {.delay = opts->delay, .out_dir = opts->out_dir,
			     .stacks_off = opts->stacks_off};
	ui_init(&u, &uo);
	if (opts->warning)
		ui_status(&u, CV_WARN, "%s", opts->warning);
	int rc = run(&u, src, opts->stop, err, errlen);
	ui_fini(&u);
	return rc;
}

int tui_replay(struct snapshot *s, const struct tui_opts *opts, char *err, size_t errlen)
{
	struct ui u;
	const char *why = NULL;
	if (!s->profile)
		for (int i = 0; i < s->nerrors; i++)
			if (strcmp(s->errors[i].source, "stacks") == 0)
				why = s->errors[i].message;
	struct ui_opts uo = {.delay = opts->delay, .out_dir = opts->out_dir, .replay = true,
			     .stacks_off = s->profile ? NULL : why ? why : "the file has no profile"};
	ui_init(&u, &uo);
	ui_set_snapshot(&u, s);
	if (opts->replay_path)
		ui_status(&u, CV_MARK, "REPLAY of %s (read-only); q quits", opts->replay_path);
	int rc = run(&u, NULL, opts->stop, err, errlen);
	ui_fini(&u);
	return rc;
}
