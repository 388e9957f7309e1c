/**
 * I/O analyses (iolatencytop, iolatencyfreq, iolatencystats, iolog, iousagetop),
 * after lttng-analyses 0.6.1's core/io.py (accumulation) and cli/io.py (tables).
 */
import { mi, ResultTable, type TableClassSpec } from "../lami/values";
import type { LamiValue } from "../lami/types";
import type { Period } from "../periods/engine";
import type { StateListener } from "../state/listener";
import {
  FdType,
  IoOp,
  IoRqKind,
  isEquivalentOp,
  type BlockIoRequest,
  type Disk,
  type Fd,
  type IoRequest,
  type Process,
  type SyscallIoRequest,
} from "../state/model";
import { Analysis, type PeriodData } from "./base";
import { maxOf, minOf, stdev, sumOf } from "./stats";
import { TopByDesc, topByDesc } from "./top";
import { DEFAULT_LIMIT, DEFAULT_FREQ_RESOLUTION } from "../options";

// One row per I/O system call: the top tables and the log share it.
const syscallColumns = [
  ["time_range", "Call time range", "time-range"],
  ["out_of_range", "System call out of range?", "bool"],
  ["duration", "Call duration", "duration"],
  ["syscall", "System call", "syscall"],
  ["size", "Read/write size", "size"],
  ["process", "Process", "process"],
  ["path", "File path", "path"],
  ["fd", "File descriptor", "fd"],
] as const;

export const IO_TABLE_CLASSES = {
  syscallLatencyStats: {
    name: "syscall-latency-stats",
    title: "System call latency statistics",
    columns: [
      ["obj", "System call category", "string"],
      ["count", "Call count", "number", "calls"],
      ["min_latency", "Minimum call latency", "duration"],
      ["avg_latency", "Average call latency", "duration"],
      ["max_latency", "Maximum call latency", "duration"],
      ["stdev_latency", "System call latency standard deviation", "duration"],
    ],
  },
  diskLatencyStats: {
    name: "disk-latency-stats",
    title: "Partition latency statistics",
    columns: [
      ["obj", "Partition", "disk"],
      ["count", "Access count", "number", "accesses"],
      ["min_latency", "Minimum access latency", "duration"],
      ["avg_latency", "Average access latency", "duration"],
      ["max_latency", "Maximum access latency", "duration"],
      ["stdev_latency", "System access latency standard deviation", "duration"],
    ],
  },
  freq: {
    name: "freq",
    title: "I/O request latency distribution",
    columns: [
      ["latency_lower", "Latency (lower bound)", "duration"],
      ["latency_upper", "Latency (upper bound)", "duration"],
      ["count", "Request count", "number", "requests"],
    ],
  },
  topSyscall: {
    name: "top-syscall",
    title: "Top system call latencies",
    columns: syscallColumns,
  },
  log: {
    name: "log",
    title: "I/O operations log",
    columns: syscallColumns,
  },
  perProcessTop: {
    name: "per-process-top",
    title: "Per-process top I/O operations",
    columns: [
      ["process", "Process", "process"],
      ["size", "Total operations size", "size"],
      ["disk_size", "Disk operations size", "size"],
      ["net_size", "Network operations size", "size"],
      ["unknown_size", "Unknown operations size", "size"],
    ],
  },
  perFileTop: {
    name: "per-file-top",
    title: "Per-file top I/O operations",
    columns: [
      ["path", "File path/info", "path"],
      ["size", "Operations size", "size"],
      ["fd_owners", "File descriptor owners", "string"],
    ],
  },
  perProcessTopBlock: {
    name: "per-process-top-block",
    title: "Per-process top block I/O operations",
    columns: [
      ["process", "Process", "process"],
      ["size", "Operations size", "size"],
    ],
  },
  perDiskTopSector: {
    name: "per-disk-top-sector",
    title: "Per-disk top sector I/O operations",
    columns: [
      ["disk", "Disk", "disk"],
      ["count", "Sector count", "number", "sectors"],
    ],
  },
  perDiskTopRequest: {
    name: "per-disk-top-request",
    title: "Per-disk top I/O requests",
    columns: [
      ["disk", "Disk", "disk"],
      ["count", "Request count", "number", "I/O requests"],
    ],
  },
  perDiskTopRtps: {
    name: "per-disk-top-rps",
    title: "Per-disk top I/O request time/sector",
    columns: [
      ["disk", "Disk", "disk"],
      ["rtps", "Request time/sector", "duration"],
    ],
  },
  perNetifTop: {
    name: "per-netif-top",
    title: "Per-network interface top I/O operations",
    columns: [
      ["netif", "Network interface", "netif"],
      ["size", "Operations size", "size"],
    ],
  },
} satisfies Record<string, TableClassSpec>;

class IoCounters {
  read = 0;
  write = 0;
}

class FdStats {
  closeTs: number | null = null;
  /** Bytes read and written (counters as plain fields: one object per open file, not two). */
  read = 0;
  write = 0;
  constructor(
    readonly fd: number,
    public filename: string,
    readonly fdType: FdType,
    readonly openTs: number,
  ) {}
  static from(f: Fd, ts: number): FdStats {
    return new FdStats(f.fd, f.filename, f.fdType, ts);
  }
  update(rq: SyscallIoRequest): void {
    const size = rq.returnedSize ?? 0;
    if (rq.operation === IoOp.Read) this.read += size;
    else if (rq.operation === IoOp.Write) this.write += size;
    else if (rq.operation === IoOp.ReadWrite) {
      if (this.fd === rq.fdIn) this.read += size;
      else if (this.fd === rq.fdOut) this.write += size;
    }
  }
}

class ProcessIoStats {
  // Bytes by fd type and direction, as plain fields: thousands of threads do some I/O.
  diskRead = 0;
  diskWrite = 0;
  netRead = 0;
  netWrite = 0;
  unkRead = 0;
  unkWrite = 0;
  blockRead = 0;
  blockWrite = 0;
  private fdMap: Map<number, FdStats[]> | null = null;
  rqList: IoRequest[] = [];
  constructor(
    public pid: number | null,
    readonly tid: number,
    public comm: string,
  ) {}
  static from(p: Process): ProcessIoStats {
    return new ProcessIoStats(p.pid, p.tid ?? 0, p.comm);
  }
  /** FdStats per fd number, oldest first; a map made at first use (threads' descriptors belong to their process). */
  get fds(): Map<number, FdStats[]> {
    return (this.fdMap ??= new Map());
  }
  get totalRead(): number {
    return this.diskRead + this.netRead + this.unkRead;
  }
  get totalWrite(): number {
    return this.diskWrite + this.netWrite + this.unkWrite;
  }

  /** The open FdStats for `fd`, or the one alive at `ts` (lttng-analyses' binary search). */
  getFd(fd: number | null, ts?: number): FdStats | null {
    if (fd === null || this.fdMap === null) return null;
    const list = this.fdMap.get(fd);
    if (list === undefined || list.length === 0) return null;
    if (ts === undefined) {
      const last = list[list.length - 1]!;
      return last.closeTs !== null ? null : last;
    }
    let lo = 0;
    let hi = list.length;
    while (hi > lo) {
      const mid = lo + ((hi - lo) >> 1);
      const f = list[mid]!;
      if (f.closeTs === null) return ts >= f.openTs ? f : null;
      if (f.openTs <= ts && ts <= f.closeTs) return f;
      if (ts < f.openTs) hi = mid;
      else lo = mid + 1;
    }
    return null;
  }

  private add(size: number, type: FdType, read: boolean): void {
    if (type === FdType.Disk) {
      if (read) this.diskRead += size;
      else this.diskWrite += size;
    } else if (type === FdType.Net || type === FdType.MaybeNet) {
      if (read) this.netRead += size;
      else this.netWrite += size;
    } else if (read) this.unkRead += size;
    else this.unkWrite += size;
  }

  updateIo(rq: SyscallIoRequest, fdType: FdType, fdInType: FdType, fdOutType: FdType): void {
    this.rqList.push(rq);
    if (rq.size === null || rq.errno !== null) return;
    const size = rq.returnedSize ?? 0;
    if (rq.operation === IoOp.Read) this.add(size, fdType, true);
    else if (rq.operation === IoOp.Write) this.add(size, fdType, false);
    else if (rq.operation === IoOp.ReadWrite) {
      this.add(size, fdInType, true);
      this.add(size, fdOutType, false);
    }
  }

  updateFd(rq: SyscallIoRequest): void {
    if (rq.errno !== null) return;
    const f = this.getFd(rq.fd);
    if (f === null) return;
    f.update(rq);
    if (rq.kind === IoRqKind.ReadWrite) {
      if (rq.fdIn !== null) this.getFd(rq.fdIn)?.update(rq);
      if (rq.fdOut !== null) this.getFd(rq.fdOut)?.update(rq);
    }
  }
}

class DiskStats {
  minRqDuration: number | null = null;
  maxRqDuration: number | null = null;
  totalRqSectors = 0;
  totalRqDuration = 0;
  rqList: BlockIoRequest[] = [];
  diskname: string;
  constructor(
    readonly dev: number,
    diskname: string | null,
  ) {
    // (major,minor) from include/linux/kdev_t.h
    this.diskname = diskname ?? `(${Math.floor(dev / 2 ** 20)},${dev % 2 ** 20})`;
  }
  update(rq: BlockIoRequest): void {
    if (this.minRqDuration === null || rq.duration < this.minRqDuration) this.minRqDuration = rq.duration;
    if (this.maxRqDuration === null || rq.duration > this.maxRqDuration) this.maxRqDuration = rq.duration;
    this.totalRqSectors += rq.nrSector;
    this.totalRqDuration += rq.duration;
    this.rqList.push(rq);
  }
}

class IfaceStats {
  recvBytes = 0;
  recvPackets = 0;
  sentBytes = 0;
  sentPackets = 0;
  constructor(readonly name: string) {}
}

class FileStats {
  io = new IoCounters();
  fdByPid = new Map<number, number>();
  constructor(readonly filename: string) {}
}

const GENERIC_NAMES = ["pipe", "socket", "anon_inode", "unknown"];

interface IoPeriodData extends PeriodData {
  disks: Map<number, DiskStats>;
  ifaces: Map<string, IfaceStats>;
  tids: Map<number, ProcessIoStats>;
}

export type IoCommand = "iolatencytop" | "iolatencyfreq" | "iolatencystats" | "iolog" | "iousagetop";

export class IoAnalysis extends Analysis<IoPeriodData> {
  command: IoCommand = "iolatencytop";

  protected createPeriodData(period: Period): IoPeriodData {
    const pd: IoPeriodData = { period, listener: {}, disks: new Map(), ifaces: new Map(), tids: new Map() };
    pd.listener = this.listenerFor(pd);
    return pd;
  }

  private stats(pd: IoPeriodData, p: Process): ProcessIoStats {
    const tid = p.tid ?? 0;
    let s = pd.tids.get(tid);
    if (s === undefined) {
      s = ProcessIoStats.from(p);
      pd.tids.set(tid, s);
    }
    return s;
  }

  private listenerFor(pd: IoPeriodData): StateListener {
    const iface = (name: string): IfaceStats => {
      let i = pd.ifaces.get(name);
      if (i === undefined) {
        i = new IfaceStats(name);
        pd.ifaces.set(name, i);
      }
      return i;
    };
    return {
      netDevXmit: (name, bytes) => {
        const i = iface(name);
        i.sentPackets++;
        i.sentBytes += bytes;
      },
      netifReceiveSkb: (name, bytes) => {
        const i = iface(name);
        i.recvPackets++;
        i.recvBytes += bytes;
      },
      blockRqComplete: (req: BlockIoRequest, proc: Process | null, _cpu: number, disk: Disk) => {
        let d = pd.disks.get(disk.dev);
        if (d === undefined) {
          d = new DiskStats(disk.dev, disk.diskname);
          pd.disks.set(disk.dev, d);
        }
        d.update(req);
        if (proc !== null) {
          const s = this.stats(pd, proc);
          s.rqList.push(req);
          if (req.operation === IoOp.Read) s.blockRead += req.size;
          else if (req.operation === IoOp.Write) s.blockWrite += req.size;
        }
      },
      ioRqExit: (rq, proc, parent) => {
        const ps = this.stats(pd, proc);
        const parentStats = this.stats(pd, parent);
        let fdType = FdType.Unknown;
        let fdInType = FdType.Unknown;
        let fdOutType = FdType.Unknown;
        if (rq.errno === null) {
          if (rq.operation === IoOp.Read || rq.operation === IoOp.Write) {
            const f = parentStats.getFd(rq.fd);
            if (f === null) return;
            fdType = f.fdType;
          } else if (rq.operation === IoOp.ReadWrite) {
            const fi = parentStats.getFd(rq.fdIn);
            const fo = parentStats.getFd(rq.fdOut);
            if (fi === null || fo === null) return;
            fdInType = fi.fdType;
            fdOutType = fo.fdType;
          }
        }
        ps.updateIo(rq, fdType, fdInType, fdOutType);
        parentStats.updateFd(rq);
        if (ps.comm !== proc.comm) ps.comm = proc.comm;
        if (parentStats.comm !== parent.comm) parentStats.comm = parent.comm;
      },
      createParentProc: (proc, parent) => {
        const ps = this.stats(pd, proc);
        const parentStats = this.stats(pd, parent);
        ps.pid = parentStats.tid;
        for (const [fd, list] of ps.fds) {
          if (!parentStats.fds.has(fd)) parentStats.fds.set(fd, list);
          else {
            const pf = parentStats.getFd(fd);
            const cf = ps.getFd(fd);
            if (pf !== null && !pf.filename && cf !== null) pf.filename = cf.filename;
          }
        }
        ps.fds.clear();
      },
      statedumpBlockDevice: (dev, diskname) => {
        const d = pd.disks.get(dev);
        if (d === undefined) pd.disks.set(dev, new DiskStats(dev, diskname));
        else d.diskname = diskname;
      },
      createFd: (fd, parent, ts) => {
        const s = this.stats(pd, parent);
        let list = s.fds.get(fd);
        if (list === undefined) {
          list = [];
          s.fds.set(fd, list);
        }
        const f = parent.fds.get(fd);
        if (f !== undefined) list.push(FdStats.from(f, ts));
      },
      closeFd: (fd, parent, ts) => {
        const s = pd.tids.get(parent.tid ?? 0);
        if (s === undefined) return;
        const f = s.getFd(fd);
        if (f !== null) f.closeTs = ts;
      },
      updateFd: (fd, parent, ts) => {
        const f = parent.fds.get(fd);
        if (f === undefined) return;
        const s = this.stats(pd, parent);
        let list = s.fds.get(fd);
        if (list === undefined) {
          list = [FdStats.from(f, ts)];
          s.fds.set(fd, list);
        }
        list[list.length - 1]!.filename = f.filename;
      },
    };
  }

  // ---- filters (cli/io.py)

  private filterSize(size: number | null): boolean {
    if (size === null) return true;
    const o = this.conf.opts;
    if (o.maxsize !== undefined && size > o.maxsize) return false;
    if (o.minsize !== undefined && size < o.minsize) return false;
    return true;
  }

  private filterLatency(d: number): boolean {
    if (this.conf.maxDuration !== null && d > this.conf.maxDuration) return false;
    if (this.conf.minDuration !== null && d < this.conf.minDuration) return false;
    return true;
  }

  /** Whether filterRq lets every request through (no size, latency or time bounds). */
  private get filtersNothing(): boolean {
    const { opts, beginTs, endTs } = this.conf;
    return (
      opts.maxsize === undefined &&
      opts.minsize === undefined &&
      this.conf.maxDuration === null &&
      this.conf.minDuration === null &&
      (beginTs === null || endTs === null)
    );
  }

  private filterRq(rq: IoRequest): boolean {
    const { beginTs, endTs } = this.conf;
    const inTime = !(beginTs !== null && endTs !== null && rq.endTs !== null && rq.beginTs > endTs);
    return this.filterSize(rq.size) && this.filterLatency(rq.duration) && inTime;
  }

  /** Python's `(b and x < b) or (e and y > e)`: null when neither bound is set. */
  private outOfRange(rq: IoRequest): boolean | null {
    const { beginTs, endTs } = this.conf;
    const a = beginTs === null ? null : rq.beginTs < beginTs;
    if (a === true) return true;
    return endTs === null ? null : (rq.endTs ?? 0) > endTs;
  }

  /**
   * The period's syscall requests passing the filters, in lttng-analyses' order (per
   * process, then per request), one list per operation (read/write include splice-like
   * read-write requests), in one pass.
   */
  private filteredRequests(pd: IoPeriodData): Record<"all" | "open" | "read" | "write" | "sync", SyscallIoRequest[]> {
    const out = {
      all: [] as SyscallIoRequest[],
      open: [] as SyscallIoRequest[],
      read: [] as SyscallIoRequest[],
      write: [] as SyscallIoRequest[],
      sync: [] as SyscallIoRequest[],
    };
    const all = this.filtersNothing;
    for (const p of pd.tids.values())
      for (const rq of p.rqList) {
        if (rq.kind === IoRqKind.Block || !(all || this.filterRq(rq))) continue;
        out.all.push(rq);
        const op = rq.operation;
        if (op === IoOp.Open) out.open.push(rq);
        else if (op === IoOp.Sync) out.sync.push(rq);
        else {
          if (isEquivalentOp(IoOp.Read, op)) out.read.push(rq);
          if (isEquivalentOp(IoOp.Write, op)) out.write.push(rq);
        }
      }
    return out;
  }

  /**
   * Visits the requests filteredRequests would list, in its order, each under the
   * operation list(s) it belongs to, without building the lists.
   */
  private forEachFilteredByOp(pd: IoPeriodData, visit: (op: "open" | "read" | "write" | "sync", rq: SyscallIoRequest) => void): void {
    const all = this.filtersNothing;
    for (const p of pd.tids.values())
      for (const rq of p.rqList) {
        if (rq.kind === IoRqKind.Block || !(all || this.filterRq(rq))) continue;
        const op = rq.operation;
        // isEquivalentOp: ReadWrite counts as both a read and a write.
        if (op === IoOp.Open) visit("open", rq);
        else if (op === IoOp.Sync) visit("sync", rq);
        else {
          if (op === IoOp.Read || op === IoOp.ReadWrite) visit("read", rq);
          if (op === IoOp.Write || op === IoOp.ReadWrite) visit("write", rq);
        }
      }
  }

  /** The durations of filteredRequests' per-operation lists, in one pass without listing requests. */
  private filteredDurations(pd: IoPeriodData): Record<"open" | "read" | "write" | "sync", number[]> {
    const out = { open: [] as number[], read: [] as number[], write: [] as number[], sync: [] as number[] };
    this.forEachFilteredByOp(pd, (op, rq) => out[op].push(rq.duration));
    return out;
  }

  // ---- tables

  protected tick(pd: IoPeriodData, begin: bigint, end: bigint): (ResultTable | null)[] {
    switch (this.command) {
      case "iolog":
        return [this.logTable(pd, begin, end)];
      case "iolatencystats":
        return this.statsTables(pd, begin, end);
      case "iolatencytop":
        return this.topTables(pd, begin, end);
      case "iousagetop":
        return this.usageTables(pd, begin, end);
      case "iolatencyfreq":
        return this.freqTables(pd, begin, end);
    }
  }

  protected override summary(): ResultTable[] {
    // lttng-analyses has no I/O summary and prints nothing for several periods.
    return [];
  }

  private logRow(pd: IoPeriodData, rq: SyscallIoRequest): LamiValue[] {
    const size = rq.size === null ? mi.empty() : mi.size(rq.size);
    const ps = pd.tids.get(rq.tid);
    let path: LamiValue;
    let fd: LamiValue;
    if (rq.fd === null) {
      path = mi.empty();
      fd = mi.empty();
    } else {
      fd = mi.fd(rq.fd);
      let owner = ps;
      if (owner !== undefined && owner.pid !== null) owner = pd.tids.get(owner.pid) ?? owner;
      const f = owner?.getFd(rq.fd, rq.endTs ?? undefined) ?? null;
      path = f !== null ? mi.path(f.filename) : mi.unknown();
    }
    return [
      mi.timeRange(this.conf.toAbs(rq.beginTs), this.conf.toAbs(rq.endTs ?? rq.beginTs)),
      mi.bool(this.outOfRange(rq)),
      mi.duration(rq.duration),
      mi.syscall(rq.syscallName),
      size,
      mi.process(ps?.comm ?? "", undefined, rq.tid),
      path,
      fd,
    ];
  }

  private logTable(pd: IoPeriodData, begin: bigint, end: bigint): ResultTable {
    const t = new ResultTable(IO_TABLE_CLASSES.log, begin, end);
    const rqs = this.filteredRequests(pd).all;
    rqs.sort((a, b) => a.beginTs - b.beginTs);
    for (const rq of rqs) t.append(this.logRow(pd, rq));
    return t;
  }

  private topTables(pd: IoPeriodData, begin: bigint, end: bigint): ResultTable[] {
    // --limit N gives N rows; lttng-analyses 0.6.1 prints N + 1 (its check comes before the append).
    const limit = (this.conf.opts.limit ?? DEFAULT_LIMIT) + (this.conf.opts.compat === "lttng-analyses-0.6.1" ? 1 : 0);
    const out: ResultTable[] = [];
    let tops: Record<"open" | "read" | "write" | "sync", SyscallIoRequest[]>;
    if (TopByDesc.fits(limit)) {
      // One pass over the requests, in filteredRequests' order, without listing them.
      const open = new TopByDesc<SyscallIoRequest>(limit);
      const read = new TopByDesc<SyscallIoRequest>(limit);
      const write = new TopByDesc<SyscallIoRequest>(limit);
      const sync = new TopByDesc<SyscallIoRequest>(limit);
      const byOp = { open, read, write, sync };
      this.forEachFilteredByOp(pd, (op, rq) => byOp[op].add(rq, rq.duration));
      tops = { open: open.items, read: read.items, write: write.items, sync: sync.items };
    } else {
      const byOp = this.filteredRequests(pd);
      const top = (rqs: SyscallIoRequest[]) => topByDesc(rqs, (r) => r.duration, limit);
      tops = { open: top(byOp.open), read: top(byOp.read), write: top(byOp.write), sync: top(byOp.sync) };
    }
    for (const sub of ["open", "read", "write", "sync"] as const) {
      const t = new ResultTable(IO_TABLE_CLASSES.topSyscall, begin, end, sub);
      for (const rq of tops[sub]) t.append(this.logRow(pd, rq));
      out.push(t);
    }
    return out;
  }

  private statsRow(obj: LamiValue, durations: number[]): LamiValue[] {
    const n = durations.length;
    return [
      obj,
      mi.number(n),
      mi.duration(n > 0 ? minOf(durations) : 0),
      mi.duration(n > 0 ? sumOf(durations) / n : 0),
      mi.duration(n > 0 ? maxOf(durations) : 0),
      n < 2 ? mi.unknown() : mi.duration(stdev(durations)),
    ];
  }

  private statsTables(pd: IoPeriodData, begin: bigint, end: bigint): (ResultTable | null)[] {
    const sys = new ResultTable(IO_TABLE_CLASSES.syscallLatencyStats, begin, end);
    const byOp = this.filteredDurations(pd);
    for (const [label, sub] of [
      ["Open", "open"],
      ["Read", "read"],
      ["Write", "write"],
      ["Sync", "sync"],
    ] as const)
      sys.append(this.statsRow(mi.string(label), byOp[sub]));
    let disk: ResultTable | null = null;
    if (pd.disks.size > 0) {
      disk = new ResultTable(IO_TABLE_CLASSES.diskLatencyStats, begin, end);
      for (const d of pd.disks.values()) {
        if (d.rqList.length === 0) continue;
        const ds = d.rqList.filter((rq) => this.filterRq(rq)).map((rq) => rq.duration);
        disk.append(this.statsRow(mi.disk(d.diskname), ds));
      }
    }
    return [sys, disk];
  }

  private fillFreq(durations: number[], t: ResultTable): void {
    if (durations.length === 0) return;
    const resolution = this.conf.opts.freqResolution ?? DEFAULT_FREQ_RESOLUTION;
    const min = minOf(durations) / 1000;
    const max = maxOf(durations) / 1000;
    const step = (max - min) / resolution;
    if (step === 0) return;
    const values = new Array<number>(resolution).fill(0);
    for (const d of durations) {
      const index = Math.min(Math.trunc((d / 1000 - min) / step), resolution - 1);
      values[index]! += 1;
    }
    values.forEach((v, i) => t.append([mi.durationFromUs(i * step + min), mi.durationFromUs((i + 1) * step + min), mi.number(v)]));
  }

  private freqTables(pd: IoPeriodData, begin: bigint, end: bigint): ResultTable[] {
    const out: ResultTable[] = [];
    const byOp = this.filteredDurations(pd);
    for (const sub of ["open", "read", "write", "sync"] as const) {
      const t = new ResultTable(IO_TABLE_CLASSES.freq, begin, end, sub);
      this.fillFreq(byOp[sub], t);
      out.push(t);
    }
    for (const d of pd.disks.values()) {
      const t = new ResultTable(IO_TABLE_CLASSES.freq, begin, end, `disk: ${d.diskname}`);
      this.fillFreq(
        d.rqList.filter((rq) => this.filterRq(rq)).map((rq) => rq.duration),
        t,
      );
      out.push(t);
    }
    return out;
  }

  private fillUsage<T>(items: T[], t: ResultTable, row: (x: T) => LamiValue[] | null): void {
    const limit = this.conf.opts.limit ?? DEFAULT_LIMIT;
    let count = 0;
    for (const x of items) {
      const r = row(x);
      if (r === null) continue;
      t.append(r);
      count++;
      if (count >= limit) break;
    }
  }

  private filesStats(pd: IoPeriodData): Map<string, FileStats> {
    const files = new Map<string, FileStats>();
    for (const ps of pd.tids.values())
      for (const list of ps.fds.values())
        for (const f of list) {
          let name = f.filename;
          // Generic names get the process name, to tell them apart.
          if (GENERIC_NAMES.some((g) => name.startsWith(g))) name += ` (${ps.comm})`;
          let fs = files.get(name);
          if (fs === undefined) {
            fs = new FileStats(name);
            files.set(name, fs);
          }
          fs.io.read += f.read;
          fs.io.write += f.write;
          const pid = ps.pid ?? ps.tid;
          if (!fs.fdByPid.has(pid)) fs.fdByPid.set(pid, f.fd);
        }
    return files;
  }

  private fdOwners(pd: IoPeriodData, fs: FileStats): string {
    let s = "";
    for (const [pid, fd] of fs.fdByPid) s += `fd ${fd} in ${pd.tids.get(pid)?.comm ?? ""} (${pid}) `;
    return s;
  }

  private usageTables(pd: IoPeriodData, begin: bigint, end: bigint): ResultTable[] {
    const C = IO_TABLE_CLASSES;
    const procRead = new ResultTable(C.perProcessTop, begin, end, "read");
    const procWrite = new ResultTable(C.perProcessTop, begin, end, "written");
    const fileRead = new ResultTable(C.perFileTop, begin, end, "read");
    const fileWrite = new ResultTable(C.perFileTop, begin, end, "written");
    const blockRead = new ResultTable(C.perProcessTopBlock, begin, end, "read");
    const blockWrite = new ResultTable(C.perProcessTopBlock, begin, end, "written");
    const diskSector = new ResultTable(C.perDiskTopSector, begin, end);
    const diskRequest = new ResultTable(C.perDiskTopRequest, begin, end);
    const diskRtps = new ResultTable(C.perDiskTopRtps, begin, end);
    const netRecv = new ResultTable(C.perNetifTop, begin, end, "received");
    const netSend = new ResultTable(C.perNetifTop, begin, end, "sent");

    const procs = [...pd.tids.values()];
    const byDesc = <T>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(b) - key(a));
    const proc = (p: ProcessIoStats, name: string | null = p.comm) => mi.process(name, p.pid, p.tid);

    this.fillUsage(
      byDesc(procs, (p) => p.totalRead),
      procRead,
      (p) => [proc(p), mi.size(p.totalRead), mi.size(p.diskRead), mi.size(p.netRead), mi.size(p.unkRead)],
    );
    this.fillUsage(
      byDesc(procs, (p) => p.totalWrite),
      procWrite,
      (p) => [proc(p), mi.size(p.totalWrite), mi.size(p.diskWrite), mi.size(p.netWrite), mi.size(p.unkWrite)],
    );
    const files = [...this.filesStats(pd).values()];
    this.fillUsage(
      byDesc(files, (f) => f.io.read),
      fileRead,
      (f) => (f.io.read === 0 ? null : [mi.path(f.filename), mi.size(f.io.read), mi.string(this.fdOwners(pd, f))]),
    );
    this.fillUsage(
      byDesc(files, (f) => f.io.write),
      fileWrite,
      (f) => (f.io.write === 0 ? null : [mi.path(f.filename), mi.size(f.io.write), mi.string(this.fdOwners(pd, f))]),
    );
    this.fillUsage(
      byDesc(procs, (p) => p.blockRead),
      blockRead,
      (p) => (p.blockRead === 0 ? null : [proc(p, p.comm || null), mi.size(p.blockRead)]),
    );
    this.fillUsage(
      byDesc(procs, (p) => p.blockWrite),
      blockWrite,
      (p) => (p.blockWrite === 0 ? null : [proc(p, p.comm || null), mi.size(p.blockWrite)]),
    );
    const disks = [...pd.disks.values()];
    this.fillUsage(
      byDesc(disks, (d) => d.totalRqSectors),
      diskSector,
      (d) => (d.totalRqSectors === 0 ? null : [mi.disk(d.diskname), mi.number(d.totalRqSectors)]),
    );
    this.fillUsage(
      byDesc(disks, (d) => d.rqList.length),
      diskRequest,
      (d) => (d.rqList.length === 0 ? null : [mi.disk(d.diskname), mi.number(d.rqList.length)]),
    );
    this.fillUsage(disks, diskRtps, (d) => (d.rqList.length === 0 ? null : [mi.disk(d.diskname), mi.duration(d.totalRqDuration / d.rqList.length)]));
    const ifaces = [...pd.ifaces.values()];
    this.fillUsage(
      byDesc(ifaces, (i) => i.recvBytes),
      netRecv,
      (i) => [mi.netif(i.name), mi.size(i.recvBytes)],
    );
    this.fillUsage(
      byDesc(ifaces, (i) => i.sentBytes),
      netSend,
      (i) => [mi.netif(i.name), mi.size(i.sentBytes)],
    );
    return [procRead, procWrite, fileRead, fileWrite, blockRead, blockWrite, diskSector, diskRequest, diskRtps, netRecv, netSend];
  }
}
