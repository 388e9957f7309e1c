/**
 * Spike rules in the database: the one place a row becomes a `SpikeRuleSpec` and back.
 */
import type { Db } from "../db";
import type { SpikeRule } from "../generated/prisma/client";
import { ZSpikeRuleInput, type SpikeRuleInput, type SpikeRuleSpec } from "./schema";
import { brandDomainError } from "../shared/domain-error";

/** A stored rule: its id and the validated spec. */
export interface StoredRule extends SpikeRuleSpec {
  id: number;
  createdAt: Date;
  updatedAt: Date;
}

export class SpikeRuleError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "CONFLICT",
    message: string,
  ) {
    super(message);
    this.name = "SpikeRuleError";
  }
}
brandDomainError(SpikeRuleError, "SpikeRuleError");

function toRow(s: SpikeRuleSpec) {
  return {
    name: s.name,
    enabled: s.enabled,
    sourceId: s.sourceId,
    detection: s.detection,
    thresholdKind: s.threshold.kind,
    thresholdNs: s.threshold.kind === "absolute" ? BigInt(s.threshold.ns) : null,
    p99Factor: s.threshold.kind === "p99" ? s.threshold.factor : null,
    p99WindowMin: s.threshold.kind === "p99" ? s.threshold.windowMin : null,
    snapshotSession: s.snapshotSession,
    otherAction: s.other.action,
    otherSession: s.other.action === "none" ? null : (s.other.session ?? null),
    cooldownMs: s.cooldownMs,
    maxPerHour: s.maxPerHour,
    triggerFilter: s.triggerFilter ?? null,
    hostGroup: s.hostGroup ?? null,
  };
}

export function fromRow(r: SpikeRule): StoredRule {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    sourceId: r.sourceId,
    detection: r.detection === "trigger" ? "trigger" : "live",
    threshold:
      r.thresholdKind === "p99"
        ? { kind: "p99", factor: r.p99Factor ?? 1, windowMin: r.p99WindowMin ?? 5 }
        : { kind: "absolute", ns: Number(r.thresholdNs ?? 0n) },
    snapshotSession: r.snapshotSession,
    other: r.otherAction === "rotate" || r.otherAction === "stop" ? { action: r.otherAction, session: r.otherSession ?? undefined } : { action: "none" },
    cooldownMs: r.cooldownMs,
    maxPerHour: r.maxPerHour,
    triggerFilter: r.triggerFilter ?? undefined,
    hostGroup: r.hostGroup ?? undefined,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export async function listRules(db: Db): Promise<StoredRule[]> {
  return (await db.spikeRule.findMany({ orderBy: { id: "asc" } })).map(fromRow);
}

export async function getRule(db: Db, id: number): Promise<StoredRule> {
  const r = await db.spikeRule.findUnique({ where: { id } });
  if (!r) throw new SpikeRuleError("NOT_FOUND", `Spike rule ${id} not found`);
  return fromRow(r);
}

async function assertFreeName(db: Db, name: string, id?: number): Promise<void> {
  const other = await db.spikeRule.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== id) throw new SpikeRuleError("CONFLICT", `A spike rule named ${name} exists already`);
}

export async function addRule(db: Db, input: SpikeRuleInput): Promise<StoredRule> {
  const spec = ZSpikeRuleInput.parse(input);
  await assertFreeName(db, spec.name);
  return fromRow(await db.spikeRule.create({ data: toRow(spec) }));
}

export async function updateRule(db: Db, id: number, input: SpikeRuleInput): Promise<StoredRule> {
  const spec = ZSpikeRuleInput.parse(input);
  await getRule(db, id);
  await assertFreeName(db, spec.name, id);
  return fromRow(await db.spikeRule.update({ where: { id }, data: toRow(spec) }));
}

/** Deletes the rule; its spikes stay (ruleId set to null, the name kept in `ruleName`). */
export async function removeRule(db: Db, id: number): Promise<StoredRule> {
  const r = await getRule(db, id);
  await db.spikeRule.delete({ where: { id } });
  return r;
}

/** Finds a rule by id (a number) or by name. */
export async function findRule(db: Db, idOrName: string): Promise<StoredRule> {
  if (/^\d+$/.test(idOrName)) return getRule(db, Number(idOrName));
  const r = await db.spikeRule.findUnique({ where: { name: idOrName } });
  if (!r) throw new SpikeRuleError("NOT_FOUND", `Spike rule ${idOrName} not found`);
  return fromRow(r);
}
