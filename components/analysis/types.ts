import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

/** One event of `analyses.run` (started, progress, result). */
export type StreamEvent = Outputs["analyses"]["run"] extends AsyncIterable<infer E> ? E : never;
export type AnalysisView = Extract<StreamEvent, { type: "result" }>["result"];
export type WireTable = AnalysisView["tables"][number];
export type WireValue = WireTable["rows"][number][number];
export type ColumnDescription = WireTable["columns"][number];
export type AnalysisDescriptor = Outputs["analyses"]["list"][number];
export type FormField = AnalysisDescriptor["fields"][number];
export type RunInput = Inputs["analyses"]["run"];
export type AnalysisOptions = NonNullable<RunInput["options"]>;
export type TraceCatalog = Outputs["traces"]["list"];
