import { describe, expect, it } from "vitest";
import { eventsNeeded } from "./events-needed";

const REQ = 'req:$evt.$name == "demo:request_begin" : $evt.$name == "demo:request_end" && $evt.id == $begin.$evt.id';

describe("eventsNeeded (the classes whose fields a run reads)", () => {
  it("kernel analyses: what the state machine reads; non-I/O syscall entries and unhandled classes are skipped", () => {
    const want = eventsNeeded("iolatencytop", {})!;
    for (const n of [
      "sched_switch",
      "sched_process_fork",
      "syscall_entry_open",
      "syscall_entry_read",
      "syscall_entry_connect",
      "syscall_exit_madvise",
      "lttng_statedump_process_state",
    ])
      expect(want(n), n).toBe(true);
    for (const n of ["syscall_entry_madvise", "syscall_entry_futex", "sched_process_free", "irq_softirq_raise", "demo:request_begin"])
      expect(want(n), n).toBe(false);
  });

  it("adds the events a --period names, or every event when a definition does not name them", () => {
    const want = eventsNeeded("schedtop", { period: ['p:$evt.$name == "sched_process_free" : $evt.$name == "sched_process_exit"'] })!;
    expect(want("sched_process_free")).toBe(true);
    expect(want("sched_process_exit")).toBe(true);
    expect(want("syscall_entry_futex")).toBe(false);
    expect(eventsNeeded("schedtop", { period: ['p:$evt.$name == "a" || $evt.$name == "b" : $evt.$name == "c"'] })).toBeUndefined();
  });

  it("period analyses: the begin and end events of the definitions, or the --duration-field class", () => {
    const want = eventsNeeded("periodstats", { period: [REQ] })!;
    expect([want("demo:request_begin"), want("demo:request_end"), want("demo:io")]).toEqual([true, true, false]);
    const dur = eventsNeeded("periodstats", { durationField: "demo:request_end.latency_ns" })!;
    expect([dur("demo:request_end"), dur("demo:request_begin")]).toEqual([true, false]);
    // Deprecated options too: --period-begin/--period-end.
    const old = eventsNeeded("periodstats", { periodBegin: "demo:request_begin", periodEnd: "demo:request_end" })!;
    expect([old("demo:request_begin"), old("demo:request_end"), old("demo:io")]).toEqual([true, true, false]);
  });

  it("bad period options decode everything (the run reports them)", () => {
    expect(eventsNeeded("periodstats", { period: ["p:$evt.$name =="] })).toBeUndefined();
  });
});
