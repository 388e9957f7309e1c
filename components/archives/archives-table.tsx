"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc/provider";

const KIND_LABEL: Record<string, string> = {
  snapshot: "snapshot",
  "rotation-archive": "rotation archive",
  "rotation-chunk": "rotation chunk (current)",
  session: "trace",
};

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

/** Trace directories under the trace roots: snapshots, rotation archives, whole sessions. */
export function ArchivesTable() {
  const trpc = useTRPC();
  const list = useQuery(trpc.archives.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  const [kind, setKind] = useState("all");
  const rows = useMemo(() => (list.data?.archives ?? []).filter((a) => kind === "all" || a.archive.kind === kind), [list.data, kind]);
  return (
    <section className="td-card p-4" aria-labelledby="archives-title">
      <div className="mb-2 flex items-center gap-3">
        <h2 id="archives-title" className="font-semibold">Traces and archives</h2>
        <select aria-label="Kind" className="td-input ml-auto" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="all">all kinds</option>
          <option value="snapshot">snapshots</option>
          <option value="rotation-archive">rotation archives</option>
          <option value="session">traces</option>
        </select>
      </div>
      {list.error ? (
        <p role="alert" className="text-sm text-red-600">{list.error.message}</p>
      ) : list.isPending ? (
        <p className="text-sm text-zinc-500">Scanning the trace directories…</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No trace under {list.data?.roots.map((r) => r.path).join(", ")}.</p>
      ) : (
        <table className="td-table" data-testid="archives">
          <thead><tr><th>Directory</th><th>Kind</th><th title="Snapshot time or rotation range from the directory name; otherwise when the metadata was last written">Written (UTC)</th><th>Domains</th><th className="text-right">Size</th><th /></tr></thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.path} data-kind={a.archive.kind}>
                <td className="max-w-[480px] truncate font-mono text-xs" title={a.path}>{a.name}</td>
                <td>{KIND_LABEL[a.archive.kind]}{a.archive.snapshotName ? ` · ${a.archive.snapshotName}` : ""}</td>
                <td className="whitespace-nowrap text-xs">
                  {a.archive.begin !== undefined ? when(a.archive.begin) : when(a.modifiedAt.getTime())}
                  {a.archive.end !== undefined ? ` → ${when(a.archive.end).slice(11)}` : ""}
                </td>
                <td className="text-xs">{[...new Set(a.traces.map((t) => t.domain ?? "?"))].join(", ")}</td>
                <td className="text-right">{size(a.sizeBytes)}</td>
                <td className="whitespace-nowrap text-right">
                  <Link className="td-btn" href={`/analyze?trace=${encodeURIComponent(a.path)}`}>Analyze</Link>{" "}
                  <a className="td-btn" href={`/api/archives/download?path=${encodeURIComponent(a.path)}`} download>Download</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.truncated && <p className="mt-2 text-xs text-amber-600">The scan stopped at its limits; some traces are not listed.</p>}
    </section>
  );
}
