/**
 * The event classes a run reads the fields of (the reader skips decoding the others), or
 * undefined for all: those the kernel state machine reads, those that can begin or end a
 * --period (when every definition names its events), the --duration-field class.
 */
import { FAMILIES, type AnalysisName } from "./catalog";
import type { AnalysisOptions } from "./options";
import { periodEventNames } from "./periods/from-options";
import { KernelState } from "./state/automaton";

export function eventsNeeded(name: AnalysisName, opts: AnalysisOptions): ((event: string) => boolean) | undefined {
  const names = periodEventNames(opts);
  if (names === null) return undefined;
  const d = opts.durationField;
  const dot = d === undefined ? -1 : d.lastIndexOf(".");
  if (d !== undefined && dot > 0) names.add(d.slice(0, dot));
  if (FAMILIES[name].needsKernelState) {
    const probe = new KernelState();
    return (event) => names.has(event) || probe.readsFields(event);
  }
  if (names.size === 0) return undefined;
  return (event) => names.has(event);
}
