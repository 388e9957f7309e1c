/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules and the Prisma adapter load from node_modules at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "pino", "piscina", "ssh2", "pg-boss"],
  poweredByHeader: false,
  // The server listens on loopback, behind a TLS reverse proxy when reached from elsewhere
  // (SECURITY.md), which compresses if the link needs it. Compressing here ran zlib on the
  // event loop for every response and SSE message: 4 s of its CPU in one load-bench run
  // (analysis results of megabytes), time the status bar waited behind.
  compress: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Prometheus scrapes /metrics by convention (server/metrics/http.ts).
  async rewrites() {
    return [{ source: "/metrics", destination: "/api/metrics" }];
  },
};

export default nextConfig;
