/**
 * Issue #9: the hostile-input suite. Walks every procedure of the router (so a procedure
 * added later is covered without touching this file) and sends it, through the HTTP handler
 * as a browser would, generated bad inputs: as the whole input and at each top-level key of
 * its schema. Checks, for each: a 4xx with a short, clear message (no stack, no host path),
 * no child process ever started with the value, nothing written (no user, login session,
 * LTTng session or file), and the server still answering.
 *
 * Operators get every procedure that takes input (the strongest role: what they send reaches
 * LTTng); viewers get every mutation (refused by role). Input-less mutations (logout, stop
 * all demo workloads) cannot take a hostile value and are left out of the operator run.
 * Unicode is sent to queries only: a name in another script is a valid name, and a
 * mutation would act on it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dataDir = mkdtempSync(join(tmpdir(), "td-hostile-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "../testing/db";
import { appRouter } from "./root";
import { call, loginUsers, type CallResult, type Users } from "./testing";

const t = tempDb();
let users: Users;
beforeAll(async () => {
  users = await loginUsers(t.db, "hostile");
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** In every hostile string: what the process and file scans look for. */
const MARK = `tdhx${process.pid}`;
const PWNED = `/tmp/td-pwned-${MARK}`;
/** Benign values (valid names in other scripts) may reach `lttng` as one argument: another mark. */
const OK_MARK = `tdok${process.pid}`;

interface Hostile {
  label: string;
  /** superjson's wire form ({json, meta}) or JSON text. */
  wire: unknown;
  text?: string;
  /** Values a valid input may contain (sent to queries only). */
  benign?: boolean;
}

const sj = (json: unknown, meta?: unknown): unknown => (meta === undefined ? { json } : { json, meta });

function hostileValues(): Hostile[] {
  let bomb: Record<string, unknown> = { name: MARK };
  const eq: Record<string, string[]> = {};
  for (let i = 0; i < 12; i++) bomb = { a: bomb, b: null, c: null, d: null };
  for (let i = 0, p = ""; i < 12; i++, p += "a.") eq[`${p}a`] = [`${p}b`, `${p}c`, `${p}d`];
  return [
    { label: "shell ;", wire: sj(`a;touch ${PWNED}`) },
    { label: "shell $()", wire: sj(`$(touch ${PWNED})`) },
    { label: "shell backticks", wire: sj(`\`touch ${PWNED}\``) },
    { label: "shell | &&", wire: sj(`${MARK}|id&&id`) },
    { label: "dot-dot", wire: sj(`../../${MARK}/../etc/passwd`) },
    { label: "bare ..", wire: sj("..") },
    { label: "absolute path", wire: sj("/etc/shadow") },
    { label: "NUL", wire: sj(`${MARK}\u0000x`) },
    { label: "control characters", wire: sj(`${MARK}\u001b[31m\r\n\u0007`) },
    { label: "leading dash (an option)", wire: sj(`--help-${MARK}`) },
    { label: "1 MB string", wire: sj(`${MARK}${"x".repeat(1 << 20)}`) },
    { label: "deep nesting", wire: null, text: `{"json":${"[".repeat(5000)}"${MARK}"${"]".repeat(5000)}}` },
    { label: "reference bomb", wire: sj(bomb, { referentialEqualities: eq }) },
    { label: "huge number", wire: sj(1e308) },
    { label: "negative number", wire: sj(-1) },
    { label: "unsafe integer", wire: sj(2 ** 53 + 2) },
    { label: "Infinity", wire: sj("Infinity", { values: ["number"] }) },
    { label: "bigint 2^70", wire: sj(String(2n ** 70n), { values: ["bigint"] }) },
    { label: "array of 30 000", wire: sj(Array.from({ length: 30_000 }, () => MARK)) },
    // Unknown keys are dropped by the schemas (never passed on): an input of only unknown
    // keys is the empty input, which a mutation with defaults accepts. Queries only, then.
    { label: "object", wire: sj({ [OK_MARK]: { $where: OK_MARK } }), benign: true },
    { label: "unicode", wire: sj(`名前🙂${OK_MARK}`), benign: true },
    { label: "bidi override", wire: sj(`\u202e${OK_MARK}`), benign: true },
  ];
}

/** The value at `key`: superjson paths are relative to the json root, so they are prefixed. */
function atKey(h: Hostile, key: string): Hostile {
  if (h.text !== undefined) return { ...h, text: `{"json":{"${key}":${h.text.slice('{"json":'.length, -1)}}}` };
  const w = h.wire as { json: unknown; meta?: { values?: unknown; referentialEqualities?: Record<string, string[]> } };
  const meta: Record<string, unknown> = {};
  if (w.meta?.values !== undefined) meta.values = { [key]: w.meta.values };
  if (w.meta?.referentialEqualities !== undefined) {
    meta.referentialEqualities = Object.fromEntries(Object.entries(w.meta.referentialEqualities).map(([k, v]) => [`${key}.${k}`, v.map((p) => `${key}.${p}`)]));
  }
  return { ...h, wire: sj({ [key]: w.json }, Object.keys(meta).length > 0 ? meta : undefined) };
}

interface ProcedureLike {
  _def: {
    type: "query" | "mutation" | "subscription";
    meta?: { role?: string };
    inputs: { shape?: Record<string, unknown>; def?: { shape?: Record<string, unknown> } }[];
  };
}
// Typed as the nested record, but tRPC keeps the flat "a.b" map here at run time.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureLike>);

function topLevelKeys(p: ProcedureLike): string[] {
  const keys = new Set<string>();
  for (const schema of p._def.inputs) for (const k of Object.keys(schema.shape ?? schema.def?.shape ?? {})) keys.add(k);
  return [...keys];
}

/** Processes whose command line carries the mark, sampled while the suite runs. */
const seenChildren = new Set<string>();
function sampleProcesses(): void {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.includes(MARK) && !cmd.includes("vitest")) seenChildren.add(cmd.replaceAll("\0", " ").slice(0, 200));
    } catch {
      /* gone */
    }
  }
}

const BAD = (r: CallResult): string | null => {
  if (r.status < 400 || r.status >= 500) return `status ${r.status}`;
  if (r.message === null || r.message.length === 0) return "no message";
  if (r.message.length > 2_000) return `a ${r.message.length}-character message`;
  if (/\n\s+at /.test(r.message)) return "a stack trace in the message";
  // The configured trace roots are named on purpose (issue 11: the way forward for a path
  // outside them); any other mention of the data directory is a leaked host path.
  const withoutRoots = r.message.replace(/the configured roots are .*?\. To open traces elsewhere/s, "");
  if (withoutRoots.includes(dataDir)) return "the data directory in the message";
  return null;
};

async function hit(path: string, p: ProcedureLike, h: Hostile, cookie: string): Promise<string | null> {
  const r = await call(path, p._def.type, undefined, h.text !== undefined ? { rawText: h.text, cookie, db: t.db } : { raw: h.wire, cookie, db: t.db });
  if (p._def.type === "subscription" && r.status === 200) {
    // An SSE stream: the refusal arrives as its first (error) event.
    return typeof r.body === "string" && /serialized-error|"code":-32/.test(r.body) ? null : `subscription opened: ${String(r.body).slice(0, 120)}`;
  }
  // The wizard's dry run answers 200 with the problems it found, by design.
  if (path === "sessions.plan" && r.status === 200 && JSON.stringify(r.body).includes('"issues":[{')) return null;
  const bad = BAD(r);
  return bad === null ? null : `${bad}: ${(r.message ?? JSON.stringify(r.body)).slice(0, 160)}`;
}

describe("hostile inputs on every procedure", () => {
  it("are refused with a clear 4xx; nothing runs with them, nothing is written, the server keeps answering", { timeout: 180_000 }, async () => {
    const sampler = setInterval(sampleProcesses, 25);
    const usersBefore = await t.db.user.count();
    const values = hostileValues();
    const failures: string[] = [];
    let calls = 0;
    try {
      for (const [path, p] of procedures) {
        const takesInput = p._def.inputs.length > 0;
        const runs: [string, Hostile[]][] = [];
        if (takesInput) {
          const forRole = values.filter((h) => p._def.type === "query" || !h.benign);
          runs.push(["", forRole]);
          for (const key of topLevelKeys(p)) runs.push([key, forRole.map((h) => atKey(h, key))]);
        }
        for (const [key, list] of runs) {
          // The values of one key concurrently: the handler serves requests in parallel anyway.
          const results = await Promise.all(list.map((h) => hit(path, p, h, users.operator)));
          calls += list.length;
          results.forEach((bad, i) => {
            const h = list[i]!;
            // A benign value sent to a query may be a valid input: then only "not a 5xx" holds.
            if (bad !== null && !(h.benign === true && !bad.startsWith("status 5"))) failures.push(`${path}${key ? `.${key}` : ""} ← ${h.label}: ${bad}`);
          });
        }
        if (p._def.type === "mutation" && p._def.meta?.role === "operator") {
          for (const h of values.slice(0, 3)) {
            calls++;
            const r = await call(path, "mutation", undefined, { raw: h.wire, cookie: users.viewer, db: t.db });
            if (r.status !== 403) failures.push(`${path} as viewer ← ${h.label}: status ${r.status}`);
          }
        }
        const alive = await call("auth.me", "query", undefined, { cookie: users.viewer, db: t.db });
        if (alive.status !== 200) failures.push(`after ${path}: auth.me answered ${alive.status}`);
      }
    } finally {
      clearInterval(sampler);
    }
    sampleProcesses();
    expect(calls).toBeGreaterThan(1_000);
    expect(failures).toEqual([]);
    expect([...seenChildren]).toEqual([]);
    expect(existsSync(PWNED)).toBe(false);
    expect(await t.db.user.count()).toBe(usersBefore);
    expect(await t.db.loginSession.count({ where: { user: { username: { contains: MARK } } } })).toBe(0);
    // No LTTng session and no file carries the mark.
    const sessions = execFileSync("lttng", ["--no-sessiond", "list"], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
    expect(sessions).not.toContain(MARK);
    expect(sessions).not.toContain(OK_MARK);
    const files = spawnSync("find", [dataDir, "/tmp", "-maxdepth", "3", "-name", `*${MARK}*`], { encoding: "utf8" }).stdout.trim();
    expect(files).toBe("");
  });
});
