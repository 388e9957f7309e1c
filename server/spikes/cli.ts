/**
 * `tracedeck spikes list|add|rm|enable|disable|show`: the rules in the database, through the
 * same validation as the API. A running server picks the change up within seconds
 * (running.ts polls the rules' version).
 */
import { ZodError } from "zod";
import { audit } from "../audit";
import { db as defaultDb, type Db } from "../db";
import { readableIssues } from "../lttng/schemas";
import { addRule, findRule, listRules, removeRule, SpikeRuleError, updateRule, type StoredRule } from "./rules";
import type { SpikeRuleInput } from "./schema";
import { listSpikes } from "./store";

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}
const defaultIo: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export const SPIKES_USAGE = `usage: tracedeck spikes list [--json]
       tracedeck spikes add --name NAME --source ID (--threshold 50ms | --p99 FACTOR [--window MIN])
                            --snapshot SESSION [--rotate SESSION | --stop SESSION]
                            [--cooldown MS] [--max-per-hour N] [--trigger [--filter EXPR]] [--disabled]
       tracedeck spikes enable|disable|rm RULE      (RULE: id or name)
       tracedeck spikes recorded [--rule RULE] [--limit N] [--json]   the spikes recorded, newest first
`;

class CliUsage extends Error {}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new CliUsage(`${name} needs a value`);
  return v;
}

const intOption = (argv: string[], name: string): number | undefined => {
  const v = option(argv, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new CliUsage(`${name} takes a whole number`);
  return Number(v);
};

function ruleFromArgs(argv: string[]): SpikeRuleInput {
  const name = option(argv, "--name");
  const source = intOption(argv, "--source");
  const snapshot = option(argv, "--snapshot");
  if (name === undefined || source === undefined || snapshot === undefined) throw new CliUsage("add needs --name, --source and --snapshot");
  const abs = option(argv, "--threshold");
  const p99 = option(argv, "--p99");
  if ((abs === undefined) === (p99 === undefined)) throw new CliUsage("give --threshold LATENCY or --p99 FACTOR");
  const rotate = option(argv, "--rotate");
  const stop = option(argv, "--stop");
  if (rotate !== undefined && stop !== undefined) throw new CliUsage("--rotate or --stop, not both");
  const filter = option(argv, "--filter");
  return {
    name,
    sourceId: source,
    enabled: !argv.includes("--disabled"),
    detection: argv.includes("--trigger") ? "trigger" : "live",
    threshold:
      abs !== undefined
        ? { kind: "absolute", ns: /^\d+$/.test(abs) ? Number(abs) : abs }
        : { kind: "p99", factor: Number(p99!.replace(/x$/, "")), windowMin: intOption(argv, "--window") ?? 5 },
    snapshotSession: snapshot,
    other: rotate !== undefined ? { action: "rotate", session: rotate } : stop !== undefined ? { action: "stop", session: stop } : { action: "none" },
    ...(intOption(argv, "--cooldown") !== undefined ? { cooldownMs: intOption(argv, "--cooldown") } : {}),
    ...(intOption(argv, "--max-per-hour") !== undefined ? { maxPerHour: intOption(argv, "--max-per-hour") } : {}),
    ...(filter !== undefined ? { triggerFilter: filter } : {}),
  };
}

const ms = (ns: number | bigint) => `${(Number(ns) / 1e6).toFixed(3)} ms`;

function describe(r: StoredRule): string {
  const thr = r.threshold.kind === "absolute" ? `> ${ms(r.threshold.ns)}` : `> ${r.threshold.factor}× p99 (${r.threshold.windowMin} min)`;
  const other = r.other.action === "none" ? "" : `, then ${r.other.action} ${r.other.session}`;
  return `${String(r.id).padStart(4)}  ${r.enabled ? "on " : "off"}  ${r.name}  source ${r.sourceId} ${thr} → snapshot ${r.snapshotSession}${other}  [${r.detection}, cooldown ${r.cooldownMs} ms, ≤ ${r.maxPerHour}/h]\n`;
}

export async function spikesCli(argv: string[], io: CliIo = defaultIo, db: Db = defaultDb()): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    switch (verb) {
      case "list": {
        const rules = await listRules(db);
        if (rest.includes("--json")) io.out(JSON.stringify(rules, null, 2) + "\n");
        else for (const r of rules) io.out(describe(r));
        return 0;
      }
      case "add": {
        const input = ruleFromArgs(rest);
        if (!(await db.latencySource.findUnique({ where: { id: input.sourceId } }))) throw new CliUsage(`latency source ${input.sourceId} not found`);
        const r = await addRule(db, input);
        await audit(db, null, "cli.spikes.add", input, true, `Added spike rule ${r.name}.`);
        io.out(describe(r));
        return 0;
      }
      case "enable":
      case "disable": {
        const r = await findRule(db, rest[0] ?? "");
        const { id: _id, createdAt: _c, updatedAt: _u, ...spec } = r;
        const u = await updateRule(db, r.id, { ...spec, enabled: verb === "enable" });
        await audit(db, null, `cli.spikes.${verb}`, { id: r.id }, true, "");
        io.out(describe(u));
        return 0;
      }
      case "rm": {
        const r = await removeRule(db, (await findRule(db, rest[0] ?? "")).id);
        await audit(db, null, "cli.spikes.rm", { id: r.id }, true, `Removed spike rule ${r.name}.`);
        io.out(`removed ${r.name}\n`);
        return 0;
      }
      case "recorded": {
        const rule = option(rest, "--rule");
        const ruleId = rule === undefined ? undefined : (await findRule(db, rule)).id;
        const spikes = await listSpikes(db, { fromNs: 0n, toNs: 2n ** 63n - 1n, ruleId, limit: intOption(rest, "--limit") ?? 50 });
        if (rest.includes("--json")) {
          io.out(JSON.stringify(spikes, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
        } else {
          for (const s of spikes) {
            const when = new Date(Number(s.tsNs / 1_000_000n)).toISOString();
            io.out(
              `${String(s.id).padStart(6)}  ${when}  ${s.ruleName}  ${ms(s.valueNs)} > ${ms(s.thresholdNs)}  ${s.detection}  ${s.outcome}${s.suppressed ? ` (+${s.suppressed} suppressed)` : ""}  ${s.archive ? `archive ${s.archive.id}` : (s.archivePath ?? s.error ?? "")}\n`,
            );
          }
        }
        return 0;
      }
      case undefined:
      case "--help":
      case "-h":
        io.out(SPIKES_USAGE);
        return verb === undefined ? 2 : 0;
      default:
        throw new CliUsage(`unknown subcommand ${verb}`);
    }
  } catch (e) {
    if (e instanceof CliUsage) {
      io.err(`tracedeck spikes: ${e.message}\n${SPIKES_USAGE}`);
      return 2;
    }
    if (e instanceof ZodError) {
      io.err(
        `tracedeck spikes: ${readableIssues(e)
          .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
          .join("; ")}\n`,
      );
      return 2;
    }
    if (e instanceof SpikeRuleError) {
      io.err(`tracedeck spikes: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
