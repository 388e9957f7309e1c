/**
 * The real Tracedeck server (`node scripts/serve.mjs`: migrations, then `next start`) run by a
 * test inside a private LTTng namespace, and a small tRPC-over-HTTP client that logs in and
 * calls procedures the way the browser does (superjson, unbatched, JSON writes).
 */
import type { ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import superjson from "superjson";
import type { PrivateLttng } from "./private-lttng";

/** The checkout this module is in (server/testing/ → ../..). */
const ROOT = resolve(__dirname, "..", "..");

export interface ServerUnderTest {
  url: string;
  child: ChildProcess;
  /** Last lines the server printed (for a failing test's message). */
  log(): string;
  /** SIGKILLs the server's whole process group (serve.mjs, next, next-server): a crash. */
  crash(): Promise<void>;
}

export interface ServerOptions {
  dataDir: string;
  port: number;
  relayd: { controlPort: number; dataPort: number; livePort: number };
  adminPassword: string;
  env?: Record<string, string>;
}

export async function startServer(ns: PrivateLttng, o: ServerOptions): Promise<ServerUnderTest> {
  const lines: string[] = [];
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEXT_TELEMETRY_DISABLED: "1",
    TRACEDECK_DATA_DIR: o.dataDir,
    TRACEDECK_PORT: String(o.port),
    TRACEDECK_RELAYD_CONTROL_PORT: String(o.relayd.controlPort),
    TRACEDECK_RELAYD_DATA_PORT: String(o.relayd.dataPort),
    TRACEDECK_RELAYD_LIVE_PORT: String(o.relayd.livePort),
    TRACEDECK_ADMIN_PASSWORD: o.adminPassword,
    TRACEDECK_LOG_LEVEL: "warn",
    ...o.env,
  };
  const child = ns.spawn(process.execPath, [join(ROOT, "scripts/serve.mjs")], {
    env,
    cwd: ROOT,
    log: (s) => {
      lines.push(s);
      if (lines.length > 200) lines.shift();
    },
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited while starting:\n${lines.join("")}`);
    try {
      if ((await fetch(`${url}/login`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer on ${url} within 90 s:\n${lines.join("")}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    child,
    log: () => lines.join(""),
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
      await exited;
    },
  };
}

export class TrpcHttpError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = "TrpcHttpError";
  }
}

/** A logged-in browser-like tRPC client. */
export class Api {
  private cookie = "";
  constructor(readonly url: string) {}

  async login(username: string, password: string): Promise<void> {
    const res = await fetch(`${this.url}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize({ username, password })),
    });
    const token = /td_session=([^;]*)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
    if (!res.ok || !token) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    this.cookie = `td_session=${token}`;
  }

  query<T = unknown>(path: string, input?: unknown): Promise<T> {
    const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
    return this.call<T>(path, fetch(`${this.url}/api/trpc/${path}${q}`, { headers: { cookie: this.cookie } }));
  }

  mutate<T = unknown>(path: string, input?: unknown): Promise<T> {
    return this.call<T>(
      path,
      fetch(`${this.url}/api/trpc/${path}`, {
        method: "POST",
        headers: { cookie: this.cookie, "content-type": "application/json" },
        body: JSON.stringify(superjson.serialize(input ?? null)),
      }),
    );
  }

  private async call<T>(path: string, pending: Promise<Response>): Promise<T> {
    const res = await pending;
    const text = await res.text();
    let body: { result?: { data?: Parameters<typeof superjson.deserialize>[0] }; error?: { json?: { message?: string; data?: { code?: string } } } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new TrpcHttpError(path, "NOT_JSON", res.status, text.slice(0, 500));
    }
    if (body.error || !res.ok)
      throw new TrpcHttpError(path, body.error?.json?.data?.code ?? "UNKNOWN", res.status, body.error?.json?.message ?? text.slice(0, 500));
    return superjson.deserialize<T>(body.result!.data!);
  }
}
