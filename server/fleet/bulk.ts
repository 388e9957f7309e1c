/**
 * Bulk actions over many hosts: what they are (validated), whom they target (hosts named or a
 * group), and how they run: a bounded number of hosts at once, a time limit per host, and one
 * result per host whatever happens to the others.
 */
import { z } from "zod";
import { ZNetUrl, ZSessionName, ZSnapshotRecord } from "../lttng/schemas";
import { ZHostGroupName } from "./group-schema";

const ZTargetHost = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "A host name: lower-case letters, digits and '-'");
export const MAX_BULK_HOSTS = 500;

/** Hosts named, or every host of a group (resolved when the action runs). */
export const ZBulkTarget = z.union([
  z.object({ hosts: z.array(ZTargetHost).min(1).max(MAX_BULK_HOSTS) }).strict(),
  z.object({ group: ZHostGroupName }).strict(),
]);
export type BulkTarget = z.infer<typeof ZBulkTarget>;

export const ZBulkAction = z.discriminatedUnion("kind", [
  /** `snapshot record` of `session`; `name` prefixes the snapshot's unique name. */
  z.object({ kind: z.literal("snapshot"), session: ZSessionName, name: ZSnapshotRecord.shape.name }).strict(),
  z.object({ kind: z.literal("start"), session: ZSessionName }).strict(),
  z.object({ kind: z.literal("stop"), session: ZSessionName }).strict(),
  /**
   * `lttng load` of a profile saved on this machine (copied to each remote host for the
   * command); `url` sends its trace elsewhere, e.g. to this machine's relay daemon.
   */
  z
    .object({ kind: z.literal("create"), profile: ZSessionName, name: ZSessionName.optional(), url: ZNetUrl.optional(), start: z.boolean().optional() })
    .strict(),
]);
export type BulkAction = z.infer<typeof ZBulkAction>;

export const ZBulkRequest = z.object({ target: ZBulkTarget, action: ZBulkAction }).strict();

export interface BulkResult {
  host: string;
  ok: boolean;
  message: string;
  /** Snapshot: the name LTTng gave it (unique), and its directory when we know it. */
  snapshot?: { name: string; path: string };
  /** How long this host took, ms. */
  tookMs: number;
}

export interface BulkLimits {
  /** Hosts worked on at once. */
  concurrency: number;
  /** Time limit of one host's whole action. */
  hostTimeoutMs: number;
}

/** What one host did: its message, and its snapshot for a snapshot. */
export type HostOutcome = { message: string; snapshot?: { name: string; path: string } };

/** Calls `fn` on every item, at most `concurrency` at once (in order of start); resolves when all have. */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
}

/**
 * Runs `act` on every host, at most `concurrency` at once; a host that throws or takes longer
 * than its limit gets `ok: false` with the reason. Results come back in the order of `hosts`.
 */
export async function runBulk(hosts: readonly string[], limits: BulkLimits, act: (host: string) => Promise<HostOutcome>): Promise<BulkResult[]> {
  const results: BulkResult[] = new Array<BulkResult>(hosts.length);
  await forEachBounded(hosts, limits.concurrency, async (host, i) => {
    const started = performance.now();
    try {
      const r = await withTimeout(act(host), limits.hostTimeoutMs, `${host} did not finish within ${limits.hostTimeoutMs} ms`);
      results[i] = { host, ok: true, ...r, tookMs: Math.round(performance.now() - started) };
    } catch (e) {
      results[i] = { host, ok: false, message: e instanceof Error ? e.message : String(e), tookMs: Math.round(performance.now() - started) };
    }
  });
  return results;
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** One line for the audit log and the CLI: how many hosts did it, and why the others did not. */
export function summarize(results: readonly BulkResult[]): string {
  const failed = results.filter((r) => !r.ok);
  const head = `${results.length - failed.length} of ${results.length} hosts ok`;
  return failed.length === 0 ? head : `${head}; ${failed.map((r) => `${r.host}: ${r.message}`).join("; ")}`;
}
