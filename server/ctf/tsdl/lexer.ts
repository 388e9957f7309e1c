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

// Single-character punctuators; ":=", "...", "->", "<<", ">>" are matched first.
const SINGLE = new Set([..."{}[]();,:=.<>+-*&|^~!/%?"].map((ch) => ch.charCodeAt(0)));
const WS = /[ \t\n\r\v\f]+/y;
const ID = /[A-Za-z_][A-Za-z0-9_]*/y;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isIdentChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57);

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
  "?": "?",
};

/** Splits TSDL text into tokens; throws CtfError("metadata-syntax") with line/column. */
export function tokenize(src: string, firstLine = 1, firstColumn = 1): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = firstLine;
  // Columns are i - lineStart + 1: a negative start shifts the first line's columns.
  let lineStart = 1 - firstColumn;
  const n = src.length;
  const err = (msg: string, at = i): never => {
    throw new CtfError("metadata-syntax", msg, { line, column: at - lineStart + 1 });
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    // whitespace (sticky regexes run in native code, which matters for cold start-up code)
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      WS.lastIndex = i;
      WS.test(src);
      const j = WS.lastIndex;
      for (let k = src.indexOf("\n", i); k >= 0 && k < j; k = src.indexOf("\n", k + 1)) {
        line++;
        lineStart = k + 1;
      }
      i = j;
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
      ID.lastIndex = i;
      ID.test(src);
      const j = ID.lastIndex;
      out.push({ kind: "ident", text: src.slice(i, j), line, column });
      i = j;
      continue;
    }
    // numbers
    if (c >= 48 && c <= 57) {
      let j = i;
      let value: bigint;
      const c1 = src.charCodeAt(i + 1);
      if (c === 48 && (c1 === 120 || c1 === 88)) {
        j = i + 2;
        while (j < n && isHex(src.charCodeAt(j))) j++;
        if (j === i + 2) err("Malformed hexadecimal constant");
        value = BigInt("0x" + src.slice(i + 2, j));
      } else if (c === 48 && c1 >= 48 && c1 <= 55) {
        j = i + 1;
        while (j < n && src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 55) j++;
        value = BigInt("0o" + src.slice(i + 1, j));
      } else {
        while (j < n && isDigit(src.charCodeAt(j))) j++;
        if (src.charCodeAt(j) === 46 && isDigit(src.charCodeAt(j + 1))) {
          // floating constant (rare in TSDL; accepted, value kept as text)
          j++;
          while (j < n && /[0-9eE+-]/.test(src[j]!)) j++;
          out.push({ kind: "float", text: src.slice(i, j), line, column });
          i = j;
          continue;
        }
        // Small decimals (sizes, alignments, ids) are by far the most common literal.
        value = j - i < 15 ? BigInt(Number(src.slice(i, j))) : BigInt(src.slice(i, j));
      }
      // integer suffixes
      while (j < n && /[uUlL]/.test(src[j]!)) j++;
      if (j < n && isIdentChar(src.charCodeAt(j))) err("Malformed integer constant");
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
    const c2 = src.charCodeAt(i + 1);
    if (c === 58 /* : */ && c2 === 61) matched = ":=";
    else if (c === 46 /* . */ && c2 === 46 && src.charCodeAt(i + 2) === 46) matched = "...";
    else if (c === 45 /* - */ && c2 === 62) matched = "->";
    else if ((c === 60 && c2 === 60) || (c === 62 && c2 === 62)) matched = src.slice(i, i + 2);
    else if (SINGLE.has(c)) matched = src[i]!;
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
