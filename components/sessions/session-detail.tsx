"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { RetentionPanel } from "@/components/archives/retention-panel";
import { useTRPC } from "@/components/trpc/provider";
import type { z } from "zod";
import { CONTEXT_TYPES_BY_DOMAIN, ZDurationUs, ZSize, readableIssues } from "@/server/shared/validators";
import type { RouterOutputs } from "@/server/trpc/router-types";
import { ActionButton, FieldError, Outcome, errorField, type ActionState } from "./action-ui";
import { DOMAIN_TABS, type BrowserDomain } from "./available-events";
import { FilterEditor } from "./filter-editor";
import { TriggerEditor } from "./trigger-editor";
import { fmtBytes, fmtCount, fmtRotation, fmtUs } from "./format";
import { ModeBadge } from "./mode-badge";

type Last = { pending: boolean; pendingText: string; error: { message: string } | null; success: ReactNode | null };

const MI_DOMAIN: Record<string, BrowserDomain> = { UST: "userspace", KERNEL: "kernel", JUL: "jul", LOG4J: "log4j", PYTHON: "python" };
const DOMAIN_LABEL: Record<string, string> = { UST: "user space", KERNEL: "kernel", JUL: "JUL", LOG4J: "log4j", PYTHON: "Python" };

/** First zod message of a value against one of the server's schemas, or null. */
function check(schema: z.ZodType, v: string): string | null {
  if (v.trim() === "") return null;
  const r = schema.safeParse(v.trim());
  return r.success ? null : (readableIssues(r.error)[0]?.message ?? "Invalid");
}

/**
 * One session: its action bar (guarded by the server's allowed actions, reasons shown), channels
 * with loss counters, event rules, contexts, trackers, rotation schedule, snapshot output and the
 * triggers that act on it.
 */
export function SessionDetail({ name, canOperate }: { name: string; canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // A session that is gone stays gone: stop asking (each poll would be another 404).
  const q = useQuery(trpc.sessions.get.queryOptions({ name }, { refetchInterval: (query) => (isNotFound(query.state.error) ? false : 2_000), retry: false }));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.sessions.get.queryKey({ name }) });
    void qc.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.sessions.overview.queryKey() });
  };
  const [last, setLast] = useState<Last | null>(null);
  const track = <T,>(pendingText: string, ok: (d: T) => ReactNode, after?: () => void) => ({
    onMutate: () => setLast({ pending: true, pendingText, error: null, success: null }),
    onSuccess: (d: T) => {
      setLast({ pending: false, pendingText, error: null, success: ok(d) });
      after?.();
    },
    onError: (e: { message: string }) => setLast({ pending: false, pendingText, error: e, success: null }),
    onSettled: refresh,
  });

  if (q.error) {
    return (
      <div className="space-y-2">
        <h1 className="text-lg font-semibold">Session {name}</h1>
        {isNotFound(q.error) ? (
          <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="session-gone">
            There is no recording session named <code>{name}</code>: it was destroyed, or never existed.
          </p>
        ) : (
          <p role="alert" className="text-sm text-red-600">
            {q.error.message}
          </p>
        )}
        <Link href="/sessions" className="td-btn">
          All sessions
        </Link>
      </div>
    );
  }
  if (!q.data) return <p className="text-sm text-zinc-500">Asking the session daemon about {name}…</p>;
  const { session: s, actions, snapshotOutputs, output, relay, disk } = q.data;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/sessions" className="text-xs text-sky-600 hover:underline">
          ← Sessions
        </Link>
        <h1 className="font-mono text-lg font-semibold">{s.name}</h1>
        <ModeBadge mode={s.mode} liveTimerUs={s.liveTimerUs} rotation={fmtRotation(s.rotation)} />
        <span data-testid="session-state">
          {s.active ? <span className="text-emerald-600">● recording</span> : <span className="text-zinc-500">○ stopped</span>}
        </span>
        <span className="truncate font-mono text-xs text-zinc-500" title={output} data-testid="session-output">
          {output}
        </span>
      </div>
      {relay && !relay.ok && (
        <p
          role="alert"
          data-testid="relay-link"
          className="td-card border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {relay.message}
        </p>
      )}
      {disk?.message && (
        <p
          role="alert"
          data-testid="disk-space"
          className="td-card border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {disk.message}
        </p>
      )}
      {canOperate && <ActionBar name={name} actions={actions} track={track} />}
      {last && <Outcome {...last} testId="session-outcome" />}
      <Channels s={s} actions={actions} canOperate={canOperate} track={track} />
      <EventRules s={s} actions={actions} canOperate={canOperate} track={track} />
      <div className="grid gap-4 xl:grid-cols-2">
        <Contexts s={s} actions={actions} canOperate={canOperate} track={track} />
        <Trackers s={s} canOperate={canOperate} track={track} />
        {(s.mode === "local" || s.mode === "network") && <Rotation s={s} actions={actions} canOperate={canOperate} track={track} />}
        {s.mode === "snapshot" && <SnapshotOutputs name={name} outputs={snapshotOutputs} actions={actions} canOperate={canOperate} track={track} />}
        <SessionTriggers name={name} canOperate={canOperate} guards={q.data.triggerActions} />
        <RetentionPanel session={name} canOperate={canOperate} />
      </div>
    </div>
  );
}

/** The server's "no such session" (tRPC NOT_FOUND). */
function isNotFound(error: unknown): boolean {
  return (error as { data?: { code?: string } } | null)?.data?.code === "NOT_FOUND";
}

type Track = <T>(pendingText: string, ok: (d: T) => ReactNode, after?: () => void) => object;
type State = RouterOutputs["sessions"]["get"];
type Session = State["session"];
type Actions = State["actions"];

function ActionBar({ name, actions, track }: { name: string; actions: Actions; track: Track }) {
  const trpc = useTRPC();
  const start = useMutation(trpc.sessions.start.mutationOptions(track("Starting…", () => `Session ${name} started.`)));
  const stop = useMutation(trpc.sessions.stop.mutationOptions(track("Stopping (waits for the buffers to be flushed)…", () => `Session ${name} stopped.`)));
  const snapshot = useMutation(
    trpc.sessions.snapshot.mutationOptions(
      track("Recording a snapshot…", (d: { path: string }) => (
        <>
          Snapshot written to <code data-testid="snapshot-path">{d.path}</code>
        </>
      )),
    ),
  );
  const rotate = useMutation(
    trpc.sessions.rotate.mutationOptions(
      track("Rotating (waits for the chunk to close)…", (d: { state: string; archivePath: string | null }) =>
        d.archivePath ? (
          <>
            Archive: <code data-testid="archive-path">{d.archivePath}</code>
          </>
        ) : (
          `Rotation ${d.state.toLowerCase()}.`
        ),
      ),
    ),
  );
  const clear = useMutation(trpc.sessions.clear.mutationOptions(track("Clearing…", () => "Buffers and trace data cleared.")));
  const regen = useMutation(trpc.sessions.regenerate.mutationOptions(track("Regenerating the state dump…", () => "State dump regenerated.")));
  // A first save never overwrites: when a profile of that name exists the server answers
  // CONFLICT and the operator is asked before a second, forced save.
  const [askOverwrite, setAskOverwrite] = useState(false);
  const save = useMutation(
    trpc.sessions.save.mutationOptions(
      track("Saving the profile…", (d: { path: string }) => (
        <>
          Profile saved to <code data-testid="profile-path">{d.path}</code>
        </>
      )),
    ),
  );
  const saveNew = () => {
    setAskOverwrite(false);
    save.mutate({ name }, { onError: (e) => setAskOverwrite(e.data?.code === "CONFLICT") });
  };
  const router = useRouter();
  const qc = useQueryClient();
  // After a destroy this page has nothing left to show: the list says it was destroyed.
  const destroy = useMutation(
    trpc.sessions.destroy.mutationOptions({
      ...track("Destroying…", () => `Session ${name} destroyed.`),
      onSuccess: () => {
        qc.removeQueries({ queryKey: trpc.sessions.get.queryKey({ name }) });
        router.push(`/sessions?destroyed=${encodeURIComponent(name)}`);
      },
      onSettled: () => void qc.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() }),
    }),
  );
  const [confirming, setConfirming] = useState<"destroy" | "clear" | null>(null);
  const buttons: Array<{ label: string; key: keyof Actions; run: () => void; pending: boolean; show: boolean; variant?: "primary" }> = [
    { label: "Start", key: "start", run: () => start.mutate({ name }), pending: start.isPending, show: true, variant: "primary" },
    { label: "Stop", key: "stop", run: () => stop.mutate({ name }), pending: stop.isPending, show: true },
    { label: "Record snapshot", key: "snapshotRecord", run: () => snapshot.mutate({ session: name }), pending: snapshot.isPending, show: true },
    { label: "Rotate", key: "rotate", run: () => rotate.mutate({ name }), pending: rotate.isPending, show: true },
    { label: "Clear", key: "clear", run: () => setConfirming("clear"), pending: clear.isPending, show: true },
    { label: "Regenerate state dump", key: "regenerateStatedump", run: () => regen.mutate({ name, what: "statedump" }), pending: regen.isPending, show: true },
    { label: "Save profile", key: "save", run: saveNew, pending: save.isPending, show: true },
  ];
  const refused = buttons.filter((b) => b.show && !actions[b.key].allowed);
  return (
    <div className="td-card p-3" role="toolbar" aria-label="Session actions">
      <div className="flex flex-wrap items-center gap-1.5">
        {buttons
          .filter((b) => b.show)
          .map((b) => (
            <ActionButton key={b.key} state={actions[b.key]} pending={b.pending} variant={b.variant} onClick={b.run}>
              {b.label}
            </ActionButton>
          ))}
        <span className="ml-auto" />
        {confirming === "destroy" ? (
          <>
            <span className="text-xs text-red-600">Destroy {name}? Recorded data stays on disk.</span>
            <button
              type="button"
              className="td-btn-danger"
              onClick={() => {
                setConfirming(null);
                destroy.mutate({ name });
              }}
            >
              Confirm destroy
            </button>
            <button type="button" className="td-btn" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </>
        ) : (
          <ActionButton state={actions.destroy} pending={destroy.isPending} variant="danger" onClick={() => setConfirming("destroy")}>
            Destroy
          </ActionButton>
        )}
      </div>
      {confirming === "clear" && (
        <div className="mt-2 flex flex-wrap items-center gap-2" role="group" aria-label="Confirm clear">
          <span className="text-xs text-red-600">
            Clear {name}? This deletes the trace data it recorded so far (on disk or at the relay) and empties its buffers. It cannot be undone.
          </span>
          <button
            type="button"
            className="td-btn-danger"
            onClick={() => {
              setConfirming(null);
              clear.mutate({ name, confirm: true });
            }}
          >
            Confirm clear
          </button>
          <button type="button" className="td-btn" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      {askOverwrite && (
        <div className="mt-2 flex flex-wrap items-center gap-2" role="group" aria-label="Confirm overwrite">
          <span className="text-xs text-amber-700 dark:text-amber-400">
            A profile named {name} already exists. Overwrite it with this session&apos;s current configuration?
          </span>
          <button
            type="button"
            className="td-btn-danger"
            onClick={() => {
              setAskOverwrite(false);
              save.mutate({ name, force: true });
            }}
          >
            Overwrite profile
          </button>
          <button type="button" className="td-btn" onClick={() => setAskOverwrite(false)}>
            Keep the existing profile
          </button>
        </div>
      )}
      {refused.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-[11px] text-zinc-500" data-testid="refused-actions">
          {refused.map((b) => (
            <li key={b.key}>
              <b>{b.label}</b>: {actions[b.key].reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
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

function Refused({ state }: { state: ActionState }) {
  return state.allowed ? null : <p className="text-xs text-zinc-500">{state.reason}</p>;
}

function Channels({ s, actions, canOperate, track }: { s: Session; actions: Actions; canOperate: boolean; track: Track }) {
  const trpc = useTRPC();
  const disable = useMutation(trpc.sessions.disableChannel.mutationOptions(track("Disabling the channel…", () => "Channel disabled.")));
  const enable = useMutation(
    trpc.sessions.enableChannel.mutationOptions(track("Enabling the channel…", (d: { name: string }) => `Channel ${d.name} enabled.`)),
  );
  const rows = s.domains.flatMap((d) => d.channels.map((c) => ({ ...c, domain: d.type, buffers: d.bufferType })));
  return (
    <Section
      title="Channels"
      right={
        <span className="text-xs text-zinc-500">
          counters refresh every 2 s; LTTng 2.13&apos;s <code>list</code> does not report buffer usage
        </span>
      }
    >
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No channel: the first event rule creates <code>channel0</code> with LTTng&apos;s defaults.
        </p>
      ) : (
        <table className="td-table" data-testid="channels">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Channel</th>
              <th>State</th>
              <th>When full</th>
              <th className="text-right">Sub-buffers</th>
              <th>Buffers</th>
              <th className="text-right">Switch / read / monitor</th>
              <th className="text-right">Trace files</th>
              <th className="text-right">Discarded events</th>
              <th className="text-right">Lost packets</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const a = c.attributes;
              const domain = MI_DOMAIN[c.domain] === "kernel" ? "kernel" : "userspace";
              return (
                <tr key={`${c.domain}-${c.name}`} data-testid={`channel-${c.name}`}>
                  <td>{DOMAIN_LABEL[c.domain]}</td>
                  <td className="font-mono">{c.name}</td>
                  <td>{c.enabled ? "enabled" : <span className="text-zinc-500">disabled</span>}</td>
                  <td>{a ? (a.overwrite ? "overwrite" : "discard") : "—"}</td>
                  <td className="text-right">{a ? `${a.subbufCount} × ${fmtBytes(a.subbufSizeBytes)}` : "—"}</td>
                  <td className="text-xs">{c.buffers.toLowerCase().replace("_", "-")}</td>
                  <td className="text-right text-xs">{a ? `${fmtUs(a.switchTimerUs)} / ${fmtUs(a.readTimerUs)} / ${fmtUs(a.monitorTimerUs)}` : "—"}</td>
                  <td className="text-right text-xs">
                    {a && a.tracefileSizeBytes > 0 ? `${a.tracefileCount || "∞"} × ${fmtBytes(a.tracefileSizeBytes)}` : "unbounded"}
                  </td>
                  <td className={`text-right ${a && a.discardedEvents > 0 ? "font-semibold text-amber-700 dark:text-amber-400" : ""}`} data-testid="discarded">
                    {a ? fmtCount(a.discardedEvents) : "—"}
                  </td>
                  <td className={`text-right ${a && a.lostPackets > 0 ? "font-semibold text-amber-700 dark:text-amber-400" : ""}`}>
                    {a ? fmtCount(a.lostPackets) : "—"}
                  </td>
                  {canOperate && (
                    <td className="text-right">
                      {c.enabled ? (
                        <ActionButton
                          state={actions.disableChannel}
                          pending={disable.isPending}
                          onClick={() => disable.mutate({ session: s.name, domain, names: [c.name] })}
                        >
                          Disable
                        </ActionButton>
                      ) : (
                        <ActionButton
                          state={{ allowed: true, reason: null }}
                          pending={enable.isPending}
                          onClick={() => enable.mutate({ session: s.name, domain, name: c.name })}
                        >
                          Enable
                        </ActionButton>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canOperate &&
        (actions.enableChannel.allowed ? (
          <AddChannel session={s.name} track={track} />
        ) : (
          <p className="mt-2 text-xs text-zinc-500">Add channel: {actions.enableChannel.reason}</p>
        ))}
    </Section>
  );
}

function AddChannel({ session, track }: { session: string; track: Track }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<"userspace" | "kernel">("userspace");
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"" | "discard" | "overwrite">("");
  const [subbuf, setSubbuf] = useState("");
  const [num, setNum] = useState("");
  const add = useMutation(trpc.sessions.enableChannel.mutationOptions(track("Adding the channel…", (d: { name: string }) => `Channel ${d.name} added.`)));
  const field = errorField(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({
      session,
      domain,
      name: name.trim(),
      mode: mode || undefined,
      subbufSize: subbuf.trim() || undefined,
      numSubbuf: num.trim() ? Number(num) : undefined,
    });
  };
  return (
    <form onSubmit={submit} className="mt-3 flex flex-wrap items-start gap-2" aria-label="Add a channel">
      <select aria-label="Channel domain" className="td-input" value={domain} onChange={(e) => setDomain(e.target.value === "kernel" ? "kernel" : "userspace")}>
        <option value="userspace">user space</option>
        <option value="kernel">kernel</option>
      </select>
      <div>
        <input aria-label="Channel name" className="td-input w-32 font-mono" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
        <FieldError message={field === "name" ? add.error?.message : null} />
      </div>
      <select aria-label="When full" className="td-input" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
        <option value="">default</option>
        <option value="discard">discard</option>
        <option value="overwrite">overwrite</option>
      </select>
      <div>
        <input aria-label="Sub-buffer size" className="td-input w-24 font-mono" placeholder="512k" value={subbuf} onChange={(e) => setSubbuf(e.target.value)} />
        <FieldError message={check(ZSize, subbuf)} />
      </div>
      <input aria-label="Sub-buffer count" className="td-input w-16 font-mono" placeholder="4" value={num} onChange={(e) => setNum(e.target.value)} />
      <button type="submit" className="td-btn" disabled={add.isPending || !name.trim() || !!check(ZSize, subbuf)}>
        Add channel
      </button>
    </form>
  );
}

function EventRules({ s, actions, canOperate, track }: { s: Session; actions: Actions; canOperate: boolean; track: Track }) {
  const trpc = useTRPC();
  const disable = useMutation(trpc.sessions.disableEvent.mutationOptions(track("Disabling the event rule…", () => "Event rule disabled.")));
  const enable = useMutation(trpc.sessions.enableEvent.mutationOptions(track("Enabling the event rule…", () => "Event rule enabled.")));
  const rows = s.domains.flatMap((d) => [
    ...d.channels.flatMap((c) => (c.events ?? []).map((e) => ({ ...e, domain: d.type, channel: c.name as string | null }))),
    ...d.events.map((e) => ({ ...e, domain: d.type, channel: null as string | null })),
  ]);
  return (
    <Section title="Event rules">
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No event rule.</p>
      ) : (
        <table className="td-table" data-testid="event-rules">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Channel</th>
              <th>Name</th>
              <th>Type</th>
              <th>State</th>
              <th>Filter</th>
              <th>Log level</th>
              <th>Exclusions</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((e, i) => {
              const domain = MI_DOMAIN[e.domain] ?? "userspace";
              const kind = e.type === "SYSCALL" ? ("syscall" as const) : ("tracepoint" as const);
              return (
                <tr key={i} data-testid={`rule-${e.name}`}>
                  <td>{DOMAIN_LABEL[e.domain]}</td>
                  <td className="font-mono text-xs">{e.channel ?? "—"}</td>
                  <td className="font-mono text-xs">{e.name}</td>
                  <td className="text-xs">{e.type.toLowerCase()}</td>
                  <td>{e.enabled ? "enabled" : <span className="text-zinc-500">disabled</span>}</td>
                  <td className="max-w-[320px] truncate font-mono text-xs" title={e.filter ?? ""}>
                    {e.filter ?? "—"}
                  </td>
                  <td className="text-xs">
                    {e.loglevel ? `${e.loglevelType === "SINGLE" ? "only " : e.loglevelType === "RANGE" ? "≥ " : ""}${e.loglevel}` : "any"}
                  </td>
                  <td className="font-mono text-xs">{e.exclusions.join(", ") || "—"}</td>
                  {canOperate && (
                    <td className="text-right">
                      {e.enabled ? (
                        <ActionButton
                          state={actions.disableEvent}
                          pending={disable.isPending}
                          onClick={() => disable.mutate({ session: s.name, domain, channel: e.channel ?? undefined, names: [e.name], kind })}
                        >
                          Disable
                        </ActionButton>
                      ) : (
                        <ActionButton
                          state={actions.enableEvent}
                          pending={enable.isPending}
                          onClick={() =>
                            // The same rule again (LTTng matches a rule by name, filter, log level and exclusions).
                            enable.mutate({
                              session: s.name,
                              domain,
                              channel: e.channel ?? undefined,
                              names: [e.name],
                              kind,
                              filter: e.filter ?? undefined,
                              loglevel: e.loglevel && e.loglevelType !== "ALL" ? e.loglevel : undefined,
                              loglevelOnly: e.loglevelType === "SINGLE" || undefined,
                              exclude: e.exclusions.length ? e.exclusions : undefined,
                            })
                          }
                        >
                          Enable
                        </ActionButton>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canOperate && <AddEventRule s={s} track={track} />}
    </Section>
  );
}

function AddEventRule({ s, track }: { s: Session; track: Track }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<BrowserDomain>("userspace");
  const [names, setNames] = useState("");
  const [channel, setChannel] = useState("");
  const [filter, setFilter] = useState("");
  const [loglevel, setLoglevel] = useState("");
  const add = useMutation(
    trpc.sessions.enableEvent.mutationOptions(
      track(
        "Enabling the event rule…",
        (d: Array<{ name: string }>) => `Event rule ${d.map((x) => x.name).join(", ")} enabled.`,
        () => {
          setNames("");
          setFilter("");
          setLoglevel("");
        },
      ),
    ),
  );
  const field = errorField(add.error);
  const channels = s.domains.filter((d) => MI_DOMAIN[d.type] === domain).flatMap((d) => d.channels.map((c) => c.name));
  const hasChannels = domain === "userspace" || domain === "kernel";
  // LTTng puts a rule without --channel in `channel0`, and refuses when the session has other
  // channels but no channel0: the only channel is chosen for the user, several must be chosen.
  const defaultOk = channels.length === 0 || channels.includes("channel0");
  const chosen = channel !== "" ? channel : !defaultOk && channels.length === 1 ? channels[0]! : "";
  const channelMissing = hasChannels && chosen === "" && !defaultOk;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (channelMissing) return;
    add.mutate({
      session: s.name,
      domain,
      names: names
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
      channel: (hasChannels && chosen) || undefined,
      filter: filter.trim() || undefined,
      loglevel: loglevel.trim() || undefined,
    });
  };
  return (
    <form onSubmit={submit} className="mt-3 space-y-1 rounded border border-zinc-200 p-2 dark:border-zinc-800" aria-label="Add an event rule">
      <div className="flex flex-wrap items-start gap-2">
        <select
          aria-label="Event domain"
          className="td-input"
          value={domain}
          onChange={(e) => {
            setDomain(e.target.value as BrowserDomain);
            setChannel("");
          }}
        >
          {DOMAIN_TABS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
        <div>
          <input
            aria-label="Event names"
            className="td-input w-72 font-mono"
            placeholder="provider:event, provider:*"
            value={names}
            onChange={(e) => setNames(e.target.value)}
          />
          <FieldError message={field === "names" ? add.error?.message : null} />
        </div>
        {hasChannels && (
          <div>
            <select aria-label="Event channel" className="td-input" value={chosen} onChange={(e) => setChannel(e.target.value)}>
              {defaultOk ? (
                <option value="">{channels.length === 0 ? "default channel (channel0, created)" : "default channel (channel0)"}</option>
              ) : (
                channels.length > 1 && <option value="">choose a channel…</option>
              )}
              {channels.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <FieldError
              message={
                channelMissing
                  ? `Choose the channel: this session's ${DOMAIN_LABEL[domain === "kernel" ? "KERNEL" : "UST"]} channels are ${channels.join(", ")}, and LTTng has no default channel (channel0) here.`
                  : field === "channel"
                    ? add.error?.message
                    : null
              }
            />
          </div>
        )}
        {domain !== "kernel" && (
          <input
            aria-label="Log level"
            className="td-input w-32 font-mono"
            placeholder="log level"
            value={loglevel}
            onChange={(e) => setLoglevel(e.target.value)}
          />
        )}
        <button type="submit" className="td-btn" disabled={add.isPending || !names.trim() || channelMissing}>
          Enable event rule
        </button>
      </div>
      <FilterEditor id="add-rule-filter" value={filter} onChange={setFilter} error={field === "filter" ? add.error?.message : null} />
    </form>
  );
}

function Contexts({ s, actions, canOperate, track }: { s: Session; actions: Actions; canOperate: boolean; track: Track }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<BrowserDomain>("userspace");
  const [types, setTypes] = useState("");
  const add = useMutation(
    trpc.sessions.addContext.mutationOptions(
      track("Adding contexts…", (d: Array<{ type: string; symbol: string; success: boolean }>) => {
        const bad = d.filter((x) => !x.success);
        return bad.length ? `LTTng refused: ${bad.map((x) => x.type || x.symbol).join(", ")}` : `Added ${d.map((x) => x.type || x.symbol).join(", ")}.`;
      }),
    ),
  );
  return (
    <Section title="Contexts">
      <p className="text-xs text-zinc-500">
        LTTng 2.13 does not list a session&apos;s contexts (its MI has no context list); they appear in the trace metadata and in a saved profile.
      </p>
      {canOperate &&
        (actions.addContext.allowed ? (
          <form
            className="mt-2 flex flex-wrap items-start gap-2"
            aria-label="Add contexts"
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate({ session: s.name, domain, types: types.split(/[\s,]+/).filter(Boolean) });
            }}
          >
            <select aria-label="Context domain" className="td-input" value={domain} onChange={(e) => setDomain(e.target.value as BrowserDomain)}>
              {DOMAIN_TABS.filter((d) => CONTEXT_TYPES_BY_DOMAIN[d.id].length > 0).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
            </select>
            <div>
              <input
                aria-label="Context types"
                list="context-types"
                className="td-input w-72 font-mono"
                placeholder="vpid, vtid, procname"
                value={types}
                onChange={(e) => setTypes(e.target.value)}
              />
              <datalist id="context-types">
                {CONTEXT_TYPES_BY_DOMAIN[domain].map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
              <FieldError message={errorField(add.error)?.startsWith("types") ? add.error?.message : null} />
            </div>
            <button type="submit" className="td-btn" disabled={add.isPending || !types.trim()}>
              Add
            </button>
          </form>
        ) : (
          <Refused state={actions.addContext} />
        ))}
    </Section>
  );
}

function Trackers({ s, canOperate, track }: { s: Session; canOperate: boolean; track: Track }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState<"userspace" | "kernel">("userspace");
  const [attr, setAttr] = useState<"pid" | "vpid" | "uid" | "vuid" | "gid" | "vgid">("vpid");
  const [values, setValues] = useState("");
  const trackM = useMutation(trpc.sessions.track.mutationOptions(track("Tracking…", () => "Tracker updated.")));
  const untrackM = useMutation(trpc.sessions.untrack.mutationOptions(track("Untracking…", () => "Tracker updated.")));
  const parsed = values
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((v) => (/^\d+$/.test(v) ? Number(v) : v));
  const trackers = s.domains.flatMap((d) => d.trackers.map((t) => ({ ...t, domain: d.type })));
  const err = trackM.error ?? untrackM.error;
  return (
    <Section title="Trackers">
      {trackers.length === 0 ? (
        <p className="text-xs text-zinc-500">Every process is tracked (no restriction).</p>
      ) : (
        <table className="td-table" data-testid="trackers">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Attribute</th>
              <th>Tracked values</th>
            </tr>
          </thead>
          <tbody>
            {trackers.map((t) => (
              <tr key={`${t.domain}-${t.kind}`}>
                <td>{DOMAIN_LABEL[t.domain]}</td>
                <td className="font-mono">{t.kind}</td>
                <td className="font-mono text-xs">
                  {t.values.length === 0 ? "none (nothing recorded)" : t.values.map((v) => (v.all ? "all" : (v.name ?? v.id))).join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canOperate && (
        <div className="mt-2 flex flex-wrap items-start gap-2" role="group" aria-label="Track or untrack">
          <select
            aria-label="Tracker domain"
            className="td-input"
            value={domain}
            onChange={(e) => {
              const d = e.target.value === "kernel" ? "kernel" : "userspace";
              setDomain(d);
              setAttr(d === "kernel" ? "pid" : "vpid");
            }}
          >
            <option value="userspace">user space</option>
            <option value="kernel">kernel</option>
          </select>
          <select aria-label="Tracker attribute" className="td-input" value={attr} onChange={(e) => setAttr(e.target.value as typeof attr)}>
            {(domain === "kernel" ? ["pid", "vpid", "uid", "vuid", "gid", "vgid"] : ["vpid", "vuid", "vgid"]).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          <div>
            <input
              aria-label="Tracker values"
              className="td-input w-48 font-mono"
              placeholder="ids or names"
              value={values}
              onChange={(e) => setValues(e.target.value)}
            />
            <FieldError message={err && errorField(err) ? err.message : null} />
          </div>
          <button
            type="button"
            className="td-btn"
            disabled={!parsed.length || trackM.isPending}
            onClick={() => trackM.mutate({ session: s.name, domain, attr, values: parsed })}
          >
            Track
          </button>
          <button
            type="button"
            className="td-btn"
            disabled={!parsed.length || untrackM.isPending}
            onClick={() => untrackM.mutate({ session: s.name, domain, attr, values: parsed })}
          >
            Untrack
          </button>
          <button type="button" className="td-btn" disabled={trackM.isPending} onClick={() => trackM.mutate({ session: s.name, domain, attr, all: true })}>
            Track all
          </button>
        </div>
      )}
    </Section>
  );
}

function Rotation({ s, actions, canOperate, track }: { s: Session; actions: Actions; canOperate: boolean; track: Track }) {
  const trpc = useTRPC();
  const [timer, setTimer] = useState("");
  const [size, setSize] = useState("");
  const enable = useMutation(trpc.sessions.enableRotation.mutationOptions(track("Setting the rotation schedule…", () => "Rotation schedule set.")));
  const disable = useMutation(trpc.sessions.disableRotation.mutationOptions(track("Removing the rotation schedule…", () => "Rotation schedule removed.")));
  const timerErr = check(ZDurationUs, timer);
  const sizeErr = check(ZSize, size);
  const field = errorField(enable.error);
  return (
    <Section title="Rotation schedule">
      <p className="text-sm" data-testid="rotation-schedule">
        {s.rotation.periodicUs === null && s.rotation.sizeBytes === null ? (
          <span className="text-zinc-500">No automatic rotation.</span>
        ) : (
          <>
            Rotates {fmtRotation(s.rotation)}. Closed chunks go to <code>archives/</code>.
          </>
        )}
      </p>
      {canOperate &&
        (actions.enableRotation.allowed ? (
          <form
            className="mt-2 flex flex-wrap items-start gap-2"
            aria-label="Rotation schedule"
            onSubmit={(e) => {
              e.preventDefault();
              enable.mutate({ session: s.name, timerUs: timer.trim() || undefined, size: size.trim() || undefined });
            }}
          >
            <div>
              <input
                aria-label="Rotate every"
                className="td-input w-28 font-mono"
                placeholder="every 30s"
                value={timer}
                onChange={(e) => setTimer(e.target.value)}
              />
              <FieldError message={timerErr ?? (field === "timerUs" ? enable.error?.message : null)} />
            </div>
            <div>
              <input
                aria-label="Rotate at size"
                className="td-input w-28 font-mono"
                placeholder="at 64M"
                value={size}
                onChange={(e) => setSize(e.target.value)}
              />
              <FieldError message={sizeErr ?? (field === "size" ? enable.error?.message : null)} />
            </div>
            <button type="submit" className="td-btn" disabled={enable.isPending || (!timer.trim() && !size.trim()) || !!timerErr || !!sizeErr}>
              Set schedule
            </button>
            <ActionButton
              state={actions.disableRotation}
              pending={disable.isPending}
              onClick={() => disable.mutate({ session: s.name, timer: s.rotation.periodicUs !== null, size: s.rotation.sizeBytes !== null })}
            >
              Remove schedule
            </ActionButton>
          </form>
        ) : (
          <Refused state={actions.enableRotation} />
        ))}
    </Section>
  );
}

function SnapshotOutputs({
  name,
  outputs,
  actions,
  canOperate,
  track,
}: {
  name: string;
  outputs: State["snapshotOutputs"];
  actions: Actions;
  canOperate: boolean;
  track: Track;
}) {
  const trpc = useTRPC();
  const [dir, setDir] = useState("");
  const [url, setUrl] = useState("");
  const [outName, setOutName] = useState("");
  const [maxSize, setMaxSize] = useState("");
  const del = useMutation(trpc.sessions.snapshotDelOutput.mutationOptions(track("Deleting the snapshot output…", () => "Snapshot output deleted.")));
  const add = useMutation(
    trpc.sessions.snapshotAddOutput.mutationOptions(
      track("Adding the snapshot output…", (d: { ctrlUrl: string | null }) => `Snapshot output set to ${d.ctrlUrl ?? "?"}.`),
    ),
  );
  const field = errorField(add.error);
  return (
    <Section title="Snapshot output">
      {outputs.length === 0 ? (
        <p className="text-sm text-zinc-500">No snapshot output: snapshots cannot be recorded.</p>
      ) : (
        <table className="td-table" data-testid="snapshot-outputs">
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th>Destination</th>
              <th className="text-right">Max size</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {outputs.map((o) => (
              <tr key={o.id ?? o.name}>
                <td>{o.id}</td>
                <td className="font-mono text-xs">{o.name}</td>
                <td className="font-mono text-xs">
                  {o.ctrlUrl}
                  {o.dataUrl ? ` + ${o.dataUrl}` : ""}
                </td>
                <td className="text-right text-xs">{o.maxSizeBytes ? fmtBytes(o.maxSizeBytes) : "unlimited"}</td>
                {canOperate && (
                  <td className="text-right">
                    <ActionButton state={actions.snapshotDelOutput} pending={del.isPending} onClick={() => del.mutate({ name, output: o.id ?? 1 })}>
                      Delete
                    </ActionButton>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canOperate &&
        (actions.snapshotAddOutput.allowed ? (
          <form
            className="mt-2 flex flex-wrap items-start gap-2"
            aria-label="Add a snapshot output"
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate({
                session: name,
                name: outName.trim() || undefined,
                maxSize: maxSize.trim() || undefined,
                ...(url.trim() ? { url: url.trim() } : { outputDir: dir.trim() }),
              });
            }}
          >
            <div>
              <input
                aria-label="Output directory"
                className="td-input w-48 font-mono"
                placeholder="directory (under traces)"
                value={dir}
                onChange={(e) => setDir(e.target.value)}
                disabled={!!url}
              />
              <FieldError message={field === "outputDir" ? add.error?.message : null} />
            </div>
            <div>
              <input
                aria-label="Output relay URL"
                className="td-input w-56 font-mono"
                placeholder="or net://127.0.0.1"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
              <FieldError message={field === "url" ? add.error?.message : null} />
            </div>
            <input
              aria-label="Output name"
              className="td-input w-28 font-mono"
              placeholder="name"
              value={outName}
              onChange={(e) => setOutName(e.target.value)}
            />
            <div>
              <input
                aria-label="Snapshot max size"
                className="td-input w-24 font-mono"
                placeholder="max size"
                value={maxSize}
                onChange={(e) => setMaxSize(e.target.value)}
              />
              <FieldError message={check(ZSize, maxSize) ?? (field === "maxSize" ? add.error?.message : null)} />
            </div>
            <button type="submit" className="td-btn" disabled={add.isPending || (!dir.trim() && !url.trim())}>
              Add output
            </button>
          </form>
        ) : (
          <Refused state={actions.snapshotAddOutput} />
        ))}
    </Section>
  );
}

function SessionTriggers({ name, canOperate, guards }: { name: string; canOperate: boolean; guards: State["triggerActions"] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.triggers.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.triggers.list.queryKey() });
  const remove = useMutation(
    trpc.triggers.remove.mutationOptions({
      onSuccess: (t) => setOutcome({ ok: true, text: `Trigger ${t.name} removed.` }),
      onError: (e) => setOutcome({ ok: false, text: e.message }),
      onSettled: refresh,
    }),
  );
  const all = q.data ?? [];
  const mine = all.filter((t) => t.actions.some((a) => a.sessionName === name));
  // Notify-only triggers act on no session: shown here too, or one added here would vanish.
  const notifyOnly = all.filter((t) => t.actions.every((a) => a.type === "notify"));
  const table = (rows: typeof all, testId: string) => (
    <table className="td-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Trigger</th>
          <th>When</th>
          <th>Then</th>
          {canOperate && <th />}
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.name} data-testid={`trigger-${t.name}`}>
            <td className="font-mono text-xs">{t.name}</td>
            <td className="font-mono text-xs">
              {t.condition.eventRule.type} {t.condition.eventRule.namePattern}
              {t.condition.eventRule.filter ? ` if ${t.condition.eventRule.filter}` : ""}
            </td>
            <td className="text-xs">
              {t.actions
                .map(
                  (a) =>
                    `${a.type}${a.sessionName ? ` ${a.sessionName}` : ""}${a.ratePolicy.kind === "once-after" ? ` (once after ${a.ratePolicy.count})` : a.ratePolicy.count > 1 ? ` (every ${a.ratePolicy.count})` : ""}`,
                )
                .join("; ")}
            </td>
            {canOperate && (
              <td className="text-right">
                <ActionButton
                  state={{ allowed: true, reason: null }}
                  pending={remove.isPending && remove.variables?.name === t.name}
                  onClick={() => remove.mutate({ name: t.name })}
                >
                  Remove
                </ActionButton>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <Section title="Triggers on this session">
      {q.error ? (
        <p role="alert" className="text-xs text-red-600">
          {q.error.message}
        </p>
      ) : mine.length === 0 ? (
        <p className="text-xs text-zinc-500">{q.isPending ? "Loading…" : "No trigger acts on this session."}</p>
      ) : (
        table(mine, "session-triggers")
      )}
      {notifyOnly.length > 0 && (
        <>
          <h3 className="mt-2 text-xs font-semibold text-zinc-600 dark:text-zinc-400">Notify-only triggers (they act on no session)</h3>
          {table(notifyOnly, "notify-triggers")}
        </>
      )}
      {outcome && (
        <p
          role={outcome.ok ? "status" : "alert"}
          className={`mt-2 text-xs ${outcome.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600"}`}
          data-testid="trigger-outcome"
        >
          {outcome.text}
        </p>
      )}
      {canOperate && (
        <TriggerEditor
          session={name}
          guards={guards}
          onAdded={(t) => {
            setOutcome({ ok: true, text: `Trigger ${t} added.` });
            refresh();
          }}
        />
      )}
    </Section>
  );
}
