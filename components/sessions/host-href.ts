/** Links to a host's sessions, for server and client components alike. */
/** A query-string value naming a host: the server validates it again (ZHostRef). */
const HOST_PARAM = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The `?host=` of a page, when it names a traced host (absent, "local" or malformed: this machine). */
export function hostParam(v: string | string[] | undefined): string | undefined {
  return typeof v === "string" && HOST_PARAM.test(v) && v !== "local" ? v : undefined;
}

const hostQuery = (host: string | undefined, sep: "?" | "&") => (host ? `${sep}host=${encodeURIComponent(host)}` : "");

/** The sessions list of a host. */
export function sessionsHref(host: string | undefined): string {
  return `/sessions${hostQuery(host, "?")}`;
}

/** A session's page; the host travels in the URL so the page can be shared and reloaded. */
export function sessionHref(name: string, host: string | undefined): string {
  return `/sessions/${encodeURIComponent(name)}${hostQuery(host, "?")}`;
}
