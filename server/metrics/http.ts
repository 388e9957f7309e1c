/**
 * `GET /metrics` (app/api/metrics/route.ts, rewritten from /metrics): Prometheus text format,
 * only with `Authorization: Bearer <token>` matching the token set in Settings; off (404)
 * while no token is set.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { config } from "../config";
import { db } from "../db";
import { moduleLogger } from "../log";
import { onSpikeRecorded } from "../spikes/running";
import { historyWriter } from "../spikes/service";
import { pushAnnotation } from "./grafana";
import { TracedeckMetrics } from "./registry";
import { readInteropSettings } from "./settings";

const log = moduleLogger("metrics");
const g = globalThis as unknown as { tracedeckMetrics?: TracedeckMetrics };

/** The process's metrics, wired to the history writer and the spikes (and the Grafana push). */
export function metrics(): TracedeckMetrics {
  if (!g.tracedeckMetrics) {
    const m = new TracedeckMetrics(db());
    historyWriter().onValue(m.observeLatency);
    onSpikeRecorded((s) => {
      m.spike(s);
      if (s.id === 0) return;
      void readInteropSettings(db())
        .then((st) => {
          if (!st.grafanaUrl) return;
          const c = config();
          return pushAnnotation({ url: st.grafanaUrl, token: st.grafanaToken, dashboardUrl: `http://${c.host}:${c.port}` }, s);
        })
        .catch((err: unknown) => log.warn({ spike: s.id, err: err instanceof Error ? err.message : String(err) }, "Grafana annotation failed"));
    });
    g.tracedeckMetrics = m;
  }
  return g.tracedeckMetrics;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

export function tokenMatches(header: string | null, token: string): boolean {
  const m = /^Bearer (\S+)$/.exec(header ?? "");
  return m !== null && token !== "" && timingSafeEqual(digest(m[1]!), digest(token));
}

export async function handleMetrics(req: Request): Promise<Response> {
  const { metricsToken } = await readInteropSettings(db());
  if (!metricsToken) return new Response("Metrics are off: set a metrics token in Settings.\n", { status: 404 });
  if (!tokenMatches(req.headers.get("authorization"), metricsToken))
    return new Response("A valid 'Authorization: Bearer <metrics token>' is required.\n", { status: 401, headers: { "www-authenticate": "Bearer" } });
  return new Response(await metrics().text(), { headers: { "content-type": metrics().registry.contentType } });
}
