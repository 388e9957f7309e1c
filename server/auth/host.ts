/**
 * DNS rebinding: a page on evil.example whose name is re-pointed at 127.0.0.1 talks to this
 * server as a same-origin page of evil.example, so Origin checks pass. Its requests still
 * carry `Host: evil.example:PORT`, which is what this refuses: only the names this server is
 * reached by (loopback on its port, TRACEDECK_HOST, and TRACEDECK_ALLOWED_HOSTS for a reverse
 * proxy) are served.
 */
import { config } from "../config";

/** Host header values (host:port, lower-case) this server answers. */
export function allowedHosts(): Set<string> {
  const c = config();
  const port = String(c.port);
  const names = ["127.0.0.1", "localhost", "[::1]", c.host.includes(":") && !c.host.startsWith("[") ? `[${c.host}]` : c.host];
  return new Set([...names.map((n) => `${n.toLowerCase()}:${port}`), ...c.allowedHosts.map((h) => h.toLowerCase())]);
}

/** Why `req` must not be served (wrong or missing Host), or null when it may be. */
export function hostRefusal(headers: Headers): string | null {
  const host = headers.get("host")?.toLowerCase();
  if (host === undefined || host === "") return "Refused: the request has no Host header.";
  if (allowedHosts().has(host)) return null;
  return `Refused: this server does not answer to the host name '${host.slice(0, 100)}' (set TRACEDECK_ALLOWED_HOSTS to serve it behind a proxy).`;
}
