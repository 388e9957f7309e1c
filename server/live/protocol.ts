/**
 * The LTTng relay daemon's viewer protocol (lttng-tools 2.13 `lttng-viewer-abi.h`), as
 * bytes: request encoders and reply decoders, no sockets. Layouts and statuses are in
 * shared/docs/live-protocol.md §1.2–1.4; every integer is big-endian, every struct packed.
 *
 * Replies have no generic header: the caller knows which command it sent and how many bytes
 * the fixed part of the reply has (`REPLY_BYTES`); variable tails (session list, stream
 * records, packet and metadata bytes) are sized by the fixed part.
 */

/** Command codes (`enum lttcomm_relayd_command` of the viewer ABI). */
export const Cmd = {
  CONNECT: 1,
  LIST_SESSIONS: 2,
  ATTACH_SESSION: 3,
  GET_NEXT_INDEX: 4,
  GET_PACKET: 5,
  GET_METADATA: 6,
  GET_NEW_STREAMS: 7,
  CREATE_SESSION: 8,
  DETACH_SESSION: 9,
} as const;
export type CmdCode = (typeof Cmd)[keyof typeof Cmd];

/** babeltrace2 offers 2.4: the same wire format on relays 2.4 through 2.16 (§1.5). */
export const VIEWER_MAJOR = 2;
export const VIEWER_MINOR = 4;
export const CONNECTION_TYPE_COMMAND = 1;

export const SEEK_BEGINNING = 1;
export const SEEK_LAST = 2;

export const HEADER_BYTES = 16;
export const PATH_MAX = 4096;
export const NAME_MAX = 255;
export const HOST_NAME_MAX = 64;
export const SESSION_RECORD_BYTES = 8 + 4 + 4 + 4 + HOST_NAME_MAX + NAME_MAX; // 339
export const STREAM_RECORD_BYTES = 8 + 8 + 4 + PATH_MAX + NAME_MAX; // 4371
/**
 * The 2.13 relay allocates `12 + len` unchecked (an overflow near 4 GiB), so a request is
 * bounded; 4 MiB holds a whole packet of the usual sub-buffer sizes in one command.
 * babeltrace2 asks 256 KiB at a time (MAX_QUERY_SIZE): at 200 k events/s that is two or
 * more round trips per packet to a relay that may be slow to answer (live README).
 */
export const MAX_PACKET_REQUEST_BYTES = 4 * 1024 * 1024;

/** Fixed reply sizes per command. */
export const REPLY_BYTES = {
  connect: 20,
  listSessions: 4,
  attach: 8,
  index: 64,
  packet: 12,
  metadata: 12,
  newStreams: 8,
  createSession: 4,
  detach: 4,
} as const;

export const AttachStatus = { OK: 1, ALREADY: 2, UNK: 3, NOT_LIVE: 4, SEEK_ERR: 5, NO_SESSION: 6 } as const;
export const IndexStatus = { OK: 1, RETRY: 2, HUP: 3, ERR: 4, INACTIVE: 5, EOF: 6 } as const;
export const PacketStatus = { OK: 1, RETRY: 2, ERR: 3, EOF: 4 } as const;
export const MetadataStatus = { OK: 1, NO_NEW: 2, ERR: 3 } as const;
export const NewStreamsStatus = { OK: 1, NO_NEW: 2, ERR: 3, HUP: 4 } as const;
export const CreateSessionStatus = { OK: 1, ERR: 2 } as const;
export const DetachStatus = { OK: 1, UNK: 2, ERR: 3 } as const;

/** GET_NEXT_INDEX reply flags. */
export const FLAG_NEW_METADATA = 1;
export const FLAG_NEW_STREAM = 2;

/** Reverse lookup for messages: `statusName(AttachStatus, 2)` → "ALREADY". */
export function statusName(table: Record<string, number>, code: number): string {
  for (const [k, v] of Object.entries(table)) if (v === code) return k;
  return `unknown status ${code}`;
}

// ---------------------------------------------------------------------------------------
// Requests: header (u64 data_size, u32 cmd, u32 cmd_version = 0) + fixed payload, built as
// one buffer so that it goes out in one write (the relay reads each with blocking recv).

function request(cmd: CmdCode, payloadBytes: number, fill?: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(HEADER_BYTES + payloadBytes);
  b.writeBigUInt64BE(BigInt(payloadBytes), 0);
  b.writeUInt32BE(cmd, 8);
  b.writeUInt32BE(0, 12);
  if (fill) fill(b.subarray(HEADER_BYTES));
  return b;
}

export function encodeConnect(major = VIEWER_MAJOR, minor = VIEWER_MINOR): Buffer {
  return request(Cmd.CONNECT, 20, (p) => {
    // babeltrace sends all-ones; the relay ignores the viewer_session_id of a request.
    p.writeBigUInt64BE(0xffffffffffffffffn, 0);
    p.writeUInt32BE(major, 8);
    p.writeUInt32BE(minor, 12);
    p.writeUInt32BE(CONNECTION_TYPE_COMMAND, 16);
  });
}

export const encodeListSessions = (): Buffer => request(Cmd.LIST_SESSIONS, 0);
export const encodeCreateSession = (): Buffer => request(Cmd.CREATE_SESSION, 0);

export function encodeAttach(sessionId: bigint, seek: typeof SEEK_BEGINNING | typeof SEEK_LAST): Buffer {
  return request(Cmd.ATTACH_SESSION, 20, (p) => {
    p.writeBigUInt64BE(sessionId, 0);
    p.writeBigUInt64BE(0n, 8);
    p.writeUInt32BE(seek, 16);
  });
}

const idRequest = (cmd: CmdCode, id: bigint): Buffer => request(cmd, 8, (p) => p.writeBigUInt64BE(id, 0));
export const encodeGetNextIndex = (streamId: bigint): Buffer => idRequest(Cmd.GET_NEXT_INDEX, streamId);
export const encodeGetMetadata = (streamId: bigint): Buffer => idRequest(Cmd.GET_METADATA, streamId);
export const encodeGetNewStreams = (sessionId: bigint): Buffer => idRequest(Cmd.GET_NEW_STREAMS, sessionId);
export const encodeDetach = (sessionId: bigint): Buffer => idRequest(Cmd.DETACH_SESSION, sessionId);

export function encodeGetPacket(streamId: bigint, offsetBytes: bigint, len: number): Buffer {
  if (!Number.isInteger(len) || len <= 0 || len > MAX_PACKET_REQUEST_BYTES)
    throw new RangeError(`GET_PACKET length ${len} is outside 1..${MAX_PACKET_REQUEST_BYTES}`);
  return request(Cmd.GET_PACKET, 20, (p) => {
    p.writeBigUInt64BE(streamId, 0);
    p.writeBigUInt64BE(offsetBytes, 8);
    p.writeUInt32BE(len, 16);
  });
}

// ---------------------------------------------------------------------------------------
// Replies.

/** A fixed-size char array: up to the first NUL (the sender may not terminate it). */
function cString(b: Buffer, off: number, size: number): string {
  const field = b.subarray(off, off + size);
  const nul = field.indexOf(0);
  return field.toString("utf8", 0, nul < 0 ? size : nul);
}

export interface ConnectReply {
  viewerSessionId: bigint;
  major: number;
  /** The relay's own minor (2.13 says 13); the protocol in use is min(this, ours). */
  minor: number;
}

export function decodeConnect(b: Buffer): ConnectReply {
  return { viewerSessionId: b.readBigUInt64BE(0), major: b.readUInt32BE(8), minor: b.readUInt32BE(12) };
}

export interface RelaySession {
  /** Relay session id (ATTACH, GET_NEW_STREAMS, DETACH). */
  id: bigint;
  /** Live timer in µs; 0 = not a live session. */
  liveTimerUs: number;
  /** 1 when a viewer is attached. */
  clients: number;
  streams: number;
  /** Hostname of the traced machine. */
  hostname: string;
  name: string;
}

export const decodeListCount = (b: Buffer): number => b.readUInt32BE(0);

export function decodeSession(b: Buffer, off = 0): RelaySession {
  return {
    id: b.readBigUInt64BE(off),
    liveTimerUs: b.readUInt32BE(off + 8),
    clients: b.readUInt32BE(off + 12),
    streams: b.readUInt32BE(off + 16),
    hostname: cString(b, off + 20, HOST_NAME_MAX),
    name: cString(b, off + 20 + HOST_NAME_MAX, NAME_MAX),
  };
}

export interface StreamRecord {
  /** Viewer stream id (GET_NEXT_INDEX, GET_PACKET, GET_METADATA). */
  id: bigint;
  /** Groups a trace's data streams with its metadata stream. */
  ctfTraceId: bigint;
  metadata: boolean;
  /** Directory of the stream relative to the session's output directory (e.g. `ust/uid/0/64-bit`). */
  pathName: string;
  /** File name: channel name + `_` + CPU. */
  channelName: string;
}

export function decodeStream(b: Buffer, off = 0): StreamRecord {
  return {
    id: b.readBigUInt64BE(off),
    ctfTraceId: b.readBigUInt64BE(off + 8),
    metadata: b.readUInt32BE(off + 16) !== 0,
    pathName: cString(b, off + 20, PATH_MAX),
    channelName: cString(b, off + 20 + PATH_MAX, NAME_MAX),
  };
}

/** ATTACH_SESSION and GET_NEW_STREAMS share this shape: status, then a count of stream records. */
export interface StreamsReply {
  status: number;
  count: number;
}

export const decodeStreamsReply = (b: Buffer): StreamsReply => ({ status: b.readUInt32BE(0), count: b.readUInt32BE(4) });

export interface IndexReply {
  /** Byte offset of the packet in the stream file (for GET_PACKET). */
  offsetBytes: bigint;
  packetSizeBits: bigint;
  contentSizeBits: bigint;
  /** Raw clock cycles. For INACTIVE only `timestampEnd` and `streamClassId` mean something. */
  timestampBegin: bigint;
  timestampEnd: bigint;
  /** Running counter from the packet context. */
  eventsDiscarded: bigint;
  /** The CTF stream class id (not the viewer stream id). */
  streamClassId: bigint;
  status: number;
  flags: number;
}

export function decodeIndex(b: Buffer): IndexReply {
  return {
    offsetBytes: b.readBigUInt64BE(0),
    packetSizeBits: b.readBigUInt64BE(8),
    contentSizeBits: b.readBigUInt64BE(16),
    timestampBegin: b.readBigUInt64BE(24),
    timestampEnd: b.readBigUInt64BE(32),
    eventsDiscarded: b.readBigUInt64BE(40),
    streamClassId: b.readBigUInt64BE(48),
    status: b.readUInt32BE(56),
    flags: b.readUInt32BE(60),
  };
}

export interface PacketReply {
  status: number;
  /** Bytes that follow (only when OK). */
  len: number;
  flags: number;
}

export const decodePacketReply = (b: Buffer): PacketReply => ({ status: b.readUInt32BE(0), len: b.readUInt32BE(4), flags: b.readUInt32BE(8) });

export interface MetadataReply {
  /** Bytes that follow: a u64, and first in this struct (unlike the packet reply). */
  len: bigint;
  status: number;
}

export const decodeMetadataReply = (b: Buffer): MetadataReply => ({ len: b.readBigUInt64BE(0), status: b.readUInt32BE(8) });

export const decodeStatus = (b: Buffer): number => b.readUInt32BE(0);
