#!/usr/bin/python3
"""Python side of the Tracedeck demo workload.

Emits `logging` records through the LTTng-UST Python agent (`lttngust`), which LTTng
records as `lttng_python:event` in the Python domain (`lttng enable-event -p ...`).
Run it with /usr/bin/python3: the agent package is a Debian package (python3-lttngust),
not a pip one, so another interpreter will not find it.

Every --slow-every'th request logs a WARNING with its (real, slept) latency, every
request logs one INFO record, and every --error-every'th request logs an ERROR.
Prints one JSON summary line on stdout at exit.
"""
import argparse
import json
import logging
import os
import signal
import sys
import threading
import time

stop = threading.Event()
# Installed before the agent's import, which can wait seconds for the session daemon: a stop
# request in that window then ends the run cleanly instead of killing the interpreter.
for _sig in (signal.SIGTERM, signal.SIGINT):
    signal.signal(_sig, lambda *_: stop.set())

try:
    # Importing the agent registers this process with the session daemon (it waits up to
    # LTTNG_UST_PYTHON_REGISTER_TIMEOUT ms, default 5000) and adds a handler to the root logger.
    import lttngust  # noqa: F401
except ImportError:
    sys.stderr.write("python_demo: the LTTng Python agent is missing (apt-get install python3-lttngust; "
                     "run with /usr/bin/python3)\n")
    sys.exit(3)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=None,
                   help="requests to simulate, 0 = no limit (default 100, or no limit with --duration)")
    p.add_argument("--rate", type=float, default=200.0, help="requests per second, 0 = unlimited (default 200)")
    p.add_argument("--slow-every", type=int, default=10, help="every Nth request is slow, 0 = never (default 10)")
    p.add_argument("--slow-ms", type=float, default=20.0, help="sleep of a slow request in ms (default 20)")
    p.add_argument("--error-every", type=int, default=0, help="every Nth request logs an ERROR, 0 = never")
    p.add_argument("--duration", type=float, default=0.0,
                   help="stop after this many seconds, 0 = no limit (default 0)")
    p.add_argument("--progress", action="store_true", help="print a JSON ready line at start, then a progress line every second")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="get SIGTERM when the parent process dies (for process managers)")
    p.add_argument("--start-on-stdin", action="store_true",
                   help="wait for a line (or EOF) on standard input before the first request "
                        "(lets a recorder track this pid first)")
    p.add_argument("--logger", default="tracedeck.demo", help="logger name (default tracedeck.demo)")
    return p.parse_args(argv)


def exit_with_parent():
    # PR_SET_PDEATHSIG: a server killed with SIGKILL runs no exit handler; the kernel stops us.
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    # The parent may be gone already (the agent's registration can take seconds before this
    # runs): compare with the pid it gave us, if any.
    parent = int(os.environ.get("TRACEDECK_PARENT_PID", os.getppid()))
    if libc.prctl(1, signal.SIGTERM, 0, 0, 0) != 0 or os.getppid() != parent:
        sys.exit(1)


def report(kind, start, done, counts):
    print(json.dumps({"type": kind, "elapsed_s": round(time.monotonic() - start, 3), "requests": done,
                      "records": counts, "events": sum(counts.values())}), flush=True)


def main(argv):
    args = parse_args(argv)
    if args.exit_with_parent:
        exit_with_parent()
    if args.progress:
        # Tells a process manager that stop signals are now handled cleanly.
        print(json.dumps({"type": "ready", "pid": os.getpid()}), flush=True)
    if args.start_on_stdin:
        # Polled so that SIGTERM (which only sets `stop`) still ends the wait.
        import select
        while not stop.is_set() and not select.select([sys.stdin], [], [], 0.05)[0]:
            pass
        if not stop.is_set():
            sys.stdin.readline()
    if args.count is None:
        args.count = 0 if args.duration > 0 else 100

    log = logging.getLogger(args.logger)
    db = logging.getLogger(args.logger + ".db")
    log.setLevel(logging.DEBUG)
    # Without a recording session the agent has no handler on the root logger; this keeps
    # logging's last-resort handler from printing the warnings on stderr.
    log.addHandler(logging.NullHandler())
    counts = {"info": 0, "warning": 0, "error": 0, "debug": 0}
    start = time.monotonic()
    i = 0
    done = 0
    next_progress = start + 1.0
    while not stop.is_set() and (args.count == 0 or i < args.count):
        now = time.monotonic()
        if args.duration > 0 and now - start >= args.duration:
            break
        if args.progress and now >= next_progress:
            report("progress", start, done, counts)
            next_progress += 1.0
        i += 1
        if args.rate > 0:
            due = start + (i - 1) / args.rate
            delay = due - time.monotonic()
            if delay > 0 and stop.wait(delay):
                break
        t0 = time.monotonic_ns()
        slow = args.slow_every > 0 and i % args.slow_every == 0
        db.debug("query id=%d table=%s", i, "orders" if i % 2 else "users")
        counts["debug"] += 1
        if slow:
            time.sleep(args.slow_ms / 1000.0)
        latency_ns = time.monotonic_ns() - t0
        if slow:
            log.warning("slow request id=%d path=/api/export latency_ns=%d", i, latency_ns)
            counts["warning"] += 1
        else:
            log.info("request id=%d path=/api/users status=200 latency_ns=%d", i, latency_ns)
            counts["info"] += 1
        if args.error_every > 0 and i % args.error_every == 0:
            log.error("request id=%d failed: simulated error", i)
            counts["error"] += 1
        done += 1

    report("summary", start, done, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
