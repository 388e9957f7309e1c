"use client";

import { useState } from "react";
import { useTRPC } from "@/components/trpc/provider";
import { ZDurationUs, ZSize } from "@/server/shared/validators";
import { FieldError } from "@/components/form/field";
import { ActionButton, errorField } from "../action-ui";
import { fmtRotation } from "../format";
import { useSessionAction } from "../session-actions";
import { Refused, Section, check, type Actions, type Session } from "./section";

/** The automatic rotation schedule (timer, size); set, remove. */
export function Rotation({ s, actions, canOperate }: { s: Session; actions: Actions; canOperate: boolean }) {
  const trpc = useTRPC();
  const [timer, setTimer] = useState("");
  const [size, setSize] = useState("");
  const enable = useSessionAction(trpc.sessions.enableRotation, { pending: "Setting the rotation schedule…", ok: () => "Rotation schedule set." });
  const disable = useSessionAction(trpc.sessions.disableRotation, { pending: "Removing the rotation schedule…", ok: () => "Rotation schedule removed." });
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
