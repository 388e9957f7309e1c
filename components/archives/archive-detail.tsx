"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ResultsView } from "@/components/analysis/results-view";
import { timelineHref } from "@/components/analysis/timeline-link";
import { SpikeBanner } from "@/components/spikes/spike-banner";
import { useTRPC } from "@/components/trpc/provider";
import { KIND_LABEL, REPORT_LABEL, formatBytes, formatCount, formatEpochNs, formatSpan, formatWhen } from "./format";

const TOP_NAMES = 20;

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

/** One archive: what the index knows, its report (summary chart, analyses), its files and downloads. */
export function ArchiveDetail({ id, rawId, canOperate }: { id: number | null; rawId: string; canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery({
    ...trpc.archives.get.queryOptions(
      { id: id ?? 1 },
      { refetchInterval: (query) => (query.state.data && ["queued", "running"].includes(query.state.data.archive.reportState) ? 2_000 : false) },
    ),
    enabled: id !== null,
    retry: false,
  });
  const router = useRouter();
  const remove = useMutation(trpc.archives.delete.mutationOptions({ onSuccess: () => router.push("/archives") }));
  const rebuild = useMutation(
    trpc.archives.report.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.archives.get.queryKey({ id: id ?? 1 }) }) }),
  );
  if (id === null)
    return (
      <p role="alert" className="text-sm text-red-600">
        &ldquo;{rawId}&rdquo; is not an archive id.
      </p>
    );
  if (q.error)
    return (
      <p role="alert" className="text-sm text-red-600">
        {q.error.message}
      </p>
    );
  if (!q.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  const { archive: a, summary, sections, files } = q.data;
  const names = (summary?.perName ?? []).slice(0, TOP_NAMES);
  return (
    <div className="space-y-4" data-testid="archive-detail" data-state={a.state} data-report={a.reportState}>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-lg font-semibold">
          {KIND_LABEL[a.kind] ?? a.kind} of {a.session}
        </h1>
        <span className="text-xs text-zinc-500">#{a.id}</span>
        <div className="ml-auto flex gap-2">
          <Link className="td-btn" href={`/analyze?trace=${encodeURIComponent(a.path)}`}>
            Analyze
          </Link>
          {a.firstEventNs !== null && a.lastEventNs !== null && (
            <Link className="td-btn" href={timelineHref(a.path, [a.firstEventNs.toString(), a.lastEventNs.toString()])}>
              Timeline
            </Link>
          )}
          {a.state !== "missing" && (
            <a className="td-btn" href={`/api/archives/download?id=${a.id}`} download>
              Download .tar.gz
            </a>
          )}
          {canOperate && (
            <button
              type="button"
              className="td-btn text-red-600"
              disabled={remove.isPending}
              onClick={() => {
                if (
                  window.confirm(`Delete this ${KIND_LABEL[a.kind] ?? "archive"} of ${a.session} (${formatBytes(a.bytes)}) from disk? This cannot be undone.`)
                )
                  remove.mutate({ id: a.id, confirm: true });
              }}
            >
              Delete
            </button>
          )}
        </div>
      </div>
      {remove.error && (
        <p role="alert" className="text-sm text-red-600">
          {remove.error.message}
        </p>
      )}
      {a.cause.startsWith("spike:") && <SpikeBanner archiveId={a.id} />}
      <dl className="td-card grid grid-cols-2 gap-3 p-4 md:grid-cols-4">
        <Field label="Path">
          <span className="break-all font-mono text-xs">{a.path}</span>
        </Field>
        <Field label="Host">{a.host}</Field>
        <Field label="Cause">{a.cause}</Field>
        <Field label="Written (UTC)">{formatWhen(a.createdAt)}</Field>
        <Field label="State">
          <span className={a.state === "complete" ? "" : "text-red-600"}>{a.state}</span>
          {a.error && <span className="block text-xs text-red-600">{a.error}</span>}
        </Field>
        <Field label="Size">
          {formatBytes(a.bytes)} in {formatCount(a.fileCount)} files
        </Field>
        <Field label="Domains">{a.domains || "—"}</Field>
        <Field label="Events">{formatCount(a.events)}</Field>
        <Field label="First event (UTC)">
          <span className="font-mono text-xs">{formatEpochNs(a.firstEventNs)}</span>
        </Field>
        <Field label="Last event (UTC)">
          <span className="font-mono text-xs">{formatEpochNs(a.lastEventNs)}</span>
        </Field>
        <Field label="Span">{formatSpan(a.firstEventNs, a.lastEventNs)}</Field>
        <Field label="Discarded events / lost packets">
          <span className={a.discarded || a.lostPackets ? "text-amber-600" : ""}>
            {formatCount(a.discarded)} / {formatCount(a.lostPackets)}
          </span>
        </Field>
      </dl>

      <section className="space-y-3" aria-labelledby="report-title">
        <div className="flex items-center gap-3">
          <h2 id="report-title" className="font-semibold">
            Report
          </h2>
          <span className="text-xs text-zinc-500" data-testid="report-state">
            {REPORT_LABEL[a.reportState] ?? a.reportState}
            {q.data.reportElapsedMs !== null && a.reportState === "done" ? ` · built in ${(q.data.reportElapsedMs / 1000).toFixed(2)} s` : ""}
          </span>
          {a.reportError && <span className="text-xs text-red-600">{a.reportError}</span>}
          {canOperate && a.state === "complete" && (
            <button type="button" className="td-btn ml-auto" disabled={rebuild.isPending} onClick={() => rebuild.mutate({ id: a.id })}>
              Build again
            </button>
          )}
        </div>
        {rebuild.error && (
          <p role="alert" className="text-sm text-red-600">
            {rebuild.error.message}
          </p>
        )}
        {summary && (
          <div className="grid gap-3 md:grid-cols-2">
            <section className="td-card p-3" aria-labelledby="per-name" data-testid="events-per-name">
              <h3 id="per-name" className="mb-2 font-semibold">
                Events per name
              </h3>
              <figure className="w-full" style={{ height: Math.max(120, names.length * 22 + 30) }} aria-label="Events per name: bar chart">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={names} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 4 }}>
                    <XAxis type="number" tick={{ fontSize: 11, fill: "currentColor" }} allowDecimals={false} />
                    <YAxis type="category" dataKey="name" width={220} tick={{ fontSize: 11, fill: "currentColor" }} />
                    <Tooltip contentStyle={{ fontSize: 12 }} />
                    <Bar dataKey="count" fill="#0284c7" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </figure>
              <table className="td-table mt-2">
                <thead>
                  <tr>
                    <th>Event</th>
                    <th className="text-right">Count</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.perName.map((r) => (
                    <tr key={r.name}>
                      <td className="font-mono text-xs">{r.name}</td>
                      <td className="text-right text-xs">{formatCount(r.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="td-card p-3" aria-labelledby="per-process" data-testid="events-per-process">
              <h3 id="per-process" className="mb-2 font-semibold">
                Events per process
              </h3>
              {summary.perProcess.length === 0 ? (
                <p className="text-xs text-zinc-500">The trace records no process context (add the vpid or procname context to the channel).</p>
              ) : (
                <table className="td-table">
                  <thead>
                    <tr>
                      <th>Process</th>
                      <th>PID</th>
                      <th className="text-right">Events</th>
                    </tr>
                  </thead>
                  <tbody>
                    {summary.perProcess.slice(0, 100).map((p) => (
                      <tr key={`${p.pid}/${p.procname}`}>
                        <td className="text-xs">{p.procname || "—"}</td>
                        <td className="text-xs">{p.pid ?? "—"}</td>
                        <td className="text-right text-xs">{formatCount(p.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>
        )}
        {sections.map((s, i) => (
          <section key={i} className="space-y-2" aria-label={s.title} data-testid="report-section" data-analysis={s.analysis}>
            <h3 className="font-semibold">{s.title}</h3>
            {s.error ? <p className="text-sm text-amber-600">Not available: {s.error}</p> : s.view && <ResultsView result={s.view} />}
          </section>
        ))}
      </section>

      <section className="td-card p-3" aria-labelledby="files-title">
        <h2 id="files-title" className="mb-2 font-semibold">
          Files
        </h2>
        {q.data.filesError ? (
          <p className="text-sm text-red-600">{q.data.filesError}</p>
        ) : (
          <table className="td-table" data-testid="archive-files">
            <thead>
              <tr>
                <th>File</th>
                <th className="text-right">Size</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.path}>
                  <td className="font-mono text-xs">{f.path}</td>
                  <td className="text-right text-xs">{formatBytes(f.bytes)}</td>
                  <td className="text-right">
                    <a className="td-btn" href={`/api/archives/download?id=${a.id}&file=${encodeURIComponent(f.path)}`} download>
                      Download
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {q.data.filesTruncated && <p className="mt-1 text-xs text-amber-600">Only the first 2,000 files are listed.</p>}
      </section>
    </div>
  );
}
