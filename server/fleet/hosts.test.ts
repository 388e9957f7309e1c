/** The host registry on a real SQLite file and a real sshd of the test's own. */
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveIndexer } from "../archives/indexer";
import { tempDb } from "../testing/db";
import { HostRegistry, type HostInput } from "./hosts";
import { TestSshd } from "./testing/sshd";

const sshd = new TestSshd();
const store = tempDb();
const env = { TRACEDECK_SECRET_KEY: randomBytes(32).toString("base64") };
const hosts = new HostRegistry(store.db, { env, connectTimeoutMs: 5_000 });

beforeAll(async () => {
  await sshd.start();
});

afterAll(async () => {
  hosts.close();
  await sshd.dispose();
  await store.cleanup();
});

const input = (): HostInput => ({ name: "db1", address: "127.0.0.1", port: sshd.port, user: "root", privateKey: sshd.privateKey.toString() });

describe("hosts", () => {
  it("adds a host, pinning the key it shows on first contact, and stores its key sealed", async () => {
    const { host, contact } = await hosts.add(input());
    expect(contact.fingerprint).toBe(sshd.hostFingerprint);
    expect(contact.lttngVersion).toMatch(/^2\.\d+\.\d+/);
    expect(host).toMatchObject({ name: "db1", transport: "ssh", hostKeyFingerprint: sshd.hostFingerprint, lastError: null });
    expect(JSON.stringify(await hosts.list())).not.toContain("PRIVATE KEY");
    // Neither the key nor a fragment of it is in the database file.
    const keyBody = sshd.privateKey.toString().split("\n")[1]!;
    expect(readFileSync(store.file).includes(keyBody)).toBe(false);
    expect((await hosts.list()).map((h) => h.name)).toEqual(["local", "db1"]);
    await expect(hosts.add(input())).rejects.toMatchObject({ code: "ALREADY_EXISTS" });
  });

  it("refuses bad input before any contact", async () => {
    await expect(hosts.add({ ...input(), name: "local" })).rejects.toThrow(/this machine/);
    await expect(hosts.add({ ...input(), name: "x", address: "a;b" })).rejects.toThrow();
    await expect(hosts.add({ ...input(), name: "x", privateKey: "not a key" })).rejects.toThrow(/private key/);
  });

  it("fetches a trace of the host into the archive index, with the host the trace records", async () => {
    const work = mkdtempSync(join(tmpdir(), "td-hosts-fetch-"));
    try {
      // A local-mode snapshot on the "remote" host (the same machine here, read over SFTP).
      const remoteDir = join(work, "remote", "snap-20261206-101500-0");
      cpSync(resolve(__dirname, "../../../shared/traces/tc-scp-src"), remoteDir, { recursive: true });
      const fetched = join(work, "fetched");
      const r = await hosts.fetch("db1", remoteDir, fetched);
      expect(r.dir).toBe(join(fetched, "db1", "snap-20261206-101500-0"));
      const indexer = new ArchiveIndexer({ db: store.db, roots: () => [fetched], settleMs: 0 });
      await indexer.scan();
      const rows = await store.db.archive.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ path: r.dir, kind: "snapshot", host: "VM1", state: "complete" });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("runs lttng on the host with the pinned key, and refuses the host once its key changes", async () => {
    expect((await hosts.test("db1")).lttngVersion).toMatch(/^2\./);
    await sshd.replaceHostKey();
    hosts.close(); // a new connection, as after a restart of Tracedeck
    await expect(hosts.test("db1")).rejects.toMatchObject({ code: "HOST_KEY_CHANGED" });
    expect((await hosts.get("db1"))?.lastError).toMatch(/host key changed/);
  });

  it("removes a host", async () => {
    await hosts.remove("db1");
    expect((await hosts.list()).map((h) => h.name)).toEqual(["local"]);
    await expect(hosts.remove("db1")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
