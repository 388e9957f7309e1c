/**
 * What a user names to watch: babeltrace2's live URL `net[4]://RELAY[:PORT]/host/HOST/SESSION`,
 * or just a session name on the configured relay (any traced host; this machine's first).
 */
import { LiveError } from "./errors";
import { HOST_NAME_MAX, NAME_MAX } from "./protocol";

export const DEFAULT_LIVE_PORT = 5344;

export interface LiveTarget {
  /** Relay address (loopback in practice: the live port has no authentication). */
  relayHost: string;
  relayPort: number;
  /** The traced machine's hostname as the relay lists it; undefined = whichever lists the session. */
  hostname: string | undefined;
  session: string;
}

/** Session names as LTTng accepts them (no slash, no space), shorter than NAME_MAX bytes. */
const SESSION_NAME = /^[A-Za-z0-9_.:+-][A-Za-z0-9_.:+@-]*$/;

export function parseLiveTarget(arg: string, relay: { host: string; port: number }): LiveTarget {
  if (/^net6:\/\//.test(arg)) throw new LiveError("INVALID_INPUT", `IPv6 relay URLs are not supported: ${arg}`);
  const m = /^net4?:\/\/([^/:]+)(?::(\d+))?(?:\/host\/([^/]+)\/([^/]+))?\/?$/.exec(arg);
  if (/^[a-z0-9]+:\/\//i.test(arg)) {
    if (!m) throw new LiveError("INVALID_INPUT", `Not a live URL: ${arg} (expected net://RELAY[:PORT]/host/HOST/SESSION)`);
    if (m[4] === undefined) throw new LiveError("INVALID_INPUT", `The live URL ${arg} names no session (expected net://RELAY[:PORT]/host/HOST/SESSION)`);
    const port = m[2] === undefined ? DEFAULT_LIVE_PORT : Number(m[2]);
    if (!(port > 0 && port < 65536)) throw new LiveError("INVALID_INPUT", `Bad port in live URL ${arg}`);
    return { relayHost: m[1]!, relayPort: port, hostname: checkHost(m[3]!), session: checkSession(m[4]) };
  }
  return { relayHost: relay.host, relayPort: relay.port, hostname: undefined, session: checkSession(arg) };
}

function checkSession(s: string): string {
  if (s.length === 0 || Buffer.byteLength(s) >= NAME_MAX || !SESSION_NAME.test(s))
    throw new LiveError("INVALID_INPUT", `Not a valid session name: ${JSON.stringify(s)}`);
  return s;
}

function checkHost(h: string): string {
  if (h.length === 0 || Buffer.byteLength(h) >= HOST_NAME_MAX || !/^[A-Za-z0-9_.-]+$/.test(h))
    throw new LiveError("INVALID_INPUT", `Not a valid hostname: ${JSON.stringify(h)}`);
  return h;
}

export function formatLiveUrl(t: LiveTarget): string {
  return `net://${t.relayHost}:${t.relayPort}/host/${t.hostname ?? "*"}/${t.session}`;
}
