/**
 * Rebuilds kernel state (threads, file descriptors, disks, IRQs, current syscalls)
 * from events, after lttng-analyses 0.6.1's linuxautomaton/*.py, which is the spec:
 * the same providers run in the same order, so that every analysis sees the same
 * notifications. Where lttng-analyses crashes on older field sets (no `tid` in
 * lttng-modules 2.1's block_rq_issue, no `child_pid` in 2.0's sched_process_fork,
 * no tracer version outside a `kernel` directory), this degrades instead
 * (DEVIATIONS.md).
 */
import type { FieldValue } from "../../ctf/types";
import { field, num, str, type AnalysisEvent } from "../event";
import type { SchedSwitchInfo, StateListener } from "./listener";
import {
  AF_INET,
  BlockIoRequest,
  Cpu,
  DISK_OPEN_SYSCALLS,
  Disk,
  DUP_OPEN_SYSCALLS,
  Fd,
  FdType,
  HardIrq,
  IO_SYSCALLS,
  IoOp,
  IoRqKind,
  O_CLOEXEC,
  OPEN_SYSCALLS,
  Process,
  READ_SYSCALLS,
  SoftIrq,
  SyscallEvent,
  SyscallIoRequest,
  WRITE_SYSCALLS,
} from "./model";

export interface TracerVersion {
  major: number;
  minor: number;
  patch: number;
}

type Handler = (ev: AnalysisEvent) => void;

function versionLt(a: TracerVersion, b: TracerVersion): boolean {
  if (a.major !== b.major) return a.major < b.major;
  if (a.minor !== b.minor) return a.minor < b.minor;
  return a.patch < b.patch;
}

/** Cpu ids below this are looked up in an array rather than the Map. */
const MAX_INDEXED_CPU = 4096;

/**
 * `field(ev, name)` for a name spelled at the call site: a named property load, which the
 * JIT caches per event class, instead of a keyed lookup shared by every class.
 */
function pick(own: FieldValue | undefined, ctx: FieldValue | undefined): FieldValue | undefined {
  return own !== undefined ? own : ctx;
}

/** sched_wak* priorities carry a +100 offset before lttng-modules 2.7.1. */
const PRIO_OFFSET_FIX_VERSION: TracerVersion = { major: 2, minor: 7, patch: 1 };

export function syscallName(eventName: string): string {
  if (eventName.startsWith("sys_")) return eventName.slice(4);
  if (eventName.startsWith("syscall_entry_")) return eventName.slice(14);
  return eventName;
}

export function formatIpv4(ip: unknown, port?: number): string {
  let s: string;
  if (Array.isArray(ip)) s = `${ip[0]}.${ip[1]}.${ip[2]}.${ip[3]}`;
  else {
    const n = Number(ip) >>> 0;
    s = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  return port === undefined ? s : `${s}:${port}`;
}

/** What the I/O provider does at an I/O syscall's entry, decided once per event class. */
const enum IoEntry {
  None,
  DiskOpen,
  Socket,
  Dup,
  Close,
  Read,
  Write,
  Sync,
  Fsync,
  SyncFileRange,
}

function ioEntryKind(name: string): IoEntry {
  if (OPEN_SYSCALLS.has(name)) {
    if (DISK_OPEN_SYSCALLS.has(name)) return IoEntry.DiskOpen;
    if (name === "socket") return IoEntry.Socket;
    return DUP_OPEN_SYSCALLS.has(name) ? IoEntry.Dup : IoEntry.None;
  }
  if (name === "close") return IoEntry.Close;
  // splice and sendfile64 are not in these lists, so lttng-analyses never gets further for them.
  if (READ_SYSCALLS.has(name)) return IoEntry.Read;
  if (WRITE_SYSCALLS.has(name)) return IoEntry.Write;
  if (name === "sync") return IoEntry.Sync;
  if (name === "fsync" || name === "fdatasync") return IoEntry.Fsync;
  if (name === "sync_file_range") return IoEntry.SyncFileRange;
  return IoEntry.None;
}

export class KernelState {
  readonly cpus = new Map<number, Cpu>();
  readonly tids = new Map<number, Process>();
  readonly disks = new Map<number, Disk>();
  /** The values of `cpus`, indexed by small cpu ids (the per-event lookup) and iterated. */
  private readonly cpuById: (Cpu | undefined)[] = [];
  private readonly cpuList: Cpu[] = [];
  pageCount = 0;
  listeners: StateListener[] = [];
  /** From the kernel trace's metadata env; null for user-space traces. */
  tracerVersion: TracerVersion | null = null;
  /**
   * Whether the I/O provider keeps I/O requests and the descriptors that opens, reads,
   * writes, closes and syncs make; only the I/O analyses read them (the one analysis fed by
   * this state turns it off otherwise). Off, these syscalls keep only what the rest of the
   * state gets from them: a thread's pid from a `pid` context, and the process owning a
   * thread's descriptors, made when missing. Statedumps, dups and forks still copy fds.
   */
  tracksFds = true;

  private readonly remapRequests: { dev: number; sector: number; oldDev: number; oldSector: number }[] = [];
  private readonly handlers = new Map<string, Handler | null>();
  /** Reused for every sched_switch notification (listeners read it synchronously). */
  private readonly switchInfo: SchedSwitchInfo = {
    ts: 0,
    cpu: 0,
    prevTid: 0,
    nextTid: 0,
    nextComm: "",
    prevComm: "",
    wakee: new Process(),
    waker: null,
  };

  /** Feeds one event through every state provider, in lttng-analyses' order. */
  processEvent(ev: AnalysisEvent): void {
    let h = this.handlers.get(ev.name);
    if (h === undefined) {
      h = this.buildHandler(ev.name);
      this.handlers.set(ev.name, h);
    }
    if (h !== null) h(ev);
  }

  /**
   * Whether some state provider reads the fields of events of this class; the others need
   * no decoding (their name, time and cpu suffice). Entries of syscalls that are not I/O
   * only record which syscall a thread is in: no field is read.
   */
  readsFields(name: string): boolean {
    if (this.buildHandler(name) === null) return false;
    const isEntry = name.startsWith("sys_") || name.startsWith("syscall_entry_");
    return !isEntry || name === "syscall_entry_connect" || IO_SYSCALLS.has(syscallName(name));
  }

  private buildHandler(name: string): Handler | null {
    const hs: Handler[] = [];
    const isEntry = name.startsWith("sys_") || name.startsWith("syscall_entry_");
    const isExit = name.startsWith("exit_syscall") || name.startsWith("syscall_exit_");
    // Sched
    switch (name) {
      case "sched_switch":
        hs.push((e) => this.schedSwitch(e));
        break;
      case "sched_migrate_task":
        hs.push((e) => this.schedMigrateTask(e));
        break;
      case "sched_wakeup":
      case "sched_wakeup_new":
      case "sched_waking":
        hs.push((e) => this.schedWakeup(e));
        break;
      case "sched_process_fork":
        hs.push((e) => this.schedProcessFork(e));
        break;
      case "sched_process_exec":
        hs.push((e) => this.schedProcessExec(e));
        break;
      case "sched_pi_setprio":
        hs.push((e) => this.checkPrioChanged(e.ts, num(field(e, "tid")) ?? -1, num(field(e, "newprio")) ?? 0));
        break;
    }
    // Mem
    if (name === "mm_page_alloc" || name === "kmem_mm_page_alloc") hs.push((e) => this.pageAlloc(e));
    if (name === "mm_page_free" || name === "kmem_mm_page_free") hs.push((e) => this.pageFree(e));
    // Irq
    switch (name) {
      case "irq_handler_entry":
        hs.push((e) => this.irqHandlerEntry(e));
        break;
      case "irq_handler_exit":
        hs.push((e) => this.irqHandlerExit(e));
        break;
      case "softirq_raise":
        hs.push((e) => this.softirqRaise(e));
        break;
      case "softirq_entry":
        hs.push((e) => this.softirqEntry(e));
        break;
      case "softirq_exit":
        hs.push((e) => this.softirqExit(e));
        break;
    }
    // Syscalls, then I/O, in one handler per class: the thread is looked up once. connect
    // has its own I/O handling instead of the generic entry one.
    if (isEntry) {
      const scName = syscallName(name);
      if (name === "syscall_entry_connect") {
        hs.push((e) => {
          this.syscallEntry(e, scName);
          this.connect(e);
        });
      } else if (IO_SYSCALLS.has(scName)) {
        const kind = ioEntryKind(scName);
        hs.push((e) => this.ioSyscallEntry(e, scName, kind));
      } else hs.push((e) => this.syscallEntry(e, scName));
    } else if (isExit) hs.push((e) => this.syscallExit(e));
    // Statedump
    if (name === "lttng_statedump_process_state") hs.push((e) => this.statedumpProcessState(e));
    if (name === "lttng_statedump_file_descriptor") hs.push((e) => this.statedumpFileDescriptor(e));
    if (name === "lttng_statedump_block_device") hs.push((e) => this.statedumpBlockDevice(e));
    // Block
    if (name === "block_rq_complete") hs.push((e) => this.blockRqComplete(e));
    if (name === "block_rq_issue") hs.push((e) => this.blockRqIssue(e));
    if (name === "block_bio_remap") hs.push((e) => this.blockBioRemap(e));
    if (name === "block_bio_backmerge") hs.push((e) => this.blockBioBackmerge(e));
    // Net
    if (name === "net_dev_xmit") hs.push((e) => this.netDevXmit(e));
    if (name === "netif_receive_skb") hs.push((e) => this.netifReceiveSkb(e));

    if (hs.length === 0) return null;
    if (hs.length === 1) return hs[0]!;
    return (e) => {
      for (let i = 0; i < hs.length; i++) hs[i]!(e);
    };
  }

  // ---- helpers

  getCpu(id: number): Cpu {
    let c = this.findCpu(id);
    if (c === undefined) {
      c = new Cpu(id);
      this.cpus.set(id, c);
      this.cpuList.push(c);
      if (id >= 0 && id < MAX_INDEXED_CPU) this.cpuById[id] = c;
    }
    return c;
  }

  private findCpu(id: number): Cpu | undefined {
    return id >= 0 && id < MAX_INDEXED_CPU ? this.cpuById[id] : this.cpus.get(id);
  }

  private currentProc(cpuId: number): Process | null {
    const cpu = this.findCpu(cpuId);
    if (cpu === undefined || cpu.currentTid === null) return null;
    return this.tids.get(cpu.currentTid) ?? null;
  }

  /** The process owning a thread's file descriptors. */
  parentProc(proc: Process): Process {
    if (proc.pid !== null && proc.tid !== proc.pid) {
      let parent = this.tids.get(proc.pid);
      if (parent === undefined) {
        // lttng-analyses raises KeyError here; an empty owner keeps going.
        parent = new Process(proc.pid, proc.pid, proc.comm);
        this.tids.set(proc.pid, parent);
      }
      return parent;
    }
    return proc;
  }

  private createProc(tid: number): Process {
    let p = this.tids.get(tid);
    if (p === undefined) {
      p = tid === 0 ? new Process(0, 0) : new Process(tid);
      this.tids.set(tid, p);
    }
    return p;
  }

  private checkPrioChanged(ts: number, tid: number, prio: number): void {
    if (tid === 0) return;
    const proc = this.tids.get(tid);
    if (proc !== undefined) this.checkProcPrio(ts, proc, tid, prio);
  }

  /** checkPrioChanged for the thread `tid` maps to, already looked up. */
  private checkProcPrio(ts: number, proc: Process, tid: number, prio: number): void {
    if (tid === 0 || proc.prio === prio) return;
    proc.prio = prio;
    for (const l of this.listeners) l.prioChanged?.(ts, tid, prio);
  }

  // ---- sched

  private schedSwitch(ev: AnalysisEvent): void {
    const p = ev.payload;
    const cpuId = ev.cpu;
    const nextTid = num(p.next_tid) ?? 0;
    const prevTid = num(p.prev_tid) ?? 0;
    const nextComm = str(p.next_comm) ?? "";
    const prevComm = str(p.prev_comm) ?? "";
    this.getCpu(cpuId).currentTid = nextTid === 0 ? null : nextTid;
    const prev = this.createProc(prevTid);
    const next = this.createProc(nextTid);
    next.comm = nextComm;
    next.prevTid = prevTid;
    this.checkProcPrio(ev.ts, prev, prevTid, num(p.prev_prio) ?? 0);
    this.checkProcPrio(ev.ts, next, nextTid, num(p.next_prio) ?? 0);

    if (this.listeners.length > 0) {
      const info = this.switchInfo;
      info.ts = ev.ts;
      info.cpu = cpuId;
      info.prevTid = prevTid;
      info.nextTid = nextTid;
      info.nextComm = nextComm;
      info.prevComm = prevComm;
      info.wakee = next;
      info.waker = next.lastWaker !== null ? (this.tids.get(next.lastWaker) ?? null) : null;
      for (const l of this.listeners) l.schedSwitchPerCpu?.(info);
      for (const l of this.listeners) l.schedSwitchPerTid?.(info);
    }
    next.lastWakeup = null;
    next.lastWaker = null;
  }

  private schedMigrateTask(ev: AnalysisEvent): void {
    const tid = num(field(ev, "tid")) ?? 0;
    let proc = this.tids.get(tid);
    if (proc === undefined) {
      proc = new Process(tid, null, str(field(ev, "comm")) ?? "");
      this.tids.set(tid, proc);
    }
    for (const l of this.listeners) l.schedMigrateTask?.(proc, ev.cpu);
    this.checkPrioChanged(ev.ts, tid, num(field(ev, "prio")) ?? 0);
  }

  private schedWakeup(ev: AnalysisEvent): void {
    const p = ev.payload;
    const c = ev.context;
    const targetCpu = num(pick(p.target_cpu, c.target_cpu)) ?? ev.cpu;
    const currentCpu = ev.cpu;
    let prio = num(pick(p.prio, c.prio)) ?? 0;
    const tid = num(pick(p.tid, c.tid)) ?? 0;
    if (this.tracerVersion !== null && versionLt(this.tracerVersion, PRIO_OFFSET_FIX_VERSION)) prio -= 100;
    this.getCpu(targetCpu);
    const cur = this.getCpu(currentCpu);
    // Already running somewhere: not a wake-up.
    const cpus = this.cpuList;
    for (let i = 0; i < cpus.length; i++) if (cpus[i]!.currentTid === tid) return;
    let proc = this.tids.get(tid);
    if (proc === undefined) {
      proc = new Process(tid);
      this.tids.set(tid, proc);
    }
    this.checkProcPrio(ev.ts, proc, tid, prio);
    // Only the first of several wake-ups counts.
    if (proc.lastWakeup === null) {
      proc.lastWakeup = ev.ts;
      if (cur.currentTid !== null) proc.lastWaker = cur.currentTid;
    }
  }

  private schedProcessFork(ev: AnalysisEvent): void {
    const p = ev.payload;
    const childTid = num(p.child_tid) ?? 0;
    // lttng-modules 2.0 has no child_pid (lttng-analyses crashes): the pid stays unknown.
    const childPid = num(p.child_pid) ?? null;
    const childComm = str(p.child_comm) ?? "";
    const parentPid = num(p.parent_pid) ?? 0;
    // lttng-analyses keys the parent by its pid, not parent_tid; kept for identical state.
    const parentTid = parentPid;
    const parentComm = str(p.parent_comm) ?? "";
    let parent = this.tids.get(parentTid);
    if (parent === undefined) {
      parent = new Process(parentTid, parentPid, parentComm);
      this.tids.set(parentTid, parent);
    } else {
      parent.pid = parentPid;
      parent.comm = parentComm;
    }
    const child = new Process(childTid, childPid, childComm);
    if (parent.hasFds)
      for (const [fd, f] of parent.fds) {
        child.fds.set(fd, Fd.copy(f));
        for (const l of this.listeners) l.createFd?.(fd, child, ev.ts, ev.cpu);
      }
    this.tids.set(childTid, child);
  }

  private schedProcessExec(ev: AnalysisEvent): void {
    const tid = num(field(ev, "tid")) ?? 0;
    let proc = this.tids.get(tid);
    if (proc === undefined) {
      proc = new Process(tid);
      this.tids.set(tid, proc);
    }
    const procname = str(field(ev, "procname"));
    if (procname !== undefined) proc.comm = procname;
    if (!proc.hasFds) return;
    const toRemove: number[] = [];
    for (const [fd, f] of proc.fds) if (f.cloexec) toRemove.push(fd);
    for (const fd of toRemove) {
      for (const l of this.listeners) l.closeFd?.(fd, proc, ev.ts, ev.cpu);
      proc.fds.delete(fd);
    }
  }

  // ---- mem

  private pageAlloc(ev: AnalysisEvent): void {
    this.pageCount++;
    const proc = this.currentProc(ev.cpu);
    if (proc === null) return;
    for (const l of this.listeners) l.tidPageAlloc?.(proc, ev.cpu);
  }

  private pageFree(ev: AnalysisEvent): void {
    if (this.pageCount === 0) return;
    this.pageCount--;
    const proc = this.currentProc(ev.cpu);
    if (proc === null) return;
    for (const l of this.listeners) l.tidPageFree?.(proc, ev.cpu);
  }

  // ---- irq

  private irqHandlerEntry(ev: AnalysisEvent): void {
    const cpu = this.getCpu(ev.cpu);
    const irq = new HardIrq(num(field(ev, "irq")) ?? 0, ev.cpu, ev.ts);
    cpu.currentHardIrq = irq;
    const name = str(field(ev, "name")) ?? "";
    for (const l of this.listeners) l.irqHandlerEntry?.(irq.id, name);
  }

  private irqHandlerExit(ev: AnalysisEvent): void {
    const cpu = this.getCpu(ev.cpu);
    const irq = cpu.currentHardIrq;
    if (irq === null || irq.id !== num(field(ev, "irq"))) {
      cpu.currentHardIrq = null;
      return;
    }
    irq.endTs = ev.ts;
    irq.ret = num(field(ev, "ret")) ?? null;
    for (const l of this.listeners) l.irqHandlerExit?.(irq);
    cpu.currentHardIrq = null;
  }

  private static vec(ev: AnalysisEvent): number {
    return num(pick(ev.payload.vec, ev.context.vec)) ?? 0;
  }

  private softirqs(ev: AnalysisEvent, vec: number): SoftIrq[] {
    const cpu = this.getCpu(ev.cpu);
    let list = cpu.currentSoftirqs.get(vec);
    if (list === undefined) {
      list = [];
      cpu.currentSoftirqs.set(vec, list);
    }
    return list;
  }

  private softirqRaise(ev: AnalysisEvent): void {
    const vec = KernelState.vec(ev);
    const list = this.softirqs(ev, vec);
    // Softirqs are level-triggered: a second raise before the entry adds nothing.
    if (list.length > 0 && list[0]!.beginTs === null) return;
    list.push(new SoftIrq(vec, ev.cpu, ev.ts, null));
  }

  private softirqEntry(ev: AnalysisEvent): void {
    const vec = KernelState.vec(ev);
    const list = this.softirqs(ev, vec);
    if (list.length > 0) list[0]!.beginTs = ev.ts;
    else list.push(new SoftIrq(vec, ev.cpu, null, ev.ts));
  }

  private softirqExit(ev: AnalysisEvent): void {
    const cpu = this.getCpu(ev.cpu);
    const list = cpu.currentSoftirqs.get(KernelState.vec(ev));
    if (list === undefined || list.length === 0) return;
    const irq = list[0]!;
    irq.endTs = ev.ts;
    for (const l of this.listeners) l.softirqExit?.(irq);
    list.shift();
  }

  // ---- syscalls

  private static beginSyscall(proc: Process, name: string, ts: number, isIo: boolean): SyscallEvent {
    let slot = proc.syscallSlot;
    if (slot === null) slot = proc.syscallSlot = new SyscallEvent();
    return (proc.currentSyscall = slot.reset(name, ts, isIo));
  }

  private syscallEntry(ev: AnalysisEvent, name: string): void {
    const proc = this.currentProc(ev.cpu);
    if (proc !== null) KernelState.beginSyscall(proc, name, ev.ts, false);
  }

  /** The syscall provider's exit, then (for I/O syscalls) the I/O provider's. */
  private syscallExit(ev: AnalysisEvent): void {
    const proc = this.currentProc(ev.cpu);
    if (proc === null) return;
    const sc = proc.currentSyscall;
    if (sc === null) return;
    // Some old arm32 tracers recorded no return value.
    const ret = num(pick(ev.payload.ret, ev.context.ret));
    sc.endTs = ev.ts;
    sc.ret = ret ?? null;
    sc.duration = ev.ts - sc.beginTs;
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i]!.syscallExit?.(proc, ev, ev.cpu);
    // The I/O provider clears I/O syscalls after its own exit handling.
    if (sc.isIo) this.ioSyscallExit(ev, proc, sc, ret);
    proc.currentSyscall = null;
  }

  // ---- I/O

  private ioSyscallEntry(ev: AnalysisEvent, name: string, kind: IoEntry): void {
    const proc = this.currentProc(ev.cpu);
    if (proc === null) return;
    const sc = KernelState.beginSyscall(proc, name, ev.ts, true);
    this.fixContextPid(ev, proc);
    if (!this.tracksFds && kind !== IoEntry.Dup) {
      sc.untracked = kind !== IoEntry.None;
      return;
    }
    const tid = proc.tid ?? 0;
    const p = ev.payload;
    const c = ev.context;
    let rq: SyscallIoRequest;
    switch (kind) {
      case IoEntry.DiskOpen:
        rq = new SyscallIoRequest(IoRqKind.Open, ev.ts, null, tid, IoOp.Open, name);
        rq.filename = str(pick(p.filename, c.filename)) ?? "unknown";
        rq.fdType = FdType.Disk;
        rq.cloexec = ((num(pick(p.flags, c.flags)) ?? 0) & O_CLOEXEC) === O_CLOEXEC;
        break;
      case IoEntry.Socket: {
        rq = new SyscallIoRequest(IoRqKind.Open, ev.ts, null, tid, IoOp.Open, "socket");
        rq.filename = "socket";
        rq.fdType = FdType.Net;
        const family = num(pick(p.family, c.family));
        if (family !== undefined) rq.family = family;
        break;
      }
      case IoEntry.Dup:
        this.trackDup(ev, name, proc, sc);
        return;
      case IoEntry.Close:
        rq = new SyscallIoRequest(IoRqKind.Close, ev.ts, null, tid, IoOp.Close, "close");
        rq.fd = num(pick(p.fd, c.fd)) ?? null;
        break;
      case IoEntry.Read:
      case IoEntry.Write: {
        let size: number | null;
        if (name === "writev" || name === "pwritev" || name === "readv" || name === "preadv") size = num(pick(p.vlen, c.vlen)) ?? null;
        else if (name === "recvfrom") size = num(pick(p.size, c.size)) ?? null;
        else if (name === "sendto") size = num(pick(p.len, c.len)) ?? null;
        else if (name === "recvmsg" || name === "sendmsg") size = null;
        else size = num(pick(p.count, c.count)) ?? null;
        rq = new SyscallIoRequest(IoRqKind.ReadWrite, ev.ts, size, tid, kind === IoEntry.Read ? IoOp.Read : IoOp.Write, name);
        rq.fd = num(pick(p.fd, c.fd)) ?? null;
        break;
      }
      case IoEntry.Sync:
        rq = new SyscallIoRequest(IoRqKind.Sync, ev.ts, null, tid, IoOp.Sync, "sync");
        break;
      case IoEntry.Fsync:
        rq = new SyscallIoRequest(IoRqKind.Sync, ev.ts, null, tid, IoOp.Sync, name);
        rq.fd = num(pick(p.fd, c.fd)) ?? null;
        break;
      case IoEntry.SyncFileRange:
        rq = new SyscallIoRequest(IoRqKind.Sync, ev.ts, num(pick(p.nbytes, c.nbytes)) ?? null, tid, IoOp.Sync, name);
        rq.fd = num(pick(p.fd, c.fd)) ?? null;
        break;
      default:
        // splice and sendfile64 are in no list lttng-analyses reads: no request.
        return;
    }
    sc.ioRq = rq;
  }

  private trackDup(ev: AnalysisEvent, name: string, proc: Process, sc: SyscallEvent): void {
    const parent = this.parentProc(proc);
    const fds = parent.fds;
    let oldfd: number | undefined;
    if (name === "dup") oldfd = num(field(ev, "fildes"));
    else if (name === "dup2" || name === "dup3") {
      oldfd = num(field(ev, "oldfd"));
      const newfd = num(field(ev, "newfd"));
      if (newfd !== undefined && fds.has(newfd)) this.closeFd(parent, newfd, ev.ts, ev.cpu);
    } else {
      // fcntl: only F_DUPFD (0) opens a descriptor.
      if (num(field(ev, "cmd")) !== 0) return;
      oldfd = num(field(ev, "fd"));
    }
    const old = oldfd === undefined ? undefined : fds.get(oldfd);
    const rq = new SyscallIoRequest(IoRqKind.Open, ev.ts, null, proc.tid ?? 0, IoOp.Open, name);
    if (old !== undefined) {
      rq.filename = old.filename;
      rq.fdType = old.fdType;
    }
    if (name === "dup3") rq.cloexec = ((num(field(ev, "flags")) ?? 0) & O_CLOEXEC) === O_CLOEXEC;
    sc.ioRq = rq;
  }

  private ioSyscallExit(ev: AnalysisEvent, proc: Process, sc: SyscallEvent, ret: number | undefined): void {
    if (sc.untracked) {
      // All that the tracked exit below leaves besides fds: the owner process.
      if (ret !== undefined) this.parentProc(proc);
      return;
    }
    const rq = sc.ioRq;
    // fcntl other than F_DUPFD opened nothing; no `ret` means a broken old tracer.
    if (rq !== null && ret !== undefined) {
      rq.updateFromExit(ev.ts, ret);
      if (ret >= 0) this.createFd(proc, rq, ev.cpu);
      const parent = this.parentProc(proc);
      for (const l of this.listeners) l.ioRqExit?.(rq, proc, parent, ev.cpu);
      if (rq.kind === IoRqKind.Close && ret === 0 && rq.fd !== null) this.closeFd(proc, rq.fd, rq.endTs ?? ev.ts, ev.cpu);
    }
  }

  private createFd(proc: Process, rq: SyscallIoRequest, cpu: number): void {
    const parent = this.parentProc(proc);
    const ts = rq.endTs ?? 0;
    if (rq.fd !== null && !parent.fds.has(rq.fd)) {
      parent.fds.set(rq.fd, rq.kind === IoRqKind.Open ? new Fd(rq.fd, rq.filename, rq.fdType, rq.cloexec, rq.family) : new Fd(rq.fd));
      for (const l of this.listeners) l.createFd?.(rq.fd, parent, ts, cpu);
    } else if (rq.kind === IoRqKind.ReadWrite) {
      for (const fd of [rq.fdIn, rq.fdOut]) {
        if (fd !== null && !parent.fds.has(fd)) {
          parent.fds.set(fd, new Fd(fd));
          for (const l of this.listeners) l.createFd?.(fd, parent, ts, cpu);
        }
      }
    }
  }

  private closeFd(proc: Process, fd: number, ts: number, cpu: number): void {
    const parent = this.parentProc(proc);
    for (const l of this.listeners) l.closeFd?.(fd, parent, ts, cpu);
    parent.fds.delete(fd);
  }

  private connect(ev: AnalysisEvent): void {
    const proc = this.currentProc(ev.cpu);
    if (proc === null) return;
    const parent = this.parentProc(proc);
    if (num(field(ev, "family")) !== AF_INET) return;
    const fd = num(field(ev, "fd")) ?? -1;
    const f = parent.fds.get(fd);
    if (f !== undefined) f.filename = formatIpv4(field(ev, "v4addr"), num(field(ev, "dport")));
    // lttng-analyses passes the thread, not the fd owner, here.
    for (const l of this.listeners) l.updateFd?.(fd, proc, ev.ts, ev.cpu);
  }

  /** A `pid` context tells a thread's process before any statedump or fork does. */
  private fixContextPid(ev: AnalysisEvent, proc: Process): void {
    const pid = num(ev.context.pid);
    if (pid === undefined || ev.payload.pid !== undefined) return;
    if (proc.pid === null) {
      proc.pid = pid;
      if (pid !== proc.tid) this.tids.set(pid, new Process(pid, pid, proc.comm, proc.prio));
    }
  }

  // ---- statedump

  private statedumpBlockDevice(ev: AnalysisEvent): void {
    const dev = num(field(ev, "dev")) ?? 0;
    const diskname = str(field(ev, "diskname")) ?? "";
    const d = this.disks.get(dev);
    if (d === undefined) this.disks.set(dev, new Disk(dev, diskname));
    else if (d.diskname === null) d.diskname = diskname;
    for (const l of this.listeners) l.statedumpBlockDevice?.(dev, diskname);
  }

  private statedumpProcessState(ev: AnalysisEvent): void {
    const tid = num(field(ev, "tid")) ?? 0;
    const pid = num(field(ev, "pid")) ?? tid;
    const name = str(field(ev, "name")) ?? "";
    const prio = num(field(ev, "prio")) ?? null;
    let proc = this.tids.get(tid);
    if (proc === undefined) {
      proc = new Process(tid);
      this.tids.set(tid, proc);
    }
    proc.pid = pid;
    proc.comm = name;
    if (proc.prio === null) proc.prio = prio;
    if (pid !== tid) {
      let parent = this.tids.get(pid);
      if (parent === undefined) {
        parent = new Process(pid, pid, name);
        this.tids.set(pid, parent);
      }
      // A thread's descriptors belong to its process.
      if (proc.hasFds) {
        for (const [fd, f] of proc.fds) {
          const pf = parent.fds.get(fd);
          if (pf === undefined) parent.fds.set(fd, f);
          else if (!pf.filename) pf.filename = f.filename;
        }
        proc.fds.clear();
      }
      for (const l of this.listeners) l.createParentProc?.(proc, parent);
    }
  }

  private statedumpFileDescriptor(ev: AnalysisEvent): void {
    const pid = num(field(ev, "pid")) ?? 0;
    const fd = num(field(ev, "fd")) ?? 0;
    const filename = str(field(ev, "filename")) ?? "unknown";
    const cloexec = ((num(field(ev, "flags")) ?? 0) & O_CLOEXEC) === O_CLOEXEC;
    let proc = this.tids.get(pid);
    if (proc === undefined) {
      proc = new Process(pid, pid);
      this.tids.set(pid, proc);
    }
    const f = proc.fds.get(fd);
    if (f === undefined) {
      proc.fds.set(fd, new Fd(fd, filename, FdType.Unknown, cloexec));
      for (const l of this.listeners) l.createFd?.(fd, proc, ev.ts, ev.cpu);
    } else {
      f.filename = filename;
      for (const l of this.listeners) l.updateFd?.(fd, proc, ev.ts, ev.cpu);
    }
  }

  // ---- block

  private blockBioRemap(ev: AnalysisEvent): void {
    const dev = num(field(ev, "dev")) ?? 0;
    const sector = num(field(ev, "sector")) ?? 0;
    const oldDev = num(field(ev, "old_dev")) ?? 0;
    const oldSector = num(field(ev, "old_sector")) ?? 0;
    for (const r of this.remapRequests) {
      if (r.dev === oldDev && r.sector === oldSector) {
        r.dev = dev;
        r.sector = sector;
        return;
      }
    }
    this.remapRequests.push({ dev, sector, oldDev, oldSector });
  }

  private blockBioBackmerge(ev: AnalysisEvent): void {
    const dev = num(field(ev, "dev")) ?? 0;
    const sector = num(field(ev, "sector")) ?? 0;
    // lttng-analyses removes while iterating, which skips the element after each removal.
    const rs = this.remapRequests;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      if (r.dev === dev && r.sector === sector) rs.splice(i, 1);
    }
  }

  private blockRqIssue(ev: AnalysisEvent): void {
    let dev = num(field(ev, "dev")) ?? 0;
    const sector = num(field(ev, "sector")) ?? 0;
    const nrSector = num(field(ev, "nr_sector")) ?? 0;
    if (nrSector === 0) return;
    // lttng-modules 2.1 has no tid here (lttng-analyses crashes): the request has no owner.
    const tid = num(field(ev, "tid")) ?? null;
    const rwbs = num(field(ev, "rwbs")) ?? 0;
    const req = new BlockIoRequest(ev.ts, tid, rwbs % 2 === 0 ? IoOp.Read : IoOp.Write, dev, sector, nrSector);
    for (const r of this.remapRequests) {
      if (r.dev === dev && r.sector === sector) {
        dev = r.oldDev;
        break;
      }
    }
    let disk = this.disks.get(dev);
    if (disk === undefined) {
      disk = new Disk(dev);
      this.disks.set(dev, disk);
    }
    disk.pendingRequests.set(sector, req);
  }

  private blockRqComplete(ev: AnalysisEvent): void {
    let dev = num(field(ev, "dev")) ?? 0;
    const sector = num(field(ev, "sector")) ?? 0;
    const nrSector = num(field(ev, "nr_sector")) ?? 0;
    if (nrSector === 0) return;
    const rs = this.remapRequests;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      if (r.dev === dev && r.sector === sector) {
        dev = r.oldDev;
        rs.splice(i, 1);
        break;
      }
    }
    let disk = this.disks.get(dev);
    if (disk === undefined) {
      disk = new Disk(dev);
      this.disks.set(dev, disk);
    }
    const req = disk.pendingRequests.get(sector);
    if (req === undefined || req.nrSector !== nrSector) return;
    req.endTs = ev.ts;
    req.duration = ev.ts - req.beginTs;
    const proc = req.tid === null ? null : (this.tids.get(req.tid) ?? null);
    for (const l of this.listeners) l.blockRqComplete?.(req, proc, ev.cpu, disk);
    disk.pendingRequests.delete(sector);
  }

  // ---- net

  private netDevXmit(ev: AnalysisEvent): void {
    const iface = str(field(ev, "name")) ?? "";
    const len = num(field(ev, "len")) ?? 0;
    for (const l of this.listeners) l.netDevXmit?.(iface, len, ev.cpu);
    let proc = this.currentProc(ev.cpu);
    if (proc === null) return;
    const sc = proc.currentSyscall;
    if (sc === null) return;
    if (proc.pid !== null && proc.pid !== proc.tid) proc = this.tids.get(proc.pid) ?? proc;
    if (WRITE_SYSCALLS.has(sc.name) && sc.ioRq !== null && sc.ioRq.fd !== null) {
      const f = proc.fds.get(sc.ioRq.fd);
      if (f !== undefined && f.fdType === FdType.Unknown) f.fdType = FdType.MaybeNet;
    }
  }

  private netifReceiveSkb(ev: AnalysisEvent): void {
    const iface = str(field(ev, "name")) ?? "";
    const len = num(field(ev, "len")) ?? 0;
    for (const l of this.listeners) l.netifReceiveSkb?.(iface, len, ev.cpu);
  }
}
