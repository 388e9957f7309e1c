/**
 * The archive index's writer: finds archives under the trace roots (a scan at start-up, then
 * one every `pollMs`), waits until a directory has stopped changing, reads it once with the
 * CTF reader in the worker pool, and records it. Rows are keyed by real path, so a restart
 * (or two scans racing) never indexes one archive twice.
 *
 * States: "open" (a session's trace while LTTng still records it), "complete", "corrupt"
 * (the reader stopped on broken data: the files are left alone, the row says why), "missing"
 * (the directory vanished: the row stays, so nothing disappears silently).
 */
import { hostname } from "node:os";
import { readdir, realpath } from "node:fs/promises";
import type { Db } from "../db";
import { moduleLogger } from "../log";
import type { ArchiveTask, ArchiveTaskResult } from "./archive.worker";
import { classifyTraceDir, fingerprint, walkArchives, type Candidate, type Fingerprint } from "./discover";
import { runArchiveTask } from "./pool";

const log = moduleLogger("archives");

async function holdsTrace(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  return entries !== null && entries.some((e) => (e.isDirectory() && (e.name === "ust" || e.name === "kernel")) || (e.isFile() && e.name === "metadata"));
}

/** What the index asks LTTng (optional: without it, no archive is "open" and causes stay "unknown"). */
export interface LttngView {
  /** Names of the sessions recording now. */
  activeSessions(): Promise<Set<string>>;
  /** The cause of a rotation of `session` that Tracedeck did not ask for ("rotation-timer", "rotation-size"), or null. */
  rotationCause(session: string): Promise<string | null>;
  /**
   * The cause of a snapshot of `session` that Tracedeck did not record: "trigger:NAME" when
   * exactly one trigger snapshots that session (LTTng does not say which action wrote a
   * snapshot), else null.
   */
  snapshotCause(session: string): Promise<string | null>;
}

export interface IndexerOptions {
  db: Db;
  roots: () => readonly string[];
  /** Between two scans. */
  pollMs?: number;
  /** How long a directory must stay unchanged before it is read. */
  settleMs?: number;
  runTask?: (task: ArchiveTask) => Promise<ArchiveTaskResult>;
  lttng?: LttngView;
  /**
   * Builds an archive's report in the pass that indexes it, stored in the same transaction,
   * when the archive arrives on its own (Tracedeck recorded it, or a scan found at most two)
   * and is at most INLINE_REPORT_MAX_BYTES: one read of the archive instead of two, no queue
   * round. A backlog (the start-up rescan) is indexed first and left to the report queue,
   * newest first, so that the list fills quickly.
   */
  inlineReports?: boolean;
  /** Called with the id of each archive that became complete (report queue unless `reported`, retention). */
  onComplete?: (id: number, session: string, reported: boolean) => void;
}

/**
 * Above this, an archive found by a scan is indexed from the summary pass alone and its report
 * queued: a big kernel chunk's analyses take seconds, and its row must appear before that.
 */
export const INLINE_REPORT_MAX_BYTES = 16 * 1024 * 1024;

/** A stopped session's trace or a corrupt archive found unchanged is fingerprinted again after this, not at every scan. */
const CALM_RECHECK_MS = 5_000;

interface Pending {
  key: string;
  sinceMs: number;
}

export class ArchiveIndexer {
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly runTask: (task: ArchiveTask) => Promise<ArchiveTaskResult>;
  private readonly pending = new Map<string, Pending>();
  /** Causes Tracedeck knows because it recorded the archive itself (path → cause). */
  private readonly causes = new Map<string, string>();
  /** Complete or corrupt directories found unchanged, and when (see CALM_RECHECK_MS). */
  private readonly calm = new Map<string, number>();
  /** Directories being read now (a scan and `noteRecorded` racing read each once). */
  private readonly inflight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly opts: IndexerOptions) {
    this.pollMs = opts.pollMs ?? 1000;
    this.settleMs = opts.settleMs ?? 1000;
    this.runTask = opts.runTask ?? ((t) => runArchiveTask(t));
  }

  /** Rescans now, then every `pollMs` until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      void this.scan()
        .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "archive scan failed"))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.pollMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Tracedeck recorded `path` itself (snapshot button, rotate, spike): remember why. With
   * `complete` (the command that wrote it has returned and LTTng wrote it locally: a snapshot
   * to a local output, a completed rotation), it is indexed now, with its report, instead of
   * at a scan after the settle time. Without it (a trigger's snapshot seen on disk, a
   * snapshot the relay may still be writing), the scans settle it as any other directory.
   */
  noteRecorded(path: string, cause: string, complete = false): void {
    this.causes.set(path, cause);
    if (complete)
      void this.indexNow(path, cause).catch((err: unknown) =>
        log.warn({ path, err: err instanceof Error ? err.message : String(err) }, "cannot index a recorded archive; the scans will"),
      );
    // The index keys real paths; the data directory may sit behind a link.
    void realpath(path).then(
      (real) => {
        if (real !== path) this.causes.set(real, cause);
      },
      () => undefined,
    );
    if (this.causes.size > 10_000) this.causes.delete(this.causes.keys().next().value!);
  }

  /**
   * Indexes one directory now (the CLI's `record`, which knows where it wrote): no settling,
   * the caller knows the trace is closed. Returns the row id, or null when it is not an
   * archive under a root.
   */
  async indexNow(path: string, cause?: string): Promise<number | null> {
    const real = await realpath(path).catch(() => null);
    if (real === null) return null;
    const roots = (await Promise.all(this.opts.roots().map((r) => realpath(r).catch(() => null)))).filter((r): r is string => r !== null);
    const root = roots.find((r) => real.startsWith(`${r}/`));
    const c = root === undefined ? null : classifyTraceDir(real);
    const fp = await fingerprint(real);
    if (root === undefined || c === null || fp === null) return null;
    if (cause !== undefined) this.causes.set(real, cause);
    await this.index({ ...c, root }, fp, this.opts.inlineReports === true && fp.bytes <= INLINE_REPORT_MAX_BYTES);
    return (await this.opts.db.archive.findUnique({ where: { path: real }, select: { id: true } }))?.id ?? null;
  }

  /** One scan; concurrent callers share the one in progress. */
  scan(): Promise<void> {
    this.running ??= this.scanOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async scanOnce(): Promise<void> {
    const walk = await walkArchives(this.opts.roots());
    const db = this.opts.db;
    const rows =
      walk.roots.length === 0
        ? []
        : await db.archive.findMany({ where: { root: { in: walk.roots } }, select: { id: true, path: true, state: true, fingerprint: true, session: true } });
    const byPath = new Map(rows.map((r) => [r.path, r]));
    const seen = new Set<string>();
    // Asked only when a session's trace needs the answer (see below), not at every scan: each
    // `lttng list` is a child process forked from the web server (~600 MB), tens of ms of its
    // event loop on a loaded host.
    let active: Promise<Set<string>> | undefined;
    const isActive = async (session: string) =>
      (await (active ??= this.opts.lttng ? this.opts.lttng.activeSessions().catch(() => new Set<string>()) : Promise.resolve(new Set<string>()))).has(session);
    const now = Date.now();
    const ready: { c: Candidate; fp: Fingerprint }[] = [];
    for (const c of walk.candidates) {
      seen.add(c.path);
      const row = byPath.get(c.path);
      // A complete snapshot or rotation archive does not change; stat'ing its files every scan
      // would cost the most for the most archives. A session's trace can be restarted and grow.
      if (row?.state === "complete" && c.kind !== "session") continue;
      if (this.inflight.has(c.path)) continue;
      // A stopped session's trace that matched its row is looked at again every few seconds,
      // not every scan: a fingerprint stats each of its files, and the trace roots may hold many.
      const calm = this.calm.get(c.path);
      if (calm !== undefined && now - calm < CALM_RECHECK_MS) continue;
      const fp = await fingerprint(c.path);
      if (fp === null) continue;
      if ((row?.state === "corrupt" || row?.state === "complete") && row.fingerprint === fp.key) {
        this.calm.set(c.path, now);
        continue;
      }
      this.calm.delete(c.path);
      const p = this.pending.get(c.path);
      if (c.kind === "session") {
        // An open trace that grew since the last scan is still being recorded, whatever LTTng
        // would say: it cannot be indexed before it settles. Ask once it stops changing.
        if (row?.state === "open" && p !== undefined && p.key !== fp.key) {
          this.pending.set(c.path, { key: fp.key, sinceMs: now });
          continue;
        }
        if (await isActive(row?.session ?? c.sessionHint)) {
          if (!row) await this.upsertOpen(c, fp);
          // Remembered (not settling): the next scan sees whether it still grows.
          if (p?.key !== fp.key) this.pending.set(c.path, { key: fp.key, sinceMs: now });
          continue;
        }
      }
      if (!p || p.key !== fp.key) {
        this.pending.set(c.path, { key: fp.key, sinceMs: now });
        if (this.settleMs > 0) continue;
      } else if (now - p.sinceMs < this.settleMs || now - fp.newestMs < this.settleMs / 2) {
        continue;
      }
      ready.push({ c, fp });
    }
    for (const p of this.pending.keys()) if (!seen.has(p)) this.pending.delete(p);
    for (const p of this.calm.keys()) if (!seen.has(p)) this.calm.delete(p);
    // Alone, an archive is reported in the same pass; a backlog is indexed first (see inlineReports).
    const inline = this.opts.inlineReports === true && ready.length <= 2;
    // Two at a time: the pool has two threads, and a scan must not queue hundreds of tasks at once.
    for (let i = 0; i < ready.length; i += 2)
      await Promise.all(ready.slice(i, i + 2).map((r) => this.index(r.c, r.fp, inline && r.fp.bytes <= INLINE_REPORT_MAX_BYTES)));
    if (!walk.truncated) {
      for (const r of rows) {
        if (seen.has(r.path) || r.state === "missing") continue;
        if (r.state === "open") {
          // A session's first chunk becomes `archives/…` at its first rotation: the trace
          // moved and is indexed there; the open row was never an archive of its own.
          await db.archive.delete({ where: { id: r.id } });
          continue;
        }
        // Gone from the walk; make sure it is gone (not merely unreadable for a moment).
        if (await holdsTrace(r.path)) continue;
        await db.archive.update({ where: { id: r.id }, data: { state: "missing" } });
        log.info({ path: r.path }, "archive directory vanished: marked missing");
      }
    }
  }

  private async upsertOpen(c: Candidate, fp: Fingerprint): Promise<void> {
    const base = this.baseFields(c, fp, c.sessionHint, "");
    await this.opts.db.archive.upsert({
      where: { path: c.path },
      create: { ...base, state: "open" },
      update: { state: "open", bytes: base.bytes, fileCount: base.fileCount },
    });
  }

  private baseFields(c: Candidate, fp: Fingerprint, session: string, host: string) {
    return {
      path: c.path,
      root: c.root,
      session,
      host: host || hostname(),
      kind: c.kind,
      bytes: BigInt(fp.bytes),
      fileCount: fp.files,
      createdAt: new Date(c.namedAtMs ?? fp.newestMs),
      fingerprint: fp.key,
    };
  }

  private index(c: Candidate, fp: Fingerprint, report: boolean): Promise<void> {
    const busy = this.inflight.get(c.path);
    if (busy) return busy;
    const p = this.read(c, fp, report).finally(() => this.inflight.delete(c.path));
    this.inflight.set(c.path, p);
    return p;
  }

  private async read(c: Candidate, fp: Fingerprint, report: boolean): Promise<void> {
    const db = this.opts.db;
    let r: ArchiveTaskResult;
    try {
      r = await this.runTask({ kind: report ? "report" : "summary", dir: c.path });
    } catch (err) {
      log.warn({ path: c.path, err: err instanceof Error ? err.message : String(err) }, "cannot index archive; will retry");
      return;
    }
    // Read while it changed (a chunk still being written): not complete yet, look again next scan.
    const after = await fingerprint(c.path);
    if (after === null || after.key !== fp.key) {
      this.pending.delete(c.path);
      return;
    }
    this.pending.delete(c.path);
    if (r.kind === "corrupt") {
      const base = this.baseFields(c, fp, c.sessionHint, "");
      await db.archive.upsert({
        where: { path: c.path },
        create: { ...base, state: "corrupt", error: r.message },
        update: { state: "corrupt", error: r.message, fingerprint: fp.key, bytes: base.bytes, fileCount: base.fileCount },
      });
      log.warn({ path: c.path, error: r.message }, "archive is corrupt");
      return;
    }
    const s = r.summary;
    const session = s.traceName || c.sessionHint;
    const cause = this.causes.get(c.path) ?? (await this.inferCause(c, session));
    this.causes.delete(c.path);
    const base = this.baseFields(c, fp, session, s.hostname);
    const fields = {
      ...base,
      cause,
      domains: s.domains.join(","),
      firstEventNs: s.firstEventNs,
      lastEventNs: s.lastEventNs,
      events: BigInt(s.events),
      discarded: BigInt(s.discarded),
      lostPackets: BigInt(s.lostPackets),
      state: "complete",
      error: null,
    };
    const { path: _p, ...update } = fields;
    let row: { id: number };
    if (r.kind === "report") {
      // The row and its report in one statement (Prisma runs a nested write as one transaction).
      const rep = { lami: r.lami, elapsedMs: r.elapsedMs };
      const done = { reportState: "done", reportError: null };
      row = await db.archive.upsert({
        where: { path: c.path },
        create: { ...fields, ...done, report: { create: rep } },
        update: { ...update, ...done, report: { upsert: { create: rep, update: { ...rep, createdAt: new Date() } } } },
        select: { id: true },
      });
    } else {
      row = await db.archive.upsert({ where: { path: c.path }, create: fields, update, select: { id: true } });
    }
    log.info({ id: row.id, path: c.path, session, events: s.events, reported: r.kind === "report" }, "archive indexed");
    this.opts.onComplete?.(row.id, session, r.kind === "report");
  }

  private async inferCause(c: Candidate, session: string): Promise<string> {
    if (c.kind === "rotation" && this.opts.lttng) return (await this.opts.lttng.rotationCause(session).catch(() => null)) ?? "unknown";
    if (c.kind === "snapshot" && this.opts.lttng) return (await this.opts.lttng.snapshotCause(session).catch(() => null)) ?? "unknown";
    return "unknown";
  }
}
