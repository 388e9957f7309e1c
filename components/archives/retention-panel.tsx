"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { formatBytes, formatCount } from "./format";

const MIB = 1024n * 1024n;

/** A session's archive retention (keep last N, max MiB, max age in hours), with what its archives hold now. */
export function RetentionPanel({ session, canOperate }: { session: string; canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const policy = useQuery(trpc.archives.retention.queryOptions({ session }));
  const groups = useQuery(trpc.archives.groups.queryOptions({ session, pageSize: 1 }, { refetchInterval: 5_000 }));
  const [keepLast, setKeepLast] = useState("");
  const [maxMiB, setMaxMiB] = useState("");
  const [maxAge, setMaxAge] = useState("");
  useEffect(() => {
    const p = policy.data;
    setKeepLast(p?.keepLast?.toString() ?? "");
    setMaxMiB(p?.maxBytes ? (p.maxBytes / MIB).toString() : "");
    setMaxAge(p?.maxAgeHours?.toString() ?? "");
  }, [policy.data]);
  const save = useMutation(
    trpc.archives.setRetention.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.archives.retention.queryKey({ session }) });
        void qc.invalidateQueries({ queryKey: trpc.archives.groups.queryKey() });
      },
    }),
  );
  const g = groups.data?.groups[0];
  const int = (v: string) => (v.trim() === "" ? null : Number(v));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const mib = int(maxMiB);
    save.mutate({ session, keepLast: int(keepLast), maxBytes: mib === null || !Number.isInteger(mib) ? null : BigInt(mib) * MIB, maxAgeHours: int(maxAge) });
  };
  return (
    <section className="td-card p-4" aria-label="Archive retention" data-testid="retention-panel">
      <div className="mb-2 flex items-baseline gap-3">
        <h2 className="font-semibold">Archive retention</h2>
        <span className="text-xs text-zinc-500">
          {g ? (
            <>
              {formatCount(g.count)} archives · {formatBytes(g.bytes)} ·{" "}
              <Link className="underline" href="/archives">
                Archives
              </Link>
            </>
          ) : (
            "no archive yet"
          )}
        </span>
      </div>
      <form className="flex flex-wrap items-end gap-2 text-xs" onSubmit={submit}>
        <label className="flex flex-col">
          Keep last
          <input
            className="td-input w-24"
            inputMode="numeric"
            aria-label="Keep last"
            value={keepLast}
            disabled={!canOperate}
            onChange={(e) => setKeepLast(e.target.value)}
            placeholder="all"
          />
        </label>
        <label className="flex flex-col">
          Max size (MiB)
          <input
            className="td-input w-28"
            inputMode="numeric"
            aria-label="Max size (MiB)"
            value={maxMiB}
            disabled={!canOperate}
            onChange={(e) => setMaxMiB(e.target.value)}
            placeholder="no limit"
          />
        </label>
        <label className="flex flex-col">
          Max age (hours)
          <input
            className="td-input w-28"
            inputMode="numeric"
            aria-label="Max age (hours)"
            value={maxAge}
            disabled={!canOperate}
            onChange={(e) => setMaxAge(e.target.value)}
            placeholder="no limit"
          />
        </label>
        {canOperate && (
          <button type="submit" className="td-btn" disabled={save.isPending}>
            Save and apply
          </button>
        )}
      </form>
      <p className="mt-1 text-xs text-zinc-500">
        Applied after each new archive. Archives still written, being reported, or outside the trace directories are never deleted. Empty fields: no limit.
      </p>
      {save.error && (
        <p role="alert" className="mt-1 text-sm text-red-600">
          {save.error.message}
        </p>
      )}
      {save.data && (
        <p className="mt-1 text-xs text-emerald-700" data-testid="retention-outcome">
          {save.data.policy ? `Saved; ${save.data.deleted.length} archive(s) deleted now.` : "Policy removed: every archive is kept."}
        </p>
      )}
    </section>
  );
}
