import type { RouterInputs as Inputs, RouterOutputs as Outputs } from "@/server/trpc/router-types";

/** One event of `analyses.run` (started, progress, result). */
export type StreamEvent = Outputs["analyses"]["run"] extends AsyncIterable<infer E> ? E : never;
type JsonOf<S> = S extends { readonly __json?: infer T } ? T : never;
export type AnalysisView = JsonOf<Extract<StreamEvent, { type: "result" }>["json"]>;
export type WireTable = AnalysisView["tables"][number];
/** A LAMI cell as sent by the server (timestamps as decimal strings). */
export type WireValue = JsonOf<WireTable["rowsJson"]> extends (infer R)[] ? (R extends (infer C)[] ? C : never) : never;
export type ColumnDescription = WireTable["columns"][number];
export type AnalysisDescriptor = Outputs["analyses"]["list"][number];
export type FormField = AnalysisDescriptor["fields"][number];
export type RunInput = Inputs["analyses"]["run"];
export type AnalysisOptions = NonNullable<RunInput["options"]>;
export type TraceCatalog = Outputs["traces"]["list"];

/** A result table with its rows and row ranges parsed (see WireTable.rowsJson/rangesJson). */
export type ResultTable = Omit<WireTable, "rowsJson" | "rangesJson"> & {
  rows: WireValue[][];
  /** Per row: [begin, end] epoch ns from the analysis, or null. */
  ranges: (readonly [string, string] | null)[];
};

export function decodeTable(t: WireTable): ResultTable {
  const { rowsJson, rangesJson, ...rest } = t;
  return { ...rest, rows: JSON.parse(rowsJson) as JsonOf<typeof rowsJson>, ranges: JSON.parse(rangesJson) as JsonOf<typeof rangesJson> };
}

/**
 * Collects a run's result slices (`result-part`, then `result`: JSON text in order) and
 * parses the AnalysisView once the last arrives.
 */
export class ResultAssembler {
  private parts: string[] = [];

  /** The view when `ev` completes it, else null. */
  add(ev: StreamEvent): AnalysisView | null {
    if (ev.type === "result-part") this.parts.push(ev.json);
    if (ev.type !== "result") return null;
    const text = this.parts.join("") + ev.json;
    this.parts = [];
    return JSON.parse(text) as AnalysisView;
  }
}
