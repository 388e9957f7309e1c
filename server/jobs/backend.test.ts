/**
 * Which backend builds reports, by DATABASE_URL: SQLite keeps the in-process queue, PostgreSQL
 * gets the job queue (without connecting until a report is queued), anything else is refused
 * with the scheme named; `tracedeck worker` refuses to run on SQLite, saying why.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PgReportQueue } from "../archives/report-jobs";
import { createReportScheduler } from "../archives/report-scheduler";
import { ReportQueue } from "../archives/reports";
import { tempDb } from "../testing/db";
import { jobBackendFor } from "./backend";
import { workerCli } from "./cli";
import { maintenanceIntervalFor } from "./queue";
import { startWorker, WorkerConfigError } from "./worker";

const t = tempDb();
afterAll(() => t.cleanup());

describe("job backend", () => {
  it("SQLite → in-process, postgres:// and postgresql:// → the PostgreSQL queue, other schemes refused", () => {
    expect(jobBackendFor(`file:${t.file}`)).toBe("in-process");
    expect(jobBackendFor("postgres://u:p@db.example:5432/tracedeck")).toBe("postgres");
    expect(jobBackendFor("postgresql://u@127.0.0.1/tracedeck?sslmode=disable")).toBe("postgres");
    expect(() => jobBackendFor("mysql://u@h/db")).toThrow(/Unsupported DATABASE_URL scheme 'mysql'/);
    expect(() => jobBackendFor("/var/lib/tracedeck.db")).toThrow(/Unsupported DATABASE_URL scheme/);
  });

  it("the report scheduler at the archive service's boundary follows the backend", async () => {
    expect(createReportScheduler({ db: t.db, databaseUrl: `file:${t.file}`, jobTimeoutS: 60 })).toBeInstanceOf(ReportQueue);
    // Nothing listens on port 1: creating the scheduler must not connect.
    const pg = createReportScheduler({ db: t.db, databaseUrl: "postgresql://nobody@127.0.0.1:1/none", jobTimeoutS: 60 });
    expect(pg).toBeInstanceOf(PgReportQueue);
    // isBusy reads the row, the one record every worker writes.
    const a = await t.db.archive.create({ data: { path: "/x/a", root: "/x", session: "s", kind: "snapshot", state: "complete", createdAt: new Date() } });
    expect(await pg.isBusy(a.id)).toBe(false);
    await t.db.archive.update({ where: { id: a.id }, data: { reportState: "running" } });
    expect(await pg.isBusy(a.id)).toBe(true);
  });

  it("a dead worker's job is looked for at a tenth of the timeout, between 1 s and 60 s", () => {
    expect(maintenanceIntervalFor(5)).toBe(1);
    expect(maintenanceIntervalFor(30)).toBe(3);
    expect(maintenanceIntervalFor(86_400)).toBe(60);
  });

  it("tracedeck worker refuses SQLite and bad options with a sentence", async () => {
    await expect(startWorker({ databaseUrl: `file:${t.file}`, concurrency: 1, roots: () => [], traceRoots: () => [] })).rejects.toThrow(WorkerConfigError);
    const err: string[] = [];
    const io = { out: () => undefined, err: (s: string) => void err.push(s) };
    expect(await workerCli(["--concurrency", "0"], io)).toBe(2);
    expect(err.join("")).toMatch(/--concurrency|too small|>=1/);
    expect(await workerCli(["--bogus"], io)).toBe(2);
    expect(err.join("")).toMatch(/Unknown option '--bogus'/);
  });
});
