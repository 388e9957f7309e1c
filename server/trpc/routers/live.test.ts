/**
 * The live router on the real sessiond, the shared relayd and the demo workload: a live
 * session created in one call, two subscribers with their own filters on one relay viewer,
 * the session's end, and the refusals (each a tRPC code and LTTng's or the relay's reason,
 * no channel left running).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../../auth/bootstrap";
import { SESSION_COOKIE } from "../../auth/sessions";
import { config } from "../../config";
import { LiveHub, liveHub } from "../../live/hub";
import { createLiveSession, lttng, removeRelayOutput, spawnDemo, until } from "../../live/testing";
import type { LiveMessage } from "../../live/wire";
import { outputSuperjson } from "../../shared/live-events";
import { uniqueSessionName } from "../../testing/record";
import { tempDb } from "../../testing/db";
import { createContext } from "../init";
import { createCaller } from "../root";

const dataDir = mkdtempSync(join(tmpdir(), "tracedeck-live-router-"));
process.env.TRACEDECK_DATA_DIR = dataDir;
const t = tempDb();
const cleanup: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
  liveHub().closeAll();
  await t.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function loggedIn(username: string, password: string) {
  const resHeaders = new Headers();
  await createCaller(await createContext({ headers: new Headers(), resHeaders, db: t.db })).auth.login({ username, password });
  const token = /td_session=([^;]*)/.exec(resHeaders.get("set-cookie") ?? "")?.[1];
  return createCaller(await createContext({ headers: new Headers({ cookie: `${SESSION_COOKIE}=${token}` }), db: t.db }));
}

type Caller = Awaited<ReturnType<typeof loggedIn>>;

/**
 * Reads a subscription in the background into `messages`, until it ends or fails; each
 * message goes through the output transformer and back, as it does on its way to a browser.
 */
function collect(it: AsyncIterable<LiveMessage>) {
  const messages: LiveMessage[] = [];
  const done = (async () => {
    for await (const m of it) messages.push(outputSuperjson.deserialize(JSON.parse(JSON.stringify(outputSuperjson.serialize(m)))));
  })();
  return { messages, done, events: () => messages.flatMap((m) => (m.kind === "events" ? [...m.events] : [])) };
}

let op: Caller;
beforeAll(async () => {
  await bootstrapAdmin(t.db, "correct horse battery");
  op = await loggedIn("admin", "correct horse battery");
});

describe("live router", () => {
  it("creates a live session in one call (timer 100 ms) and fans its events out to two subscribers, each with its filter, until it ends", async () => {
    const name = uniqueSessionName("live-router");
    expect(await op.live.create({ name, events: ["tracedeck_demo:*"] })).toEqual({ name, liveTimerUs: 100_000 });
    cleanup.push(
      () => removeRelayOutput(name),
      () => lttng(["destroy", name]).catch(() => undefined),
    );
    const listed = (await op.live.sessions()).find((s) => s.name === name);
    expect(listed).toMatchObject({ hostname: hostname(), liveTimerUs: 100_000 });

    const ends = collect(await op.live.stream({ session: name, filter: { names: ["tracedeck_demo:request_end"] } }));
    const slow = collect(await op.live.stream({ session: name, filter: { where: "$evt.status == 503 && $evt.latency_ns >= 5000000" } }));
    await until(() => (ends.messages.some((m) => m.kind === "status" && m.state === "streaming") ? true : undefined), "the channel streaming");
    // One relay viewer for both.
    expect((await op.live.sessions()).find((s) => s.name === name)).toMatchObject({ viewers: 1, watchedHere: true });

    const demo = await spawnDemo(["--rate", "2000", "--duration", "1", "--slow-every", "200", "--slow-ms", "5"]);
    cleanup.push(() => demo.kill());
    demo.release();
    expect((await demo.done).code).toBe(0);
    await until(() => (slow.events().length >= 10 ? true : undefined), "the demo's slow requests");
    await lttng(["stop", name]);
    await lttng(["destroy", name]);
    await Promise.all([ends.done, slow.done]);

    expect(ends.events().length).toBeGreaterThanOrEqual(2000);
    expect(ends.events().every((e) => e.name === "tracedeck_demo:request_end")).toBe(true);
    expect(slow.events().every((e) => e.name === "tracedeck_demo:request_end" && e.payload.status === 503)).toBe(true);
    // The second subscriber saw the same stream: its events are among the first one's.
    const endIds = new Set(ends.events().map((e) => `${e.tsNs}`));
    expect(slow.events().every((e) => endIds.has(`${e.tsNs}`))).toBe(true);
    for (const sub of [ends, slow]) {
      const seqs = sub.events().map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(sub.messages.at(-1)).toMatchObject({ kind: "end" });
    }
    expect(ends.events()[0]!.time).toMatch(/^\d\d:\d\d:\d\d\.\d{9}$/);
    expect(
      liveHub().channel(LiveHub.keyOf({ relayHost: "127.0.0.1", relayPort: config().relayd.livePort, hostname: undefined, session: name })),
    ).toBeUndefined();
  });

  it("refuses an unknown session (NOT_FOUND), a session that is not live (PRECONDITION_FAILED), one another viewer holds (CONFLICT), a bad filter (BAD_REQUEST), and keeps no channel", async () => {
    const read = async (input: Parameters<Caller["live"]["stream"]>[0]) => {
      try {
        for await (const m of await op.live.stream(input)) void m;
        return null;
      } catch (e) {
        return e as { code: string; message: string };
      }
    };
    expect(await read({ session: "td-nope-" + process.pid })).toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/^No session "td-nope-\d+"/) });
    expect(await read({ session: "x", filter: { where: "$evt.a ==" } })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/Bad filter expression/),
    });

    const notLive = await createLiveSession({ tag: "router-notlive", live: false });
    cleanup.push(
      () => removeRelayOutput(notLive.name),
      () => notLive.destroy(),
    );
    expect(await read({ session: notLive.name })).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/not a live session/) });

    const held = await createLiveSession({ tag: "router-held" });
    cleanup.push(
      () => removeRelayOutput(held.name),
      () => held.destroy(),
    );
    const bt = spawn("babeltrace2", ["--input-format=lttng-live", `net://127.0.0.1:${config().relayd.livePort}/host/${hostname()}/${held.name}`], {
      stdio: "ignore",
    });
    cleanup.push(() => void bt.kill("SIGKILL"));
    await until(async () => ((await op.live.sessions()).some((s) => s.name === held.name && s.viewers > 0) ? true : undefined), "babeltrace2 attached");
    expect(await read({ session: held.name })).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already read by another live viewer/) });

    for (const s of ["td-nope-" + process.pid, notLive.name, held.name])
      expect(
        liveHub().channel(LiveHub.keyOf({ relayHost: "127.0.0.1", relayPort: config().relayd.livePort, hostname: undefined, session: s })),
      ).toBeUndefined();
  });

  it("lets only operators watch another relay, and only on a loopback address", async () => {
    await op.auth.createUser({ username: "vera", password: "vera-password", role: "viewer" });
    const viewer = await loggedIn("vera", "vera-password");
    const first = async (p: Promise<AsyncIterable<LiveMessage>>) => {
      for await (const m of await p) return m;
    };
    await expect(first(viewer.live.stream({ session: "any", relay: "127.0.0.1:36544" }))).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const relay of ["10.0.0.1:5344", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.300:5344", "example.com:5344", "127.0.0.1"])
      await expect(first(op.live.stream({ session: "any", relay })), relay).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // A loopback port with no relay behind it: the attach fails like a relay that is down, nothing is kept.
    await expect(first(op.live.stream({ session: "any", relay: "127.0.0.1:9" }))).rejects.toMatchObject({ code: "BAD_GATEWAY" });
    expect(liveHub().channel(LiveHub.keyOf({ relayHost: "127.0.0.1", relayPort: 9, hostname: undefined, session: "any" }))).toBeUndefined();
  });

  it("validates create input before LTTng is asked", async () => {
    const ok = uniqueSessionName("live-never-created");
    // If one of these were accepted, the session must not outlive the test.
    cleanup.push(() => lttng(["destroy", ok]).catch(() => undefined));
    for (const bad of [
      { name: "a/b", events: ["x"] },
      { name: "auto", events: ["x"] },
      { name: ok, events: [] },
      { name: ok, events: ["a"], liveTimerUs: 10 },
    ])
      await expect(op.live.create(bad), JSON.stringify(bad)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
