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
  const proto = BigInt.prototype as unknown as { toJSON?: () => string };
  const had = Object.prototype.hasOwnProperty.call(proto, "toJSON");
  const previous = proto.toJSON;
  proto.toJSON = function (this: bigint) {
    return BIG + this.toString();
  };
  try {
    return JSON.stringify(doc).replace(/"\\u0000big:(-?\d+)"/g, "$1");
  } finally {
    if (had) proto.toJSON = previous;
    else delete proto.toJSON;
  }
}

/** Parses LAMI JSON keeping integers that do not fit a double exactly as bigint. */
export function parseLamiJson(text: string): unknown {
  const marked = text.replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, `$1"${BIG_TEXT}$2"`);
  return JSON.parse(marked, (_k, v: unknown) =>
    typeof v === "string" && v.startsWith(BIG) ? BigInt(v.slice(BIG.length)) : v,
  );
}
