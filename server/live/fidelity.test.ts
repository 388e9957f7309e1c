/**
 * `tracedeck live` against the real sessiond, the shared relayd and the demo workload:
 * attached from the beginning while the session records, its output once the session is
 * destroyed is byte for byte `TZ=UTC babeltrace2 <the relay's directory of the session>`;
 * per-UID buffers, then per-PID buffers with a second app started after the attach.
 * Then the refusals, each a clear message and an exit code, the CLI gone afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { config } from "../config";
import { babeltrace2 } from "../testing/babeltrace";
import { ViewerConnection } from "./connection";
import { createLiveSession, relayOutputDir, removeRelayOutput, spawnDemo, until, type LiveSession } from "./testing";

const CLI = resolve(__dirname, "..", "..", "dist", "tracedeck.mjs");
const LIVE_PORT = config().relayd.livePort;
const cleanup: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

interface CliRun {
  child: ChildProcess;
  /** What it printed so far. */
  stdoutText(): string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function runCli(args: string[]): CliRun {
  const child = spawn(process.execPath, [CLI, "live", ...args], { env: { ...process.env, TZ: "UTC" }, stdio: ["ignore", "pipe", "pipe"] });
  const out: Buffer[] = [];
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => out.push(d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) =>
    child.on("close", (code) => ok({ code, stdout: Buffer.concat(out).toString("utf8"), stderr })),
  );
  cleanup.push(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return { child, done, stdoutText: () => Buffer.concat(out).toString("utf8") };
}

/** Waits until the relay lists a viewer on the session (the CLI attached). */
async function attached(name: string): Promise<void> {
  const c = await ViewerConnection.open({ host: "127.0.0.1", port: LIVE_PORT });
  try {
    await until(async () => ((await c.listSessions()).some((s) => s.name === name && s.clients > 0) ? true : undefined), `a viewer on ${name}`);
  } finally {
    c.close();
  }
}

async function sessionDir(name: string): Promise<string> {
  const host = join(await relayOutputDir(), hostname());
  const dirs = readdirSync(host).filter((d) => d.startsWith(`${name}-`));
  expect(dirs).toHaveLength(1);
  return join(host, dirs[0]!);
}

async function runDemo(session: LiveSession, args: string[]): Promise<void> {
  const demo = await spawnDemo(args);
  cleanup.push(() => demo.kill());
  await session.trackPid(demo.pid);
  demo.release();
  expect((await demo.done).code).toBe(0);
}

describe("tracedeck live: fidelity with babeltrace2 on the relay's copy", () => {
  it("per-UID buffers: the whole session, attached from the beginning while it records", async () => {
    const session = await createLiveSession({ tag: "fid-uid", trackNothing: true });
    cleanup.push(
      () => removeRelayOutput(session.name),
      () => session.destroy(),
    );
    // Something recorded before the attach, something after: both must come out.
    await runDemo(session, ["--rate", "2000", "--duration", "0.5", "--slow-every", "300", "--slow-ms", "5"]);
    const cli = runCli([session.name, "--from", "beginning"]);
    await attached(session.name);
    await runDemo(session, ["--rate", "3000", "--threads", "2", "--duration", "1", "--slow-every", "300", "--slow-ms", "5"]);
    await session.destroy();
    const r = await cli.done;
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const expected = await babeltrace2([await sessionDir(session.name)]);
    expect(expected.split("\n").length).toBeGreaterThan(10_000);
    expect(r.stdout === expected).toBe(true);
  });

  it("per-PID buffers, two apps, one started after the attach (a trace and metadata of its own)", async () => {
    const session = await createLiveSession({ tag: "fid-pid", trackNothing: true, buffers: "pid" });
    cleanup.push(
      () => removeRelayOutput(session.name),
      () => session.destroy(),
    );
    const cli = runCli([session.name, "--from", "beginning"]);
    const apps: Awaited<ReturnType<typeof spawnDemo>>[] = [];
    for (const when of ["before", "after"]) {
      if (when === "after") await attached(session.name);
      // Until SIGTERM: the apps outlive the session (see below).
      const app = await spawnDemo(["--rate", "1500", "--duration", "0", "--slow-every", "100", "--slow-ms", "3"]);
      cleanup.push(() => app.kill());
      await session.trackPid(app.pid);
      app.release();
      apps.push(app);
    }
    // Both apps' events reach the viewer while the session records.
    await until(() => (apps.every((a) => cli.stdoutText().includes(`:(${a.pid}) `)) ? true : undefined), "events of both apps");
    // The apps outlive the session: relayd 2.13.9 may hang up a per-PID stream whose app
    // exits before a viewer read its last packets (README "relay traps"); a destroyed
    // session, on the other hand, lets viewers drain what was recorded.
    await session.destroy();
    const r = await cli.done;
    for (const a of apps) a.terminate();
    for (const a of apps) expect((await a.done).code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const dir = await sessionDir(session.name);
    expect(readdirSync(join(dir, "ust", "pid"))).toHaveLength(2);
    const expected = await babeltrace2([dir]);
    expect(r.stdout.split("\n").length).toBe(expected.split("\n").length);
    expect(r.stdout === expected).toBe(true);
  });

  it("--json prints one object per event with the absolute time, name and fields", async () => {
    const session = await createLiveSession({ tag: "fid-json", trackNothing: true });
    cleanup.push(
      () => removeRelayOutput(session.name),
      () => session.destroy(),
    );
    const cli = runCli([session.name, "--from", "beginning", "--json", "--name", "tracedeck_demo:request_end", "--filter", "$evt.status == 503"]);
    await attached(session.name);
    await runDemo(session, ["--rate", "2000", "--duration", "0.5", "--slow-every", "100", "--slow-ms", "2"]);
    await session.destroy();
    const r = await cli.done;
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name: string; tsNs: string; time: string; payload: { status: number; id: string | number } });
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(row.name).toBe("tracedeck_demo:request_end");
      expect(row.payload.status).toBe(503);
      expect(row.tsNs).toMatch(/^\d{19}$/);
      expect(row.time).toMatch(/^\d\d:\d\d:\d\d\.\d{9}$/);
    }
  });
});

describe("tracedeck live: refusals", () => {
  it("an unknown session: exit 1 and the live sessions the relay has", async () => {
    const r = await runCli(["td-no-such-session-" + process.pid]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tracedeck live: No session "td-no-such-session-\d+" on lttng-relayd at 127\.0\.0\.1:\d+/);
  });

  it("a relay that is down: exit 1, connection refused", async () => {
    const r = await runCli(["net://127.0.0.1:1/host/vm/anything"]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("tracedeck live: lttng-relayd is not running at 127.0.0.1:1 (connection refused)\n");
  });

  it("bad input: a malformed URL or filter is a usage error (exit 2)", async () => {
    const a = await runCli(["http://127.0.0.1/x"]).done;
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/Not a live URL/);
    const b = await runCli(["some-session", "--filter", "$evt.status =="]).done;
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/Bad filter expression/);
  });

  it("a streaming session that is not live: exit 1, says so", async () => {
    const session = await createLiveSession({ tag: "notlive", live: false });
    cleanup.push(
      () => removeRelayOutput(session.name),
      () => session.destroy(),
    );
    const r = await runCli([session.name]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a live session/);
  });

  it("a session another viewer (babeltrace2) holds: exit 1, names the cause, babeltrace2 keeps it", async () => {
    const session = await createLiveSession({ tag: "taken" });
    cleanup.push(
      () => removeRelayOutput(session.name),
      () => session.destroy(),
    );
    const bt = spawn("babeltrace2", ["--input-format=lttng-live", `net://127.0.0.1:${LIVE_PORT}/host/${hostname()}/${session.name}`], { stdio: "ignore" });
    cleanup.push(() => {
      bt.kill("SIGKILL");
    });
    await attached(session.name);
    const r = await runCli([session.name]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already read by another live viewer/);
    expect(bt.exitCode).toBeNull();
  });
});
