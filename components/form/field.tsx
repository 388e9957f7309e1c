"use client";

import type { InputHTMLAttributes, ReactNode } from "react";

/**
 * One labelled form row: the label, the control (whose `id` is `id`), and the field's message
 * under it. `narrow` keeps a long message from widening a row of small fields.
 */
export function Field({
  label,
  id,
  error,
  narrow,
  className,
  children,
}: {
  label: ReactNode;
  id: string;
  error?: string | null;
  narrow?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <label className="td-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {narrow ? (
        <div className="max-w-[16rem]">
          <FieldError message={error} />
        </div>
      ) : (
        <FieldError message={error} />
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange" | "className">;

/** A `Field` holding one text input; `onChange` gets the text. */
export function TextField({
  label,
  id,
  value,
  onChange,
  error,
  narrow,
  className,
  inputClassName = "td-input",
  ...input
}: InputProps & {
  label: ReactNode;
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  narrow?: boolean;
  className?: string;
  inputClassName?: string;
}) {
  return (
    <Field label={label} id={id} error={error} narrow={narrow} className={className}>
      <input id={id} className={inputClassName} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
    </Field>
  );
}

/** A field's message (zod from the shared schemas, or the server's answer about that field). */
export function FieldError({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="mt-0.5 text-xs text-red-600 dark:text-red-400">
      {message}
    </p>
  );
}
