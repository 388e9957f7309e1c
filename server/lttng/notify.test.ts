import { spawn } from "node:child_process";
import { setMaxListeners } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSessiond } from "../testing/record";
import { ensureWorkloadBuilt } from "../workload/build";
import { LttngController } from "./controller";
import { MAX_WATCHERS, ensureNotifyBuilt, watchNotifications, type NotifyLine } from "./notify";
import { LttngRunner } from "./runner";
import { uniqueName } from "./testing";

let dir: string;
let bin: string;
let demo: string;
const ctl = () =>
  new LttngController(new LttngRunner(), {
    tracesDir: dir,
    relaydOutputDir: join(dir, "relayd"),
    relayd: { host: "127.0.0.1", controlPort: 5342, dataPort: 5343, livePort: 5344 },
  });

beforeAll(async () => {
  await ensureSessiond();
  dir = await mkdtemp(join(tmpdir(), "td-notify-"));
  bin = await ensureNotifyBuilt(join(dir, "bin"));
  demo = await ensureWorkloadBuilt();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trigger notifications", () => {
  it("reports triggers it cannot find, and exits", async () => {
    const lines: NotifyLine[] = [];
    for await (const l of watchNotifications([uniqueName("none")], { binary: bin })) lines.push(l);
    expect(lines).toEqual([{ type: "ready", subscribed: [], missing: [expect.stringMatching(/^td-none-/) as unknown as string] }]);
  });

  it("ends with an error line carrying the helper's stderr when it fails without one", async () => {
    const lines: NotifyLine[] = [];
    // ls stands in for a helper that fails: it prints to stderr and exits 2, with no JSON line.
    for await (const l of watchNotifications(["/no/such/td-trigger"], { binary: "/bin/ls" })) lines.push(l);
    expect(lines).toEqual([{ type: "error", message: expect.stringContaining("/no/such/td-trigger") as unknown as string }]);
  });

  it("caps the helper processes a crowd of subscribers can start, and frees a slot when one leaves", async () => {
    // `sleep 30` stands in for a helper that waits for notifications.
    const ac = new AbortController();
    // One signal for all 16 subscribers on purpose: Node's leak warning starts at 10 listeners.
    setMaxListeners(MAX_WATCHERS, ac.signal);
    const open = Array.from({ length: MAX_WATCHERS }, () => watchNotifications(["30"], { binary: "/bin/sleep", signal: ac.signal }));
    const pending = open.map((g) => g.next());
    try {
      const extra = watchNotifications(["30"], { binary: "/bin/sleep" });
      await expect(extra.next()).rejects.toMatchObject({ code: "NOT_ALLOWED", message: expect.stringMatching(/Too many notification listeners/) });
    } finally {
      ac.abort();
      await Promise.all(pending);
    }
    const after = watchNotifications(["0"], { binary: "/bin/sleep" });
    expect((await after.next()).done).toBe(true);
  });

  it("shares one build between concurrent subscribers", async () => {
    const out = join(dir, "bin-concurrent");
    const [a, b] = await Promise.all([ensureNotifyBuilt(out), ensureNotifyBuilt(out)]);
    expect(a).toBe(b);
    const lines: NotifyLine[] = [];
    for await (const l of watchNotifications([uniqueName("none")], { binary: a })) lines.push(l);
    expect(lines.map((l) => l.type)).toEqual(["ready"]);
  });

  it("delivers a notify trigger's captured values for each slow request", async () => {
    const c = ctl();
    const name = uniqueName("notify");
    await c.addTrigger({
      name,
      ruleType: "user",
      pattern: "tracedeck_demo:request_end",
      filter: "latency_ns > 50000000",
      captures: ["id", "status", "latency_ns", "$ctx.vpid"],
      actions: [{ type: "notify" }],
    });
    const ac = new AbortController();
    try {
      const it = watchNotifications([name], { binary: bin, signal: ac.signal });
      const ready = await it.next();
      expect(ready.value).toEqual({ type: "ready", subscribed: [name], missing: [] });
      const child = spawn(demo, ["--rate", "100", "--duration", "1", "--slow-every", "25", "--slow-ms", "60", "--dir", dir], {
        env: { ...process.env, LTTNG_UST_REGISTER_TIMEOUT: "-1" },
        stdio: "ignore",
      });
      const pid = child.pid!;
      // Other tests' demos may fire the same trigger: keep only this process's notifications.
      // On a loaded machine an ordinary request may also take more than 50 ms (the demo
      // measures wall time): the trigger reports it too, truly, so the test waits for the four
      // slow ones (every 25th of ids 1 to 100: 25, 50, 75, 100) and checks what came with them.
      const mine: NotifyLine[] = [];
      const slowIds = new Set<number>();
      const timer = setTimeout(() => ac.abort(), 30_000);
      for (;;) {
        const n = await it.next();
        if (n.done) break;
        if (n.value.type !== "notification" || n.value.captures[3] !== pid) continue;
        mine.push(n.value);
        const id = n.value.captures[0] as number;
        if (id % 25 === 0) slowIds.add(id);
        if (slowIds.size === 4) break;
      }
      clearTimeout(timer);
      await it.return(undefined);
      await new Promise((r) => child.once("close", r));
      expect([...slowIds].sort((a, b) => a - b)).toEqual([25, 50, 75, 100]);
      for (const n of mine) {
        if (n.type !== "notification") throw new Error("unreachable");
        expect(n.trigger).toBe(name);
        expect(n.condition_type).toBe(105);
        const [id, status, latency] = n.captures as number[];
        // The demo answers its deliberately slow requests with 503, the others with 200.
        expect(status).toBe(id! % 25 === 0 ? 503 : 200);
        expect(latency).toBeGreaterThan(50_000_000);
      }
    } finally {
      ac.abort();
      await c.removeTrigger(name).catch(() => undefined);
    }
  });
});
