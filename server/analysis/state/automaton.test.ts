import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openTraceSet } from "../../ctf";
import type { AnalysisEvent } from "../event";
import { KernelState } from "./automaton";
import type { StateListener } from "./listener";
import { TRACES } from "../../testing/shared";

let ts = 0;
const e = (name: string, cpu: number, payload: Record<string, unknown> = {}, context: Record<string, unknown> = {}): AnalysisEvent => ({
  name,
  ts: (ts += 10),
  cpu,
  payload: payload as AnalysisEvent["payload"],
  context: context as AnalysisEvent["context"],
});

function feed(state: KernelState, events: AnalysisEvent[]): void {
  for (const ev of events) state.processEvent(ev);
}

const switchTo = (cpu: number, prev: number, next: number, comm = "app") =>
  e("sched_switch", cpu, { prev_tid: prev, prev_comm: "x", prev_prio: 20, next_tid: next, next_comm: comm, next_prio: 20 });

describe("kernel state machine", () => {
  it("tracks file descriptors through statedump, open, dup2 and close, on the thread's process", () => {
    const s = new KernelState();
    const closed: number[] = [];
    s.listeners.push({ closeFd: (fd) => closed.push(fd) } satisfies StateListener);
    feed(s, [
      e("lttng_statedump_process_state", 0, { tid: 11, pid: 10, name: "web" }),
      e("lttng_statedump_file_descriptor", 0, { pid: 10, fd: 3, filename: "/var/log/a", flags: 0 }),
      switchTo(0, 0, 11),
      e("syscall_entry_openat", 0, { filename: "/srv/index.html", flags: 0o2000000 }),
      e("syscall_exit_openat", 0, { ret: 4 }),
      e("syscall_entry_dup2", 0, { oldfd: 4, newfd: 3 }),
      e("syscall_exit_dup2", 0, { ret: 3 }),
      e("syscall_entry_close", 0, { fd: 4 }),
      e("syscall_exit_close", 0, { ret: 0 }),
    ]);
    const proc = s.tids.get(10)!;
    // dup2 closed the old fd 3 before reusing it for a copy of fd 4.
    expect(closed).toEqual([3, 4]);
    expect([...proc.fds.keys()]).toEqual([3]);
    expect(proc.fds.get(3)!.filename).toBe("/srv/index.html");
    expect(s.tids.get(11)!.fds.size).toBe(0);
  });

  it("names old-style syscalls (sys_*, exit_syscall) and reports their exit with duration and return value", () => {
    const s = new KernelState();
    const exits: [string, number, number | null][] = [];
    s.listeners.push({ syscallExit: (p) => exits.push([p.currentSyscall!.name, p.currentSyscall!.duration, p.currentSyscall!.ret]) });
    feed(s, [
      switchTo(1, 0, 5),
      e("sys_getpid", 1, {}),
      e("exit_syscall", 1, { ret: 5 }),
      e("sys_read", 1, { fd: 0, count: 9 }),
      e("exit_syscall", 1, { ret: -11 }),
    ]);
    expect(exits).toEqual([
      ["getpid", 10, 5],
      ["read", 10, -11],
    ]);
  });

  it("completes a block request without a tid (lttng-modules 2.1) instead of failing", () => {
    const s = new KernelState();
    const done: (number | null)[] = [];
    s.listeners.push({ blockRqComplete: (rq, proc) => done.push(rq.tid, proc === null ? -1 : 0) });
    feed(s, [
      e("lttng_statedump_block_device", 0, { dev: 8388608, diskname: "sda" }),
      e("block_rq_issue", 0, { dev: 8388608, sector: 100, nr_sector: 8, rwbs: 1 }),
      e("block_rq_complete", 0, { dev: 8388608, sector: 100, nr_sector: 8 }),
    ]);
    expect(done).toEqual([null, -1]);
    expect(s.disks.get(8388608)!.diskname).toBe("sda");
  });

  it("takes a fork without child_pid (lttng-modules 2.0) and leaves the child's pid unknown", () => {
    const s = new KernelState();
    feed(s, [e("sched_process_fork", 0, { parent_pid: 1, parent_comm: "init", child_tid: 42, child_comm: "sh" })]);
    expect(s.tids.get(42)).toMatchObject({ tid: 42, pid: null, comm: "sh" });
  });

  it("measures wake-up latency from the first wake-up to the switch in, with the waker", () => {
    const s = new KernelState();
    const seen: [number, number | null, number | null][] = [];
    s.listeners.push({ schedSwitchPerTid: (i) => seen.push([i.nextTid, i.wakee.lastWakeup, i.waker?.tid ?? null]) });
    feed(s, [
      switchTo(0, 0, 7),
      e("sched_waking", 0, { tid: 9, prio: 20, target_cpu: 1 }),
      e("sched_wakeup", 0, { tid: 9, prio: 20, target_cpu: 1 }),
      switchTo(1, 0, 9),
    ]);
    const waking = seen[1]!;
    expect(waking[0]).toBe(9);
    expect(waking[2]).toBe(7);
    // The second wake-up did not move the wake-up time.
    expect(s.tids.get(9)!.lastWakeup).toBeNull();
    expect(waking[1]).toBe(ts - 20);
  });
});

describe("state without descriptors (tracksFds off, for the analyses that read none)", () => {
  /** Every thread's identity as the non-I/O analyses read it, and every syscall exit they see. */
  function run(trace: string, tracksFds: boolean): { threads: unknown[]; exits: string[] } {
    const set = openTraceSet([trace]);
    const s = new KernelState();
    s.tracerVersion = set.traces.find((t) => t.domain === "kernel")?.tracerVersion ?? null;
    s.tracksFds = tracksFds;
    const exits: string[] = [];
    s.listeners.push({ syscallExit: (p) => void exits.push(`${p.tid} ${p.pid} ${p.comm} ${p.currentSyscall!.name} ${p.currentSyscall!.ret}`) });
    try {
      set.forEach!((item) => {
        if (item.kind === "event") s.processEvent(item);
      });
    } finally {
      set.close();
    }
    return { threads: [...s.tids].map(([tid, p]) => [tid, p.tid, p.pid, p.comm, p.prio]), exits };
  }

  it("still learns pids from a pid context and makes the missing owner process at I/O exits", () => {
    const events = [
      // Thread 31 of process 30, which no event names.
      e("sched_process_fork", 0, { parent_pid: 1, parent_comm: "init", child_tid: 31, child_pid: 30, child_comm: "worker" }),
      switchTo(0, 0, 31, "worker"),
      e("syscall_entry_read", 0, { fd: 3, count: 5 }),
      e("syscall_exit_read", 0, { ret: 5 }),
      // Thread 41, pid unknown until a pid context tells it.
      switchTo(1, 0, 41, "other"),
      e("syscall_entry_write", 1, { fd: 1, count: 2 }, { pid: 40 }),
      e("syscall_exit_write", 1, { ret: -9 }),
      e("syscall_entry_close", 1, { fd: 1 }),
      e("syscall_exit_close", 1, { ret: 0 }),
    ];
    const ids = (tracksFds: boolean) => {
      const s = new KernelState();
      s.tracksFds = tracksFds;
      feed(s, events);
      return [...s.tids].map(([tid, p]) => [tid, p.tid, p.pid, p.comm, p.prio]);
    };
    const lite = ids(false);
    expect(lite).toContainEqual([30, 30, 30, "worker", null]);
    expect(lite).toContainEqual([41, 41, 40, "other", 20]);
    expect(lite).toContainEqual([40, 40, 40, "other", 20]);
    expect(lite).toEqual(ids(true));
  });

  // bt-lttng-modules-2.0-pre5 is CTF 0.1, which the reader refuses.
  const traces = readdirSync(TRACES, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== "LICENSES" && d.name !== "bt-lttng-modules-2.0-pre5");
  it.each(traces.map((d) => d.name))("%s: the same threads, pids, names, priorities and syscall exits as with descriptors", (name) => {
    const trace = join(TRACES, name);
    const lite = run(trace, false);
    const full = run(trace, true);
    expect(lite.threads).toEqual(full.threads);
    expect(lite.exits.length).toBe(full.exits.length);
    expect(lite.exits.find((x, i) => x !== full.exits[i])).toBeUndefined();
  });
});
