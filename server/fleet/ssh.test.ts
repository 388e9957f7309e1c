/**
 * The SSH transport against a real OpenSSH server of the test's own (loopback, its own host
 * key), driving the real root session daemon through it.
 */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../config";
import { LttngController } from "../lttng/controller";
import { LttngError } from "../lttng/errors";
import { lttng } from "../lttng/instance";
import { LttngRunner } from "../lttng/runner";
import { uniqueName } from "../lttng/testing";
import { TransportError } from "../lttng/transport";
import { SshTransport } from "./ssh";
import { spawnDemo, until } from "../live/testing";
import { TestSshd } from "./testing/sshd";

const sshd = new TestSshd();
const other = new TestSshd();
const opened: SshTransport[] = [];
const sessions: string[] = [];
const cleanup: (() => void)[] = [];

function transport(server: TestSshd, opts: ConstructorParameters<typeof SshTransport>[1] = {}): SshTransport {
  const t = new SshTransport({ host: "127.0.0.1", port: server.port, user: "root", privateKey: server.privateKey }, opts);
  opened.push(t);
  return t;
}

beforeAll(async () => {
  await Promise.all([sshd.start(), other.start()]);
});

afterAll(async () => {
  for (const f of cleanup) f();
  for (const s of sessions)
    await lttng()
      .controller.destroy(s)
      .catch(() => undefined);
  for (const t of opened) t.close();
  await Promise.all([sshd.dispose(), other.dispose()]);
});

describe("host keys", () => {
  it("reports the key a new host shows, as ssh-keygen prints it, and refuses an unpinned host", async () => {
    const first = transport(sshd, { acceptAnyHostKey: true });
    const r = await first.exec("true", []);
    expect(r.code).toBe(0);
    expect(first.seenFingerprint).toBe(sshd.hostFingerprint);

    const unpinned = transport(sshd);
    await expect(unpinned.exec("true", [])).rejects.toMatchObject({ code: "HOST_KEY_UNKNOWN" });
  });

  it("refuses a changed host key before authenticating", async () => {
    const pinned = sshd.hostFingerprint;
    await sshd.replaceHostKey();
    const logBefore = sshd.log.length;
    const t = transport(sshd, { pinnedFingerprint: pinned });
    const err = await t.exec("true", []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: "HOST_KEY_CHANGED" });
    expect((err as Error).message).toContain(sshd.hostFingerprint);
    // The server never saw our key: no authentication was attempted.
    expect(sshd.log.slice(logBefore)).not.toMatch(/Accepted publickey|Failed publickey/);
  });
});

describe("quoting", () => {
  const hostile = [
    "plain",
    "with space",
    "",
    "single ' quote",
    'double " quote',
    "$HOME and ${PATH} and $(id) and `id`",
    "semi; rm -rf /tmp/never",
    "new\nline",
    "back\\slash\\",
    "glob * ? [a]",
    "pipe | amp & redirect > /tmp/never < x",
    "tab\there",
    "ünïcødé — ✓",
    "-n",
    "'",
    "'\\''",
  ];

  it("every argument reaches the remote program byte for byte", async () => {
    const t = transport(sshd, { pinnedFingerprint: sshd.hostFingerprint });
    const r = await t.exec("printf", ["%s\\0", ...hostile]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\0").slice(0, -1)).toEqual(hostile);
  });

  it("a filter with quotes, $ and ; reaches lttng unchanged", async () => {
    const controller = new LttngController(new LttngRunner({ transport: transport(sshd, { pinnedFingerprint: sshd.hostFingerprint }) }), {
      tracesDir: config().tracesDir,
      relaydOutputDir: config().relaydOutputDir,
      relayd: config().relayd,
      daemons: lttng().daemons,
    });
    const name = uniqueName("ssh-quote");
    sessions.push(name);
    await controller.createSession({ mode: "network", name, url: `net://127.0.0.1:${config().relayd.controlPort}:${config().relayd.dataPort}` });
    // (LTTng's filter strings cannot hold an escaped double quote.)
    const filter = `$ctx.procname == "a b;c" || path == "it's $HOME; echo \`id\` $(id) > /tmp/x" || path == "a*"`;
    await controller.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"], filter });
    const detail = await lttng().controller.getSession(name);
    const events = detail.domains.flatMap((d) => d.channels.flatMap((c) => c.events));
    expect(events.map((e) => e.filter)).toContain(filter);
  });
});

describe("a session driven over SSH", () => {
  it("creates, starts, snapshots, stops and destroys a session streamed to the local relayd", async () => {
    const controller = new LttngController(new LttngRunner({ transport: transport(sshd, { pinnedFingerprint: sshd.hostFingerprint }) }), {
      tracesDir: config().tracesDir,
      relaydOutputDir: config().relaydOutputDir,
      relayd: config().relayd,
      daemons: lttng().daemons,
    });
    const name = uniqueName("ssh-snap");
    sessions.push(name);
    const relay = config().relayd;
    await controller.createSession({ mode: "snapshot", name, url: `net://127.0.0.1:${relay.controlPort}:${relay.dataPort}` });
    await controller.enableEvent({ session: name, domain: "userspace", names: ["tracedeck_demo:*"] });
    await controller.start(name);
    // An instrumented app, registered with the session daemon, so the snapshot holds a trace.
    const demo = await spawnDemo(["--rate", "200", "--duration", "0"]);
    cleanup.push(() => demo.kill());
    await until(async () => ((await lttng().runner.runText(["list", "-u"])).includes(`PID: ${demo.pid} `) ? true : undefined), "the demo registered");
    demo.release();
    expect((await lttng().controller.listSessions()).find((s) => s.name === name)?.active).toBe(true);
    const snap = await controller.snapshotRecord({ session: name, name: "over-ssh" });
    // The relay on this machine wrote it: the archive index and reports see it like any other.
    expect(snap.path).toContain("over-ssh");
    const files = readdirSync(snap.path, { recursive: true }).map(String);
    expect(files.some((f) => f.endsWith("metadata"))).toBe(true);
    await controller.stop(name);
    expect((await lttng().controller.listSessions()).find((s) => s.name === name)?.active).toBe(false);
    await controller.destroy(name);
    expect((await lttng().controller.listSessions()).some((s) => s.name === name)).toBe(false);
  });
});

describe("a host that stops answering", () => {
  it("fails within its time limit while another host keeps working", async () => {
    const slow = transport(other, { pinnedFingerprint: other.hostFingerprint, connectTimeoutMs: 1_000 });
    const good = transport(sshd, { pinnedFingerprint: sshd.hostFingerprint });
    const runner = new LttngRunner({ transport: slow, timeoutMs: 1_500 });
    // SIGSTOP: the kernel still accepts the TCP connection, the server never answers.
    process.kill(other.pid!, "SIGSTOP");
    try {
      const [down, up] = await Promise.allSettled([runner.run(["version"]), new LttngRunner({ transport: good }).run(["version"])]);
      expect(down.status).toBe("rejected");
      const err = (down as PromiseRejectedResult).reason as LttngError;
      expect(err).toBeInstanceOf(LttngError);
      expect(err.code).toBe("HOST_UNREACHABLE");
      expect(err.message).toMatch(/no SSH handshake within/);
      expect(up.status).toBe("fulfilled");
    } finally {
      process.kill(other.pid!, "SIGCONT");
    }
  });
});
