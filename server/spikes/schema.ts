/**
 * Spike rules as the API, the CLI and the Settings form accept them. ISOMORPHIC (exported to
 * the browser through server/shared/validators.ts): zod and other isomorphic schemas only.
 */
import { z } from "zod";
import { checkFilterSyntax } from "../lttng/filter/parser";
import { ZHostGroupName } from "../fleet/group-schema";
import { ZSessionName } from "../lttng/schemas";

const NS_PER: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

/** A latency: integer nanoseconds, or a string such as `50ms`, `500us`, `1.5s`. At most an hour. */
export const ZLatencyNs = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .max(32)
      .regex(/^(\d+(?:\.\d+)?)\s*(ns|us|ms|s)$/, "A latency such as 50ms, 500us or 1.5s")
      .transform((s) => {
        const m = /^(\d+(?:\.\d+)?)\s*(ns|us|ms|s)$/.exec(s)!;
        return Math.round(Number(m[1]) * NS_PER[m[2]!]!);
      }),
  ])
  .pipe(z.number().int().positive("A latency above zero").max(3_600_000_000_000, "At most an hour"));

/** A rule name: also part of trigger names and snapshot names, so LTTng's name characters. */
export const ZSpikeRuleName = z
  .string()
  .min(1, "A name is required")
  .max(48)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "Letters, digits, '_', '.' and '-'");

const base = z.object({
  name: ZSpikeRuleName,
  enabled: z.boolean().default(true),
  sourceId: z.number().int().positive(),
  /** live: Tracedeck's detector on the live stream; trigger: an LTTng trigger inside the traced app. */
  detection: z.enum(["live", "trigger"]).default("live"),
  threshold: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("absolute"), ns: ZLatencyNs }),
    /** factor × the p99 of the source over the last `windowMin` minutes. */
    z.object({ kind: z.literal("p99"), factor: z.number().min(1).max(1000), windowMin: z.number().int().min(1).max(1440) }),
  ]),
  snapshotSession: ZSessionName,
  other: z
    .object({ action: z.enum(["none", "rotate", "stop"]), session: ZSessionName.optional() })
    .default({ action: "none" })
    .refine((o) => o.action === "none" || o.session !== undefined, { message: "Name the session to rotate or stop", path: ["session"] }),
  cooldownMs: z.number().int().min(100).max(86_400_000).default(5_000),
  maxPerHour: z.number().int().min(1).max(3_600).default(60),
  /** Trigger path only: a further condition in LTTng's filter language (e.g. `$ctx.vpid == 42`). */
  triggerFilter: z.string().min(1).max(1024).optional(),
  /** Live path only: record the snapshot on every host of this fleet group (server/fleet) instead of this machine only. */
  hostGroup: ZHostGroupName.optional(),
});

function refineRule(r: z.output<typeof base>, ctx: z.RefinementCtx): void {
  if (r.detection === "trigger" && r.threshold.kind !== "absolute")
    ctx.addIssue({ code: "custom", path: ["threshold", "kind"], message: "An LTTng trigger compares against a constant: use an absolute threshold" });
  if (r.triggerFilter !== undefined) {
    if (r.detection !== "trigger") ctx.addIssue({ code: "custom", path: ["triggerFilter"], message: "A trigger filter applies to the trigger path only" });
    const err = checkFilterSyntax(r.triggerFilter);
    if (err) ctx.addIssue({ code: "custom", path: ["triggerFilter"], message: `Filter: ${err.message} at offset ${err.offset}` });
  }
  if (r.hostGroup !== undefined && r.detection !== "live")
    ctx.addIssue({ code: "custom", path: ["hostGroup"], message: "A host group target applies to the live path: an LTTng trigger snapshots its own host" });
  if (r.other.action !== "none" && r.other.session === r.snapshotSession)
    ctx.addIssue({ code: "custom", path: ["other", "session"], message: "Rotate or stop another session than the one snapshotted" });
}

export const ZSpikeRuleInput = base.superRefine(refineRule);
export type SpikeRuleInput = z.input<typeof ZSpikeRuleInput>;
export type SpikeRuleSpec = z.output<typeof ZSpikeRuleInput>;

export const ZSpikeRuleUpdate = z.object({ id: z.number().int().positive(), rule: ZSpikeRuleInput });

/** Epoch ns as decimal digits: query inputs are query keys, which the browser hashes as JSON (no bigint). */
const ZEpochNsDigits = z
  .string()
  .regex(/^\d{1,20}$/, "Epoch nanoseconds as decimal digits")
  .transform((v) => BigInt(v));

export const ZSpikeListInput = z.object({
  fromNs: ZEpochNsDigits,
  toNs: ZEpochNsDigits,
  sourceIds: z.array(z.number().int().positive()).max(64).optional(),
  ruleId: z.number().int().positive().optional(),
  /** At most this many spikes, newest first. */
  limit: z.number().int().min(1).max(5_000).default(1_000),
});
