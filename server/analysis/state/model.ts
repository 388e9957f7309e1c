/**
 * The kernel state rebuilt from events, after lttng-analyses' linuxautomaton/sv.py.
 * Timestamps are nanoseconds relative to the trace set's origin (DESIGN.md "Time").
 */

export const enum FdType {
  Unknown = 0,
  Disk = 1,
  Net = 2,
  /** Assumed when net_dev_xmit happens during a write on an fd of unknown type. */
  MaybeNet = 3,
}

export class Fd {
  constructor(
    public fd: number,
    public filename = "unknown",
    public fdType: FdType = FdType.Unknown,
    public cloexec = false,
    public family: number | null = null,
  ) {}
  static copy(f: Fd): Fd {
    return new Fd(f.fd, f.filename, f.fdType, f.cloexec, f.family);
  }
}

export class Process {
  private fdMap: Map<number, Fd> | null = null;
  currentSyscall: SyscallEvent | null = null;
  /** The object currentSyscall points to while a syscall runs (made at the thread's first). */
  syscallSlot: SyscallEvent | null = null;
  /** The thread scheduled on the CPU before this one. */
  prevTid: number | null = null;
  lastWakeup: number | null = null;
  lastWaker: number | null = null;
  constructor(
    public tid: number | null = null,
    public pid: number | null = null,
    public comm = "",
    public prio: number | null = null,
  ) {}

  /** The descriptors this process holds, a map made at first use (most threads hold none). */
  get fds(): Map<number, Fd> {
    return (this.fdMap ??= new Map());
  }

  /** Whether any descriptor is held, without making the map. */
  get hasFds(): boolean {
    return this.fdMap !== null && this.fdMap.size > 0;
  }
}

export class Cpu {
  currentTid: number | null = null;
  currentHardIrq: HardIrq | null = null;
  /** Raised or running softirqs per vector, oldest first. */
  currentSoftirqs = new Map<number, SoftIrq[]>();
  constructor(readonly cpuId: number) {}
}

/**
 * A thread's current system call. Each thread reuses one object (listeners read it
 * only during the exit notification), which spares an allocation per syscall.
 */
export class SyscallEvent {
  name = "";
  beginTs = 0;
  endTs: number | null = null;
  ret: number | null = null;
  duration = 0;
  ioRq: SyscallIoRequest | null = null;
  /** An I/O syscall, whose exit the I/O provider handles. */
  isIo = false;
  /** An I/O request the provider did not make (KernelState.tracksFds off). */
  untracked = false;

  reset(name: string, beginTs: number, isIo: boolean): this {
    this.name = name;
    this.beginTs = beginTs;
    this.endTs = null;
    this.ret = null;
    this.duration = 0;
    this.ioRq = null;
    this.isIo = isIo;
    this.untracked = false;
    return this;
  }
}

export class Disk {
  /** Pending block requests by sector. */
  pendingRequests = new Map<number, BlockIoRequest>();
  constructor(
    readonly dev: number,
    public diskname: string | null = null,
  ) {}
}

export class HardIrq {
  endTs: number | null = null;
  ret: number | null = null;
  readonly hard = true;
  constructor(
    readonly id: number,
    readonly cpuId: number,
    readonly beginTs: number,
  ) {}
  get duration(): number {
    return (this.endTs ?? 0) - this.beginTs;
  }
}

export class SoftIrq {
  endTs: number | null = null;
  readonly hard = false;
  constructor(
    readonly id: number,
    readonly cpuId: number,
    public raiseTs: number | null,
    public beginTs: number | null,
  ) {}
  get duration(): number {
    return (this.endTs ?? 0) - (this.beginTs ?? 0);
  }
}

export type Irq = HardIrq | SoftIrq;

export const enum IoOp {
  Open = 1,
  Read = 2,
  Write = 3,
  Close = 4,
  Sync = 5,
  /** splice, sendfile: both read and write. */
  ReadWrite = 6,
}

/** lttng-analyses' IORequest.is_equivalent_operation: ReadWrite counts as both read and write. */
export function isEquivalentOp(wanted: IoOp, op: IoOp): boolean {
  if (wanted === IoOp.ReadWrite) return op === IoOp.Read || op === IoOp.Write || op === IoOp.ReadWrite;
  if (wanted === IoOp.Read) return op === IoOp.Read || op === IoOp.ReadWrite;
  if (wanted === IoOp.Write) return op === IoOp.Write || op === IoOp.ReadWrite;
  return wanted === op;
}

export const enum IoRqKind {
  Open,
  Close,
  ReadWrite,
  Sync,
  Block,
}

export class SyscallIoRequest {
  /**
   * lttng-analyses' SyscallIORequest drops the size asked at entry: only the size a
   * read/write returns is known (null for opens, closes, syncs and errors).
   */
  size: number | null = null;
  /** The size asked at entry (count, len, vlen…), when the syscall has one. */
  readonly requestedSize: number | null;
  endTs: number | null = null;
  duration = 0;
  errno: number | null = null;
  fd: number | null = null;
  /** Open requests. */
  filename = "unknown";
  fdType: FdType = FdType.Unknown;
  family: number | null = null;
  cloexec = false;
  /** Read/write requests: the size returned on exit. */
  returnedSize: number | null = null;
  fdIn: number | null = null;
  fdOut: number | null = null;
  constructor(
    readonly kind: IoRqKind,
    readonly beginTs: number,
    requestedSize: number | null,
    readonly tid: number,
    readonly operation: IoOp,
    readonly syscallName: string,
  ) {
    this.requestedSize = requestedSize;
  }

  updateFromExit(ts: number, ret: number): void {
    this.endTs = ts;
    this.duration = ts - this.beginTs;
    if (ret < 0) this.errno = -ret;
    if (this.kind === IoRqKind.Open) {
      if (ret >= 0) this.fd = ret;
    } else if (this.kind === IoRqKind.ReadWrite && ret >= 0) {
      this.returnedSize = ret;
      // recvmsg/sendmsg only know their size on return.
      if (this.size === null) this.size = ret;
    }
  }
}

export class BlockIoRequest {
  readonly kind = IoRqKind.Block;
  endTs: number | null = null;
  duration = 0;
  readonly size: number;
  constructor(
    readonly beginTs: number,
    /** null when the tracer did not record it (lttng-modules 2.1's block_rq_issue). */
    readonly tid: number | null,
    readonly operation: IoOp,
    readonly dev: number,
    readonly sector: number,
    readonly nrSector: number,
  ) {
    this.size = nrSector * 512;
  }
}

export type IoRequest = SyscallIoRequest | BlockIoRequest;

export const DISK_OPEN_SYSCALLS = new Set(["open", "openat"]);
export const DUP_OPEN_SYSCALLS = new Set(["fcntl", "dup", "dup2", "dup3"]);
export const OPEN_SYSCALLS = new Set([...DISK_OPEN_SYSCALLS, "socket", ...DUP_OPEN_SYSCALLS]);
export const READ_SYSCALLS = new Set(["read", "recvmsg", "recvfrom", "readv", "pread", "pread64", "preadv"]);
export const WRITE_SYSCALLS = new Set(["write", "sendmsg", "sendto", "writev", "pwrite", "pwrite64", "pwritev"]);
export const READ_WRITE_SYSCALLS = new Set(["splice", "sendfile64"]);
export const SYNC_SYSCALLS = new Set(["sync", "sync_file_range", "fsync", "fdatasync"]);
export const IO_SYSCALLS = new Set([...OPEN_SYSCALLS, "close", ...READ_SYSCALLS, ...WRITE_SYSCALLS, ...SYNC_SYSCALLS, ...READ_WRITE_SYSCALLS]);

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const O_CLOEXEC = 0o2000000;
