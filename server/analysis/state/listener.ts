import type { AnalysisEvent } from "../event";
import type { BlockIoRequest, Disk, HardIrq, Process, SoftIrq, SyscallIoRequest } from "./model";

export interface SchedSwitchInfo {
  ts: number;
  cpu: number;
  prevTid: number;
  nextTid: number;
  nextComm: string;
  prevComm: string;
  wakee: Process;
  waker: Process | null;
}

/**
 * What the state machine tells the analyses, one method per lttng-analyses state
 * notification. One listener per open period; all methods optional.
 */
export interface StateListener {
  prioChanged?(ts: number, tid: number, prio: number): void;
  schedSwitchPerCpu?(s: SchedSwitchInfo): void;
  schedSwitchPerTid?(s: SchedSwitchInfo): void;
  schedMigrateTask?(proc: Process, cpu: number): void;
  createFd?(fd: number, parent: Process, ts: number, cpu: number): void;
  closeFd?(fd: number, parent: Process, ts: number, cpu: number): void;
  updateFd?(fd: number, parent: Process, ts: number, cpu: number): void;
  createParentProc?(proc: Process, parent: Process): void;
  syscallExit?(proc: Process, ev: AnalysisEvent, cpu: number): void;
  ioRqExit?(rq: SyscallIoRequest, proc: Process, parent: Process, cpu: number): void;
  irqHandlerEntry?(id: number, name: string): void;
  irqHandlerExit?(irq: HardIrq): void;
  softirqExit?(irq: SoftIrq): void;
  tidPageAlloc?(proc: Process, cpu: number): void;
  tidPageFree?(proc: Process, cpu: number): void;
  statedumpBlockDevice?(dev: number, diskname: string): void;
  blockRqComplete?(req: BlockIoRequest, proc: Process | null, cpu: number, disk: Disk): void;
  netDevXmit?(iface: string, bytes: number, cpu: number): void;
  netifReceiveSkb?(iface: string, bytes: number, cpu: number): void;
}
