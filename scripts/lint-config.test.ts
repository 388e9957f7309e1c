import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The rules of eslint.config.mjs that keep the layout, each shown catching a planted
// violation (linted in memory: nothing is written to the tree) and letting the allowed form by.
const root = fileURLToPath(new URL("..", import.meta.url));
const eslint = new ESLint({ cwd: root });

// Type-aware rules need a file the TypeScript project knows, so each probe borrows the path
// of a real file of the right folder; only the text given here is linted.
const COMPONENT = "components/sessions/filter-editor.tsx";
const PAGE = "app/(dashboard)/page.tsx";
const ROUTE = "app/api/trpc/[trpc]/route.ts";
const SERVER = "server/analysis/dates.ts";
const TRPC = "server/trpc/root.ts";

async function rulesFired(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  expect(result).toBeDefined();
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return result!.messages.map((m) => m.ruleId ?? "");
}

describe("eslint.config.mjs keeps the layout", () => {
  it("a component importing a server value is refused; a type-only import passes", async () => {
    expect(await rulesFired(COMPONENT, `import { LttngController } from "@/server/lttng/controller";\nexport const c = LttngController;\n`)).toContain(
      "@typescript-eslint/no-restricted-imports",
    );
    expect(await rulesFired(COMPONENT, `import { db } from "../../server/db";\nexport const d = db;\n`)).toContain("@typescript-eslint/no-restricted-imports");
    expect(await rulesFired(COMPONENT, `import type { LttngController } from "@/server/lttng/controller";\nexport type C = LttngController;\n`)).toEqual([]);
    expect(await rulesFired(COMPONENT, `import { type LttngController } from "@/server/lttng/controller";\nexport type C = LttngController;\n`)).toEqual([]);
  });

  it("components may import values from the isomorphic validators, and not from the pages' server entry", async () => {
    expect(await rulesFired(COMPONENT, `import { ZSessionName } from "@/server/shared/validators";\nexport const z = ZSessionName;\n`)).toEqual([]);
    expect(await rulesFired(COMPONENT, `import { currentUser } from "@/server/app-entry";\nexport const u = currentUser;\n`)).toContain(
      "@typescript-eslint/no-restricted-imports",
    );
  });

  it("pages reach server/ only through server/app-entry.ts; route handlers mount an http adapter", async () => {
    expect(await rulesFired(PAGE, `import { currentUser } from "@/server/app-entry";\nexport const u = currentUser;\n`)).toEqual([]);
    expect(await rulesFired(PAGE, `import { db } from "@/server/db";\nexport const d = db;\n`)).toContain("@typescript-eslint/no-restricted-imports");
    expect(await rulesFired(ROUTE, `import { handleTrpcRequest } from "@/server/trpc/http";\nexport const GET = handleTrpcRequest;\n`)).toEqual([]);
    expect(await rulesFired(ROUTE, `import { db } from "@/server/db";\nexport const d = db;\n`)).toContain("@typescript-eslint/no-restricted-imports");
  });

  it("@trpc/server is refused outside server/trpc, types included, and allowed inside", async () => {
    const code = `import type { AnyRouter } from "@trpc/server";\nexport type R = AnyRouter;\n`;
    expect(await rulesFired(COMPONENT, code)).toContain("no-restricted-imports");
    expect(await rulesFired(SERVER, code)).toContain("no-restricted-imports");
    expect(await rulesFired(TRPC, code)).toEqual([]);
  });

  it("an explicit any is refused", async () => {
    expect(await rulesFired(SERVER, `export function f(x: any): number {\n  return Number(x);\n}\n`)).toContain("@typescript-eslint/no-explicit-any");
  });

  it("a floating promise and a promise where a void callback is expected are refused", async () => {
    const floating = `async function work(): Promise<number> {\n  return 1;\n}\nexport function go(): void {\n  work();\n}\n`;
    expect(await rulesFired(SERVER, floating)).toContain("@typescript-eslint/no-floating-promises");
    const misused = `export function go(items: number[]): void {\n  items.forEach(async (n) => {\n    await Promise.resolve(n);\n  });\n  if (Promise.resolve(true)) go([]);\n}\n`;
    expect(await rulesFired(SERVER, misused)).toContain("@typescript-eslint/no-misused-promises");
    const awaited = `async function work(): Promise<number> {\n  return 1;\n}\nexport async function go(): Promise<void> {\n  await work();\n  void work();\n}\n`;
    expect(await rulesFired(SERVER, awaited)).toEqual([]);
  });
});
