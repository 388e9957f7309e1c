import type { LamiError, LamiMetadata, LamiResults } from "./types";

const BIG = "\u0000big:";
/** The same marker as it appears inside JSON text. */
const BIG_TEXT = "\\u0000big:";

/**
 * JSON text for LAMI documents. Absolute timestamps are bigints beyond 2^53, so they
 * are written as bare integers (what Python's json module prints), not strings.
 * BigInt's toJSON is set only while stringifying: unlike a replacer function it is not
 * called for every value, which matters for logs of millions of cells.
 */
export function toLamiJson(doc: LamiResults | LamiMetadata | LamiError): string {
  return withBigIntJson(() => stringify(doc));
}

/** Result tables per piece of writeLamiJson's output. */
const TABLES_PER_PIECE = 512;

/**
 * toLamiJson's text in pieces, a few hundred result tables each, so that a document of
 * thousands of tables (syscallstats: one per thread) is never one string of megabytes
 * plus its encoded copy (the CLI's memory peak).
 */
export function writeLamiJson(doc: LamiResults | LamiMetadata | LamiError, write: (text: string) => void): void {
  // Pieces join to JSON.stringify(doc)'s text when `results` is the document's only key.
  if (!("results" in doc) || doc.results.length <= TABLES_PER_PIECE || Object.keys(doc).length !== 1) {
    write(toLamiJson(doc));
    return;
  }
  const rs = doc.results;
  withBigIntJson(() => {
    write('{"results":[');
    for (let i = 0; i < rs.length; i += TABLES_PER_PIECE) {
      const text = stringify(rs.slice(i, i + TABLES_PER_PIECE));
      write((i === 0 ? "" : ",") + text.slice(1, -1));
    }
    write("]}");
  });
}

function stringify(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000big:(-?\d+)"/g, "$1");
}

function withBigIntJson<T>(f: () => T): T {
  const proto = BigInt.prototype as unknown as { toJSON?: () => string };
  const had = Object.prototype.hasOwnProperty.call(proto, "toJSON");
  const previous = proto.toJSON;
  proto.toJSON = function (this: bigint) {
    return BIG + this.toString();
  };
  try {
    return f();
  } finally {
    if (had) proto.toJSON = previous;
    else delete proto.toJSON;
  }
}

/** Parses LAMI JSON keeping integers that do not fit a double exactly as bigint. */
export function parseLamiJson(text: string): unknown {
  const marked = text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, `$1"${BIG_TEXT}$2"`);
  return JSON.parse(marked, (_k, v: unknown) => (typeof v === "string" && v.startsWith(BIG) ? BigInt(v.slice(BIG.length)) : v));
}
