"use client";

import { checkFilterSyntax } from "@/server/shared/validators";
import { FieldError } from "@/components/form/field";

const EXAMPLES = ["latency_ns > 50000000", "status == 503 && $ctx.vpid == 1234", 'path == "/api/*"'];

/**
 * A filter expression field, checked against LTTng's filter grammar as it is typed (the
 * server's own syntax check; LTTng still has the last word on types and field names).
 */
export function FilterEditor({ id, value, onChange, error }: { id: string; value: string; onChange: (v: string) => void; error?: string | null }) {
  const syntax = value.trim() === "" ? null : checkFilterSyntax(value);
  const message = error ?? (syntax ? `Invalid filter at character ${syntax.offset + 1}: ${syntax.message}` : null);
  return (
    <div className="mt-1">
      <label className="td-label" htmlFor={id}>
        Filter (optional)
      </label>
      <input
        id={id}
        className={`td-input w-full font-mono ${message ? "border-red-500" : ""}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={EXAMPLES[0]}
        aria-invalid={message ? true : undefined}
        spellCheck={false}
      />
      {syntax && (
        <pre aria-hidden className="mt-0.5 overflow-x-auto font-mono text-xs text-red-600">
          {value}
          {"\n"}
          {" ".repeat(Math.min(syntax.offset, value.length))}^
        </pre>
      )}
      <FieldError message={message} />
      <p className="mt-0.5 text-[11px] text-zinc-500">
        C-like: <code>== != &lt; &lt;= &gt; &gt;= &amp;&amp; || !</code>, strings with <code>*</code> globbing, context fields as <code>$ctx.vpid</code>. E.g.{" "}
        {EXAMPLES.map((x, i) => (
          <button key={x} type="button" className="font-mono text-sky-700 hover:underline dark:text-sky-400" onClick={() => onChange(x)}>
            {x}
            {i < EXAMPLES.length - 1 ? "," : ""}
          </button>
        )).reduce<React.ReactNode[]>((acc, el) => [...acc, el, " "], [])}
      </p>
    </div>
  );
}
