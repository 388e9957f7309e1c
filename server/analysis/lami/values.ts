import type { LamiColumnDescription, LamiResultTable, LamiRow, LamiTableClass, LamiTimeRange, LamiValue } from "./types";

/** Cell constructors, named after lttng-analyses' `mi.*` data objects. */
export const mi = {
  empty: (): LamiValue => null,
  unknown: (): LamiValue => ({ class: "unknown" }),
  bool: (value: boolean | null): LamiValue => ({ class: "bool", value }),
  number: (value: number): LamiValue => ({ class: "number", value }),
  string: (value: string): LamiValue => ({ class: "string", value }),
  ratio: (value: number): LamiValue => ({ class: "ratio", value }),
  ratioFromPercentage: (pc: number): LamiValue => ({ class: "ratio", value: pc / 100 }),
  timestamp: (value: bigint): LamiValue => ({ class: "timestamp", value }),
  duration: (ns: number): LamiValue => ({ class: "duration", value: ns }),
  durationFromUs: (us: number): LamiValue => ({ class: "duration", value: us * 1000 }),
  size: (bytes: number): LamiValue => ({ class: "size", value: bytes }),
  timeRange: (begin: bigint, end: bigint): LamiTimeRange => ({
    class: "time-range",
    begin: { class: "timestamp", value: begin },
    end: { class: "timestamp", value: end },
  }),
  syscall: (name: string): LamiValue => ({ class: "syscall", name }),
  /** Keys are present only when known, as lttng-analyses prints them. */
  process: (name: string | null | undefined, pid?: number | null, tid?: number | null): LamiValue => {
    const p: { class: "process"; name?: string; pid?: number; tid?: number } = { class: "process" };
    if (name !== null && name !== undefined) p.name = name;
    if (pid !== null && pid !== undefined) p.pid = pid;
    if (tid !== null && tid !== undefined) p.tid = tid;
    return p;
  },
  path: (path: string): LamiValue => ({ class: "path", path }),
  fd: (fd: number): LamiValue => ({ class: "fd", fd }),
  irq: (hard: boolean, nr: number, name?: string | null): LamiValue =>
    name === null || name === undefined ? { class: "irq", hard, nr } : { class: "irq", hard, nr, name },
  cpu: (id: number): LamiValue => ({ class: "cpu", id }),
  disk: (name: string): LamiValue => ({ class: "disk", name }),
  netif: (name: string): LamiValue => ({ class: "netif", name }),
};

/** One column: key (for code), title, value class, optional unit. */
export type ColumnSpec = readonly [key: string, title: string, cls: LamiColumnDescription["class"], unit?: string];

export interface TableClassSpec {
  name: string;
  title: string;
  columns: readonly ColumnSpec[];
}

export function tableClassToNative(spec: { title: string; columns: readonly ColumnSpec[] }, inherit?: string): LamiTableClass {
  const obj: LamiTableClass = {};
  if (inherit !== undefined) obj.inherit = inherit;
  obj.title = spec.title;
  if (spec.columns.length > 0) {
    obj["column-descriptions"] = spec.columns.map(([, title, cls, unit]) => (unit === undefined ? { title, class: cls } : { title, class: cls, unit }));
  }
  return obj;
}

/**
 * A result table being filled, like lttng-analyses' `mi.ResultTable`: a table with a
 * subtitle is emitted with an inline class `{inherit, title: "Title [subtitle]"}`.
 */
export class ResultTable {
  readonly rows: LamiRow[] = [];
  constructor(
    readonly tableClass: TableClassSpec | { name: null; title: string; columns: readonly ColumnSpec[] },
    readonly begin: bigint,
    readonly end: bigint,
    readonly subtitle?: string,
  ) {}

  get title(): string {
    return this.tableClass.title;
  }

  append(row: LamiRow): void {
    this.rows.push(row);
  }

  toNative(): LamiResultTable {
    let cls: string | LamiTableClass;
    if (this.tableClass.name === null) cls = tableClassToNative(this.tableClass);
    else if (this.subtitle !== undefined) cls = { inherit: this.tableClass.name, title: `${this.tableClass.title} [${this.subtitle}]` };
    else cls = this.tableClass.name;
    return { class: cls, "time-range": mi.timeRange(this.begin, this.end), data: this.rows };
  }
}
