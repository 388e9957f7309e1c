/**
 * Period captures as fields. lttng-analyses prints them as Python's str() of a dict
 * (`{'id': 488390, 'path': '/login'}`) or of a list of tuples (`[('req.id', 5)]`) in LAMI
 * string cells, and LAMI/CLI output keeps that format (server/analysis/periods/pyrepr.ts).
 * The page reads those cells back into name/value pairs to show them as chips. The grammar
 * is exactly what pyrepr.ts writes; anything else is left as text (null).
 */

export interface CaptureField {
  name: string;
  /** The value as Python printed it, minus a string's quotes. */
  value: string;
}

/** A LAMI column holding period captures (periodlog, periodtop: "Begin captures", "Captures"…). */
export function isCaptureColumn(c: { title: string; class: string }): boolean {
  return c.class === "string" && /captures$/i.test(c.title);
}

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string {
    return this.s[this.i] ?? "";
  }
  skipSpace(): void {
    while (this.peek() === " ") this.i++;
  }
  eat(t: string): boolean {
    if (!this.s.startsWith(t, this.i)) return false;
    this.i += t.length;
    return true;
  }
  expect(t: string): void {
    if (!this.eat(t)) throw new Error(`expected ${t} at ${this.i}`);
  }
}

const ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", r: "\r", t: "\t" };

function readString(r: Reader): string {
  const q = r.peek();
  if (q !== "'" && q !== '"') throw new Error(`expected a string at ${r.i}`);
  r.i++;
  let out = "";
  for (;;) {
    const ch = r.peek();
    if (ch === "") throw new Error("unterminated string");
    r.i++;
    if (ch === q) return out;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const e = r.peek();
    r.i++;
    if (e === "x") {
      out += String.fromCharCode(parseInt(r.s.slice(r.i, r.i + 2), 16));
      r.i += 2;
    } else if (e in ESCAPES) out += ESCAPES[e];
    else throw new Error(`unknown escape \\${e}`);
  }
}

/** One value, as text: strings unquoted, everything else as Python printed it. */
function readValue(r: Reader): string {
  const start = r.i;
  const ch = r.peek();
  if (ch === "'" || ch === '"') return readString(r);
  if (ch === "[" || ch === "{" || ch === "(") {
    const close = ch === "[" ? "]" : ch === "{" ? "}" : ")";
    r.i++;
    r.skipSpace();
    while (!r.eat(close)) {
      readValue(r);
      r.skipSpace();
      if (close === "}") {
        r.expect(":");
        r.skipSpace();
        readValue(r);
        r.skipSpace();
      }
      if (!r.eat(",")) {
        r.expect(close);
        break;
      }
      r.skipSpace();
    }
    return r.s.slice(start, r.i);
  }
  const m = /^(?:None|True|False|-?inf|nan|-?\d+(?:\.\d+)?(?:e[+-]\d+)?)/.exec(r.s.slice(r.i));
  if (!m) throw new Error(`unexpected ${ch} at ${r.i}`);
  r.i += m[0].length;
  return m[0];
}

/** `{'k': v, …}` or `[('k', v), …]` as fields; `None` as no field; null when the text is not such a repr. */
export function parseCaptures(text: string): CaptureField[] | null {
  if (text === "None") return [];
  const r = new Reader(text);
  const out: CaptureField[] = [];
  try {
    if (r.eat("{")) {
      r.skipSpace();
      while (!r.eat("}")) {
        const name = readString(r);
        r.skipSpace();
        r.expect(":");
        r.skipSpace();
        out.push({ name, value: readValue(r) });
        r.skipSpace();
        if (!r.eat(",")) {
          r.expect("}");
          break;
        }
        r.skipSpace();
      }
    } else if (r.eat("[")) {
      r.skipSpace();
      while (!r.eat("]")) {
        r.expect("(");
        const name = readString(r);
        r.expect(",");
        r.skipSpace();
        out.push({ name, value: readValue(r) });
        r.expect(")");
        r.skipSpace();
        if (!r.eat(",")) {
          r.expect("]");
          break;
        }
        r.skipSpace();
      }
    } else return null;
  } catch {
    return null;
  }
  return r.i === text.length ? out : null;
}
