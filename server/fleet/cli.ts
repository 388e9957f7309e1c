/**
 * `tracedeck hosts`: the traced hosts this Tracedeck controls over SSH.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { config } from "../config";
import { db as defaultDb, type Db } from "../db";
import { TransportError } from "../lttng/transport";
import { LttngError } from "../lttng/errors";
import { FetchError } from "./fetch";
import { HostError, HostRegistry, type HostView } from "./hosts";
import { SecretKeyError } from "./secret";

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

const defaultIo: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export const HOSTS_USAGE = `usage: tracedeck hosts list [--json]
       tracedeck hosts add NAME --address HOST [--port 22] [--user root] --key PRIVATE_KEY_FILE
           connects once, pins the host key it shows (trust on first use: compare the printed
           fingerprint with \`ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub\` on the host)
       tracedeck hosts test NAME      connects with the pinned key and asks LTTng its version
       tracedeck hosts fetch NAME REMOTE_DIR   copies a trace directory of the host home over SFTP
           (resumable, checked with sha256sum on the host) into the archive index
       tracedeck hosts groups NAME [GROUP...]   sets the host's groups (none: leaves every group);
           the fleet view filters by group, bulk actions and spike rules can target one
       tracedeck hosts rm NAME
  The key is stored encrypted with TRACEDECK_SECRET_KEY (32 random bytes: openssl rand -base64 32).
`;

class CliUsage extends Error {}

function row(h: HostView): string {
  const where = h.transport === "local" ? "this machine" : `${h.user}@${h.address}:${h.port}`;
  const state = h.lastError ? `DOWN: ${h.lastError}` : h.lastSeenAt ? `seen ${h.lastSeenAt.toISOString()}` : "";
  const groups = h.groups.length > 0 ? `[${h.groups.join(",")}]` : "";
  return `${h.name.padEnd(20)} ${where.padEnd(32)} ${(h.lttngVersion ?? "").padEnd(8)} ${groups.padEnd(16)} ${h.hostKeyFingerprint ?? ""}  ${state}`.trimEnd();
}

export async function hostsCli(argv: string[], io: CliIo = defaultIo, db: Db = defaultDb()): Promise<number> {
  const [verb, ...rest] = argv;
  const hosts = new HostRegistry(db);
  try {
    switch (verb) {
      case "list": {
        const { values } = parseArgs({ args: rest, options: { json: { type: "boolean" } }, strict: true });
        const list = await hosts.list();
        if (values.json) io.out(JSON.stringify(list, null, 2) + "\n");
        else for (const h of list) io.out(row(h) + "\n");
        return 0;
      }
      case "add": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { address: { type: "string" }, port: { type: "string" }, user: { type: "string" }, key: { type: "string" } },
          strict: true,
        });
        const name = positionals[0];
        if (!name || positionals.length > 1 || !values.address || !values.key) throw new CliUsage("add needs NAME, --address and --key");
        const port = values.port === undefined ? 22 : Number(values.port);
        const { host, contact } = await hosts.add({
          name,
          address: values.address,
          port,
          user: values.user ?? "root",
          privateKey: readFileSync(values.key, "utf8"),
        });
        io.out(`added ${host.name}: LTTng ${contact.lttngVersion}, login shell ${contact.shell}\n`);
        io.out(`pinned host key ${contact.fingerprint} (trust on first use: check it on the host; a different key will be refused)\n`);
        return 0;
      }
      case "test": {
        const name = rest[0];
        if (!name || rest.length > 1) throw new CliUsage("test needs NAME");
        const c = await hosts.test(name);
        io.out(`${name}: up, LTTng ${c.lttngVersion}\n`);
        return 0;
      }
      case "fetch": {
        const [name, remoteDir, ...extra] = rest;
        if (!name || !remoteDir || extra.length > 0) throw new CliUsage("fetch needs NAME and REMOTE_DIR");
        const r = await hosts.fetch(name, remoteDir, config().fetchedDir, {
          onProgress: (p) => io.err(`fetch: ${p.files}/${p.totalFiles} files, ${p.bytes}/${p.totalBytes} bytes\n`),
        });
        io.out(`fetched ${r.files} files (${r.bytes} bytes, ${r.reusedBytes} from an earlier attempt) into ${r.dir}\n`);
        return 0;
      }
      case "groups": {
        const [name, ...groups] = rest;
        if (!name) throw new CliUsage("groups needs NAME");
        const stored = await hosts.setGroups(name, groups);
        io.out(stored.length > 0 ? `${name}: groups ${stored.join(", ")}\n` : `${name}: in no group\n`);
        return 0;
      }
      case "rm": {
        const name = rest[0];
        if (!name || rest.length > 1) throw new CliUsage("rm needs NAME");
        await hosts.remove(name);
        io.out(`removed ${name}\n`);
        return 0;
      }
      case undefined:
      case "--help":
      case "-h":
        io.out(HOSTS_USAGE);
        return verb === undefined ? 2 : 0;
      default:
        throw new CliUsage(`unknown subcommand '${verb}'`);
    }
  } catch (e) {
    if (e instanceof CliUsage || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      io.err(`tracedeck hosts: ${e.message}\n${HOSTS_USAGE}`);
      return 2;
    }
    if (e instanceof ZodError) {
      io.err(`tracedeck hosts: ${e.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}\n`);
      return 2;
    }
    if (e instanceof HostError || e instanceof FetchError || e instanceof TransportError || e instanceof SecretKeyError || e instanceof LttngError) {
      io.err(`tracedeck hosts: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    hosts.close();
  }
}
