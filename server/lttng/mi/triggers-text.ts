/**
 * Reads the human `lttng list-triggers` listing. Needed because LTTng 2.13.9's MI cannot be
 * trusted for triggers: `--mi xml list-triggers` (and `remove-trigger`) abort on an
 * assertion as soon as any rotate-session trigger exists, and the MI prints stop-session
 * actions as start-session. The text listing has neither problem. Error counters are not
 * read (the text says only "errors: none" or a count line).
 */
import type { EventRuleType, RatePolicy, Trigger, TriggerAction } from "./outputs";

const RULE_TYPES: Array<[RegExp, EventRuleType]> = [
  [/^user tracepoint/, "user"],
  [/^kernel tracepoint/, "kernel"],
  [/^kernel:kprobe|^kprobe/, "kprobe"],
  [/^kernel:uprobe|^uprobe/, "uprobe"],
  [/^kernel syscall|^syscall/, "syscall"],
  [/^jul:logging/, "jul"],
  [/^log4j:logging/, "log4j"],
  [/^python:logging/, "python"],
];

function ratePolicy(text: string): RatePolicy {
  const every = /rate policy: every (\d+) occurrences?/.exec(text);
  if (every) return { kind: "every", count: Number(every[1]) };
  const once = /rate policy: once after (\d+) occurrences?/.exec(text);
  if (once) return { kind: "once-after", count: Number(once[1]) };
  return { kind: "every", count: 1 };
}

function action(line: string): TriggerAction {
  const base = { sessionName: null as string | null, ratePolicy: ratePolicy(line), snapshotOutput: null, errors: [] };
  const session = /^(start|stop|rotate|snapshot) session `([^`]*)`/.exec(line);
  if (line === "notify" || line.startsWith("notify,")) return { ...base, type: "notify" };
  if (!session) return { ...base, type: "unknown" };
  const sessionName = session[2]!;
  switch (session[1]) {
    case "start":
      return { ...base, type: "start-session", sessionName };
    case "stop":
      return { ...base, type: "stop-session", sessionName };
    case "rotate":
      return { ...base, type: "rotate-session", sessionName };
    default: {
      const path = /, path: ([^,]+)/.exec(line)?.[1] ?? /, url: ([^,]+)/.exec(line)?.[1] ?? null;
      const name = /, name: ([^,]+)/.exec(line)?.[1] ?? null;
      const max = /, max size: (\d+)/.exec(line)?.[1];
      const hasOutput = path !== null || name !== null || max !== undefined;
      return {
        ...base,
        type: "snapshot-session",
        sessionName,
        snapshotOutput: hasOutput ? { id: null, name, ctrlUrl: path, dataUrl: null, sessionName: null, maxSizeBytes: max ? Number(max) : null } : null,
      };
    }
  }
}

/** `x:y (type: user tracepoint, filter: F, log level at least INFO, exclusions: a, b)`. */
function rule(text: string): Trigger["condition"]["eventRule"] {
  const open = text.indexOf(" (type: ");
  const namePattern = open >= 0 ? text.slice(0, open) : text;
  let rest = open >= 0 ? text.slice(open + " (type: ".length).replace(/\)$/, "") : "";
  const type = RULE_TYPES.find(([re]) => re.test(rest))?.[1] ?? "user";
  let exclusions: string[] = [];
  const ex = /, exclusions: (.*)$/.exec(rest);
  if (ex) {
    exclusions = ex[1]!.split(", ");
    rest = rest.slice(0, ex.index);
  }
  let logLevel: Trigger["condition"]["eventRule"]["logLevel"] = null;
  const ll = /, log level (at least|is) (\S+)$/.exec(rest);
  if (ll) {
    logLevel = { kind: ll[1] === "is" ? "exactly" : "at-least", level: null, name: ll[2]! };
    rest = rest.slice(0, ll.index);
  }
  const f = rest.indexOf(", filter: ");
  const filter = f >= 0 ? rest.slice(f + ", filter: ".length) : null;
  return { type, namePattern, filter, logLevel, exclusions, emissionSite: null, location: null };
}

/** Parses `lttng list-triggers` text into the same shape as the MI converter. */
export function parseTriggersText(text: string): Trigger[] {
  const out: Trigger[] = [];
  let cur: Trigger | null = null;
  let section: "" | "captures" | "actions" = "";
  for (const raw of text.split("\n")) {
    if (raw.startsWith("- name: ")) {
      cur = {
        name: raw.slice("- name: ".length),
        ownerUid: 0,
        condition: { type: "event-rule-matches", eventRule: rule(""), captures: [], errors: [] },
        actions: [],
        errors: [],
      };
      out.push(cur);
      section = "";
      continue;
    }
    if (!cur) continue;
    const line = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (indent === 2) {
      section = line === "actions:" ? "actions" : "";
      const uid = /^owner uid: (\d+)/.exec(line);
      if (uid) cur.ownerUid = Number(uid[1]);
      continue;
    }
    if (indent === 4 && line.startsWith("rule: ")) {
      cur.condition.eventRule = rule(line.slice("rule: ".length));
      continue;
    }
    if (indent === 4 && line === "captures:") {
      section = "captures";
      continue;
    }
    if (section === "captures" && indent === 6 && line.startsWith("- ")) {
      cur.condition.captures.push(line.slice(2));
      continue;
    }
    if (section === "actions" && indent === 4) cur.actions.push(action(line));
  }
  return out;
}
