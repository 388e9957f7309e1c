import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// validators.ts and live-events.ts are bundled into the browser: their whole import graphs
// must be free of Node.
const entries = ["./validators.ts", "./live-events.ts"].map((f) => fileURLToPath(new URL(f, import.meta.url)));

async function browserBundleErrors(entryPoint: string): Promise<string[]> {
  try {
    await build({ entryPoints: [entryPoint], bundle: true, platform: "browser", write: false, logLevel: "silent", format: "esm" });
    return [];
  } catch (err) {
    return ((err as { errors?: { text: string }[] }).errors ?? [{ text: String(err) }]).map((e) => e.text);
  }
}

describe("server/shared/ is isomorphic", () => {
  it.each(entries)("%s bundles for the browser with no Node-only import anywhere in its graph", async (entry) => {
    expect(await browserBundleErrors(entry)).toEqual([]);
  });

  it("the same check refuses a module that reaches Node (so the test above can fail)", async () => {
    const errors = await browserBundleErrors(fileURLToPath(new URL("../db.ts", import.meta.url)));
    expect(errors.some((e) => /node:|Could not resolve/.test(e))).toBe(true);
  });
});
