/**
 * The traced hosts Tracedeck controls: this machine ("local", always there, never stored) and
 * hosts reached over SSH. A host's private key is stored sealed (secret.ts) and never leaves
 * the server; its host key is pinned on first contact and a different one is refused.
 */
import { randomBytes } from "node:crypto";
import { basename, join } from "node:path";
import type { SFTPWrapper } from "ssh2";
import { z } from "zod";
import type { Db } from "../db";
import { MiVersion } from "../lttng/mi/outputs";
import { LttngRunner } from "../lttng/runner";
import { localTransport, TransportError, type CommandTransport } from "../lttng/transport";
import { fetchRemoteDir, type FetchProgress, type FetchResult } from "./fetch";
import { seal, secretKey, unseal } from "./secret";
import { SshTransport } from "./ssh";
import { brandDomainError } from "../shared/domain-error";
import { ZHostGroupName, ZHostGroups } from "./group-schema";
import { moduleLogger } from "../log";

const log = moduleLogger("fleet");

export const LOCAL_HOST = "local";

const ZHostName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Lower-case letters, digits and '-'")
  .refine((n) => n !== LOCAL_HOST, `'${LOCAL_HOST}' is this machine`);

/** A DNS name or an IP address (no brackets, no port). */
const ZAddress = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:-]+$/, "A host name or an IP address");

/** A host as procedures name it: "local" (this machine) or a registered host. */
export const ZHostRef = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "A host name from Settings → Hosts");

export const ZHostInput = z.object({
  name: ZHostName,
  address: ZAddress,
  port: z.number().int().min(1).max(65535).default(22),
  user: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[a-z_][a-z0-9_-]*\$?$/, "A POSIX user name"),
  /** OpenSSH or PEM private key without a passphrase. */
  privateKey: z
    .string()
    .max(16_384)
    .regex(/^-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----\s*$/, "An unencrypted private key (PEM or OpenSSH)"),
  /**
   * This machine's relayd as the host reaches it (its sessions stream there by default);
   * absent: the relayd's configured address, right only when the host reaches that one too.
   */
  relayHost: ZAddress.optional(),
});

export const ZRelayHostInput = z.object({ name: ZHostName, relayHost: ZAddress.nullable() });
export type HostInput = z.input<typeof ZHostInput>;

/** What the browser and the CLI see of a host: never the key. */
export interface HostView {
  name: string;
  transport: "local" | "ssh";
  address: string | null;
  port: number | null;
  user: string | null;
  hostKeyFingerprint: string | null;
  pinnedAt: Date | null;
  lastSeenAt: Date | null;
  lastError: string | null;
  lttngVersion: string | null;
  /** This machine's relayd as the host reaches it; null: the relayd's configured address. */
  relayHost: string | null;
  /** The groups it belongs to, sorted. */
  groups: string[];
}

export type HostErrorCode = "NOT_FOUND" | "ALREADY_EXISTS" | "UNREACHABLE" | "UNSUPPORTED_SHELL";

export class HostError extends Error {
  override readonly name = "HostError";
  constructor(
    readonly code: HostErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
brandDomainError(HostError, "HostError");

/** Login shells whose quoting is not POSIX: our single-quoted command lines would not survive them. */
const NON_POSIX_SHELLS = /\/(csh|tcsh|fish|nu|xonsh|elvish)$/;

export interface HostContact {
  /** The host key the host showed; pinned by `add`. */
  fingerprint: string;
  lttngVersion: string;
  shell: string;
}

export class HostRegistry {
  private readonly transports = new Map<string, SshTransport>();
  private readonly listeners: ((name: string) => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly opts: { connectTimeoutMs?: number; env?: Record<string, string | undefined> } = {},
  ) {}

  async list(): Promise<HostView[]> {
    const [rows, members] = await Promise.all([
      this.db.host.findMany({ orderBy: { name: "asc" } }),
      this.db.hostGroupMember.findMany({ orderBy: { group: "asc" } }),
    ]);
    const groupsOf = (host: string) => members.filter((m) => m.host === host).map((m) => m.group);
    return [
      {
        name: LOCAL_HOST,
        transport: "local",
        address: null,
        port: null,
        user: null,
        hostKeyFingerprint: null,
        pinnedAt: null,
        lastSeenAt: null,
        lastError: null,
        lttngVersion: null,
        relayHost: null,
        groups: groupsOf(LOCAL_HOST),
      },
      ...rows.map((h): HostView => ({
        name: h.name,
        transport: "ssh",
        address: h.address,
        port: h.port,
        user: h.user,
        hostKeyFingerprint: h.hostKeyFingerprint,
        pinnedAt: h.pinnedAt,
        lastSeenAt: h.lastSeenAt,
        lastError: h.lastError,
        lttngVersion: h.lttngVersion,
        relayHost: h.relayHost,
        groups: groupsOf(h.name),
      })),
    ];
  }

  /**
   * Adds a host: connects once accepting whatever host key it shows (trust on first use),
   * checks its login shell and LTTng, then stores it with that key pinned. Returns the
   * fingerprint for the operator to compare with `ssh-keygen -l -f /etc/ssh/ssh_host_*.pub`.
   */
  async add(input: HostInput): Promise<{ host: HostView; contact: HostContact }> {
    const h = ZHostInput.parse(input);
    if (await this.db.host.findUnique({ where: { name: h.name } })) throw new HostError("ALREADY_EXISTS", `Host ${h.name} already exists`);
    const key = secretKey(this.opts.env);
    const t = new SshTransport(
      { host: h.address, port: h.port, user: h.user, privateKey: h.privateKey },
      { acceptAnyHostKey: true, connectTimeoutMs: this.opts.connectTimeoutMs },
    );
    let contact: HostContact;
    try {
      contact = await this.probe(t);
    } finally {
      t.close();
    }
    await this.db.host.create({
      data: {
        name: h.name,
        address: h.address,
        port: h.port,
        user: h.user,
        keySealed: seal(h.privateKey, key),
        hostKeyFingerprint: contact.fingerprint,
        lastSeenAt: new Date(),
        lttngVersion: contact.lttngVersion,
        relayHost: h.relayHost ?? null,
      },
    });
    return { host: (await this.get(h.name))!, contact };
  }

  async get(name: string): Promise<HostView | undefined> {
    return (await this.list()).find((h) => h.name === name);
  }

  /** Sets the address the host reaches this machine's relayd by (null: the configured one). */
  async setRelayHost(input: z.input<typeof ZRelayHostInput>): Promise<HostView> {
    const r = ZRelayHostInput.parse(input);
    const n = await this.db.host.updateMany({ where: { name: r.name }, data: { relayHost: r.relayHost } });
    if (n.count === 0) throw new HostError("NOT_FOUND", `No host named ${r.name}`);
    this.changed(r.name);
    return (await this.get(r.name))!;
  }

  /** Called with a host's name when its row changes or goes: caches built from it are stale. */
  onChange(listener: (name: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(name: string): void {
    for (const l of this.listeners) l(name);
  }

  async remove(name: string): Promise<void> {
    if (name === LOCAL_HOST) throw new HostError("NOT_FOUND", "The local host cannot be removed");
    const r = await this.db.host.deleteMany({ where: { name } });
    if (r.count === 0) throw new HostError("NOT_FOUND", `No host named ${name}`);
    await this.db.hostGroupMember.deleteMany({ where: { host: name } });
    this.transports.get(name)?.close();
    this.transports.delete(name);
    this.changed(name);
  }

  /** Replaces the groups of host `name` (the local host too); returns them as stored. */
  async setGroups(name: string, groups: readonly string[]): Promise<string[]> {
    const g = ZHostGroups.parse(groups);
    if (name !== LOCAL_HOST && !(await this.db.host.findUnique({ where: { name }, select: { id: true } }))) {
      throw new HostError("NOT_FOUND", `No host named ${name}`);
    }
    await this.db.$transaction([
      this.db.hostGroupMember.deleteMany({ where: { host: name } }),
      this.db.hostGroupMember.createMany({ data: g.map((group) => ({ host: name, group })) }),
    ]);
    return g;
  }

  /** Every group with at least one host, sorted. */
  async groups(): Promise<string[]> {
    const rows = await this.db.hostGroupMember.findMany({ distinct: ["group"], select: { group: true }, orderBy: { group: "asc" } });
    return rows.map((r) => r.group);
  }

  /** The hosts of `group` (known hosts only), sorted; an unknown or empty group is an error, never "no host". */
  async inGroup(group: string): Promise<string[]> {
    const g = ZHostGroupName.parse(group);
    const names = (await this.list()).filter((h) => h.groups.includes(g)).map((h) => h.name);
    if (names.length === 0) throw new HostError("NOT_FOUND", `No host is in group ${g}`);
    return names;
  }

  /** Contacts a host with its pinned key; records when it answered or why not. */
  async test(name: string): Promise<HostContact> {
    if (name === LOCAL_HOST) {
      return { fingerprint: "", lttngVersion: await lttngVersion(new LttngRunner()), shell: "" };
    }
    const t = await this.sshTransport(name);
    try {
      const c = await this.probe(t);
      await this.db.host.update({ where: { name }, data: { lastSeenAt: new Date(), lastError: null, lttngVersion: c.lttngVersion } });
      return c;
    } catch (e) {
      await this.db.host.update({ where: { name }, data: { lastError: (e as Error).message.slice(0, 1000) } });
      throw e;
    }
  }

  /** How commands reach `name`: one reused SSH connection per host. */
  async transport(name: string): Promise<CommandTransport> {
    return name === LOCAL_HOST ? localTransport : this.sshTransport(name);
  }

  private async sshTransport(name: string): Promise<SshTransport> {
    const cached = this.transports.get(name);
    if (cached) return cached;
    const h = await this.db.host.findUnique({ where: { name } });
    if (!h) throw new HostError("NOT_FOUND", `No host named ${name}`);
    const t = new SshTransport(
      { host: h.address, port: h.port, user: h.user, privateKey: unseal(h.keySealed, secretKey(this.opts.env)) },
      { pinnedFingerprint: h.hostKeyFingerprint, connectTimeoutMs: this.opts.connectTimeoutMs },
    );
    this.transports.set(name, t);
    return t;
  }

  /**
   * Fetches a trace directory of host `name` (a local-mode session's snapshot or archive)
   * into `<fetchedRoot>/<name>/<its directory name>`, where the archive index finds it with the
   * hostname the trace itself records.
   */
  async fetch(
    name: string,
    remoteDir: string,
    fetchedRoot: string,
    opts: { onProgress?: (p: FetchProgress) => void; signal?: AbortSignal } = {},
  ): Promise<FetchResult> {
    if (name === LOCAL_HOST) throw new HostError("NOT_FOUND", "The local host's traces are already here");
    const t = await this.sshTransport(name);
    return fetchRemoteDir(t, remoteDir, join(fetchedRoot, name, basename(remoteDir)), opts);
  }

  /**
   * Runs `use` with `content` in a new file on host `name`, removed afterwards. The file is
   * created exclusively (a link planted at the path is never followed) and readable only by
   * the SSH user. The SFTP channel is released before `use` runs, so `use` can run commands.
   */
  async withRemoteFile<T>(name: string, content: string, suffix: string, use: (path: string) => Promise<T>): Promise<T> {
    if (name === LOCAL_HOST) throw new HostError("NOT_FOUND", "The local host needs no copy");
    const t = await this.sshTransport(name);
    const path = `/tmp/tracedeck-${randomBytes(12).toString("hex")}${suffix}`;
    await t.withSftp((sftp) => sftpWriteNew(sftp, path, content));
    try {
      return await use(path);
    } finally {
      await t
        .withSftp((sftp) => new Promise<void>((resolve) => sftp.unlink(path, () => resolve())))
        .catch((e: unknown) => log.warn({ host: name, path, err: (e as Error).message }, "cannot remove a temporary file"));
    }
  }

  close(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
  }

  private async probe(t: SshTransport): Promise<HostContact> {
    // sshd sets SHELL to the login shell that will parse our command lines.
    const sh = await t.exec("printenv", ["SHELL"], { timeoutMs: this.opts.connectTimeoutMs ?? 10_000 });
    const shell = sh.stdout.trim();
    if (NON_POSIX_SHELLS.test(shell)) {
      throw new HostError("UNSUPPORTED_SHELL", `${t.where}: the login shell is ${shell}; Tracedeck's commands need a POSIX shell (sh, bash, dash, zsh, ksh)`);
    }
    const fingerprint = t.seenFingerprint;
    if (!fingerprint) throw new TransportError("UNREACHABLE", `${t.where}: no host key was seen`);
    return { fingerprint, lttngVersion: await lttngVersion(new LttngRunner({ transport: t })), shell };
  }
}

function sftpWriteNew(sftp: SFTPWrapper, path: string, content: string): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.writeFile(path, content, { flag: "wx", mode: 0o600, encoding: "utf8" }, (err) =>
      err ? reject(new HostError("UNREACHABLE", `Cannot create ${path} on the host: ${err.message}`, { cause: err })) : resolve(),
    ),
  );
}

async function lttngVersion(runner: LttngRunner): Promise<string> {
  return MiVersion.parse((await runner.run(["version"])).doc.output).string;
}
