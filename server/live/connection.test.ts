/**
 * The viewer connection against the real shared lttng-relayd (127.0.0.1:5344) and a live
 * session created for the test: the command order the 2.13 relay needs, every reply kind a
 * session produces, and the refusals that protect the relay (sent nothing, relay still up).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../config";
import { ViewerConnection } from "./connection";
import { LiveError } from "./errors";
import * as P from "./protocol";
import { createLiveSession, relayOutputDir, removeRelayOutput, spawnDemo, type LiveSession } from "./testing";

const relay = { host: "127.0.0.1", port: config().relayd.livePort };
let session: LiveSession;
const open: ViewerConnection[] = [];

async function connect(): Promise<ViewerConnection> {
  const c = await ViewerConnection.open(relay);
  open.push(c);
  return c;
}

async function relaySessionsOf(c: ViewerConnection, name: string): Promise<P.RelaySession[]> {
  return (await c.listSessions()).filter((s) => s.name === name);
}

beforeAll(async () => {
  session = await createLiveSession({ tag: "conn", trackNothing: true });
  const demo = await spawnDemo(["--rate", "2000", "--duration", "0.5"]);
  await session.trackPid(demo.pid);
  demo.release();
  expect((await demo.done).code).toBe(0);
});

afterAll(async () => {
  for (const c of open) c.close();
  await session?.destroy();
  if (session) await removeRelayOutput(session.name);
});

describe("viewer connection on lttng-relayd 2.13", () => {
  it("negotiates: the relay answers major 2 and its own minor", async () => {
    const c = await connect();
    expect(c.relayMinor).toBeGreaterThanOrEqual(4);
    expect(c.viewerSessionId).toBeGreaterThan(0n);
  });

  it("refuses stream commands before CREATE_SESSION without sending them (they crash relayd 2.13), and CREATE_SESSION twice", async () => {
    const c = await connect();
    await expect(c.getNextIndex(1n)).rejects.toMatchObject({ code: "PROTOCOL", message: expect.stringMatching(/before CREATE_SESSION/) });
    await expect(c.getMetadata(1n)).rejects.toMatchObject({ code: "PROTOCOL" });
    await expect(c.attach(1n, P.SEEK_BEGINNING)).rejects.toMatchObject({ code: "PROTOCOL" });
    // Still usable: nothing was sent.
    await c.createSession();
    await expect(c.createSession()).rejects.toMatchObject({ code: "PROTOCOL", message: expect.stringMatching(/twice/) });
    expect((await relaySessionsOf(c, session.name)).length).toBeGreaterThan(0);
  });

  it("lists the session, attaches from the beginning, reads metadata, indexes and packets, and refuses GET_PACKET outside an indexed packet", async () => {
    const c = await connect();
    await c.createSession();
    const mine = await relaySessionsOf(c, session.name);
    expect(mine.length).toBe(1);
    expect(mine[0]!.liveTimerUs).toBe(100_000);
    const { status, streams } = await c.attach(mine[0]!.id, P.SEEK_BEGINNING);
    expect(P.statusName(P.AttachStatus, status)).toBe("OK");
    const meta = streams.find((s) => s.metadata)!;
    const data = streams.filter((s) => !s.metadata);
    expect(meta.channelName).toBe("metadata");
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((s) => s.ctfTraceId === meta.ctfTraceId && s.pathName === "ust/uid/0/64-bit")).toBe(true);

    await expect(c.getPacket(data[0]!.id, 0n, 4096)).rejects.toMatchObject({ code: "PROTOCOL", message: expect.stringMatching(/before an INDEX_OK/) });

    const md = await c.getMetadata(meta.id);
    expect(md.status).toBe(P.MetadataStatus.OK);
    expect(md.data.readUInt32LE(0) === 0x75d11d57 || md.data.readUInt32BE(0) === 0x75d11d57).toBe(true);
    let more = await c.getMetadata(meta.id);
    while (more.status === P.MetadataStatus.OK) more = await c.getMetadata(meta.id);
    expect(more.status).toBe(P.MetadataStatus.NO_NEW);

    // The demo ran before we attached: from the beginning, some stream has a packet.
    let got: { stream: P.StreamRecord; idx: P.IndexReply } | undefined;
    for (let i = 0; i < 200 && !got; i++) {
      for (const s of data) {
        const idx = await c.getNextIndex(s.id);
        if (idx.status === P.IndexStatus.OK) {
          got = { stream: s, idx };
          break;
        }
        expect(["RETRY", "INACTIVE"]).toContain(P.statusName(P.IndexStatus, idx.status));
      }
      if (!got) await new Promise((r) => setTimeout(r, 50));
    }
    expect(got).toBeDefined();
    const { stream, idx } = got!;
    expect(idx.contentSizeBits).toBeLessThanOrEqual(idx.packetSizeBits);
    expect(idx.timestampEnd).toBeGreaterThanOrEqual(idx.timestampBegin);
    const pkt = await c.getPacket(stream.id, idx.offsetBytes, 64);
    expect(pkt.status).toBe(P.PacketStatus.OK);
    // CTF packet magic 0xC1FC1FC1, in the trace's byte order.
    expect(pkt.data!.readUInt32LE(0) === 0xc1fc1fc1 || pkt.data!.readUInt32BE(0) === 0xc1fc1fc1).toBe(true);
    await expect(c.getPacket(stream.id, idx.offsetBytes + idx.packetSizeBits / 8n, 16)).rejects.toMatchObject({
      code: "PROTOCOL",
      message: expect.stringMatching(/outside the packet/),
    });

    const ns = await c.getNewStreams(mine[0]!.id);
    expect(["OK", "NO_NEW"]).toContain(P.statusName(P.NewStreamsStatus, ns.status));

    // One viewer per session: a second connection is told ALREADY.
    const other = await connect();
    await other.createSession();
    expect(P.statusName(P.AttachStatus, (await other.attach(mine[0]!.id, P.SEEK_LAST)).status)).toBe("ALREADY");

    expect(P.statusName(P.DetachStatus, await c.detach(mine[0]!.id))).toBe("OK");
    // Detached: another viewer may attach now.
    expect(P.statusName(P.AttachStatus, (await other.attach(mine[0]!.id, P.SEEK_LAST)).status)).toBe("OK");
  });

  it("reports an unknown session id as UNK and a refused port clearly", async () => {
    const c = await connect();
    await c.createSession();
    expect(P.statusName(P.AttachStatus, (await c.attach(0xfffffffffffen, P.SEEK_LAST)).status)).toBe("UNK");
    const err = await ViewerConnection.open({ host: "127.0.0.1", port: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveError);
    expect(err).toMatchObject({ code: "RELAY_UNREACHABLE", message: expect.stringMatching(/not running at 127\.0\.0\.1:1/) });
  });

  it("pipelines: every stream's index and GET_NEW_STREAMS in one write, then the packets in one write; every byte equals the relay's file, and a refused command in a batch sends nothing", async () => {
    const s2 = await createLiveSession({ tag: "pipe", trackNothing: true });
    try {
      const demo = await spawnDemo(["--rate", "3000", "--duration", "0.6", "--threads", "2"]);
      await s2.trackPid(demo.pid);
      demo.release();
      expect((await demo.done).code).toBe(0);
      await s2.stop(); // the relay holds every packet now
      const c = await connect();
      await c.createSession();
      const [rs] = await relaySessionsOf(c, s2.name);
      const { status, streams } = await c.attach(rs!.id, P.SEEK_BEGINNING);
      expect(P.statusName(P.AttachStatus, status)).toBe("OK");
      const data = streams.filter((s) => !s.metadata);
      expect(data.length).toBeGreaterThan(0);
      const bytes = new Map(data.map((s) => [s.id, 0n]));
      const packets: { stream: P.StreamRecord; idx: P.IndexReply; data: Buffer }[] = [];
      let idle = 0;
      for (let pass = 0; pass < 2000 && idle < 20; pass++) {
        const sent = c.batch(() => ({ idx: data.map((s) => c.getNextIndex(s.id)), ns: c.getNewStreams(rs!.id) }));
        const indexes = await Promise.all(sent.idx);
        expect(["OK", "NO_NEW"]).toContain(P.statusName(P.NewStreamsStatus, (await sent.ns).status));
        const ok = indexes.flatMap((idx, i) => (idx.status === P.IndexStatus.OK ? [{ stream: data[i]!, idx }] : []));
        for (const idx of indexes) expect(["OK", "RETRY", "INACTIVE"]).toContain(P.statusName(P.IndexStatus, idx.status));
        if (ok.length === 0) {
          idle++;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        idle = 0;
        const got = c.batch(() => {
          // Refused before anything is written (outside the packet): the replies of the
          // others must still line up.
          const refused = c.getPacket(ok[0]!.stream.id, ok[0]!.idx.offsetBytes + ok[0]!.idx.packetSizeBits / 8n, 16);
          return { refused, pkts: ok.map((o) => c.getPacket(o.stream.id, o.idx.offsetBytes, Number(o.idx.packetSizeBits / 8n))) };
        });
        await expect(got.refused).rejects.toMatchObject({ code: "PROTOCOL" });
        const replies = await Promise.all(got.pkts);
        replies.forEach((r, i) => {
          expect(r.status).toBe(P.PacketStatus.OK);
          packets.push({ ...ok[i]!, data: r.data! });
          bytes.set(ok[i]!.stream.id, bytes.get(ok[i]!.stream.id)! + ok[i]!.idx.packetSizeBits / 8n);
        });
      }
      expect(packets.length).toBeGreaterThan(1);
      // The relay's copy: <out>/<host>/<session>-<date>/<path>/<channel>.
      const base = await relayOutputDir();
      const host = readdirSync(base).find((h) => readdirSync(join(base, h)).some((d) => d.startsWith(`${s2.name}-`)))!;
      const dir = join(
        base,
        host,
        readdirSync(join(base, host)).find((d) => d.startsWith(`${s2.name}-`))!,
      );
      const files = new Map<string, Buffer>();
      for (const p of packets) {
        const f = join(dir, p.stream.pathName, p.stream.channelName);
        if (!files.has(f)) files.set(f, readFileSync(f));
        const off = Number(p.idx.offsetBytes);
        expect(p.data.equals(files.get(f)!.subarray(off, off + p.data.length))).toBe(true);
      }
      // Nothing skipped: the packets read cover each stream file whole.
      for (const s of data) expect(bytes.get(s.id)).toBe(BigInt(statSync(join(dir, s.pathName, s.channelName)).size));
    } finally {
      await s2.destroy();
      await removeRelayOutput(s2.name);
    }
  });

  it("leaves the relay serving: a fresh connection lists sessions after all of the above", async () => {
    const c = await connect();
    expect((await relaySessionsOf(c, session.name)).length).toBe(1);
  });
});
