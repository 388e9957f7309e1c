// Lint rules that keep DESIGN.md's layout true as the code grows. `npm test` runs them (with
// `prettier --check`) before any test; `npm run lint` runs them alone.
//
// The layout they protect (README.md, "How the code is laid out"):
// - components/ (browser code) import from server/ only types, or the browser-safe modules of
//   server/shared/ (validators.ts; live-events.ts, the live events' wire format): anything else
//   would ship LTTng/CTF knowledge, or Node-only modules, to the browser.
// - app/ is pages: its server components reach server/ through ONE door, server/app-entry.ts
//   (it starts with `import "server-only"`, so a client component importing it fails the build).
//   Route handlers (app/api/**/route.ts) mount one server/*/http.ts adapter each: Next compiles
//   them for the server only, and sending them through app-entry would pull the whole tRPC
//   router into every page's server bundle.
// - @trpc/server stays inside server/trpc: routers and middleware are the API's one owner;
//   the browser gets the router's types from server/trpc/router-types.ts.
// - no `any`, no promise left floating or passed where a void callback is expected.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// `@/server/…` or `../server/…`, except the modules named in `allowed`.
const serverValues = (...allowed) => ({
  regex: `^(@/|(\\.\\.?/)+)server/(?!(${allowed.join("|")})$)`,
  allowTypeImports: true,
  message: "Browser and page code import only types from server/ (validators: @/server/shared/validators; pages: @/server/app-entry).",
});
const trpcServer = {
  group: ["@trpc/server", "@trpc/server/*"],
  message: "@trpc/server stays inside server/trpc (types for the browser: @/server/trpc/router-types).",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      "dist/",
      "data/",
      "server/generated/",
      "workload/build/",
      "test-results/",
      "playwright-report/",
      ".bench-cache/",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Matching control characters is the point where this code refuses them in untrusted
      // names and paths (server/lttng/schemas.ts, server/auth/next-path.ts) or escapes them
      // in printed strings (server/ctf/pretty.ts); the rule exists to catch accidental ones.
      "no-control-regex": "off",
      // `self` in object literals whose getters and methods rebind `this` (server/live).
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["self"] }],
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // `_name` marks a parameter a signature needs but this implementation does not use.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  // Scripts, the CLI launcher and config files run in Node, untyped (.mjs/.js).
  {
    files: ["**/*.mjs", "**/*.js", "**/*.cjs"],
    languageOptions: { globals: { ...globals.node } },
    rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }] },
  },
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs", "**/*.js"],
    ignores: ["server/trpc/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [trpcServer] }] },
  },
  {
    files: ["components/**/*.ts", "components/**/*.tsx", "app/**/*.ts", "app/**/*.tsx"],
    // Tests run in Node, never in a bundle: they may compare a component's parser with the
    // server's printer (components/analysis/captures.test.ts).
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [serverValues("shared/validators", "shared/live-events")] }] },
  },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/api/**/route.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [serverValues("shared/validators", "shared/live-events", "app-entry")] }],
    },
  },
  {
    files: ["app/api/**/route.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [serverValues("[a-z-]+/http")] }],
    },
  },
);
