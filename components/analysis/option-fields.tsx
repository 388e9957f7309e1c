"use client";

import type { AnalysisOptions, FormField } from "./types";

/** Raw form state: text as typed, booleans as checked. */
export type FieldValues = Record<string, string | boolean>;

/**
 * The typed values into request options, with a message per field that cannot be read.
 * Bounds are checked again by the server's zod schema; this only catches what cannot parse.
 */
export function toOptions(fields: readonly FormField[], values: FieldValues): { options: AnalysisOptions; errors: Record<string, string> } {
  const out: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.key];
    if (f.kind === "boolean") {
      if (raw === true) out[f.key] = true;
      continue;
    }
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") continue;
    switch (f.kind) {
      case "integer":
      case "number": {
        const n = Number(text);
        if (!Number.isFinite(n) || (f.kind === "integer" && !Number.isInteger(n)))
          errors[f.key] = f.kind === "integer" ? "Expected a whole number" : "Expected a number";
        else if (f.minimum !== undefined && n < f.minimum) errors[f.key] = `At least ${f.minimum}`;
        else if (f.maximum !== undefined && n > f.maximum) errors[f.key] = `At most ${f.maximum}`;
        else out[f.key] = n;
        break;
      }
      case "integer-list": {
        const parts = text
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        if (parts.some((p) => !/^\d+$/.test(p))) errors[f.key] = "Expected comma-separated whole numbers";
        else out[f.key] = parts.map((p) => Number.parseInt(p, 10));
        break;
      }
      case "string-list":
        out[f.key] = text
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        break;
      case "lines":
        out[f.key] = text
          .split("\n")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        break;
      default:
        out[f.key] = text;
    }
  }
  return { options: out as AnalysisOptions, errors };
}

/** One option field, labelled with its name and lttng-analyses flag. */
export function OptionField({
  field,
  value,
  error,
  onChange,
}: {
  field: FormField;
  value: string | boolean | undefined;
  error?: string;
  onChange: (v: string | boolean) => void;
}) {
  const id = `opt-${field.key}`;
  const hint = `${field.flag}: ${field.help}`;
  if (field.kind === "boolean") {
    return (
      <label className="flex items-center gap-1.5 self-end pb-1 text-[13px]" title={hint}>
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {field.label}
      </label>
    );
  }
  const common = {
    id,
    "aria-invalid": error !== undefined,
    "aria-describedby": error !== undefined ? `${id}-err` : undefined,
    title: hint,
  };
  const text = typeof value === "string" ? value : "";
  return (
    <div className={field.kind === "lines" ? "w-full" : undefined}>
      <label className="td-label" htmlFor={id} title={hint}>
        {field.label} <span className="font-mono font-normal text-zinc-400">{field.flag}</span>
      </label>
      {field.kind === "enum" ? (
        <select {...common} className="td-input" value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">default</option>
          {field.choices?.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : field.kind === "lines" ? (
        <textarea
          {...common}
          className="td-input w-full font-mono text-xs"
          rows={3}
          placeholder={field.help}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          {...common}
          className={`td-input ${field.kind === "integer" || field.kind === "number" ? "w-28" : field.key === "begin" || field.key === "end" ? "w-48" : "w-40"}`}
          inputMode={field.kind === "integer" || field.kind === "number" ? "decimal" : undefined}
          placeholder={field.placeholder}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {error !== undefined && (
        <p id={`${id}-err`} className="mt-0.5 text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
