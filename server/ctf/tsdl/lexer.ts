/**
 * TSDL (CTF 1.8 metadata) lexer. Produces tokens carrying 1-based line and column so that
 * every later error can point at the metadata text.
 */
import { CtfError } from "../errors";

export type TokenKind = "ident" | "int" | "float" | "string" | "char" | "punct" | "eof";

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuator text, or decoded string/char literal. */
  text: string;
  /** Integer literal value (exact). */
  int?: bigint;
  line: number;
  column: number;
}

// Longest first so that ":=" wins over ":" and "..." over ".".
const PUNCTS = ["...", ":=", "->", "<<", ">>", "{", "}", "[", "]", "(", ")", ";", ",", ":", "=", ".", "<", ">", "+", "-", "*", "&", "|", "^", "~", "!", "/", "%", "?"];

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v", "\\": "\\", '"': '"', "'": "'", "?": "?" };

/** Splits TSDL text into tokens; throws CtfError("metadata-syntax") with line/column. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  const err = (msg: string, at = i): never => {
    throw new CtfError("metadata-syntax", msg, { line, column: at - lineStart + 1 });
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    // whitespace
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) {
      i++;
      continue;
    }
    // comments
    if (c === 47 /* / */ && src.charCodeAt(i + 1) === 42 /* * */) {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) err("Unterminated comment");
      for (let k = i; k < end; k++) {
        if (src.charCodeAt(k) === 10) {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 2;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
      while (i < n && src.charCodeAt(i) !== 10) i++;
      continue;
    }
    const column = i - lineStart + 1;
    // identifiers / keywords
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || (d >= 48 && d <= 57)) j++;
        else break;
      }
      out.push({ kind: "ident", text: src.slice(i, j), line, column });
      i = j;
      continue;
    }
    // numbers
    if (c >= 48 && c <= 57) {
      let j = i;
      let value: bigint;
      if (c === 48 && (src[i + 1] === "x" || src[i + 1] === "X")) {
        j = i + 2;
        while (j < n && /[0-9a-fA-F]/.test(src[j]!)) j++;
        if (j === i + 2) err("Malformed hexadecimal constant");
        value = BigInt("0x" + src.slice(i + 2, j));
      } else if (c === 48 && j + 1 < n && /[0-7]/.test(src[i + 1]!)) {
        j = i + 1;
        while (j < n && /[0-7]/.test(src[j]!)) j++;
        value = BigInt("0o" + src.slice(i + 1, j));
      } else {
        while (j < n && /[0-9]/.test(src[j]!)) j++;
        if (src[j] === "." && /[0-9]/.test(src[j + 1] ?? "")) {
          // floating constant (rare in TSDL; accepted, value kept as text)
          j++;
          while (j < n && /[0-9eE+-]/.test(src[j]!)) j++;
          out.push({ kind: "float", text: src.slice(i, j), line, column });
          i = j;
          continue;
        }
        value = BigInt(src.slice(i, j));
      }
      // integer suffixes
      while (j < n && /[uUlL]/.test(src[j]!)) j++;
      if (j < n && /[A-Za-z_]/.test(src[j]!)) err("Malformed integer constant");
      out.push({ kind: "int", text: src.slice(i, j), int: value, line, column });
      i = j;
      continue;
    }
    // string and character literals
    if (c === 34 || c === 39) {
      const quote = src[i]!;
      let j = i + 1;
      let s = "";
      for (;;) {
        if (j >= n) err(quote === '"' ? "Unterminated string literal" : "Unterminated character literal");
        const ch = src[j]!;
        if (ch === quote) break;
        if (ch === "\n") err("Newline in string literal", j);
        if (ch === "\\") {
          const e = src[j + 1];
          if (e === undefined) err("Unterminated string literal");
          if (e === "x") {
            const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(j + 2, j + 4));
            if (!m) err("Malformed \\x escape", j);
            s += String.fromCharCode(parseInt(m![0], 16));
            j += 2 + m![0].length;
            continue;
          }
          const r = ESCAPES[e!];
          if (r === undefined) err(`Unknown escape sequence \\${e}`, j);
          s += r;
          j += 2;
          continue;
        }
        s += ch;
        j++;
      }
      out.push({ kind: quote === '"' ? "string" : "char", text: s, line, column });
      i = j + 1;
      continue;
    }
    let matched: string | undefined;
    for (const p of PUNCTS) {
      if (src.startsWith(p, i)) {
        matched = p;
        break;
      }
    }
    if (matched === undefined) {
      const ch = src[i]!;
      err(`Unexpected character ${JSON.stringify(ch)}`);
    }
    out.push({ kind: "punct", text: matched!, line, column });
    i += matched!.length;
  }
  out.push({ kind: "eof", text: "", line, column: i - lineStart + 1 });
  return out;
}
