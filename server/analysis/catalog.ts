/**
 * The analyses Tracedeck runs, named as lttng-analyses' commands without "lttng-",
 * with their LAMI metadata (what `lttng-<name>-mi --metadata` prints).
 */
import type { Analysis, AnalysisConfig } from "./analyses/base";
import { CputopAnalysis, CPUTOP_TABLE_CLASSES } from "./analyses/cputop";
import { IoAnalysis, IO_TABLE_CLASSES, type IoCommand } from "./analyses/io";
import { IrqAnalysis, IRQ_TABLE_CLASSES, type IrqCommand } from "./analyses/irq";
import { MemtopAnalysis, MEMTOP_TABLE_CLASSES } from "./analyses/memtop";
import { SchedAnalysis, SCHED_TABLE_CLASSES, type SchedCommand } from "./analyses/sched";
import { SyscallsAnalysis, SYSCALL_TABLE_CLASSES } from "./analyses/syscalls";
import type { LamiMetadata } from "./lami/types";
import { tableClassToNative, type TableClassSpec } from "./lami/values";
import { PeriodAnalysis, PERIOD_TABLE_CLASSES, type PeriodCommand } from "./periods/analysis";
import type { KernelState } from "./state/automaton";

export const ANALYSIS_NAMES = [
  "iolatencytop",
  "iolatencyfreq",
  "iolatencystats",
  "iolog",
  "iousagetop",
  "syscallstats",
  "schedtop",
  "schedfreq",
  "schedstats",
  "schedlog",
  "irqstats",
  "irqfreq",
  "irqlog",
  "cputop",
  "memtop",
  "periodlog",
  "periodtop",
  "periodstats",
  "periodfreq",
] as const;

export type AnalysisName = (typeof ANALYSIS_NAMES)[number];

/** Which options each command accepts (as lttng-analyses' argparse set-up does). */
export type OptionGroup = "minmax" | "proc" | "top" | "freq" | "io" | "sched" | "irq" | "period";

interface Family {
  title: string;
  description: string;
  tags: string[];
  tableClasses: Record<string, TableClassSpec>;
  options: OptionGroup[];
  /** Period analyses need no kernel state. */
  needsKernelState: boolean;
  create(state: KernelState, conf: AnalysisConfig, name: AnalysisName): Analysis;
}

const IO: Family = {
  title: "I/O analysis",
  description: "System call/disk latency statistics, system call latency distribution, system call top latencies, I/O usage top, and I/O operations log",
  tags: ["io", "syscall", "stats", "freq", "log", "top"],
  tableClasses: IO_TABLE_CLASSES,
  options: ["minmax", "top", "freq", "io"],
  needsKernelState: true,
  create(state, conf, name) {
    const a = new IoAnalysis(state, conf);
    a.command = name as IoCommand;
    return a;
  },
};

const SCHED: Family = {
  title: "Scheduling latencies analysis",
  description: "Scheduling latencies frequency distribution, statistics, top, and log",
  tags: ["sched", "stats", "freq", "top", "log"],
  tableClasses: SCHED_TABLE_CLASSES,
  options: ["minmax", "proc", "top", "freq", "sched"],
  needsKernelState: true,
  create(state, conf, name) {
    const a = new SchedAnalysis(state, conf);
    a.command = name as SchedCommand;
    return a;
  },
};

const IRQ: Family = {
  title: "System interrupt analysis",
  description: "Interrupt frequency distribution, statistics, and log",
  tags: ["interrupt", "stats", "freq", "log"],
  tableClasses: IRQ_TABLE_CLASSES,
  options: ["minmax", "freq", "irq"],
  needsKernelState: true,
  create(state, conf, name) {
    const a = new IrqAnalysis(state, conf);
    a.command = name as IrqCommand;
    return a;
  },
};

const PERIOD: Family = {
  title: "Periods analysis",
  description: "Periods frequency distribution, statistics, top, and log",
  tags: ["period", "stats", "freq", "top", "log"],
  tableClasses: PERIOD_TABLE_CLASSES,
  options: ["minmax", "top", "freq", "period"],
  needsKernelState: false,
  create(state, conf, name) {
    const a = new PeriodAnalysis(state, conf);
    a.command = name as PeriodCommand;
    if (conf.opts.durationField !== undefined) a.configureDurationField(conf.opts.durationField);
    return a;
  },
};

export const FAMILIES: Record<AnalysisName, Family> = {
  iolatencytop: IO,
  iolatencyfreq: IO,
  iolatencystats: IO,
  iolog: IO,
  iousagetop: IO,
  syscallstats: {
    title: "System call statistics",
    description: "Per-TID and global system call statistics",
    tags: ["syscall", "stats"],
    tableClasses: SYSCALL_TABLE_CLASSES,
    options: ["proc"],
    needsKernelState: true,
    create: (state, conf) => new SyscallsAnalysis(state, conf),
  },
  schedtop: SCHED,
  schedfreq: SCHED,
  schedstats: SCHED,
  schedlog: SCHED,
  irqstats: IRQ,
  irqfreq: IRQ,
  irqlog: IRQ,
  cputop: {
    title: "Top CPU usage",
    description: "Per-TID, per-CPU, and total top CPU usage",
    tags: ["cpu", "top"],
    tableClasses: CPUTOP_TABLE_CLASSES,
    options: ["proc", "top"],
    needsKernelState: true,
    create: (state, conf) => new CputopAnalysis(state, conf),
  },
  memtop: {
    title: "Top memory usage",
    description: "Per-TID top allocated/freed memory",
    tags: ["memory", "top"],
    tableClasses: MEMTOP_TABLE_CLASSES,
    options: ["proc", "top"],
    needsKernelState: true,
    create: (state, conf) => new MemtopAnalysis(state, conf),
  },
  periodlog: PERIOD,
  periodtop: PERIOD,
  periodstats: PERIOD,
  periodfreq: PERIOD,
};

export const TRACEDECK_VERSION = { major: 0, minor: 1, patch: 0, extra: "" };

export function isAnalysisName(s: string): s is AnalysisName {
  return (ANALYSIS_NAMES as readonly string[]).includes(s);
}

/** LAMI metadata: the shape `lttng-<name>-mi --metadata` prints. */
export function analysisMetadata(name: AnalysisName): LamiMetadata {
  const f = FAMILIES[name];
  const classes: LamiMetadata["table-classes"] = {};
  for (const spec of Object.values(f.tableClasses)) classes[spec.name] = tableClassToNative(spec);
  return {
    "mi-version": { major: 1, minor: 0 },
    version: TRACEDECK_VERSION,
    title: f.title,
    description: f.description,
    authors: ["Tracedeck"],
    url: "https://github.com/lttng/lttng-analyses",
    tags: ["linux-kernel", "lttng-analyses", ...f.tags],
    "table-classes": classes,
  };
}

/** The options keys (AnalysisOptions) each option group brings. */
const GROUP_OPTIONS: Record<OptionGroup | "common", string[]> = {
  common: ["begin", "end", "timerange", "cpu", "period", "periodCaptures", "refresh", "noIntersection", "compat"],
  minmax: ["min", "max"],
  proc: ["tid", "procname"],
  top: ["limit"],
  freq: ["freqResolution", "freqUniform", "freqSeries"],
  io: ["minsize", "maxsize"],
  sched: ["total", "perTid", "perPrio"],
  irq: ["irq", "softirq"],
  period: ["minDuration", "maxDuration", "select", "groupBy", "aggregateBy", "orderBy", "durationField"],
};

export interface AnalysisDescription {
  name: AnalysisName;
  title: string;
  description: string;
  /** The AnalysisOptions keys this analysis reads (for building a form). */
  options: string[];
}

/** Every analysis with what a UI needs to offer it. */
export function analysisCatalog(): AnalysisDescription[] {
  return ANALYSIS_NAMES.map((name) => {
    const f = FAMILIES[name];
    return {
      name,
      title: f.title,
      description: f.description,
      options: [...GROUP_OPTIONS.common, ...f.options.flatMap((g) => GROUP_OPTIONS[g])],
    };
  });
}
