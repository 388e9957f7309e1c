/**
 * The CTF reader's only import point for consumers (analyses, live view, archive indexer,
 * CLI). See types.ts for the record contract and DESIGN.md "Time" for the time model.
 *
 * - `openTraceSet(paths)` → `TraceSet`: synchronous, time-ordered iteration over every
 *   stream of every trace found under `paths` (for-of yields fresh records; `forEach` is
 *   the faster visitor that reuses the record object: copy what you keep;
 *   `forEachUnordered` skips the merge for order-independent work). See README.md.
 * - `CompiledTrace` + `decodePacket` / `PacketCursor`: the packet-level API the live
 *   client feeds, so files and live share one decoder.
 */
import { TraceSet, type OpenOptions } from "./reader/trace-set";

export type { EventRecord, DiscardedRecord, LostPacketsRecord, TraceInfo, TraceItem, FieldMap, FieldValue } from "./types";
export { CtfError, type CtfErrorCode } from "./errors";
export { enumLabeler, type EnumLabeler } from "./enums";
export { TraceSet, type OpenOptions, type TraceSetCounters, type ItemSource } from "./reader/trace-set";
export { CompiledTrace, CompiledEvent, type PacketInfo } from "./decode/packet";
export { PacketCursor, decodePacket, compileMetadata } from "./packet-api";
export { MetadataAccumulator, readMetadataFile, metadataTextFromBytes, parseMetadata } from "./metadata";
export { parseTsdl } from "./tsdl/parser";
export { PrettyPrinter, PRINT_COMPAT_MODES, type PrettyOptions, type PrintCompat } from "./pretty";
export type * from "./tsdl/model";

/** Opens trace directories, session directories (found recursively by `metadata`), or both. */
export function openTraceSet(paths: string[], opts?: OpenOptions): TraceSet {
  return TraceSet.open(paths, opts);
}
