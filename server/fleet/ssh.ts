import { createHash } from "node:crypto";
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from "ssh2";
import type { ExecOptions, ExecResult } from "../lttng/exec";
import { TransportError, type CommandTransport } from "../lttng/transport";
import { moduleLogger } from "../log";
import { shellQuote } from "./quote";

const log = moduleLogger("fleet");

/** Where and as whom to connect. The key is the decrypted private key (server/fleet/secret.ts). */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  privateKey: Buffer | string;
}

export interface SshTransportOptions {
  /** The pinned host key (`SHA256:…`, as `ssh-keygen -l` prints it). Without one the first key seen is reported, not trusted. */
  pinnedFingerprint?: string;
  /** Trust-on-first-use: accept whatever key the host shows (only `hosts add` does this, and records it). */
  acceptAnyHostKey?: boolean;
  /** Connection (TCP + handshake + auth) time limit. */
  connectTimeoutMs?: number;
  /** Commands run at once over the one connection (OpenSSH's MaxSessions is 10). */
  maxConcurrent?: number;
  /** A connection unused this long is closed. */
  idleMs?: number;
  /** Output kept per stream; beyond it the command is killed (a runaway remote process). */
  maxOutputBytes?: number;
}

/** OpenSSH's fingerprint of a raw host key: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(rawKey: Buffer): string {
  return `SHA256:${createHash("sha256").update(rawKey).digest("base64").replace(/=+$/, "")}`;
}

/**
 * Runs commands on one host over SSH (the `ssh2` library): one connection reused by every
 * command, opened on demand and closed when idle, at most `maxConcurrent` exec channels at a
 * time, each with a time limit. The host key must match the pinned fingerprint; a changed
 * key is refused before authentication, so no credential reaches an impostor.
 */
export class SshTransport implements CommandTransport {
  readonly where: string;
  /** The key the host showed on the last handshake (what `hosts add` pins). */
  seenFingerprint: string | undefined;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly opts: Required<Omit<SshTransportOptions, "pinnedFingerprint">> & { pinnedFingerprint?: string };

  constructor(
    private readonly endpoint: SshEndpoint,
    opts: SshTransportOptions = {},
  ) {
    this.where = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
    this.opts = {
      pinnedFingerprint: opts.pinnedFingerprint,
      acceptAnyHostKey: opts.acceptAnyHostKey ?? false,
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      maxConcurrent: opts.maxConcurrent ?? 4,
      idleMs: opts.idleMs ?? 60_000,
      maxOutputBytes: opts.maxOutputBytes ?? 64 * 1024 * 1024,
    };
  }

  /** Runs `cmd args…` remotely; `opts.env` entries are not forwarded (sshd drops them): pass `env NAME=VALUE` in the argv. */
  async exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const line = shellQuote([cmd, ...args]);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    await this.acquire();
    try {
      // A host that does not shake hands is known within the connect limit, even under a long command limit.
      const client = await this.connection(Math.max(1, Math.min(this.opts.connectTimeoutMs, deadline - Date.now())));
      return await this.run(client, line, Math.max(1, deadline - Date.now()));
    } finally {
      this.release();
    }
  }

  /**
   * Runs `use` with an SFTP session on the shared connection; the session takes one of the
   * host's channel slots while it lasts and is closed afterwards.
   */
  async withSftp<T>(use: (sftp: SFTPWrapper) => Promise<T>, connectTimeoutMs = this.opts.connectTimeoutMs): Promise<T> {
    await this.acquire();
    try {
      const client = await this.connection(connectTimeoutMs);
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((err, s) => (err ? reject(new TransportError("CHANNEL", `${this.where}: no SFTP: ${err.message}`, { cause: err })) : resolve(s))),
      );
      try {
        return await use(sftp);
      } finally {
        sftp.end();
      }
    } finally {
      this.release();
    }
  }

  /** Closes the connection (commands in flight fail). */
  close(): void {
    clearTimeout(this.idleTimer);
    this.client?.end();
    this.client = undefined;
    this.connecting = undefined;
  }

  private run(client: Client, line: string, timeoutMs: number): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      client.exec(line, (err, channel: ClientChannel) => {
        if (err) return reject(new TransportError("CHANNEL", `${this.where}: cannot run a command: ${err.message}`, { cause: err }));
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let bytes = 0;
        let timedOut = false;
        let code: number | null = null;
        let signal: NodeJS.Signals | null = null;
        const kill = () => {
          // OpenSSH ≥ 7.9 delivers the signal; closing the channel ends it on older servers (SIGHUP).
          try {
            channel.signal("KILL");
          } catch {
            /* the channel is gone already */
          }
          channel.close();
        };
        const timer = setTimeout(() => {
          timedOut = true;
          kill();
        }, timeoutMs);
        const keep = (into: Buffer[]) => (b: Buffer) => {
          bytes += b.length;
          if (bytes > this.opts.maxOutputBytes) return kill();
          into.push(b);
        };
        channel.on("data", keep(out));
        channel.stderr.on("data", keep(errOut));
        channel.on("exit", (c: number | null, sig?: string) => {
          code = typeof c === "number" ? c : null;
          if (sig) signal = `SIG${sig}` as NodeJS.Signals;
        });
        channel.on("close", () => {
          clearTimeout(timer);
          if (timedOut && signal === null) signal = "SIGKILL";
          resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(errOut).toString("utf8"), timedOut });
        });
      });
    });
  }

  private connection(timeoutMs: number): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect(timeoutMs).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private connect(timeoutMs: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const c = new Client();
      let keyError: TransportError | undefined;
      let settled = false;
      const fail = (e: TransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        c.end();
        reject(e);
      };
      // ssh2's readyTimeout starts after the TCP connect; a black-holed address needs its own limit.
      const timer = setTimeout(() => fail(new TransportError("TIMEOUT", `${this.where}: no SSH handshake within ${timeoutMs} ms`)), timeoutMs);
      const cfg: ConnectConfig = {
        host: this.endpoint.host,
        port: this.endpoint.port,
        username: this.endpoint.user,
        privateKey: this.endpoint.privateKey,
        readyTimeout: timeoutMs,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          const fp = fingerprintOf(key);
          this.seenFingerprint = fp;
          if (this.opts.pinnedFingerprint) {
            if (fp === this.opts.pinnedFingerprint) return true;
            keyError = new TransportError(
              "HOST_KEY_CHANGED",
              `${this.where}: the host key changed (pinned ${this.opts.pinnedFingerprint}, offered ${fp}). Refusing to connect: ` +
                `this is what a man-in-the-middle looks like. If the host was reinstalled, remove and re-add it.`,
            );
            return false;
          }
          if (this.opts.acceptAnyHostKey) return true;
          keyError = new TransportError("HOST_KEY_UNKNOWN", `${this.where}: no pinned host key (offered ${fp}); add the host first`);
          return false;
        },
      };
      c.on("ready", () => {
        if (settled) return c.end();
        settled = true;
        clearTimeout(timer);
        this.client = c;
        this.armIdle();
        resolve(c);
      });
      c.on("error", (e: Error & { level?: string }) => {
        if (keyError) return fail(keyError);
        if (e.level === "client-authentication") return fail(new TransportError("AUTH_FAILED", `${this.where}: the key was refused`, { cause: e }));
        if (e.level === "client-timeout") return fail(new TransportError("TIMEOUT", `${this.where}: ${e.message}`, { cause: e }));
        if (!settled) return fail(new TransportError("UNREACHABLE", `${this.where}: ${e.message}`, { cause: e }));
        log.warn({ host: this.where, err: e.message }, "ssh connection failed");
      });
      c.on("close", () => {
        if (this.client === c) this.client = undefined;
        if (keyError) return fail(keyError);
        fail(new TransportError("UNREACHABLE", `${this.where}: the connection closed during the handshake`));
      });
      c.connect(cfg);
    });
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.active === 0) this.close();
      else this.armIdle();
    }, this.opts.idleMs);
    this.idleTimer.unref();
  }

  private acquire(): Promise<void> {
    if (this.active < this.opts.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
    if (this.client) this.armIdle();
  }
}
