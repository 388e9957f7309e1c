/**
 * What every analysis shares, after lttng-analyses' core/analysis.py and
 * cli/command.py: the --begin/--end window, the "definition-less" period covering
 * the whole window (or user --period definitions, or --refresh slices), per-period
 * data fed by state notifications, and one batch of result tables per period end.
 */
import type { AnalysisEvent } from "../event";
import { ResultTable } from "../lami/values";
import type { AnalysisOptions } from "../options";
import { NO_CAPTURES, PeriodEngine, PeriodDefinitions, copyEvent, type Period } from "../periods/engine";
import type { KernelState } from "../state/automaton";
import type { StateListener } from "../state/listener";
import type { Process } from "../state/model";

export interface AnalysisConfig {
  /** Relative ns (same origin as events); null when unbounded. */
  beginTs: number | null;
  endTs: number | null;
  cpuList: number[] | null;
  procList: string[] | null;
  tidList: number[] | null;
  /** ns */
  minDuration: number | null;
  maxDuration: number | null;
  refreshPeriod: number | null;
  periodDefs: PeriodDefinitions;
  /** Converts a relative ns timestamp to absolute epoch ns for output. */
  toAbs: (ts: number) => bigint;
  opts: AnalysisOptions;
}

/** Per-period data: the analysis's accumulators plus the period it belongs to. */
export interface PeriodData {
  period: Period;
  /** Fills the accumulators from state notifications; null when the analysis needs none. */
  listener: StateListener | null;
}

export abstract class Analysis<PD extends PeriodData = PeriodData> {
  firstEventTs: number | null = null;
  lastEventTs: number | null = null;
  started = false;
  ended = false;
  /** Ticks of user-defined or refresh periods (more than one: summary tables). */
  periodTicks = 0;
  /** The definition-less period (whole window, or one --refresh slice), when open. */
  private defless: Period | null = null;
  /** False for analyses that print only at the end (periods): no tables per period. */
  protected ticksPerPeriod = true;
  private readonly engine: PeriodEngine | null;
  private readonly results: ResultTable[] = [];

  constructor(
    protected readonly state: KernelState,
    protected readonly conf: AnalysisConfig,
  ) {
    if (!this.readsFdState()) state.tracksFds = false;
    this.engine = conf.periodDefs.isEmpty ? null : new PeriodEngine(conf.periodDefs, { begin: (p) => this.onPeriodBegin(p), end: (p) => this.onPeriodEnd(p) });
  }

  /**
   * Whether this analysis's listeners read file descriptors or I/O requests (the state
   * machine then keeps them; KernelState.tracksFds). Called from the constructor.
   */
  protected readsFdState(): boolean {
    return true;
  }
  /** Fresh accumulators for a period, including the state listener that fills them. */
  protected abstract createPeriodData(period: Period): PD;
  /** Result tables of one finished period, in lttng-analyses' output order. */
  protected abstract tick(pd: PD, begin: bigint, end: bigint): (ResultTable | null | undefined)[];
  /** Called when a period ends, before its tables are built. */
  protected endPeriod(_pd: PD): void {}
  /** Replaces per-period tables by one summary when there were several periods. */
  protected summary(_tables: ResultTable[]): ResultTable[] | null {
    return null;
  }
  /** Called with no period at the very end (the period analyses print then). */
  protected finalTick(): (ResultTable | null | undefined)[] {
    return [];
  }

  // ---- lifecycle, as driven by the runner

  beginAnalysis(first: AnalysisEvent): void {
    if (this.conf.periodDefs.isEmpty && this.conf.beginTs === null) this.createDeflessPeriod(first);
  }

  /** Returns false once the --end bound is passed (the runner stops reading). */
  processEvent(ev: AnalysisEvent): void {
    if (this.conf.endTs !== null && ev.ts > this.conf.endTs) {
      this.ended = true;
      return;
    }
    if (this.firstEventTs === null) this.firstEventTs = ev.ts;
    this.lastEventTs = ev.ts;
    if (!this.started) {
      if (this.conf.beginTs !== null) {
        if (ev.ts >= this.conf.beginTs) {
          if (this.conf.periodDefs.isEmpty) this.createDeflessPeriod(ev);
          this.started = true;
        } else return;
      } else this.started = true;
    }
    if (this.engine !== null) this.engine.processEvent(ev);
    if (this.conf.refreshPeriod !== null) this.checkRefresh(ev);
  }

  endAnalysis(): void {
    this.ended = true;
    if (this.engine === null) this.removeDeflessPeriod(false, null);
    else {
      this.engine.removeAllPeriods();
    }
    const fin = this.finalTick();
    for (const t of fin) if (t && t.rows.length > 0) this.results.push(t);
  }

  /**
   * All result tables, with lttng-analyses' summary replacing per-period tables, grouped
   * by table class in order of first appearance (lttng-analyses keeps one list per class).
   */
  resultTables(): ResultTable[] {
    let tables = this.results;
    if (this.periodTicks > 1) {
      const s = this.summary(this.results);
      if (s !== null) tables = s.filter((t) => t.rows.length > 0);
    }
    const groups = new Map<string | null, ResultTable[]>();
    for (const t of tables) {
      const g = groups.get(t.tableClass.name);
      if (g === undefined) groups.set(t.tableClass.name, [t]);
      else g.push(t);
    }
    return [...groups.values()].flat();
  }

  // ---- periods

  private createDeflessPeriod(ev: AnalysisEvent): void {
    const p: Period = {
      definition: null,
      parent: null,
      children: null,
      beginEvt: copyEvent(ev),
      endEvt: null,
      completed: false,
      beginCaptures: NO_CAPTURES,
      endCaptures: NO_CAPTURES,
      data: undefined,
    };
    this.defless = p;
    this.onPeriodBegin(p);
  }

  private removeDeflessPeriod(completed: boolean, ev: AnalysisEvent | null): void {
    const p = this.defless;
    if (p === null) return;
    this.defless = null;
    p.endEvt = ev;
    p.completed = completed;
    this.onPeriodEnd(p);
  }

  private checkRefresh(ev: AnalysisEvent): void {
    const p = this.defless;
    if (p === null) return;
    if (ev.ts >= p.beginEvt.ts + this.conf.refreshPeriod!) {
      this.removeDeflessPeriod(true, ev);
      this.createDeflessPeriod(ev);
    }
  }

  protected onPeriodBegin(p: Period): void {
    const pd = this.createPeriodData(p);
    p.data = pd;
    if (pd.listener !== null) this.state.listeners.push(pd.listener);
  }

  protected onPeriodEnd(p: Period): void {
    const pd = p.data as PD | undefined;
    if (pd === undefined) return;
    p.data = undefined;
    this.endPeriod(pd);
    if (this.lastEventTs !== null && this.ticksPerPeriod) {
      const tables = this.tick(pd, this.conf.toAbs(p.beginEvt.ts), this.conf.toAbs(this.lastEventTs));
      for (const t of tables) if (t && t.rows.length > 0) this.results.push(t);
      this.periodTicks++;
    }
    if (pd.listener !== null) {
      const i = this.state.listeners.indexOf(pd.listener);
      if (i >= 0) this.state.listeners.splice(i, 1);
    }
  }

  // ---- filters shared by the analyses

  protected filterProcess(proc: Process | null): boolean {
    if (proc === null) return true;
    if (this.conf.procList !== null && !this.conf.procList.includes(proc.comm)) return false;
    if (this.conf.tidList !== null && (proc.tid === null || !this.conf.tidList.includes(proc.tid))) return false;
    return true;
  }

  protected filterCpu(cpu: number): boolean {
    return this.conf.cpuList === null || this.conf.cpuList.includes(cpu);
  }
}
