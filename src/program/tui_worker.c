/*
 * tui_worker.c - the live screen's sampling thread (see tui_worker.h).
 *
 * Loop: run a sampling round when due (session_tick), take a /proc
 * reading every `delay` seconds (session_poll) and build the analysed
 * snapshot (session_snapshot); publish it; sleep on a condition variable
 * until the next round or reading, or until the UI asks for something
 * (stop, pause, new profile window). The mutex protects only the
 * published slot and the requests: no collection or sampling work is done
 * while holding it, and a replaced snapshot is freed after unlocking.
 */
#include "tui_worker.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tui_worker {
	struct session *ss;
	double delay;                   /* seconds between /proc readings */
	enum profile_mode mode;
	pthread_t thread;
	int pipe[2];                    /* [0] read by the UI, [1] written here */

	pthread_mutex_t mu;             /* protects everything below */
	pthread_cond_t cv;              /* requests to the worker, pause acknowledgement */
	struct snapshot *slot;          /* newest published, not yet taken */
	struct tui_event ev;            /* pending event */
	bool ev_new;
	bool stop, reset, pause, paused;
	struct triage_answers answers;  /* from the UI */
	bool answers_new;
};

/* For builds with --enable-asan: libproc2 keeps two 128 KiB buffers per
 * thread in __thread variables (readproc.c, src_buffer and dst_buffer)
 * and never frees them, so LeakSanitizer reports them when this thread
 * ends. The sanitizer runtime calls this hook; other builds ignore it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libproc2.so\n";
}

/* Wake the UI (the pipe is non-blocking: a full pipe already wakes it). */
static void poke(struct tui_worker *w)
{
	char b = 1;
	ssize_t r = write(w->pipe[1], &b, 1);
	(void)r;
}

/* Publish snap (may be NULL) and/or the event in ev. */
static void publish(struct tui_worker *w, struct snapshot *snap, const struct tui_event *ev)
{
	struct snapshot *old = NULL;
	pthread_mutex_lock(&w->mu);
	if (snap) {
		old = w->slot;
		w->slot = snap;
	}
	if (ev) {
		w->ev = *ev;
		w->ev_new = true;
	}
	pthread_mutex_unlock(&w->mu);
	snapshot_free(old);
	poke(w);
}

static struct timespec deadline_in(double s)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (s < 0)
		s = 0;
	if (s > 3600)
		s = 3600;
	long ns = ts.tv_nsec + (long)((s - (double)(long)s) * 1e9);
	ts.tv_sec += (time_t)s + ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	return ts;
}

static void *worker_main(void *arg)
{
	struct tui_worker *w = arg;
	double now = now_mono();
	/* A first rate needs two readings: take the second one soon. */
	double next_poll = now + (w->delay < 0.5 ? w->delay : 0.5);
	bool watching = true;
	char err[CDTOP_ERRLEN];

	/* The snapshot of the reading taken at open, so the screen has
	 * something at once. */
	publish(w, session_snapshot(w->ss, SESSION_WINDOW_LAST, w->mode), NULL);

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		if (w->pause) {
			w->paused = true;
			pthread_cond_broadcast(&w->cv);
			while (w->pause && !w->stop)
				pthread_cond_wait(&w->cv, &w->mu);
			w->paused = false;
			continue;
		}
		bool reset = w->reset;
		w->reset = false;
		if (w->answers_new) {
			*session_answers(w->ss) = w->answers;
			w->answers_new = false;
		}
		pthread_mutex_unlock(&w->mu);

		struct snapshot *snap = NULL;
		if (reset && watching) {
			session_reset_profile(w->ss);
			snap = session_snapshot(w->ss, SESSION_WINDOW_LAST, w->mode);
		}
		double due = watching ? session_tick(w->ss) : -1;
		now = now_mono();
		if (watching && now >= next_poll) {
			int rc = session_poll(w->ss, err, sizeof(err));
			if (rc == CDTOP_EXIT_OK) {
				snapshot_free(snap);
				snap = session_snapshot(w->ss, SESSION_WINDOW_LAST, w->mode);
			} else {
				struct tui_event ev = {.exited = rc == CDTOP_EXIT_EXITED,
						       .fatal = rc == CDTOP_EXIT_EXITED ? 0 : rc};
				str_copy(ev.message, err, sizeof(ev.message));
				watching = false;
				publish(w, NULL, &ev);
			}
			/* The next reading a full interval after this one, so
			 * every window on screen is at least -d long. */
			next_poll = now_mono() + w->delay;
		}
		if (snap)
			publish(w, snap, NULL);

		double wait = watching ? next_poll - now_mono() : 3600;
		if (due >= 0 && due < wait)
			wait = due;
		struct timespec until = deadline_in(wait);
		pthread_mutex_lock(&w->mu);
		while (!w->stop && !w->reset && !w->pause && wait > 0) {
			if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT)
				break;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct tui_worker *tui_worker_start(struct session *ss, double delay, enum profile_mode mode,
				    char *err, size_t errlen)
{
	struct tui_worker *w = xcalloc(1, sizeof(*w));
	w->ss = ss;
	w->delay = delay;
	w->mode = mode;
	if (pipe2(w->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);

	/* The worker inherits this mask: signals meant for the screen
	 * (resize, quit, suspend) go to the UI thread. The sampler's own
	 * timer signal is thread-directed and stays unblocked. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGTTIN);
	sigaddset(&block, SIGTTOU);
	sigaddset(&block, SIGCONT);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the sampling thread: %s", strerror(rc));
		close(w->pipe[0]);
		close(w->pipe[1]);
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

/* The struct tui_source functions (tui.h); ctx is the worker. */
static struct snapshot *take(void *ctx, struct tui_event *ev)
{
	struct tui_worker *w = ctx;
	char buf[64];
	while (read(w->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&w->mu);
	struct snapshot *s = w->slot;
	w->slot = NULL;
	if (ev) {
		if (w->ev_new)
			*ev = w->ev;
		else
			memset(ev, 0, sizeof(*ev));
		w->ev_new = false;
	}
	pthread_mutex_unlock(&w->mu);
	return s;
}

static void reset_profile(void *ctx)
{
	struct tui_worker *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->reset = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void set_answers(void *ctx, const struct triage_answers *a)
{
	struct tui_worker *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->answers = *a;
	w->answers_new = true;
	pthread_mutex_unlock(&w->mu);
}

static void pause_worker(void *ctx)
{
	struct tui_worker *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->pause = true;
	pthread_cond_broadcast(&w->cv);
	while (!w->paused && !w->stop)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

static void resume_worker(void *ctx)
{
	struct tui_worker *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->pause = false;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

struct tui_source tui_worker_source(struct tui_worker *w)
{
	return (struct tui_source){.ctx = w, .fd = w->pipe[0], .take = take,
				   .reset_profile = reset_profile, .set_answers = set_answers,
				   .pause = pause_worker, .resume = resume_worker};
}

void tui_worker_stop(struct tui_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	w->pause = false;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	snapshot_free(w->slot);
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
