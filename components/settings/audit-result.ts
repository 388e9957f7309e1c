/**
 * The Result column of the audit log as a sentence. A refused input is recorded with tRPC's
 * message, which for a validation failure is the JSON of zod's issues; the sentence names
 * each field and says what was wrong, and the recorded text stays available as it was.
 */

interface Issue {
  path?: unknown;
  message?: unknown;
}

/** The sentence for an audit entry's result, and the raw JSON when the message was one. */
export function auditResult(ok: boolean, message: string): { sentence: string; json: string | null } {
  if (ok) return { sentence: "ok", json: null };
  const text = message.trim();
  if (!text) return { sentence: "failed", json: null };
  if (!text.startsWith("[") && !text.startsWith("{")) return { sentence: text, json: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { sentence: text, json: null };
  }
  const issues = (Array.isArray(parsed) ? parsed : [parsed]) as Issue[];
  const parts = issues
    .filter((i): i is Issue => typeof i === "object" && i !== null && typeof i.message === "string")
    .map((i) => {
      const path = Array.isArray(i.path) && i.path.length > 0 ? `${i.path.map(String).join(".")}: ` : "";
      return `${path}${String(i.message).replace(/\.$/, "")}`;
    });
  if (parts.length === 0) return { sentence: "Invalid input.", json: JSON.stringify(parsed, null, 2) };
  return { sentence: `Invalid input: ${parts.join("; ")}.`, json: JSON.stringify(parsed, null, 2) };
}
