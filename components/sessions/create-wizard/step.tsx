"use client";

import type { ComponentProps, Dispatch } from "react";
import { Field as FormField } from "@/components/form/field";
import type { BrowserDomain } from "../available-events";
import type { ChannelDraft, SetupIssue, WizardAction, WizardState } from "./wizard-state";

/** What every step component gets from the wizard. */
export interface StepProps {
  state: WizardState;
  dispatch: Dispatch<WizardAction>;
  /** The shared schema's problems with the whole draft. */
  issues: readonly SetupIssue[];
  /** The message to show under one field (`fieldIssue`): pass what is typed in it. */
  issue: (path: string, typed?: string) => string | null;
  /** LTTng's refusal of the last creation, and the field it is about. */
  server: { field: string | null; message: string | null };
  /** The traced host the session is created on (absent: this machine). */
  host: string | undefined;
}

/** A wizard field: small controls side by side, so a long message wraps under its own field. */
export function Field(props: Omit<ComponentProps<typeof FormField>, "narrow">) {
  return <FormField narrow {...props} />;
}

/** A channel picker for one domain's rule or contexts: `none` first (the default channel, or all). */
export function ChannelSelect({
  label,
  id,
  value,
  onChange,
  channels,
  domain,
  none,
}: {
  label: string;
  id: string;
  value: string;
  onChange: (channel: string) => void;
  channels: readonly ChannelDraft[];
  domain: BrowserDomain;
  none: string;
}) {
  return (
    <Field label={label} id={id}>
      <select id={id} className="td-input" value={value} onChange={(x) => onChange(x.target.value)}>
        <option value="">{none}</option>
        {channels
          .filter((c) => c.domain === domain)
          .map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
      </select>
    </Field>
  );
}
