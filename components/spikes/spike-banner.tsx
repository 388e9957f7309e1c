"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/provider";
import { formatMs, formatTime, timelineAround } from "./format";

/** At the top of an archive's report when a spike took it: the spike, and where its own request sits in the report. */
export function SpikeBanner({ archiveId }: { archiveId: number }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.spikeRules.ofArchive.queryOptions({ id: archiveId }),
    refetchInterval: (query) => (query.state.data?.reportReady ? false : 3_000),
  });
  const d = q.data;
  if (!d) return null;
  const s = d.spike;
  return (
    <section className="td-card border-l-4 border-amber-500 p-4 text-sm" data-testid="spike-banner" data-spike={s.id}>
      <h2 className="font-semibold">
        Spike #{s.id}: {formatMs(s.valueNs)} &gt; {formatMs(s.thresholdNs)} ({s.ruleName}, {s.detection === "trigger" ? "LTTng trigger" : "live stream"})
      </h2>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        At {formatTime(s.tsNs)} UTC{s.actionMs !== null && <>; snapshot on disk {s.actionMs} ms after detection</>}
        {s.suppressed > 0 && <>; {s.suppressed} later spike(s) fell in its cooldown</>}.{" "}
        <Link className="text-sky-600 hover:underline" href={timelineAround(s.sourceId, s.tsNs)}>
          Timeline at this time
        </Link>
      </p>
      {d.inReport ? (
        <p className="mt-1" data-testid="spike-in-report">
          Its request is <strong>#{d.inReport.rank}</strong> in &ldquo;{d.inReport.table}&rdquo;
          {d.inReport.beginNs !== null && d.inReport.endNs !== null && (
            <>
              {" "}
              ({formatTime(d.inReport.beginNs)} → {formatTime(d.inReport.endNs)})
            </>
          )}
          .
        </p>
      ) : d.reportReady ? (
        <p className="mt-1 text-zinc-500" data-testid="spike-in-report">
          Its request is not among the slowest requests this report&rsquo;s top tables list.
        </p>
      ) : (
        <p className="mt-1 text-zinc-500">Its request will be located once the report is built.</p>
      )}
    </section>
  );
}
