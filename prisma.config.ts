import { resolve } from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7 reads no .env by itself; the URL matches server/config.ts's default.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? `file:${resolve(process.env.TRACEDECK_DATA_DIR ?? "data", "tracedeck.db")}`,
  },
});
