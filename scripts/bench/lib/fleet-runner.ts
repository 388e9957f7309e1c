/**
 * `bench -- fleet`, server side: N simulated hosts (real sshd servers on N loopback ports, 16
 * per server as OpenSSH allows, each port registered as a host with its key pinned), for N in the list
 * given. Per N: the fleet refresh (every host asked for its version, sessions and kernel
 * tracer), cold (new SSH connections) and warm (connections reused); then a bulk snapshot on
 * the N hosts, host i recording its own real snapshot session on the one local sessiond,
 * streamed to the local relay. Prints one JSON line per N. Wall time beside CPU time: this
 * process's, and the whole machine's (other jobs included) from /proc/stat.
 *
 * The hosts log in as USER (a member of the `tracing` group, as SECURITY.md deploys a traced
 * host's account); the session daemon lets a user act only on its own sessions, so the
 * snapshot sessions are created over SSH as that user too.
 *
 * usage: fleet-runner.js N[,N...] RUNS USER [NICE [CGROUP]]
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { basename, dirname } from "node:path";
import { config } from "../../../server/config";
import { HostControllers } from "../../../server/fleet/controllers";
import { HostRegistry } from "../../../server/fleet/hosts";
import { remoteFiles } from "../../../server/fleet/remote-files";
import { Fleet } from "../../../server/fleet/overview";
import { machineCpuS } from "./proc-cpu.mjs";
import { SshTransport } from "../../../server/fleet/ssh";
import { startSshdPool, type TestSshd } from "../../../server/fleet/testing/sshd";
import { LttngController } from "../../../server/lttng/controller";
import { LttngRunner } from "../../../server/lttng/runner";
import { localTransport } from "../../../server/lttng/transport";
import { lttng } from "../../../server/lttng/instance";
import { tempDb } from "../../../server/testing/db";

const counts = (process.argv[2] ?? "1,10,50").split(",").map(Number);
const RUNS = Number(process.argv[3] ?? 5);
const USER = process.argv[4] ?? "root";
const NICE = Number(process.argv[5] ?? 0);
const CGROUP = process.argv[6] || undefined;
const maxN = Math.max(...counts);

interface Sample {
  wallMs: number;
  cpuMs: number;
  machineCpuS: number;
}

async function measure<T>(f: () => Promise<T>): Promise<{ value: T; sample: Sample }> {
  const m0 = machineCpuS();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, sample: { wallMs, cpuMs: (c.user + c.system) / 1000, machineCpuS: machineCpuS() - m0 } };
}

/** A result line: on stdout for the bench, and at once on stderr so a long run shows its progress. */
function emit(x: object): void {
  const line = JSON.stringify(x);
  console.log(line);
  console.error(`fleet-runner: ${line}`);
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
const summary = (s: Sample[]) => ({
  p50Ms: p50(s.map((x) => x.wallMs)),
  maxMs: max(s.map((x) => x.wallMs)),
  cpuMsP50: p50(s.map((x) => x.cpuMs)),
  machineCpuSP50: p50(s.map((x) => x.machineCpuS)),
});

let servers: TestSshd[] = [];
const env = { TRACEDECK_SECRET_KEY: randomBytes(32).toString("base64") };
const c = config();
const relayUrl = `net://127.0.0.1:${c.relayd.controlPort}:${c.relayd.dataPort}`;
const tag = `tdb-fleet-${process.pid}`;
const controllerOptions = { tracesDir: c.tracesDir, relaydOutputDir: c.relaydOutputDir, relayd: c.relayd, daemons: lttng().daemons };
let ctl: LttngController | undefined;
const sessions: string[] = [];
const snapshotDirs = new Set<string>();

try {
  const pool = await startSshdPool(maxN, { nice: NICE, cgroup: CGROUP });
  servers = pool.servers;
  const sshd = servers[0]!;
  const endpoints = pool.endpoints;
  // The floor under every number below: one command over an open SSH connection (the remote
  // login shell starts for each) against the same command run here.
  const probe = new SshTransport({ host: "127.0.0.1", port: sshd.port, user: USER, privateKey: sshd.privateKey.toString() }, { acceptAnyHostKey: true });
  // The simulated hosts' sessions, made by their user over SSH (kept open until the end).
  ctl = new LttngController(new LttngRunner({ transport: probe, timeoutMs: 60_000 }), { ...controllerOptions, files: remoteFiles(probe) });
  const sshMs: number[] = [];
  const localMs: number[] = [];
  await probe.exec("true", [], { timeoutMs: 30_000 });
  for (let i = 0; i < 5; i++) {
    let t0 = performance.now();
    await probe.exec("lttng", ["--mi", "xml", "version"], { timeoutMs: 30_000 });
    sshMs.push(performance.now() - t0);
    t0 = performance.now();
    await localTransport.exec("lttng", ["--mi", "xml", "version"], { timeoutMs: 30_000 });
    localMs.push(performance.now() - t0);
  }
  const shell = (await probe.exec("sh", ["-c", "echo $SHELL"], { timeoutMs: 30_000 }).catch(() => ({ stdout: "?" }))).stdout.trim();
  emit({ probe: true, user: USER, sshP50Ms: p50(sshMs), sshMaxMs: max(sshMs), localP50Ms: p50(localMs), localMaxMs: max(localMs), shell });
  for (let i = 0; i < maxN; i++) {
    const s = `${tag}-${i}`;
    await ctl.createSession({ mode: "snapshot", name: s, url: relayUrl });
    sessions.push(s);
    await ctl.enableEvent({ session: s, domain: "userspace", names: ["tracedeck_demo:*"] });
    await ctl.start(s);
  }

  for (const n of counts) {
    const store = tempDb();
    const hosts = new HostRegistry(store.db, { env, connectTimeoutMs: 15_000 });
    const fleet = new Fleet(hosts, new HostControllers(hosts, { controllerOptions }), { hostTimeoutMs: 15_000, bulkHostTimeoutMs: 60_000 });
    try {
      const names = Array.from({ length: n }, (_, i) => `sim${String(i).padStart(3, "0")}`);
      const sessionOf = new Map(names.map((h, i) => [h, sessions[i]!]));
      // Adding is one-time set-up (trust on first use), a few at a time.
      for (let i = 0; i < n; i += 8)
        await Promise.all(names.slice(i, i + 8).map((name, k) => hosts.add({ name, address: "127.0.0.1", user: USER, ...endpoints[i + k]! })));
      hosts.close();

      const cold = await measure(() => fleet.refresh());
      const warm: Sample[] = [];
      for (let r = 0; r < RUNS; r++) warm.push((await measure(() => fleet.refresh())).sample);
      const view = await measure(() => fleet.view());
      const states = view.value;
      const up = states.filter((s) => s.state === "up").length;

      const snaps: Sample[] = [];
      let ok = 0;
      let hostMax = 0;
      let failures: string[] = [];
      for (let r = 0; r < Math.max(1, Math.ceil(RUNS / 2)); r++) {
        const { value, sample } = await measure(() => fleet.bulk({ hosts: names }, (h) => ({ kind: "snapshot", session: sessionOf.get(h)!, name: "bench" })));
        snaps.push(sample);
        ok = value.filter((x) => x.ok).length;
        hostMax = Math.max(hostMax, ...value.map((x) => x.tookMs));
        failures = value.filter((x) => !x.ok).map((x) => `${x.host}: ${x.message}`);
        for (const x of value) if (x.snapshot) snapshotDirs.add(x.snapshot.path);
      }
      emit({
        n,
        hostsAsked: states.length,
        up,
        refreshCold: cold.sample,
        refreshWarm: summary(warm),
        viewMs: view.sample.wallMs,
        snapshot: summary(snaps),
        snapshotOk: ok,
        snapshotHostMaxMs: hostMax,
        failures: failures.slice(0, 3),
      });
    } finally {
      fleet.stop();
      hosts.close();
      await store.cleanup();
    }
  }
} finally {
  for (const s of sessions) await ctl?.destroy(s).catch(() => undefined);
  if (ctl?.runner.transport instanceof SshTransport) ctl.runner.transport.close();
  // The snapshots went to the shared relay's output: remove each session's directory there (ours only).
  for (const p of snapshotDirs) {
    const dir = dirname(p);
    if (basename(dir).startsWith(`${tag}-`)) rmSync(dir, { recursive: true, force: true });
  }
  await Promise.all(servers.map((s) => s.dispose()));
}
