/**
 * The report queue: one report per complete archive, built in the worker pool with bounded
 * concurrency. The queue's state lives in the rows (`reportState`: queued → running → done
 * or failed), so the UI shows it and a restart picks up what was queued or running.
 */
import type { Db } from "../db";
import { moduleLogger } from "../log";
import type { ArchiveTask, ArchiveTaskResult } from "./archive.worker";
import { runArchiveTask } from "./pool";

const log = moduleLogger("archives");

export interface ReportQueueOptions {
  db: Db;
  /** Reports built at once (default 1: the pool's other thread stays free for interactive analyses). */
  concurrency?: number;
  runTask?: (task: ArchiveTask) => Promise<ArchiveTaskResult>;
  /** After each report stored (retention runs here: an archive being reported is never deleted). */
  onDone?: (id: number) => void;
}

export interface ReportQueueStatus {
  running: number[];
  queued: number[];
}

export class ReportQueue {
  private readonly queue: number[] = [];
  private readonly running = new Set<number>();
  private readonly concurrency: number;
  private readonly runTask: (task: ArchiveTask) => Promise<ArchiveTaskResult>;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: ReportQueueOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.runTask = opts.runTask ?? ((t) => runArchiveTask(t));
  }

  /** Archives whose report was queued or running when the server stopped, and complete ones never reported. */
  async resume(): Promise<void> {
    const rows = await this.opts.db.archive.findMany({
      where: { state: "complete", reportState: { in: ["none", "queued", "running"] } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    for (const r of rows) await this.enqueue(r.id);
  }

  async enqueue(id: number): Promise<void> {
    if (this.running.has(id) || this.queue.includes(id)) return;
    await this.opts.db.archive.update({ where: { id }, data: { reportState: "queued", reportError: null } });
    this.queue.push(id);
    this.pump();
  }

  status(): ReportQueueStatus {
    return { running: [...this.running], queued: [...this.queue] };
  }

  /** True while the archive's report is queued or being built (retention and delete must leave it). */
  isBusy(id: number): boolean {
    return this.running.has(id) || this.queue.includes(id);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      // Newest first: an on-call engineer waits for the snapshot just taken, not for the
      // backlog a start-up rescan or a burst of rotations queued before it.
      const id = this.queue.pop()!;
      this.running.add(id);
      void this.build(id).finally(() => {
        this.running.delete(id);
        this.pump();
        if (this.queue.length === 0 && this.running.size === 0) {
          const w = this.idleWaiters;
          this.idleWaiters = [];
          w.forEach((f) => f());
        }
      });
    }
  }

  /**
   * Builds and stores one archive's report now, outside the queue's bound: the queue's pump,
   * and a PostgreSQL queue's worker (report-jobs.ts), which has its own bound.
   */
  async build(id: number): Promise<void> {
    const db = this.opts.db;
    try {
      const row = await db.archive.findUnique({ where: { id }, select: { path: true, state: true } });
      if (!row || row.state !== "complete") {
        if (row) await db.archive.update({ where: { id }, data: { reportState: "none" } });
        return;
      }
      await db.archive.update({ where: { id }, data: { reportState: "running" } });
      const r = await this.runTask({ kind: "report", dir: row.path });
      if (r.kind === "corrupt") {
        await db.archive.update({ where: { id }, data: { reportState: "failed", reportError: r.message } });
        return;
      }
      if (r.kind !== "report") throw new Error(`Unexpected worker answer: ${r.kind}`);
      await db.$transaction([
        db.archiveReport.upsert({
          where: { archiveId: id },
          create: { archiveId: id, lami: r.lami, elapsedMs: r.elapsedMs },
          update: { lami: r.lami, elapsedMs: r.elapsedMs, createdAt: new Date() },
        }),
        db.archive.update({ where: { id }, data: { reportState: "done", reportError: null } }),
      ]);
      log.info({ id, elapsedMs: r.elapsedMs }, "archive report stored");
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ id, err: message }, "archive report failed");
      await db.archive.update({ where: { id }, data: { reportState: "failed", reportError: message.slice(0, 4000) } }).catch(() => undefined);
      return;
    }
    this.opts.onDone?.(id);
  }
}
