/**
 * Interop settings an operator sets from the Settings page: the token that protects
 * `/metrics`, and the Grafana annotation push (URL and API token). Kept in the `Setting` table.
 */
import { z } from "zod";
import type { Db } from "../db";

/** A bearer token: letters, digits and `_ . ~ + = -` (Grafana's `glsa_…` and generated tokens), not starting with `.` or `-`; empty clears it. */
const ZToken = z
  .string()
  .max(1024)
  .regex(/^(?:[A-Za-z0-9_][A-Za-z0-9_.~+=-]*)?$/, "Letters, digits and _ . ~ + = - (not starting with . or -)");

const KEYS = { metricsToken: "metrics.token", grafanaUrl: "grafana.url", grafanaToken: "grafana.token" } as const;

export const ZInteropSettings = z.object({
  /** Empty: /metrics is off. */
  metricsToken: ZToken,
  /** Grafana's base URL (http or https); empty: no annotations. */
  grafanaUrl: z
    .string()
    .max(2048)
    .refine((u) => u === "" || /^https?:\/\/[^\s]+$/.test(u), "An http:// or https:// URL"),
  grafanaToken: ZToken,
});
export type InteropSettings = z.infer<typeof ZInteropSettings>;

export async function readInteropSettings(db: Db): Promise<InteropSettings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(KEYS) } } });
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? "";
  return { metricsToken: get(KEYS.metricsToken), grafanaUrl: get(KEYS.grafanaUrl), grafanaToken: get(KEYS.grafanaToken) };
}

export async function writeInteropSettings(db: Db, s: InteropSettings): Promise<void> {
  const v = ZInteropSettings.parse(s);
  await db.$transaction(
    (Object.keys(KEYS) as Array<keyof typeof KEYS>).map((k) =>
      db.setting.upsert({ where: { key: KEYS[k] }, create: { key: KEYS[k], value: v[k] }, update: { value: v[k] } }),
    ),
  );
}
