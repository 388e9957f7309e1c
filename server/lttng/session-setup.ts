/**
 * A whole new session in one request, as the creation wizard describes it: create, channels,
 * event rules, contexts, rotation schedule. `planSessionSetup` validates every part with the
 * controller's own schemas (and the filter syntax) and returns the equivalent `lttng` commands
 * without touching anything; `runSessionSetup` runs the parts and destroys the session again
 * if one fails, so a refused wizard leaves nothing behind.
 */
import { z } from "zod";
import { addContextArgs, enableChannelArgs, enableEventArgs, enableRotationArgs, shellCommand } from "./command-args";
import type { LttngController } from "./controller";
import { sessionOutput } from "./session-output";
import { LttngError } from "./errors";
import { checkFilterSyntax } from "./filter/parser";
import { ZAddContext, ZCreateSession, ZEnableChannel, ZEnableEvent, ZEnableRotation, readableIssues } from "./schemas";

/** The wizard's input before validation: each part is checked on its own so every problem is reported with its path. */
export const ZSessionSetupDraft = z.object({
  create: z.unknown(),
  channels: z.array(z.unknown()).max(64).default([]),
  events: z.array(z.unknown()).max(256).default([]),
  contexts: z.array(z.unknown()).max(64).default([]),
  rotation: z.unknown().optional(),
});
export type SessionSetupDraft = z.input<typeof ZSessionSetupDraft>;

export interface SetupIssue {
  /** Dotted path into the draft, e.g. `events.0.filter` or `create.name`. */
  path: string;
  message: string;
}

export interface SessionSetupPlan {
  /** The equivalent shell commands, in the order they run (only when there is no issue). */
  commands: string[];
  issues: SetupIssue[];
}

interface Parsed {
  create: z.output<typeof ZCreateSession>;
  channels: Array<z.output<typeof ZEnableChannel>>;
  events: Array<z.output<typeof ZEnableEvent>>;
  contexts: Array<z.output<typeof ZAddContext>>;
  rotation: z.output<typeof ZEnableRotation> | null;
}

function parseDraft(draft: z.output<typeof ZSessionSetupDraft>): { parsed: Parsed | null; issues: SetupIssue[] } {
  const issues: SetupIssue[] = [];
  const one = <T extends z.ZodType>(schema: T, v: unknown, prefix: string): z.output<T> | null => {
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    for (const i of readableIssues(r.error)) issues.push({ path: [prefix, i.path].filter(Boolean).join("."), message: i.message });
    return null;
  };
  const create = one(ZCreateSession, draft.create, "create");
  const channels = draft.channels.map((c, i) => one(ZEnableChannel, c, `channels.${i}`));
  const events = draft.events.map((e, i) => one(ZEnableEvent, e, `events.${i}`));
  const contexts = draft.contexts.map((c, i) => one(ZAddContext, c, `contexts.${i}`));
  const rotation = draft.rotation === undefined || draft.rotation === null ? null : one(ZEnableRotation, draft.rotation, "rotation");
  // The filter is checked even when another field of its rule is wrong, so every problem shows at once.
  draft.events.forEach((raw, i) => {
    const filter = (raw as { filter?: unknown } | null)?.filter;
    if (typeof filter !== "string" || filter === "") return;
    const err = checkFilterSyntax(filter);
    if (err) issues.push({ path: `events.${i}.filter`, message: `Invalid filter at character ${err.offset + 1}: ${err.message}` });
  });
  if (create) {
    const own = (s: { session: string } | null, path: string) => {
      if (s && s.session !== create.name) issues.push({ path: `${path}.session`, message: `Belongs to session ${s.session}, not ${create.name}` });
    };
    channels.forEach((c, i) => own(c, `channels.${i}`));
    events.forEach((e, i) => own(e, `events.${i}`));
    contexts.forEach((c, i) => own(c, `contexts.${i}`));
    own(rotation, "rotation");
    if (rotation && create.mode !== "local" && create.mode !== "network") {
      issues.push({ path: "rotation", message: `Rotation is not available for ${create.mode} sessions` });
    }
  }
  if (issues.length > 0 || !create) {
    // A bad session name makes every part's `session` bad too: say it once.
    const badName = issues.some((i) => i.path === "create.name");
    return {
      parsed: null,
      issues: firstPerPath(badName ? issues.filter((i) => !/^(channels|events|contexts)\.\d+\.session$|^rotation\.session$/.test(i.path)) : issues),
    };
  }
  return {
    parsed: {
      create,
      channels: channels.filter((c) => c !== null),
      events: events.filter((e) => e !== null),
      contexts: contexts.filter((c) => c !== null),
      rotation,
    },
    issues,
  };
}

/** One message per field: the first a schema reports (an empty name is "required", not also malformed). */
function firstPerPath(issues: SetupIssue[]): SetupIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(i.path) && seen.add(i.path));
}

/** Every problem of a draft, by path; pure, so the wizard can show them as the user types. */
export function checkSessionSetup(input: SessionSetupDraft): SetupIssue[] {
  return parseDraft(ZSessionSetupDraft.parse(input)).issues;
}

/** Validates a draft and lists the commands it would run. No side effect. */
export function planSessionSetup(ctl: Pick<LttngController, "createArgsFor">, input: SessionSetupDraft): SessionSetupPlan {
  const draft = ZSessionSetupDraft.parse(input);
  const { parsed, issues } = parseDraft(draft);
  if (!parsed) return { commands: [], issues };
  try {
    return { commands: commandsOf(ctl, parsed).map(shellCommand), issues };
  } catch (e) {
    if (e instanceof LttngError) return { commands: [], issues: [{ path: `create.${e.field ?? "name"}`, message: e.message }] };
    throw e;
  }
}

function commandsOf(ctl: Pick<LttngController, "createArgsFor">, p: Parsed): string[][] {
  return [
    ctl.createArgsFor(p.create),
    ...p.channels.map(enableChannelArgs),
    ...p.events.map(enableEventArgs),
    ...p.contexts.map(addContextArgs),
    ...(p.rotation ? [enableRotationArgs(p.rotation)] : []),
  ];
}

export interface SetupStepResult {
  command: string;
  /** A one-line account of LTTng's answer. */
  answer: string;
}

/**
 * Runs a draft through the controller. On the first failure the session is destroyed again
 * and the error is rethrown with its field prefixed by the part it came from
 * (`events.1.filter`), so the wizard can point at it.
 */
export async function runSessionSetup(ctl: LttngController, input: SessionSetupDraft): Promise<{ name: string; steps: SetupStepResult[] }> {
  const draft = ZSessionSetupDraft.parse(input);
  const { parsed, issues } = parseDraft(draft);
  if (!parsed) {
    const first = issues[0]!;
    throw new LttngError("INVALID_INPUT", first.message, { field: first.path });
  }
  const commands = commandsOf(ctl, parsed).map(shellCommand);
  const steps: SetupStepResult[] = [];
  let i = 0;
  const step = async (prefix: string, fn: () => Promise<string>) => {
    const command = commands[i++]!;
    try {
      steps.push({ command, answer: await fn() });
    } catch (e) {
      if (e instanceof LttngError) {
        throw new LttngError(e.code, e.message, { ...e.details, field: e.field ? `${prefix}.${e.field}` : prefix }, { cause: e });
      }
      throw e;
    }
  };
  await step("create", async () => {
    const s = await ctl.createSession(parsed.create);
    // A snapshot session's path is empty in LTTng's answer: it writes to its snapshot output.
    const outputs = s.mode === "snapshot" ? await ctl.snapshotListOutputs(s.name) : [];
    return `Session ${s.name} created (${sessionOutput(s, outputs)})`;
  });
  try {
    for (const [n, c] of parsed.channels.entries()) {
      await step(`channels.${n}`, async () => `Channel ${(await ctl.enableChannel(c)).name} enabled`);
    }
    for (const [n, e] of parsed.events.entries()) {
      await step(
        `events.${n}`,
        async () =>
          `Event rule${e.names.length > 1 ? "s" : ""} ${(await ctl.enableEvent(e)).map((x) => x.name).join(", ") || (e.all ? "(all)" : e.names.join(","))} enabled`,
      );
    }
    for (const [n, c] of parsed.contexts.entries()) {
      await step(`contexts.${n}`, async () => {
        const r = await ctl.addContext(c);
        const bad = r.filter((x) => !x.success);
        if (bad.length > 0)
          throw new LttngError("COMMAND_FAILED", `LTTng refused context ${bad.map((x) => x.type || x.symbol).join(", ")}`, { field: "types" });
        return `Context ${c.types.join(", ")} added`;
      });
    }
    if (parsed.rotation) {
      const r = parsed.rotation;
      await step("rotation", async () => {
        await ctl.enableRotation(r);
        return "Rotation schedule set";
      });
    }
  } catch (e) {
    // Leave nothing half-made behind.
    await ctl.destroy(parsed.create.name).catch(() => undefined);
    throw e;
  }
  return { name: parsed.create.name, steps };
}
