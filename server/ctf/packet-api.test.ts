/**
 * The packet-level API (what the live client feeds) decodes exactly what the file reader
 * decodes, packet by packet, and metadata can arrive in pieces.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileMetadata, MetadataAccumulator, openTraceSet, PacketCursor } from "./index";
import { readPacketIndex } from "./reader/packet-index";
import { TRACES } from "../testing/shared";

const DIR = join(TRACES, "bt-multi-domains-kernel/kernel");

describe("packet-level API", () => {
  it("decodes the packets of a stream file like the file reader does", () => {
    const set = openTraceSet([DIR]);
    const fromFiles: string[] = [];
    set.forEach((it, src) => {
      if (it.kind === "event" && src.streamFile.endsWith("kernel_channel_0")) fromFiles.push(`${it.ts} ${it.cpu} ${it.name} ${JSON.stringify(it.payload)}`);
    });
    const trace = compileMetadata(readFileSync(join(DIR, "metadata")));
    const cursor = new PacketCursor(trace, set.originNs, 0, "kernel_channel_0");
    const data = readFileSync(join(DIR, "kernel_channel_0"));
    const fromPackets: string[] = [];
    for (const p of readPacketIndex(join(DIR, "index/kernel_channel_0.idx"))!) {
      const info = cursor.decode(data.subarray(p.offsetBytes, p.offsetBytes + p.packetBits / 8), (r) =>
        fromPackets.push(`${r.ts} ${r.cpu} ${r.name} ${JSON.stringify(r.payload)}`),
      );
      expect(info.contentBits).toBe(p.contentBits);
    }
    expect(fromPackets.length).toBeGreaterThan(200);
    expect(fromPackets).toEqual(fromFiles);
  });

  it("accumulates metadata packets: incomplete until the last one arrives", () => {
    const md = readFileSync(join(DIR, "metadata"));
    const acc = new MetadataAccumulator();
    const statuses: string[] = [];
    for (let o = 0; o < md.length; o += 1000) {
      acc.append(md.subarray(o, Math.min(o + 1000, md.length)));
      statuses.push(acc.model().status);
    }
    expect(statuses[statuses.length - 1]).toBe("ok");
    expect(statuses.slice(0, 5).every((s) => s === "incomplete")).toBe(true);
    const m = acc.model();
    expect(m.status === "ok" && m.model.env.hostname).toBe("joraj-alpa");
  });
});
