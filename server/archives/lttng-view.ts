import type { LttngController } from "../lttng/controller";
import { moduleLogger } from "../log";
import type { LttngView } from "./indexer";

const log = moduleLogger("archives");
const TTL_MS = 5_000;

/**
 * What the index asks LTTng, cached for a few seconds: a 2 s rotation must not cost one
 * `lttng list` per archive.
 */
export function lttngViewOf(controller: LttngController): LttngView {
  let active: { at: number; names: Promise<Set<string>> } | undefined;
  const causes = new Map<string, { at: number; cause: Promise<string | null> }>();
  let triggers: { at: number; list: Promise<Awaited<ReturnType<LttngController["listTriggers"]>>> } | undefined;
  return {
    activeSessions() {
      if (!active || Date.now() - active.at > TTL_MS) {
        active = { at: Date.now(), names: controller.listSessions().then((l) => new Set(l.filter((s) => s.active).map((s) => s.name))) };
      }
      return active.names;
    },
    async snapshotCause(session) {
      const pick = (list: Awaited<ReturnType<LttngController["listTriggers"]>>) => {
        const snapping = list.filter((t) => t.actions.some((a) => a.type === "snapshot-session" && a.sessionName === session));
        return snapping.length === 1 ? `trigger:${snapping[0]!.name}` : null;
      };
      const fresh = () => (triggers = { at: Date.now(), list: controller.listTriggers().catch(() => []) }).list;
      if (!triggers || Date.now() - triggers.at > TTL_MS) return pick(await fresh());
      // A miss on a cached list may be a trigger added since: ask once more.
      return pick(await triggers.list) ?? pick(await fresh());
    },
    rotationCause(session) {
      let c = causes.get(session);
      if (!c || Date.now() - c.at > TTL_MS) {
        const cause = controller
          .getSession(session)
          .then((s) => (s.rotation.periodicUs !== null ? "rotation-timer" : s.rotation.sizeBytes !== null ? "rotation-size" : null))
          // The session may be gone already (destroy rotates one last time).
          .catch((err: unknown) => {
            log.debug({ session, err: err instanceof Error ? err.message : String(err) }, "cannot read the session's rotation schedule");
            return null;
          });
        c = { at: Date.now(), cause };
        causes.set(session, c);
        // A failed look-up (the daemon busy rotating) is not remembered: the next archive asks again.
        void cause.then((v) => {
          if (v === null && causes.get(session)?.cause === cause) causes.delete(session);
        });
        if (causes.size > 1000) causes.delete(causes.keys().next().value!);
      }
      return c.cause;
    },
  };
}
