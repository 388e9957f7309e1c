/*
 * tracedeck-demo: a small "web server" that emits LTTng-UST events for Tracedeck.
 *
 * Requests are tickets taken from one global counter; with --rate R, ticket k is due at
 * start + (k-1)/R seconds, so the total rate is R whatever the number of threads, and
 * `--rate R --duration S` serves exactly R*S requests when the machine keeps up. A late
 * thread catches up (open-loop load, like real clients). Every --slow-every'th request
 * does a real fsync, then sleeps so that it lasts at least --slow-ms, and answers 503.
 *
 * SIGINT/SIGTERM are blocked from before the tracer's start-up in every thread and taken
 * with sigtimedwait() by the main thread, which then asks the workers to finish their
 * current request: the exit is clean and the temp files are removed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <lttng/tracef.h>
#include "tracedeck_demo_tp.h"

#define MAX_THREADS 64
#define IO_BLOCK 4096
#define FILE_SLOTS 64
#define SLEEP_CHUNK_NS 100000000LL /* workers notice a stop request within 100 ms */

enum { OP_READ = 0, OP_WRITE = 1, OP_FSYNC = 2 };

struct options {
	uint64_t rate;        /* requests/s over all threads, 0 = unlimited */
	unsigned threads;
	double duration_s;    /* 0 = until SIGINT/SIGTERM */
	uint64_t slow_every;  /* 0 = never */
	unsigned slow_ms;
	uint64_t tracef_every; /* 0 = never */
	uint64_t empty_path_every; /* 0 = never */
	int progress;
	int exit_with_parent;
	int start_on_stdin;
	const char *dir;
};

struct worker {
	pthread_t thread;
	unsigned index;
	int fd;
	char file[PATH_MAX];
	/* Written by the worker, read by the main thread for progress lines. */
	_Atomic uint64_t requests, slow, events;
};

static struct options opt = {
	.rate = 1000, .threads = 2, .duration_s = 10, .slow_every = 1000, .slow_ms = 50,
	.tracef_every = 0, .progress = 0, .dir = ".",
};
static struct worker workers[MAX_THREADS];
static _Atomic uint64_t next_ticket = 1;
static _Atomic int stop_requested;
static _Atomic unsigned live_workers;
static int64_t start_ns;

static const char *const paths[] = {
	"/", "/api/users", "/api/orders", "/api/orders/42", "/static/app.js",
	"/static/style.css", "/login", "/api/search?q=lttng",
};
#define N_PATHS (sizeof(paths) / sizeof(paths[0]))

static sigset_t stop_signals;

/*
 * Runs before any shared library's constructor, in particular before lttng-ust's, which may
 * wait up to 3 s for the session daemon: a SIGTERM in that window stays pending and is taken
 * by main's sigtimedwait() (a clean exit) instead of killing the process. Threads inherit the
 * mask, so only sigtimedwait() ever sees these signals.
 */
static void block_stop_signals(void)
{
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop_signals, NULL);
}
__attribute__((section(".preinit_array"), used)) static void (*const preinit_block)(void) = block_stop_signals;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec to_timespec(int64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };
	return ts;
}

/* Sleeps until the monotonic time `deadline`; returns early (0) if a stop was requested. */
static int sleep_until(int64_t deadline)
{
	for (;;) {
		if (atomic_load_explicit(&stop_requested, memory_order_relaxed))
			return 0;
		int64_t now = now_ns();
		if (now >= deadline)
			return 1;
		int64_t until = deadline - now > SLEEP_CHUNK_NS ? now + SLEEP_CHUNK_NS : deadline;
		struct timespec ts = to_timespec(until);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
}

static void count(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static void traced_io(struct worker *w, int op, void *buf, size_t size, off_t off)
{
	int64_t t = now_ns();
	ssize_t ret;
	switch (op) {
	case OP_WRITE: ret = pwrite(w->fd, buf, size, off); break;
	case OP_READ: ret = pread(w->fd, buf, size, off); break;
	default: ret = fsync(w->fd); size = 0; break;
	}
	int err = ret < 0 ? errno : 0;
	uint64_t lat = (uint64_t)(now_ns() - t);
	uint8_t head_len = ret > 0 ? (uint8_t)(ret < 8 ? ret : 8) : 0;
	lttng_ust_tracepoint(tracedeck_demo, io, op, w->fd, (uint64_t)size, lat, (int64_t)ret,
			     (int8_t)err, (const uint8_t *)buf, head_len);
	count(&w->events, 1);
}

static void handle_request(struct worker *w, uint64_t id, uint8_t *buf)
{
	int64_t t0 = now_ns();
	int slow = opt.slow_every != 0 && id % opt.slow_every == 0;
	const char *path = slow ? "/api/export" : paths[id % N_PATHS];
	/* A request line without a target: an empty string field after non-empty ones. */
	if (opt.empty_path_every != 0 && id % opt.empty_path_every == 0)
		path = "";
	int method = id % 11 == 0 ? 1 : id % 23 == 0 ? 2 : id % 97 == 0 ? 3 : 0;
	uint8_t addr[4] = { 10, 0, (uint8_t)(id >> 8), (uint8_t)id };
	uint16_t port = (uint16_t)(1024 + id % 60000);
	uint32_t flags = 0x1u | (slow ? 0x100u : 0) | (method != 0 ? 0x20u : 0);

	lttng_ust_tracepoint(tracedeck_demo, request_begin, id, path, method, (uint16_t)w->index,
			     addr, port, flags);

	/* 256..4096 bytes, spread over the file so reads are not always the same page. */
	size_t size = 256 + (size_t)((id * 2654435761u) % (IO_BLOCK - 255));
	off_t off = (off_t)(id % FILE_SLOTS) * IO_BLOCK;
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(id + i);
	traced_io(w, OP_WRITE, buf, size, off);
	traced_io(w, OP_READ, buf, size, off);
	if (slow) {
		traced_io(w, OP_FSYNC, buf, 0, 0);
		sleep_until(t0 + (int64_t)opt.slow_ms * 1000000LL);
	}

	uint64_t lat = (uint64_t)(now_ns() - t0);
	lttng_ust_tracepoint(tracedeck_demo, request_end, id, slow ? 503 : 200, lat,
			     (uint32_t)size, (uint8_t)slow, (double)lat / 1e6);
	count(&w->events, 2);
	if (opt.tracef_every != 0 && id % opt.tracef_every == 0) {
		lttng_ust_tracef("request %" PRIu64 " %s took %" PRIu64 " ns on worker %u", id, path,
				 lat, w->index);
		count(&w->events, 1);
	}
	count(&w->requests, 1);
	if (slow)
		count(&w->slow, 1);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	static __thread uint8_t buf[IO_BLOCK];
	int64_t duration_ns = (int64_t)(opt.duration_s * 1e9);

	while (!atomic_load_explicit(&stop_requested, memory_order_relaxed)) {
		uint64_t id = atomic_fetch_add(&next_ticket, 1);
		if (opt.rate != 0) {
			/* Integer arithmetic keeps the schedule exact for long runs. */
			int64_t due = (int64_t)((unsigned __int128)(id - 1) * 1000000000u / opt.rate);
			if (duration_ns > 0 && due >= duration_ns)
				break;
			if (!sleep_until(start_ns + due))
				break;
		} else if (duration_ns > 0 && now_ns() - start_ns >= duration_ns) {
			break;
		}
		handle_request(w, id, buf);
	}
	atomic_fetch_sub(&live_workers, 1);
	return NULL;
}

static void totals(uint64_t *requests, uint64_t *slow, uint64_t *events)
{
	*requests = *slow = *events = 0;
	for (unsigned i = 0; i < opt.threads; i++) {
		*requests += atomic_load_explicit(&workers[i].requests, memory_order_relaxed);
		*slow += atomic_load_explicit(&workers[i].slow, memory_order_relaxed);
		*events += atomic_load_explicit(&workers[i].events, memory_order_relaxed);
	}
}

/* One JSON object per line on stdout: the process manager reads these. */
static void report(const char *type, const char *signal_name)
{
	uint64_t requests, slow, events;
	totals(&requests, &slow, &events);
	double elapsed = (double)(now_ns() - start_ns) / 1e9;
	printf("{\"type\":\"%s\",\"elapsed_s\":%.3f,\"requests\":%" PRIu64 ",\"slow\":%" PRIu64
	       ",\"events\":%" PRIu64, type, elapsed, requests, slow, events);
	if (signal_name)
		printf(",\"signal\":\"%s\"", signal_name);
	printf("}\n");
	fflush(stdout);
}

/* --start-on-stdin: returns 0 on a line or EOF, 1 if SIGINT/SIGTERM came first. */
static int wait_for_start(void)
{
	const struct timespec zero = { 0, 0 };
	for (;;) {
		if (sigtimedwait(&stop_signals, NULL, &zero) > 0)
			return 1;
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		if (poll(&pfd, 1, 50) > 0) {
			char buf[64];
			(void)!read(STDIN_FILENO, buf, sizeof(buf));
			return 0;
		}
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tracedeck-demo [options]\n"
		"Simulated web server emitting tracedeck_demo:{request_begin,request_end,io} events.\n\n"
		"  -r, --rate N          requests per second over all threads, 0 = unlimited (default 1000)\n"
		"  -t, --threads T       worker threads, 1..%d (default 2)\n"
		"  -d, --duration S      run time in seconds (decimals allowed), 0 = until SIGINT/SIGTERM (default 10)\n"
		"  -s, --slow-every N    every Nth request is slow, 0 = never (default 1000)\n"
		"  -m, --slow-ms M       a slow request fsyncs, then sleeps to last at least M ms (default 50)\n"
		"  -f, --tracef-every N  also emit lttng_ust_tracef:event every N requests, 0 = never (default 0)\n"
		"  -e, --empty-path-every N  every Nth request has an empty path, 0 = never (default 0)\n"
		"  -C, --dir DIR         where to create the temp files (default: working directory)\n"
		"  -p, --progress        print a JSON \"ready\" line at start, then a progress line every second\n"
		"  -P, --exit-with-parent  get SIGTERM when the parent process dies (for process managers;\n"
		"                        TRACEDECK_PARENT_PID, if set, names the parent expected)\n"
		"  -w, --start-on-stdin  wait for a line (or EOF) on standard input before serving requests\n"
		"                        (lets a recorder track this pid first)\n"
		"  -h, --help            show this help\n\n"
		"Prints one JSON summary line on stdout at exit.\n",
		MAX_THREADS);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "threads", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "slow-every", required_argument, NULL, 's' },
		{ "slow-ms", required_argument, NULL, 'm' },
		{ "tracef-every", required_argument, NULL, 'f' },
		{ "empty-path-every", required_argument, NULL, 'e' },
		{ "dir", required_argument, NULL, 'C' },
		{ "progress", no_argument, NULL, 'p' },
		{ "exit-with-parent", no_argument, NULL, 'P' },
		{ "start-on-stdin", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	uint64_t v;
	while ((c = getopt_long(argc, argv, "r:t:d:s:m:f:e:C:pPwh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_u64(optarg, 100000000, &opt.rate)) goto bad;
			break;
		case 't':
			if (parse_u64(optarg, MAX_THREADS, &v) || v == 0) goto bad;
			opt.threads = (unsigned)v;
			break;
		case 'd': {
			char *end;
			opt.duration_s = strtod(optarg, &end);
			if (end == optarg || *end || !(opt.duration_s >= 0) || opt.duration_s > 1e7) goto bad;
			break;
		}
		case 's':
			if (parse_u64(optarg, UINT64_MAX, &opt.slow_every)) goto bad;
			break;
		case 'm':
			if (parse_u64(optarg, 600000, &v)) goto bad;
			opt.slow_ms = (unsigned)v;
			break;
		case 'f':
			if (parse_u64(optarg, UINT64_MAX, &opt.tracef_every)) goto bad;
			break;
		case 'e':
			if (parse_u64(optarg, UINT64_MAX, &opt.empty_path_every)) goto bad;
			break;
		case 'C':
			opt.dir = optarg;
			break;
		case 'p':
			opt.progress = 1;
			break;
		case 'P':
			opt.exit_with_parent = 1;
			break;
		case 'w':
			opt.start_on_stdin = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
		continue;
	bad:
		fprintf(stderr, "tracedeck-demo: invalid value for -%c: '%s'\n", c, optarg);
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "tracedeck-demo: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static void remove_files(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		close(workers[i].fd);
		unlink(workers[i].file);
	}
}

int main(int argc, char **argv)
{
	if (parse_options(argc, argv))
		return 2;
	if (opt.exit_with_parent) {
		/*
		 * A server killed with SIGKILL runs no exit handler: let the kernel stop us. The
		 * parent may already be gone (lttng-ust's constructor can wait up to 3 s for the
		 * session daemon before main runs), so compare with the pid it gave us, if any.
		 */
		const char *expected = getenv("TRACEDECK_PARENT_PID");
		pid_t parent = expected ? (pid_t)atoi(expected) : getppid();
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
			return 1;
	}
	if (opt.progress) {
		/* Tells a process manager that stop signals are now handled cleanly. */
		printf("{\"type\":\"ready\",\"pid\":%d}\n", (int)getpid());
		fflush(stdout);
	}
	if (opt.start_on_stdin && wait_for_start() != 0)
		return 0;
	for (unsigned i = 0; i < opt.threads; i++) {
		struct worker *w = &workers[i];
		w->index = i;
		snprintf(w->file, sizeof(w->file), "%s/tracedeck-demo-%d-%u.dat", opt.dir, (int)getpid(), i);
		w->fd = open(w->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (w->fd < 0) {
			fprintf(stderr, "tracedeck-demo: cannot create %s: %s\n", w->file, strerror(errno));
			remove_files(i);
			return 1;
		}
	}

	/* Normally done already by block_stop_signals(); again in case preinit did not run. */
	block_stop_signals();

	start_ns = now_ns();
	atomic_store(&live_workers, opt.threads);
	for (unsigned i = 0; i < opt.threads; i++) {
		int rc = pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
		if (rc) {
			fprintf(stderr, "tracedeck-demo: pthread_create: %s\n", strerror(rc));
			atomic_store(&stop_requested, 1);
			atomic_fetch_sub(&live_workers, opt.threads - i);
			for (unsigned j = 0; j < i; j++)
				pthread_join(workers[j].thread, NULL);
			remove_files(opt.threads);
			return 1;
		}
	}

	const char *signal_name = NULL;
	int64_t next_progress = start_ns + 1000000000LL;
	while (atomic_load(&live_workers) > 0) {
		struct timespec wait = { .tv_sec = 0, .tv_nsec = 50000000 };
		int sig = sigtimedwait(&stop_signals, NULL, &wait);
		if (sig == SIGINT || sig == SIGTERM) {
			signal_name = sig == SIGINT ? "SIGINT" : "SIGTERM";
			atomic_store(&stop_requested, 1);
			break;
		}
		if (opt.progress && now_ns() >= next_progress) {
			report("progress", NULL);
			next_progress += 1000000000LL;
		}
	}
	for (unsigned i = 0; i < opt.threads; i++)
		pthread_join(workers[i].thread, NULL);
	remove_files(opt.threads);
	report("summary", signal_name);
	return 0;
}
