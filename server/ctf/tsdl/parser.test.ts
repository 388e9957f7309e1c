import { describe, expect, it } from "vitest";
import { CtfError } from "../errors";
import { parseTsdl } from "./parser";
import { TRACES } from "../../testing/shared";

const HEAD = `
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 32; align = 8; signed = false; } := unsigned int;
trace { major = 1; minor = 8; byte_order = be; packet.header := struct { uint8_t magic; }; };
`;

function err(src: string): CtfError {
  try {
    parseTsdl(src);
  } catch (e) {
    if (e instanceof CtfError) return e;
    throw e;
  }
  throw new Error("expected a CtfError");
}

describe("TSDL parser", () => {
  it("resolves multi-word aliases, typedefs, native byte order and the one-underscore escape", () => {
    const m = parseTsdl(`${HEAD}
typedef unsigned int myint;
env { hostname = "h"; tracer_major = 2; big = 18446744073709551615; };
clock { name = "monotonic"; freq = 1000000000; offset_s = 10; offset = -5; absolute = TRUE; uuid = "x"; };
stream { id = 3; event.context := struct { unsigned int _vpid; myint __x_length; }; };
event { name = "a:b"; id = 7; stream_id = 3; loglevel = 4; model.emf.uri = "u"; fields := struct { unsigned int _v; }; };`);
    expect(m.byteOrder).toBe("be");
    const s = m.streams.get(3)!;
    expect(s.eventContext!.fields.map((f) => [f.rawName, f.name])).toEqual([
      ["_vpid", "vpid"],
      ["__x_length", "_x_length"],
    ]);
    expect(s.eventContext!.fields[0]!.type).toMatchObject({ kind: "int", size: 32, byteOrder: "be", signed: false });
    const ev = s.events.get(7)!;
    expect(ev).toMatchObject({ name: "a:b", loglevel: 4, modelEmfUri: "u" });
    expect(m.env).toEqual({ hostname: "h", tracer_major: 2, big: 18446744073709551615n });
    expect(m.clocks.get("monotonic")).toMatchObject({ offsetSeconds: 10n, offsetCycles: -5n, absolute: true });
  });

  it("parses enums (implicit values, ranges, string labels, negative), named structs with align, variants by name", () => {
    const m = parseTsdl(`${HEAD}
struct hdr { enum : uint8_t { A, B = 5, "C D" = 7 ... 9, E } id; variant <id> { uint8_t A; struct { uint8_t x; } B; } v; } align(32);
enum neg : integer { size = 8; signed = true; } { M = -3 ... -1, Z };
variant opts { uint8_t A; unsigned int B; };
stream { event.header := struct hdr; };
event { name = "e"; fields := struct { enum neg _n; variant opts <_n> _o; uint8_t _arr[2][3]; }; };`);
    const h = m.streams.get(0)!.eventHeader!;
    expect(h.minAlign).toBe(32);
    const id = h.fields[0]!.type;
    expect(id.kind === "enum" && id.mappings).toEqual([
      { label: "A", start: 0n, end: 0n },
      { label: "B", start: 5n, end: 5n },
      { label: "C D", start: 7n, end: 9n },
      { label: "E", start: 10n, end: 10n },
    ]);
    const f = m.streams.get(0)!.events.get(0)!.fields!.fields;
    expect(f[0]!.type.kind === "enum" && f[0]!.type.mappings[1]).toEqual({ label: "Z", start: 0n, end: 0n });
    expect(f[1]!.type).toMatchObject({ kind: "variant", tag: "_n" });
    expect(f[2]!.type).toMatchObject({ kind: "array", length: 2, elem: { kind: "array", length: 3 } });
  });

  it("errors point to the line and column of the offending token", () => {
    const e = err(`${HEAD}\nevent {\n  name = "x";\n  fields := struct { uint9_t _a; };\n};`);
    expect(e.code).toBe("metadata-semantic");
    expect(e.message).toMatch(/Unknown type 'uint9_t'/);
    expect([e.line, e.column]).toEqual([8, 22]);
    const s = err(`${HEAD}\nstream { id = 0 }`);
    expect(s.code).toBe("metadata-syntax");
    expect([s.line, s.column]).toEqual([6, 17]);
    expect(err(`${HEAD} event { fields := struct { uint8_t _a; uint8_t _a; }; };`).message).toMatch(/Duplicate field '_a'/);
    expect(err(`trace { major = 0; minor = 1; };`)).toMatchObject({ code: "unsupported", line: 1 });
    expect(err(`${HEAD} typealias integer { size = 65; } := x;`).message).toMatch(/Integer size must be 1\.\.64/);
    expect(err(`${HEAD} /* unterminated`).message).toMatch(/Unterminated comment/);
  });

  it("bounds nesting instead of overflowing the stack", () => {
    const deep = "struct { ".repeat(200) + "uint8_t _x; " + "} _s; ".repeat(200);
    expect(err(`${HEAD} event { fields := struct { ${deep} }; };`).message).toMatch(/nested too deeply/);
  });
});

describe("lazy event blocks", () => {
  it("give the same model as the eager parse on every shared trace's metadata", async () => {
    const { readFileSync } = await import("node:fs");
    const { metadataTextFromBytes } = await import("../metadata");
    for (const t of ["bt-lttng-modules-2.0.0-ref", "bt-multi-domains-kernel", "tc-flipping-endianness", "tc-many-threads", "tc-scp-dest"]) {
      const text = metadataTextFromBytes(readFileSync(`${TRACES}/${t}/kernel/metadata`)).text;
      const eager = parseTsdl(text);
      const lazy = parseTsdl(text, { lazyEvents: true });
      expect(lazy.byteOrder).toBe(eager.byteOrder);
      for (const [sid, s] of eager.streams) {
        const l = lazy.streams.get(sid)!;
        expect([...l.events.keys()]).toEqual([...s.events.keys()]);
        for (const [id, ev] of s.events) {
          const le = l.events.get(id)!;
          expect({ name: le.name, loglevel: le.loglevel, context: le.context, fields: le.fields }).toEqual({
            name: ev.name,
            loglevel: ev.loglevel,
            context: ev.context,
            fields: ev.fields,
          });
        }
      }
    }
  });

  it("report a syntax error inside a block with its line when the class is first used", () => {
    const m = parseTsdl(
      `${HEAD}\nevent { name = "ok"; id = 1; fields := struct { uint8_t _a; }; };\nevent {\n name = "bad"; id = 2;\n fields := struct { uint8_t _a };\n};`,
      { lazyEvents: true, file: "/x/metadata" },
    );
    const bad = m.streams.get(0)!.events.get(2)!;
    expect(bad.name).toBe("bad");
    let e: unknown;
    try {
      void bad.fields;
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(CtfError);
    expect(e).toMatchObject({ code: "metadata-syntax", line: 9, file: "/x/metadata" });
  });
});
