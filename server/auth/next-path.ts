/**
 * Where to go after logging in (`/login?next=…`). Only a path of this site: browsers treat
 * `//evil.example` and `/\evil.example` (a backslash is read as a slash) as other hosts, and
 * control characters or an encoded form can smuggle either past a prefix check. So the value
 * is resolved as a URL against a placeholder origin, and kept only if it stays there.
 */
const PLACEHOLDER = "http://tracedeck.invalid";

/** `raw` if it is a same-site path, else "/". */
export function safeNextPath(raw: string | null | undefined): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.length > 2048) return "/";
  // A backslash or a control character has no business in our paths.
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, PLACEHOLDER);
  } catch {
    return "/";
  }
  if (url.origin !== PLACEHOLDER) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
