/**
 * Mutation fuzzing of the CTF reader: take real traces, damage one file per case (bit flips
 * in packets or metadata, truncation, zero-length files, wrong magic, huge declared sizes,
 * edited TSDL text), then open and read everything. A case passes when reading either
 * succeeds or fails with a CtfError naming a file (and an offset or a metadata line);
 * anything else (another exception, an event-count explosion, a time-out, a memory jump)
 * is a failure, reported with the seed that reproduces it.
 *
 * Used by fuzz.test.ts (a bounded number of cases in CI) and scripts/fuzz-ctf.mjs (long
 * campaigns on demand).
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CtfError } from "./errors";
import { metadataTextFromBytes } from "./metadata";
import { TraceSet } from "./reader/trace-set";

export interface FuzzOptions {
  /** Trace directories (each holding `metadata`) to mutate. */
  sources: string[];
  /** Scratch directory (created; cases are written below it and removed). */
  workDir: string;
  seed: number;
  cases: number;
  /** Index of the first case (to replay a range of a campaign). Default 0. */
  start?: number;
  /** Per-case wall-clock limit in ms (checked between events). Default 20 s. */
  caseTimeoutMs?: number;
  /** Called every `progressEvery` cases. */
  onProgress?: (done: number, result: FuzzResult) => void;
  progressEvery?: number;
}

export interface FuzzFailure {
  seed: number;
  source: string;
  mutation: string;
  error: string;
}

export interface FuzzResult {
  cases: number;
  /** Cases read to the end without error. */
  clean: number;
  /** Typed errors by code. */
  typed: Record<string, number>;
  failures: FuzzFailure[];
}

interface Source {
  dir: string;
  files: string[];
  /** Events when read intact (for the explosion check). */
  events: number;
  metadataText: string;
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function loadSource(dir: string): Source {
  const set = TraceSet.open([dir]);
  let events = 0;
  set.forEach(() => {
    events++;
  });
  set.close();
  const md = metadataTextFromBytes(readFileSync(join(dir, "metadata"))).text;
  return { dir, files: listFiles(dir), events, metadataText: md };
}

type Mutator = (r: () => number, data: Buffer, src: Source) => { data: Buffer; what: string };

const int = (r: () => number, n: number) => Math.floor(r() * n);

/** Offsets of packet starts in a stream file (best effort: page multiples the size divides). */
function packetStarts(data: Buffer): number[] {
  const starts = [0];
  for (let o = 4096; o < data.length; o += 4096) if (data.readUInt32LE(o) === 0xc1fc1fc1 || data.readUInt32BE(o) === 0xc1fc1fc1) starts.push(o);
  return starts;
}

const STREAM_MUTATORS: [string, Mutator][] = [
  [
    "flip-bits",
    (r, d) => {
      const n = 1 + int(r, 8);
      const at: number[] = [];
      for (let i = 0; i < n; i++) {
        // Half the flips land in packet headers/contexts, where framing lives.
        const starts = packetStarts(d);
        const o = r() < 0.5 ? starts[int(r, starts.length)]! + int(r, 96) : int(r, d.length);
        if (o < d.length) {
          d[o]! ^= 1 << int(r, 8);
          at.push(o);
        }
      }
      return { data: d, what: `flip bits at ${at.join(",")}` };
    },
  ],
  [
    "truncate",
    (r, d) => {
      const n = int(r, d.length);
      return { data: d.subarray(0, n), what: `truncate to ${n}` };
    },
  ],
  ["zero-length", (_r, _d) => ({ data: Buffer.alloc(0), what: "zero-length" })],
  [
    "bad-magic",
    (r, d) => {
      const starts = packetStarts(d);
      const o = starts[int(r, starts.length)]!;
      if (o + 4 <= d.length) d.writeUInt32LE(int(r, 0xffffffff), o);
      return { data: d, what: `bad magic at ${o}` };
    },
  ],
  [
    "huge-size",
    (r, d) => {
      const starts = packetStarts(d);
      const o = starts[int(r, starts.length)]! + 8 * int(r, 12);
      if (o + 8 <= d.length) {
        const v = [0xffffffffffffffffn, 0x7fffffffffffffffn, 1n << 40n, BigInt(int(r, 0xffffffff)) * 8n, 0n][int(r, 5)]!;
        d.writeBigUInt64LE(v, o);
      }
      return { data: d, what: `64-bit 0x${d.subarray(o, o + 8).toString("hex")} at ${o}` };
    },
  ],
  [
    "splice",
    (r, d) => {
      // Copy a random chunk over another place (plausible-looking garbage).
      const len = 1 + int(r, 256);
      const from = int(r, Math.max(1, d.length - len));
      const to = int(r, Math.max(1, d.length - len));
      d.copy(d, to, from, from + len);
      return { data: d, what: `splice ${len} bytes ${from}->${to}` };
    },
  ],
];

const METADATA_MUTATORS: [string, Mutator][] = [
  ...STREAM_MUTATORS.filter(([n]) => n !== "bad-magic" && n !== "huge-size"),
  [
    "text-edit",
    (r, _d, src) => {
      // Edit the TSDL text and store it as plain-text metadata.
      let t = src.metadataText;
      const ops = 1 + int(r, 4);
      const done: string[] = [];
      const pieces = [
        "{",
        "}",
        ";",
        "[",
        "]",
        "=",
        ":=",
        "0",
        "4294967296",
        "-1",
        "struct",
        "variant <id>",
        "integer { size = 0; }",
        "align(3)",
        '"',
        "/*",
        "typealias",
        "enum : uint8_t {",
        "...",
      ];
      for (let i = 0; i < ops; i++) {
        const at = int(r, t.length);
        switch (int(r, 4)) {
          case 0: {
            const n = 1 + int(r, 40);
            t = t.slice(0, at) + t.slice(at + n);
            done.push(`delete ${n}@${at}`);
            break;
          }
          case 1: {
            const p = pieces[int(r, pieces.length)]!;
            t = t.slice(0, at) + p + t.slice(at);
            done.push(`insert ${JSON.stringify(p)}@${at}`);
            break;
          }
          case 2: {
            // Change a number: sizes, alignments, ids, lengths.
            const m = /\d+/g;
            m.lastIndex = at;
            const x = m.exec(t);
            if (x) {
              const v = ["0", "1", "3", "7", "63", "64", "65", "128", "4096", "99999999999"][int(r, 10)]!;
              t = t.slice(0, x.index) + v + t.slice(x.index + x[0].length);
              done.push(`number@${x.index}=${v}`);
            }
            break;
          }
          default: {
            const line = t.split("\n");
            const k = int(r, line.length);
            line.splice(k, 0, line[int(r, line.length)]!);
            t = line.join("\n");
            done.push(`dup line ${k}`);
          }
        }
      }
      return { data: Buffer.from(t, "utf8"), what: done.join("; ") };
    },
  ],
];

/** Runs `cases` mutation cases; deterministic for a given seed. */
export function runFuzz(opts: FuzzOptions): FuzzResult {
  mkdirSync(opts.workDir, { recursive: true });
  const sources = opts.sources.map(loadSource);
  const result: FuzzResult = { cases: 0, clean: 0, typed: {}, failures: [] };
  const timeout = opts.caseTimeoutMs ?? 20_000;
  const first = opts.start ?? 0;
  for (let c = first; c < first + opts.cases; c++) {
    const seed = (opts.seed + c * 0x9e3779b1) >>> 0;
    const r = rng(seed);
    const src = sources[int(r, sources.length)]!;
    const caseDir = join(opts.workDir, `case-${c % 4}`);
    rmSync(caseDir, { recursive: true, force: true });
    const dataFiles = src.files.filter((f) => f !== "metadata" && !f.startsWith("index/"));
    const target = r() < 0.3 ? "metadata" : r() < 0.1 ? src.files[int(r, src.files.length)]! : dataFiles[int(r, dataFiles.length)]!;
    const mutators = target === "metadata" ? METADATA_MUTATORS : STREAM_MUTATORS;
    const [mname, mutate] = mutators[int(r, mutators.length)]!;
    let what = "";
    for (const f of src.files) {
      const dst = join(caseDir, f);
      mkdirSync(join(dst, ".."), { recursive: true });
      if (f === target) {
        const m = mutate(r, readFileSync(join(src.dir, f)), src);
        what = `${f}: ${mname}: ${m.what}`;
        writeFileSync(dst, m.data);
      } else {
        try {
          symlinkSync(join(src.dir, f), dst);
        } catch {
          copyFileSync(join(src.dir, f), dst);
        }
      }
    }
    result.cases++;
    const fail = (error: string) => result.failures.push({ seed, source: src.dir, mutation: what, error });
    const rss0 = process.memoryUsage().rss;
    const t0 = Date.now();
    try {
      const set = TraceSet.open([caseDir]);
      let n = 0;
      let stopped = "";
      try {
        set.forEach(() => {
          n++;
          if ((n & 1023) === 0) {
            if (Date.now() - t0 > timeout) stopped = `time-out after ${n} items`;
            else if (n > 4 * src.events + 100_000) stopped = `${n} items from a trace of ${src.events}`;
            if (stopped) return false;
          }
          return true;
        });
      } finally {
        set.close();
      }
      if (stopped) fail(stopped);
      else result.clean++;
    } catch (e) {
      if (e instanceof CtfError) {
        if (e.file === undefined || (e.offsetBytes === undefined && e.line === undefined && e.code !== "io" && e.code !== "not-a-trace"))
          fail(`CtfError without location: ${e.message}`);
        else result.typed[e.code] = (result.typed[e.code] ?? 0) + 1;
      } else fail(`untyped ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`);
    }
    const grew = process.memoryUsage().rss - rss0;
    if (grew > 512 * 1024 * 1024) fail(`RSS grew by ${Math.round(grew / 1048576)} MB`);
    if (opts.onProgress && (c + 1 - first) % (opts.progressEvery ?? 1000) === 0) opts.onProgress(c + 1 - first, result);
  }
  rmSync(opts.workDir, { recursive: true, force: true });
  return result;
}

/** Size of a file, for reports. */
export function fileSize(p: string): number {
  return statSync(p).size;
}
