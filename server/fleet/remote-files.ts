/**
 * A traced host's files, read through its transport with standard tools (`find`, `grep`,
 * `ls`, `mktemp`: coreutils, findutils and grep are on every host LTTng runs on). Paths come
 * from LTTng or from us, and every argument reaches the remote program unchanged (quote.ts).
 */
import { basename } from "node:path";
import { SAVED_SUFFIX, type HostFiles } from "../lttng/host-files";
import { TransportError, type CommandTransport } from "../lttng/transport";
import { CHUNK_DIR_RE, SNAPSHOT_DIR_RE } from "../lttng/trace-dirs";

const TIMEOUT_MS = 15_000;

/** Runs a tool on the host; its exit codes `ok` are success (grep: 1 = no match). */
async function run(t: CommandTransport, cmd: string, args: readonly string[], ok: readonly number[] = [0]): Promise<string> {
  const r = await t.exec(cmd, args, { timeoutMs: TIMEOUT_MS });
  if (r.code === null || !ok.includes(r.code)) {
    const why = r.timedOut ? `timed out after ${TIMEOUT_MS} ms` : r.stderr.trim().slice(0, 300) || `exit ${r.code ?? r.signal}`;
    throw new TransportError("CHANNEL", `${t.where}: ${cmd} failed: ${why}`);
  }
  return r.stdout;
}

export function remoteFiles(t: CommandTransport): HostFiles {
  let name: Promise<string> | undefined;
  return {
    local: false,
    hostname() {
      // lttng-sessiond names the host with gethostname(), as `hostname` prints it.
      name ??= run(t, "hostname", []).then(
        (s) => s.trim(),
        (e: unknown) => {
          name = undefined;
          throw e;
        },
      );
      return name;
    },
    async savedExclusions(save) {
      const dir = (await run(t, "mktemp", ["-d", "/tmp/td-lttng-save-XXXXXXXX"])).trim();
      if (!/^\/tmp\/td-lttng-save-[A-Za-z0-9]+$/.test(dir)) throw new TransportError("CHANNEL", `${t.where}: mktemp made ${JSON.stringify(dir)}`);
      try {
        await save(dir);
        // One line per file, `PATH:COUNT`, including files without a match (exit 1 when none has one).
        const out = await run(t, "grep", ["-c", "-r", "-F", `--include=*${SAVED_SUFFIX}`, "--", "<exclusion>", dir], [0, 1]);
        const found = new Map<string, boolean>();
        for (const line of out.split("\n")) {
          const at = line.lastIndexOf(":");
          if (at < 0) continue;
          const file = basename(line.slice(0, at));
          if (file.endsWith(SAVED_SUFFIX)) found.set(file.slice(0, -SAVED_SUFFIX.length), Number(line.slice(at + 1)) > 0);
        }
        return found;
      } finally {
        await run(t, "rm", ["-rf", "--", dir]).catch(() => undefined);
      }
    },
    async findSnapshotDir(root, snapshot) {
      // As trace-dirs.ts: at most 4 levels down, never into trace data; the shallowest match.
      const out = await run(
        t,
        "find",
        [
          root,
          "-mindepth",
          "1",
          "-maxdepth",
          "4",
          "(",
          "-name",
          "ust",
          "-o",
          "-name",
          "kernel",
          "-o",
          "-name",
          "index",
          ")",
          "-prune",
          "-o",
          "-type",
          "d",
          "-name",
          `${snapshot}-*`,
          "-print",
        ],
        [0, 1],
      );
      const hits = out
        .split("\n")
        .filter((p) => p && SNAPSHOT_DIR_RE.test(basename(p)))
        .sort((a, b) => a.split("/").length - b.split("/").length);
      return hits[0] ?? null;
    },
    async holdsTraceData(dir) {
      const out = await run(t, "ls", ["-1A", "--", dir], [0, 1, 2]);
      return out.split("\n").some((e) => e === "ust" || e === "kernel" || e === "archives" || CHUNK_DIR_RE.test(e));
    },
  };
}
