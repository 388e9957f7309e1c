"use client";

import type { ComponentProps, Dispatch } from "react";
import { Field as FormField } from "@/components/form/field";
import type { SetupIssue, WizardAction, WizardState } from "./wizard-state";

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
}

/** A wizard field: small controls side by side, so a long message wraps under its own field. */
export function Field(props: Omit<ComponentProps<typeof FormField>, "narrow">) {
  return <FormField narrow {...props} />;
}
