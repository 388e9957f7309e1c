"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { formatMs, formatTime, timelineAround } from "./format";
import { RuleForm } from "./rule-form";

const DAY_NS = 86_400_000_000_000n;

/** The spike rules (add, enable/disable, delete) and the spikes they recorded, each linked to its snapshot's report. */
export function SpikesView({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const rules = useQuery({ ...trpc.spikeRules.list.queryOptions(), refetchInterval: 5_000 });
  const sources = useQuery(trpc.spikeRules.sources.queryOptions());
  const [toNs] = useState(() => BigInt(Date.now()) * 1_000_000n + DAY_NS);
  const spikes = useQuery({ ...trpc.spikeRules.spikes.queryOptions({ fromNs: "0", toNs: toNs.toString(), limit: 200 }), refetchInterval: 2_000 });
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.spikeRules.pathKey() });
  const remove = useMutation(trpc.spikeRules.remove.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.spikeRules.update.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <div className="space-y-4">
      <section className="td-card p-4">
        <h2 className="font-semibold">Rules</h2>
        {rules.error && (
          <p role="alert" className="text-sm text-red-600">
            {rules.error.message}
          </p>
        )}
        <table className="td-table mt-2" data-testid="spike-rules">
          <thead>
            <tr>
              <th>Name</th>
              <th>Source</th>
              <th>Threshold</th>
              <th>Action</th>
              <th>Detection</th>
              <th>Limits</th>
              <th>State</th>
              {canOperate && <th />}
            </tr>
          </thead>
          <tbody>
            {(rules.data ?? []).map((r) => {
              const { id, createdAt: _c, updatedAt: _u, status, problems, ...spec } = r;
              return [
                <tr key={id} data-rule={r.name}>
                  <td>{r.name}</td>
                  <td>{sources.data?.find((s) => s.id === r.sourceId)?.label ?? `#${r.sourceId}`}</td>
                  <td>{r.threshold.kind === "absolute" ? `> ${formatMs(r.threshold.ns)}` : `> ${r.threshold.factor}× p99 (${r.threshold.windowMin} min)`}</td>
                  <td>
                    snapshot {r.snapshotSession}
                    {r.hostGroup && ` on every host of group ${r.hostGroup}`}
                    {r.other.action !== "none" && `, ${r.other.action} ${r.other.session}`}
                  </td>
                  <td>{r.detection === "trigger" ? "LTTng trigger" : "live stream"}</td>
                  <td>
                    cooldown {r.cooldownMs / 1000} s, ≤ {r.maxPerHour}/h
                  </td>
                  <td title={status?.message}>
                    {r.enabled ? (status?.state ?? "…") : "disabled"}
                    {(problems ?? []).map((p) => (
                      <p key={p} className="text-amber-700 dark:text-amber-400" data-testid="rule-problem">
                        ⚠ {p}
                      </p>
                    ))}
                  </td>
                  {canOperate && (
                    <td className="whitespace-nowrap">
                      <button type="button" className="td-btn" onClick={() => setEditing(editing === id ? null : id)}>
                        Edit
                      </button>{" "}
                      <button type="button" className="td-btn" onClick={() => update.mutate({ id, rule: { ...spec, enabled: !r.enabled } })}>
                        {r.enabled ? "Disable" : "Enable"}
                      </button>{" "}
                      <button
                        type="button"
                        className="td-btn text-red-600"
                        onClick={() => window.confirm(`Delete the rule ${r.name}? Its spikes stay.`) && remove.mutate({ id })}
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>,
                editing === id && (
                  <tr key={`${id}-edit`}>
                    <td colSpan={8}>
                      <RuleForm
                        sources={sources.data ?? []}
                        rule={r}
                        onDone={() => {
                          setEditing(null);
                          refresh();
                        }}
                      />
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
        {(remove.error ?? update.error) && (
          <p role="alert" className="text-sm text-red-600">
            {(remove.error ?? update.error)?.message}
          </p>
        )}
        {canOperate && sources.isSuccess && sources.data.length === 0 && (
          <p className="mt-3 text-sm text-zinc-500" data-testid="no-latency-source">
            A rule watches a latency source, and none is defined yet: define one on the{" "}
            <Link className="text-sky-600 hover:underline" href="/timeline">
              Timeline
            </Link>{" "}
            (New source), then choose it here.
          </p>
        )}
        {canOperate && <RuleForm sources={sources.data ?? []} rule={null} onDone={refresh} />}
      </section>
      <section className="td-card p-4">
        <h2 className="font-semibold">Spikes</h2>
        <table className="td-table mt-2" data-testid="spikes">
          <thead>
            <tr>
              <th>#</th>
              <th>Time (UTC)</th>
              <th>Rule</th>
              <th>Value</th>
              <th>Detection</th>
              <th>Outcome</th>
              <th>Snapshot</th>
            </tr>
          </thead>
          <tbody>
            {(spikes.data ?? []).map((s) => (
              <tr key={s.id} data-spike={s.id} data-outcome={s.outcome}>
                <td>{s.id}</td>
                <td>
                  <Link className="text-sky-600 hover:underline" href={timelineAround(s.sourceId, s.tsNs)}>
                    {formatTime(s.tsNs)}
                  </Link>
                </td>
                <td>{s.ruleName}</td>
                <td>
                  {formatMs(s.valueNs)} &gt; {formatMs(s.thresholdNs)}
                </td>
                <td>{s.detection}</td>
                <td>
                  {s.outcome}
                  {s.suppressed > 0 && ` (+${s.suppressed} in cooldown)`}
                  {/* Why the snapshot (or the rotate/stop after it) failed: LTTng's words, not a hover away. */}
                  {s.error && (
                    <p className="text-xs text-red-600" data-testid="spike-error">
                      {s.error}
                    </p>
                  )}
                </td>
                <td>
                  {s.archive ? (
                    <Link className="text-sky-600 hover:underline" href={`/archives/${s.archive.id}`} data-testid="spike-report">
                      report ({s.archive.reportState})
                    </Link>
                  ) : (
                    <span className="text-zinc-500">{s.archivePath ? "indexing…" : "—"}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {spikes.isSuccess && spikes.data.length === 0 && (
          <p className="mt-2 text-sm text-zinc-500">No spike yet: a rule records one each time its source goes over its threshold.</p>
        )}
      </section>
    </div>
  );
}
