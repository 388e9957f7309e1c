"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { DecorateMutationProcedure, ResolverDef } from "@trpc/tanstack-react-query";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { Outcome } from "./action-ui";

/** The last answer of an action on a session: progress, LTTng's success message, or its error. */
export interface ActionOutcome {
  pending: boolean;
  pendingText: string;
  error: { message: string } | null;
  success: ReactNode | null;
}

interface Scope {
  session: string;
  /** The traced host of the session (absent: this machine). */
  host: string | undefined;
  last: ActionOutcome | null;
  setLast: (o: ActionOutcome) => void;
}

const ScopeContext = createContext<Scope | null>(null);

/**
 * Where the actions on one session report (a session page, a row of the sessions list): the
 * `useSessionAction`s inside share one outcome line, `<LastActionOutcome>`.
 */
export function SessionActionScope({ session, host, children }: { session: string; host?: string; children: ReactNode }) {
  const [last, setLast] = useState<ActionOutcome | null>(null);
  const value = useMemo(() => ({ session, host, last, setLast }), [session, host, last]);
  return <ScopeContext.Provider value={value}>{children}</ScopeContext.Provider>;
}

function useScope(): Scope {
  const scope = useContext(ScopeContext);
  if (!scope) throw new Error("useSessionAction needs a <SessionActionScope> around it");
  return scope;
}

/** The session the actions around act on. */
export function useSessionName(): string {
  return useScope().session;
}

/** The host of the scope's session: `{ host }` to spread into a procedure's input, or nothing for this machine. */
export function useOnHost(): { host?: string } {
  return onHost(useScope().host);
}

/** `{ host }` for a traced host, nothing for this machine (query keys stay those of local sessions). */
export function onHost(host: string | undefined): { host?: string } {
  return host === undefined ? {} : { host };
}

/** The scope's last outcome, or nothing before the first action. */
export function LastActionOutcome({ testId }: { testId: string }) {
  const { last } = useScope();
  return last ? <Outcome {...last} testId={testId} /> : null;
}

/** Whether the scope has an outcome to show (a list row adds a table row for it). */
export function useHasActionOutcome(): boolean {
  return useScope().last !== null;
}

export interface ActionDescription<TOutput> {
  /** Shown while the action runs ("Stopping (waits for the buffers to be flushed)…"). */
  pending: string;
  /** The success line, from the server's answer. */
  ok: (data: TOutput) => ReactNode;
  /** More to do on success (clear a form, tell a parent). */
  after?: (data: TOutput) => void;
  /** The action ends the session (destroy): its page query is dropped, not asked again (a 404). */
  ends?: boolean;
}

/**
 * A tRPC mutation on the scope's session: its progress, answer or error become the scope's
 * outcome line, and once it settles every view of the session (its page, the list, the
 * overview) is asked again. The call goes to the scope's host (`host` is added to the input).
 * Returns TanStack's mutation (`mutate`, `isPending`, `error`) for the button and the form
 * fields beside it.
 */
export function useSessionAction<TDef extends ResolverDef>(procedure: DecorateMutationProcedure<TDef>, describe: ActionDescription<TDef["output"]>) {
  const { session, host, setLast } = useScope();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { pending, ok, after, ends } = describe;
  const where = onHost(host);
  const options = procedure.mutationOptions({
    onMutate: () => setLast({ pending: true, pendingText: pending, error: null, success: null }),
    onSuccess: (data: TDef["output"]) => {
      setLast({ pending: false, pendingText: pending, error: null, success: ok(data) });
      if (ends) qc.removeQueries({ queryKey: trpc.sessions.get.queryKey({ name: session, ...where }) });
      after?.(data);
    },
    onError: (error: { message: string }) => setLast({ pending: false, pendingText: pending, error, success: null }),
    onSettled: () => {
      if (!ends) void qc.invalidateQueries({ queryKey: trpc.sessions.get.queryKey({ name: session, ...where }) });
      // Every host's list and overview: the key's prefix, whatever the input.
      void qc.invalidateQueries({ queryKey: trpc.sessions.list.pathKey() });
      void qc.invalidateQueries({ queryKey: trpc.sessions.overview.pathKey() });
    },
  });
  const run = options.mutationFn!;
  return useMutation({ ...options, mutationFn: (input: TDef["input"], context) => run({ ...input, ...where }, context) });
}

/**
 * Start, stop, snapshot and rotate, said the same way on the session page and in the list:
 * where a snapshot or an archive was written is in the answer, with a test id.
 */
export function useLifecycleActions() {
  const trpc = useTRPC();
  const { session: name } = useScope();
  return {
    start: useSessionAction(trpc.sessions.start, { pending: "Starting…", ok: () => `Session ${name} started.` }),
    stop: useSessionAction(trpc.sessions.stop, { pending: "Stopping (waits for the buffers to be flushed)…", ok: () => `Session ${name} stopped.` }),
    snapshot: useSessionAction(trpc.sessions.snapshot, {
      pending: "Recording a snapshot…",
      ok: (d) => (
        <>
          Snapshot written to <code data-testid="snapshot-path">{d.path}</code>
        </>
      ),
    }),
    rotate: useSessionAction(trpc.sessions.rotate, {
      pending: "Rotating (waits for the chunk to close)…",
      ok: (d) =>
        d.archivePath ? (
          <>
            Archive: <code data-testid="archive-path">{d.archivePath}</code>
          </>
        ) : (
          `Rotation ${d.state.toLowerCase()}.`
        ),
    }),
  };
}
