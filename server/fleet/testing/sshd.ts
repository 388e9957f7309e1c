/**
 * A real OpenSSH server for the fleet tests: its own host key, config, authorized key and a
 * loopback port, run in the foreground as a child we own (never the machine's sshd). Logs in
 * with a key only: as root in the tests, so the commands it runs reach the root session daemon,
 * or as any local user (the fleet benchmark's `tracing`-group user).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD = "/usr/sbin/sshd";
/** OpenSSH's MAX_LISTEN_SOCKS: sshd exits when asked to listen on more. */
export const MAX_PORTS = 16;

/** `n` loopback SSH endpoints from as few sshd servers as OpenSSH allows (16 ports each). */
export async function startSshdPool(
  n: number,
  opts: { nice?: number; cgroup?: string } = {},
): Promise<{ servers: TestSshd[]; endpoints: Array<{ port: number; privateKey: string }> }> {
  const servers = Array.from(
    { length: Math.ceil(n / MAX_PORTS) },
    (_, i) => new TestSshd({ ports: Math.min(MAX_PORTS, n - i * MAX_PORTS), nice: opts.nice, cgroup: opts.cgroup }),
  );
  // One after another: each picks free ports, and two picking at once could pick the same.
  for (const s of servers) await s.start();
  const endpoints = servers.flatMap((s) => [s.port, ...s.extraPorts].map((port) => ({ port, privateKey: s.privateKey.toString() })));
  return { servers, endpoints };
}

function keygen(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "tracedeck-test", "-f", path], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

/** OpenSSH's own fingerprint of a public key file (`SHA256:…`). */
export function fingerprintOfFile(pubPath: string): string {
  const r = spawnSync("ssh-keygen", ["-l", "-E", "sha256", "-f", pubPath], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ssh-keygen -l failed: ${r.stderr}`);
  return r.stdout.split(" ")[1]!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

export class TestSshd {
  readonly dir = mkdtempSync(join(tmpdir(), "td-sshd-"));
  readonly hostKey = join(this.dir, "host_ed25519");
  readonly userKey = join(this.dir, "user_ed25519");
  port = 0;
  /**
   * Further loopback ports the same server listens on (`ports` in the constructor): one sshd
   * standing in for many hosts. OpenSSH listens on at most 16 sockets (MAX_LISTEN_SOCKS).
   */
  extraPorts: number[] = [];
  private child: ChildProcess | undefined;
  log = "";

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get privateKey(): Buffer {
    return readFileSync(this.userKey);
  }

  get hostFingerprint(): string {
    return fingerprintOfFile(`${this.hostKey}.pub`);
  }

  /**
   * `nice`, `cgroup`: the server and every command it runs at this niceness, in this CPU cgroup
   * (a directory of the cpu controller) — simulated hosts whose own work should not take the
   * CPU of the process under test, as other machines' would not. Niceness alone does not do it
   * where the kernel groups each session for scheduling (autogroup: every SSH login is a session).
   */
  constructor(private readonly opts: { ports?: number; nice?: number; cgroup?: string } = {}) {
    if ((opts.ports ?? 1) > MAX_PORTS) throw new Error(`sshd listens on at most ${MAX_PORTS} ports`);
  }

  async start(): Promise<this> {
    if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install openssh-server (npm test does when run as root)`);
    if (!existsSync(this.hostKey)) keygen(this.hostKey);
    if (!existsSync(this.userKey)) {
      keygen(this.userKey);
      // sshd reads a user's authorized keys as that user: a public key, readable by all, in a
      // directory others may cross but not list (the private keys beside it stay 0600).
      writeFileSync(join(this.dir, "authorized_keys"), readFileSync(`${this.userKey}.pub`), { mode: 0o644 });
      chmodSync(this.dir, 0o711);
    }
    this.port ||= await freePort();
    while (this.extraPorts.length < (this.opts.ports ?? 1) - 1) this.extraPorts.push(await freePort());
    const cfg = join(this.dir, "sshd_config");
    writeFileSync(
      cfg,
      [
        "ListenAddress 127.0.0.1",
        ...[this.port, ...this.extraPorts].map((p) => `Port ${p}`),
        `HostKey ${this.hostKey}`,
        `PidFile ${join(this.dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(this.dir, "authorized_keys")}`,
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "StrictModes no",
        "UsePAM no",
        "MaxSessions 20",
        "MaxStartups 100",
        "Subsystem sftp internal-sftp",
        "",
      ].join("\n"),
    );
    // sshd's privilege-separation directory; Debian's package creates it at boot only.
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    const args = ["-D", "-e", "-f", cfg];
    // nice(1) execs sshd in place: the child's pid is sshd's.
    const child = this.opts.nice
      ? spawn("nice", ["-n", String(this.opts.nice), SSHD, ...args], { stdio: ["ignore", "ignore", "pipe"] })
      : spawn(SSHD, args, { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    // Its connections' processes are forked later and stay in the cgroup.
    if (this.opts.cgroup) writeFileSync(join(this.opts.cgroup, "cgroup.procs"), String(child.pid));
    child.stderr!.on("data", (b: Buffer) => (this.log += b.toString()));
    const from = this.log.length;
    const deadline = Date.now() + 10_000;
    // One line per port; all of them, so no host of a many-port server is refused.
    const listening = () => this.log.slice(from).split("Server listening").length - 1;
    while (listening() < 1 + this.extraPorts.length) {
      if (child.exitCode !== null) throw new Error(`sshd exited: ${this.log}`);
      if (Date.now() > deadline) throw new Error(`sshd did not start: ${this.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this;
  }

  /** Stops accepting connections (and ends the running ones): a host that went away. */
  async stop(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once("exit", () => r());
      c.kill("SIGTERM");
    });
    // Session processes of the old server may still hold connections; kill them too.
    spawnSync("pkill", ["-f", "sshd: ", "-P", String(c.pid)]);
  }

  /** A reinstalled host: same address, new host key. */
  async replaceHostKey(): Promise<void> {
    await this.stop();
    keygen(this.hostKey);
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
