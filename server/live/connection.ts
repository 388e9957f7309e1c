/**
 * One TCP connection to lttng-relayd's live port. The relay has no request ids: replies come
 * in the order of the requests. A command is written when it is called and its reply is read
 * after the replies of every earlier command, so callers may pipeline: several commands in
 * one write (`batch`), answered back to back. The 2.13 relay allows it: its live worker
 * polls the socket level-triggered and handles one command per wake-up, reading each
 * request with a blocking, exact-length recv (live.c `thread_worker`, `process_control`),
 * so queued requests are served in order, each as if it had come alone. Under load a round
 * trip costs a scheduling delay on both sides (12–25 ms measured at load 20): one per batch,
 * not one per command.
 *
 * The 2.13 relay serves every viewer from one thread with blocking reads, and dereferences
 * NULL on some out-of-order commands (live-protocol.md §1.9 pitfall 8), so this class
 * refuses, before anything is sent, what would stall or crash it:
 * - CONNECT first, CREATE_SESSION once, before any ATTACH / stream command;
 * - GET_NEXT_INDEX / GET_METADATA only for streams the relay announced on this connection;
 * - GET_PACKET only on a stream that already had an INDEX_OK, within that packet, and at
 *   most 4 MiB per request (the relay allocates what is asked);
 * - header and payload in one write, TCP_NODELAY (no Nagle/delayed-ACK stall per command).
 */
import { Socket } from "node:net";
import { LiveError } from "./errors";
import * as P from "./protocol";

/** Upper bounds on what we accept from the relay (a broken or hostile peer must not make us allocate gigabytes). */
const MAX_SESSIONS = 65_536;
const MAX_STREAMS_PER_REPLY = 65_536;
const MAX_METADATA_REPLY_BYTES = 64 * 1024 * 1024;

export interface ConnectionOptions {
  host: string;
  port: number;
  /** A command not answered within this long closes the connection (default 10 s). */
  commandTimeoutMs?: number;
  /** Connection set-up limit (default 5 s). */
  connectTimeoutMs?: number;
}

type State = "new" | "connected" | "creating" | "created" | "closed";

export class ViewerConnection {
  private readonly sock: Socket;
  private state: State = "new";
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: LiveError | undefined;
  /** The read of the last command's reply: the next one is read after it. */
  private replies: Promise<unknown> = Promise.resolve();
  /** Streams the relay announced here (ATTACH / GET_NEW_STREAMS). */
  private readonly known = new Set<bigint>();
  /** Data streams that had an INDEX_OK, with the byte range of their current packet. */
  private readonly packetRange = new Map<bigint, { begin: bigint; end: bigint }>();
  private readonly commandTimeoutMs: number;
  /** Relay version from CONNECT. */
  relayMinor = 0;
  viewerSessionId = 0n;
  readonly where: string;

  private constructor(private readonly opts: ConnectionOptions) {
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 10_000;
    this.where = `${opts.host}:${opts.port}`;
    this.sock = new Socket();
    this.sock.setNoDelay(true);
    this.sock.on("data", (d: Buffer) => this.onData(d));
    this.sock.on("error", (e) => this.fail(new LiveError("RELAY_UNREACHABLE", `Cannot talk to lttng-relayd at ${this.where}: ${e.message}`, { cause: e })));
    this.sock.on("close", () => this.fail(new LiveError("RELAY_UNREACHABLE", `lttng-relayd at ${this.where} closed the connection`)));
  }

  /** Connects and performs CONNECT (version check). Throws LiveError RELAY_UNREACHABLE / PROTOCOL. */
  static async open(opts: ConnectionOptions): Promise<ViewerConnection> {
    const c = new ViewerConnection(opts);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        c.sock.destroy();
        reject(new LiveError("TIMEOUT", `No answer from lttng-relayd at ${c.where} within ${opts.connectTimeoutMs ?? 5000} ms`));
      }, opts.connectTimeoutMs ?? 5000);
      c.sock.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      c.sock.once("error", (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new LiveError(
            "RELAY_UNREACHABLE",
            e.code === "ECONNREFUSED"
              ? `lttng-relayd is not running at ${c.where} (connection refused)`
              : `Cannot reach lttng-relayd at ${c.where}: ${e.message}`,
            { cause: e },
          ),
        );
      });
      c.sock.connect({ host: opts.host, port: opts.port });
    });
    try {
      const r = P.decodeConnect(await c.send(P.encodeConnect(), () => c.read(P.REPLY_BYTES.connect)));
      if (r.major !== P.VIEWER_MAJOR)
        throw new LiveError("PROTOCOL", `lttng-relayd at ${c.where} speaks viewer protocol ${r.major}.${r.minor}, not ${P.VIEWER_MAJOR}.x`);
      c.relayMinor = r.minor;
      c.viewerSessionId = r.viewerSessionId;
      c.state = "connected";
      return c;
    } catch (e) {
      c.close();
      throw e;
    }
  }

  get closed(): boolean {
    return this.state === "closed";
  }

  /** Closes the socket: the relay detaches every session attached through it. */
  close(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.sock.destroy();
    this.fail(new LiveError("CLOSED", "The live viewer connection was closed"));
  }

  // --- commands -----------------------------------------------------------------------

  /**
   * Runs `fn`, whose commands go out in one write (one TCP segment for small requests): the
   * relay then answers them without waiting for us in between. Returns what `fn` returns.
   */
  batch<T>(fn: () => T): T {
    this.sock.cork();
    try {
      return fn();
    } finally {
      this.sock.uncork();
    }
  }

  async listSessions(): Promise<P.RelaySession[]> {
    this.require("connected", "LIST_SESSIONS");
    return this.send(P.encodeListSessions(), async () => {
      const n = P.decodeListCount(await this.read(P.REPLY_BYTES.listSessions));
      if (n > MAX_SESSIONS) throw this.protocolError(`LIST_SESSIONS announced ${n} sessions`);
      const body = await this.read(n * P.SESSION_RECORD_BYTES);
      return Array.from({ length: n }, (_, i) => P.decodeSession(body, i * P.SESSION_RECORD_BYTES));
    });
  }

  /** Once per connection: a second one leaves the first viewer session marked attached on 2.13 (§1.9 pitfall 14). */
  async createSession(): Promise<void> {
    this.require("connected", "CREATE_SESSION");
    // Later commands check "created" when they are called: until this reply, they are refused.
    this.state = "creating";
    return this.send(P.encodeCreateSession(), async () => {
      const st = P.decodeStatus(await this.read(P.REPLY_BYTES.createSession));
      if (st !== P.CreateSessionStatus.OK) throw this.protocolError(`CREATE_SESSION answered ${P.statusName(P.CreateSessionStatus, st)}`);
      if (this.state === "creating") this.state = "created";
    });
  }

  /** ATTACH_SESSION. Returns the status and the streams (the caller turns a refusal into a message). */
  async attach(sessionId: bigint, seek: typeof P.SEEK_BEGINNING | typeof P.SEEK_LAST): Promise<{ status: number; streams: P.StreamRecord[] }> {
    this.require("created", "ATTACH_SESSION");
    return this.send(P.encodeAttach(sessionId, seek), async () => {
      const r = P.decodeStreamsReply(await this.read(P.REPLY_BYTES.attach));
      // The relay sends stream records only with OK, but read what it announced either way
      // so that the next reply starts where it should.
      const streams = await this.readStreams(r.count, "ATTACH_SESSION");
      return { status: r.status, streams };
    });
  }

  async getNewStreams(sessionId: bigint): Promise<{ status: number; streams: P.StreamRecord[] }> {
    this.require("created", "GET_NEW_STREAMS");
    return this.send(P.encodeGetNewStreams(sessionId), async () => {
      const r = P.decodeStreamsReply(await this.read(P.REPLY_BYTES.newStreams));
      return { status: r.status, streams: await this.readStreams(r.count, "GET_NEW_STREAMS") };
    });
  }

  async getNextIndex(streamId: bigint): Promise<P.IndexReply> {
    this.require("created", "GET_NEXT_INDEX");
    this.requireKnown(streamId, "GET_NEXT_INDEX");
    return this.send(P.encodeGetNextIndex(streamId), async () => {
      const r = P.decodeIndex(await this.read(P.REPLY_BYTES.index));
      if (r.status === P.IndexStatus.OK) this.packetRange.set(streamId, { begin: r.offsetBytes, end: r.offsetBytes + r.packetSizeBits / 8n });
      else if (r.status === P.IndexStatus.HUP || r.status === P.IndexStatus.ERR) {
        // The relay dropped its viewer stream: never ask it about this id again.
        this.known.delete(streamId);
        this.packetRange.delete(streamId);
      }
      return r;
    });
  }

  /**
   * GET_PACKET for `len` bytes at `offsetBytes`, which must lie within the packet the last
   * INDEX_OK of this stream announced (its reply read before this call). Returns the status
   * and the bytes (OK only).
   */
  async getPacket(streamId: bigint, offsetBytes: bigint, len: number): Promise<{ status: number; data: Buffer | undefined }> {
    this.require("created", "GET_PACKET");
    const range = this.packetRange.get(streamId);
    if (range === undefined) throw new LiveError("PROTOCOL", `GET_PACKET on stream ${streamId} before an INDEX_OK (it would crash lttng-relayd 2.13)`);
    if (offsetBytes < range.begin || offsetBytes + BigInt(len) > range.end)
      throw new LiveError("PROTOCOL", `GET_PACKET [${offsetBytes}, +${len}) is outside the packet [${range.begin}, ${range.end}) of stream ${streamId}`);
    return this.send(P.encodeGetPacket(streamId, offsetBytes, len), async () => {
      const r = P.decodePacketReply(await this.read(P.REPLY_BYTES.packet));
      if (r.status !== P.PacketStatus.OK) return { status: r.status, data: undefined };
      if (r.len > len) throw this.protocolError(`GET_PACKET returned ${r.len} bytes for ${len} asked`);
      return { status: r.status, data: await this.read(r.len) };
    });
  }

  async getMetadata(streamId: bigint): Promise<{ status: number; data: Buffer }> {
    this.require("created", "GET_METADATA");
    this.requireKnown(streamId, "GET_METADATA");
    return this.send(P.encodeGetMetadata(streamId), async () => {
      const r = P.decodeMetadataReply(await this.read(P.REPLY_BYTES.metadata));
      if (r.status !== P.MetadataStatus.OK) {
        if (r.status === P.MetadataStatus.ERR) this.known.delete(streamId);
        return { status: r.status, data: Buffer.alloc(0) };
      }
      if (r.len > BigInt(MAX_METADATA_REPLY_BYTES)) throw this.protocolError(`GET_METADATA announced ${r.len} bytes`);
      return { status: r.status, data: await this.read(Number(r.len)) };
    });
  }

  async detach(sessionId: bigint): Promise<number> {
    this.require("created", "DETACH_SESSION");
    return this.send(P.encodeDetach(sessionId), async () => P.decodeStatus(await this.read(P.REPLY_BYTES.detach)));
  }

  // --- plumbing -----------------------------------------------------------------------

  private require(min: "connected" | "created", what: string): void {
    if (this.failure) throw this.failure;
    if (min === "connected" && what === "CREATE_SESSION" && (this.state === "creating" || this.state === "created"))
      throw new LiveError("PROTOCOL", "CREATE_SESSION sent twice on one connection");
    const ok = min === "connected" ? this.state !== "new" : this.state === "created";
    if (!ok) throw new LiveError("PROTOCOL", `${what} before ${min === "created" ? "CREATE_SESSION" : "CONNECT"} (refused: it would crash lttng-relayd 2.13)`);
  }

  private requireKnown(streamId: bigint, what: string): void {
    if (!this.known.has(streamId))
      throw new LiveError("PROTOCOL", `${what} on stream ${streamId}, which the relay did not announce on this connection (or hung up)`);
  }

  private async readStreams(count: number, what: string): Promise<P.StreamRecord[]> {
    if (count > MAX_STREAMS_PER_REPLY) throw this.protocolError(`${what} announced ${count} streams`);
    if (count === 0) return [];
    const body = await this.read(count * P.STREAM_RECORD_BYTES);
    const out = Array.from({ length: count }, (_, i) => P.decodeStream(body, i * P.STREAM_RECORD_BYTES));
    for (const s of out) this.known.add(s.id);
    return out;
  }

  private protocolError(what: string): LiveError {
    const e = new LiveError("PROTOCOL", `lttng-relayd at ${this.where}: ${what}`);
    // The stream position is unknown after a bad reply: nothing more can be read safely.
    this.fail(e);
    this.sock.destroy();
    return e;
  }

  /**
   * Writes a request now and reads its reply once every earlier reply is read. A reply that
   * cannot be read whole leaves the stream position unknown: the connection fails.
   */
  private send<T>(req: Buffer, readReply: () => Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    this.sock.write(req);
    const reply = this.replies.then(readReply);
    this.replies = reply.catch((e: unknown) => {
      if (!this.failure) {
        this.fail(e instanceof LiveError ? e : new LiveError("PROTOCOL", `lttng-relayd at ${this.where}: unreadable reply (${String(e)})`));
        this.sock.destroy();
      }
    });
    return reply;
  }

  private read(n: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    if (n === 0) return Promise.resolve(Buffer.alloc(0));
    if (this.buffered >= n) return Promise.resolve(this.take(n));
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        const e = new LiveError("TIMEOUT", `lttng-relayd at ${this.where} did not answer within ${this.commandTimeoutMs} ms`);
        this.fail(e);
        this.sock.destroy();
      }, this.commandTimeoutMs);
      this.waiter = {
        n,
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  private take(n: number): Buffer {
    let out: Buffer;
    const first = this.chunks[0]!;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let o = 0;
      while (o < n) {
        const c = this.chunks[0]!;
        const k = Math.min(c.length, n - o);
        c.copy(out, o, 0, k);
        o += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return out;
  }

  private onData(d: Buffer): void {
    this.chunks.push(d);
    this.buffered += d.length;
    const w = this.waiter;
    if (w && this.buffered >= w.n) {
      this.waiter = undefined;
      w.resolve(this.take(w.n));
    }
  }

  private fail(e: LiveError): void {
    if (!this.failure) this.failure = e;
    if (this.state !== "closed" && e.code !== "CLOSED") this.state = "closed";
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.reject(this.failure);
    }
  }
}
