import { describe, expect, it } from "vitest";
import type { AnalysisEvent } from "../event";
import { KernelState } from "./automaton";
import type { StateListener } from "./listener";

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
    feed(s, [switchTo(1, 0, 5), e("sys_getpid", 1, {}), e("exit_syscall", 1, { ret: 5 }), e("sys_read", 1, { fd: 0, count: 9 }), e("exit_syscall", 1, { ret: -11 })]);
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
