/**
 * The viewer protocol's bytes against sequences recorded from the 2.13.9 relay here
 * (shared/docs/live-protocol.md Part 2) and the 2.13 ABI header's offsets (§1.3).
 */
import { describe, expect, it } from "vitest";
import * as P from "./protocol";

const hex = (s: string) => Buffer.from(s.replace(/[\s|]/g, ""), "hex");

describe("viewer protocol requests", () => {
  it("CONNECT is the 36 bytes babeltrace2 sends: header (data_size 20, cmd 1, version 0) then id -1, 2.4, COMMAND", () => {
    expect(P.encodeConnect()).toEqual(hex("0000000000000014 00000001 00000000 | ffffffffffffffff 00000002 00000004 00000001"));
  });

  it("LIST_SESSIONS and CREATE_SESSION are a bare header", () => {
    expect(P.encodeListSessions()).toEqual(hex("0000000000000000 00000002 00000000"));
    expect(P.encodeCreateSession()).toEqual(hex("0000000000000000 00000008 00000000"));
  });

  it("ATTACH_SESSION carries the session id, offset 0 and the seek kind (20 bytes)", () => {
    expect(P.encodeAttach(0x0102030405060708n, P.SEEK_BEGINNING)).toEqual(
      hex("0000000000000014 00000003 00000000 | 0102030405060708 0000000000000000 00000001"),
    );
  });

  it("stream and session commands carry one u64", () => {
    expect(P.encodeGetNextIndex(7n)).toEqual(hex("0000000000000008 00000004 00000000 | 0000000000000007"));
    expect(P.encodeGetMetadata(9n)).toEqual(hex("0000000000000008 00000006 00000000 | 0000000000000009"));
    expect(P.encodeGetNewStreams(3n)).toEqual(hex("0000000000000008 00000007 00000000 | 0000000000000003"));
    expect(P.encodeDetach(3n)).toEqual(hex("0000000000000008 00000009 00000000 | 0000000000000003"));
  });

  it("GET_PACKET carries stream, byte offset and length, and refuses more than 4 MiB (the 2.13 relay allocates it unchecked)", () => {
    expect(P.encodeGetPacket(2n, 4096n, 65536)).toEqual(hex("0000000000000014 00000005 00000000 | 0000000000000002 0000000000001000 00010000"));
    expect(() => P.encodeGetPacket(2n, 0n, 4 * 1024 * 1024 + 1)).toThrow(RangeError);
    expect(() => P.encodeGetPacket(2n, 0n, 0)).toThrow(RangeError);
  });
});

describe("viewer protocol replies", () => {
  it("CONNECT reply of relayd 2.13.9: viewer session 1, version 2.13", () => {
    expect(P.decodeConnect(hex("0000000000000001 00000002 0000000d 00000000"))).toEqual({ viewerSessionId: 1n, major: 2, minor: 13 });
  });

  it("an empty LIST_SESSIONS reply is a zero count", () => {
    expect(P.decodeListCount(hex("00000000"))).toBe(0);
  });

  it("a session record is 339 bytes: id, live timer, clients, streams, hostname[64], name[255]", () => {
    expect(P.SESSION_RECORD_BYTES).toBe(339);
    const b = Buffer.alloc(P.SESSION_RECORD_BYTES);
    b.writeBigUInt64BE(42n, 0);
    b.writeUInt32BE(100000, 8);
    b.writeUInt32BE(1, 12);
    b.writeUInt32BE(3, 16);
    b.write("vm", 20);
    b.write("my-session", 84);
    expect(P.decodeSession(b)).toEqual({ id: 42n, liveTimerUs: 100000, clients: 1, streams: 3, hostname: "vm", name: "my-session" });
  });

  it("a name that fills its array without a NUL is read to the array's end, not beyond", () => {
    const b = Buffer.alloc(P.SESSION_RECORD_BYTES + 4, 0x41);
    expect(P.decodeSession(b).hostname).toBe("A".repeat(64));
    expect(P.decodeSession(b).name).toBe("A".repeat(255));
  });

  it("a stream record is 4371 bytes: id, ctf trace id, metadata flag, path[4096], channel[255]", () => {
    expect(P.STREAM_RECORD_BYTES).toBe(4371);
    const b = Buffer.alloc(P.STREAM_RECORD_BYTES * 2);
    const o = P.STREAM_RECORD_BYTES;
    b.writeBigUInt64BE(5n, o);
    b.writeBigUInt64BE(1n, o + 8);
    b.writeUInt32BE(1, o + 16);
    b.write("ust/uid/0/64-bit", o + 20);
    b.write("metadata", o + 4116);
    expect(P.decodeStream(b, o)).toEqual({ id: 5n, ctfTraceId: 1n, metadata: true, pathName: "ust/uid/0/64-bit", channelName: "metadata" });
  });

  it("an index reply is 64 bytes with sizes in bits and timestamps in cycles", () => {
    const b = Buffer.alloc(64);
    b.writeBigUInt64BE(8192n, 0);
    b.writeBigUInt64BE(4096n * 8n, 8);
    b.writeBigUInt64BE(1000n * 8n, 16);
    b.writeBigUInt64BE(111n, 24);
    b.writeBigUInt64BE(222n, 32);
    b.writeBigUInt64BE(3n, 40);
    b.writeBigUInt64BE(0n, 48);
    b.writeUInt32BE(P.IndexStatus.INACTIVE, 56);
    b.writeUInt32BE(P.FLAG_NEW_METADATA | P.FLAG_NEW_STREAM, 60);
    expect(P.decodeIndex(b)).toEqual({
      offsetBytes: 8192n,
      packetSizeBits: 32768n,
      contentSizeBits: 8000n,
      timestampBegin: 111n,
      timestampEnd: 222n,
      eventsDiscarded: 3n,
      streamClassId: 0n,
      status: P.IndexStatus.INACTIVE,
      flags: 3,
    });
  });

  it("metadata and packet replies put their length in different places", () => {
    expect(P.decodeMetadataReply(hex("0000000000000100 00000001"))).toEqual({ len: 256n, status: P.MetadataStatus.OK });
    expect(P.decodePacketReply(hex("00000001 00000100 00000000"))).toEqual({ status: P.PacketStatus.OK, len: 256, flags: 0 });
  });

  it("names statuses for messages, unknown ones included", () => {
    expect(P.statusName(P.AttachStatus, 2)).toBe("ALREADY");
    expect(P.statusName(P.IndexStatus, 0x04000000)).toBe("unknown status 67108864");
  });
});
