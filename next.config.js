/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules and the Prisma adapter load from node_modules at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "pino", "piscina", "ssh2", "pg-boss"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Prometheus scrapes /metrics by convention (server/metrics/http.ts).
  async rewrites() {
    return [{ source: "/metrics", destination: "/api/metrics" }];
  },
};

export default nextConfig;
