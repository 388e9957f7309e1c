"use client";

import type { ReactNode } from "react";
import type { z } from "zod";
import { readableIssues } from "@/server/shared/validators";
import type { RouterOutputs } from "@/server/trpc/router-types";
import type { ActionState } from "../action-ui";
import type { BrowserDomain } from "../available-events";

/** What the session page shows: the session, its snapshot outputs and what may be done now. */
export type SessionPageState = RouterOutputs["sessions"]["get"];
export type Session = SessionPageState["session"];
export type Actions = SessionPageState["actions"];

/** The MI's domain names, as the domain pickers and the tables say them. */
export const MI_DOMAIN: Record<string, BrowserDomain> = { UST: "userspace", KERNEL: "kernel", JUL: "jul", LOG4J: "log4j", PYTHON: "python" };
export const DOMAIN_LABEL: Record<string, string> = { UST: "user space", KERNEL: "kernel", JUL: "JUL", LOG4J: "log4j", PYTHON: "Python" };

/** First zod message of a value against one of the server's schemas, or null. */
export function check(schema: z.ZodType, v: string): string | null {
  if (v.trim() === "") return null;
  const r = schema.safeParse(v.trim());
  return r.success ? null : (readableIssues(r.error)[0]?.message ?? "Invalid");
}

/** One card of the session page. */
export function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <section className="td-card p-4" aria-label={title}>
      <div className="mb-2 flex items-center gap-3">
        <h2 className="font-semibold">{title}</h2>
        {right}
      </div>
      {children}
    </section>
  );
}

/** Why a section's form is not offered now (the server's guard). */
export function Refused({ state }: { state: ActionState }) {
  return state.allowed ? null : <p className="text-xs text-zinc-500">{state.reason}</p>;
}
