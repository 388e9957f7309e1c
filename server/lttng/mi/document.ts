import { XMLParser } from "fast-xml-parser";
import { z } from "zod";

/** The LTTng machine-interface namespace every `lttng --mi xml` document is in. */
export const MI_NAMESPACE = "https://lttng.org/xml/ns/lttng-mi";

/**
 * One `lttng --mi xml` document, split into its envelope parts. `output` is the raw element
 * tree (strings for leaves, `""` for empty elements, arrays for list items); only the
 * converters in `outputs.ts` look inside it.
 */
export interface MiDocument {
  /** `<name>`: the command as LTTng names it (`status` says `list`, `list-triggers` says `list-trigger`). */
  command: string;
  /** `schemaVersion` attribute, e.g. `4.1`. */
  schemaVersion: string;
  output: unknown;
  /** `<success>`; `undefined` for the commands that never print it (`list`, `status`, `list-triggers`, `version`). */
  success: boolean | undefined;
}

export class MiParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MiParseError";
  }
}

// Elements that are items of a list wherever they appear. Treating them as arrays always keeps
// one shape for one item or many, and lets the duplicated `<exclusions/><exclusions>…` of
// `enable-event --exclude` (an upstream MI bug) survive parsing instead of one copy winning.
const LIST_ITEMS = new Set([
  "session",
  "domain",
  "channel",
  "event",
  "pid",
  "event_field",
  "context",
  "snapshot",
  "trigger",
  "action",
  "event_expr",
  "exclusions",
  "exclusion",
  "error_query_result",
  "vpid",
  "vuid",
  "vgid",
  "uid",
  "gid",
  "rotation_schedule_result",
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // Prefixes are kept: the default-namespace declaration is checked below, and LTTng's
  // elements carry no prefix (only the root's `xsi:` attributes do, and we never read them).
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  jPath: true,
  isArray: (tagName: string, _jpath: unknown, _isLeaf: boolean, isAttribute: boolean) => !isAttribute && LIST_ITEMS.has(tagName),
});

const Envelope = z.object({
  "@_xmlns": z.literal(MI_NAMESPACE, { message: `MI document is not in the ${MI_NAMESPACE} namespace` }),
  "@_schemaVersion": z.string(),
  name: z.string(),
  output: z.unknown().optional(),
  success: z.enum(["true", "false"]).optional(),
});

/**
 * Parses one MI document. Throws `MiParseError` when the text is not XML, not in the LTTng
 * MI namespace, or lacks the `<command><name>` envelope. LTTng may print a document after
 * other text (e.g. `Warning: …`); the document is taken from the XML declaration on.
 */
export function parseMiDocument(xml: string): MiDocument {
  const start = xml.indexOf("<?xml");
  const text = start >= 0 ? xml.slice(start) : xml.trim();
  if (!text.startsWith("<")) throw new MiParseError("lttng printed no MI document");
  let tree: unknown;
  try {
    tree = parser.parse(text, true);
  } catch (cause) {
    throw new MiParseError("lttng printed malformed MI XML", { cause });
  }
  const root = (tree as { command?: unknown } | null)?.command;
  const env = Envelope.safeParse(root);
  if (!env.success) {
    throw new MiParseError(`Unexpected MI document: ${env.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return {
    command: env.data.name,
    schemaVersion: env.data["@_schemaVersion"],
    output: env.data.output ?? "",
    success: env.data.success === undefined ? undefined : env.data.success === "true",
  };
}
