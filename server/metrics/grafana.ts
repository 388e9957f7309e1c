/**
 * Grafana annotation per spike (`POST <grafana>/api/annotations`, Bearer token): the spike's
 * time, tags, and a text linking to the spike on the dashboard. Best effort: a Grafana that
 * is down costs a log line, never the spike or its snapshot.
 */
import type { RecordedSpike } from "../spikes/actions";

export interface GrafanaTarget {
  url: string;
  token: string;
  /** The dashboard's own base URL, for the link in the text. */
  dashboardUrl: string;
}

export function annotationOf(s: RecordedSpike, dashboardUrl: string) {
  const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(3);
  const link = `${dashboardUrl.replace(/\/$/, "")}/spikes#spike-${s.id}`;
  return {
    time: Number(s.tsNs / 1_000_000n),
    tags: ["tracedeck", "spike", `rule:${s.ruleName}`, s.detection],
    text: `Spike #${s.id}: ${ms(s.valueNs)} ms > ${ms(s.thresholdNs)} ms (${s.ruleName}, ${s.outcome}) <a href="${link}">snapshot report</a>`,
  };
}

export async function pushAnnotation(t: GrafanaTarget, s: RecordedSpike, timeoutMs = 5_000): Promise<void> {
  const res = await fetch(`${t.url.replace(/\/$/, "")}/api/annotations`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(t.token ? { authorization: `Bearer ${t.token}` } : {}) },
    body: JSON.stringify(annotationOf(s, t.dashboardUrl)),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  });
  if (!res.ok) throw new Error(`Grafana answered ${res.status} ${res.statusText}`);
}
