import { execBounded } from "./exec";
import { LttngError } from "./errors";
import { MiAvailable, MiVersion } from "./mi/outputs";
import type { DaemonManager, RelaydStatus, SessiondStatus } from "./daemons";
import type { LttngRunner } from "./runner";

export interface DoctorCheck {
  name: string;
  /** true: fine; false: broken; null: could not be checked (e.g. no session daemon to ask). */
  ok: boolean | null;
  detail: string;
}

/** What `tracedeck doctor` prints and the settings page shows. */
export interface DoctorReport {
  lttngVersion: string | null;
  sessiond: SessiondStatus;
  relayd: RelaydStatus;
  kernelTracer: { available: boolean | null; message: string };
  babeltrace2: { present: boolean; version: string | null };
  checks: DoctorCheck[];
}

/** Collects the installation report. Never throws for a missing piece: each becomes a failed check. */
export async function doctor(runner: LttngRunner, daemons: DaemonManager): Promise<DoctorReport> {
  const [lttngVersion, sessiond, relayd, babeltrace2] = await Promise.all([
    runner
      .run(["version"], { timeoutMs: 10_000 })
      .then((r) => MiVersion.parse(r.doc.output).string)
      .catch(() => null),
    daemons.sessiondStatus(),
    daemons.relaydStatus(),
    execBounded("babeltrace2", ["--version"], { timeoutMs: 10_000 })
      .then((r) => ({ present: r.code === 0, version: /Babeltrace (\S+)/.exec(r.stdout)?.[1] ?? null }))
      .catch(() => ({ present: false, version: null })),
  ]);
  let kernelTracer: DoctorReport["kernelTracer"];
  if (!sessiond.running) {
    kernelTracer = { available: null, message: "unknown: the session daemon is not running" };
  } else {
    try {
      const r = await runner.run(["list", "-k"], { timeoutMs: 15_000 });
      const n = MiAvailable.parse(r.doc.output).events.length;
      kernelTracer = { available: true, message: `available (${n} tracepoints)` };
    } catch (e) {
      kernelTracer =
        e instanceof LttngError && e.code === "KERNEL_TRACER_UNAVAILABLE"
          ? { available: false, message: "Kernel tracer not available" }
          : { available: null, message: e instanceof Error ? e.message : String(e) };
    }
  }
  const checks: DoctorCheck[] = [
    { name: "lttng", ok: lttngVersion !== null, detail: lttngVersion ? `lttng ${lttngVersion}` : "the lttng command is missing or broken" },
    {
      name: "sessiond",
      ok: sessiond.running,
      detail: sessiond.running
        ? `pid ${sessiond.pid}, version ${sessiond.version ?? "?"}${sessiond.ownedByTracedeck ? ", started by Tracedeck" : ""}`
        : sessiond.message,
    },
    {
      name: "relayd",
      ok: relayd.running,
      detail: relayd.running
        ? `pid ${relayd.pid}, version ${relayd.version ?? "?"}, listening on ${relayd.listening.map((l) => `${l.address}:${l.port}`).join(" ")}${relayd.ownedByTracedeck ? ", started by Tracedeck" : ""}`
        : relayd.message,
    },
    { name: "kernel tracer", ok: kernelTracer.available, detail: kernelTracer.message },
    { name: "babeltrace2", ok: babeltrace2.present, detail: babeltrace2.present ? `babeltrace2 ${babeltrace2.version ?? "?"}` : "babeltrace2 not found" },
  ];
  return { lttngVersion, sessiond, relayd, kernelTracer, babeltrace2, checks };
}
