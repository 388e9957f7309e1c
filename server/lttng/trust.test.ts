/**
 * Issue #9 finding 1: root ran a stranger's binary. Any local user could start a program
 * named `lttng-relayd` listening on the relay's control port; Tracedeck took it for the relay
 * and ran its `/proc/PID/exe --version` as root. Here an impostor (a small C program that
 * records being run with --version) holds the configured control port, first as `nobody`,
 * then as root from a user-writable directory; a genuine relayd bound to another loopback
 * address is refused too. The shared root daemons are only observed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DaemonManager } from "./daemons";
import { ISOLATED_USER } from "./testing";
import { trustedBinary } from "./trust";

const dir = mkdtempSync(join(tmpdir(), "td-impostor-"));
const MARKER = join(dir, "impostor-was-run");
const IMPOSTOR = join(dir, "lttng-relayd");
const children: ChildProcess[] = [];

const SOURCE = `
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    FILE *f = fopen("${MARKER}", "w");
    if (f) { fputs("run\\n", f); fclose(f); }
    puts("lttng-relayd (LTTng Trace Control) 2.13.9 - Nordicité");
    return 0;
  }
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a; memset(&a, 0, sizeof a);
  a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1])); inet_pton(AF_INET, argv[2], &a.sin_addr);
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1)) return 1;
  puts("ready"); fflush(stdout);
  pause();
  return 0;
}
`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `bin ARGS` (as `user` when given) and waits for its "ready" line. */
async function startListening(bin: string, args: string[], user?: { uid: number; gid: number }): Promise<ChildProcess> {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"], uid: user?.uid, gid: user?.gid });
  children.push(child);
  await new Promise<void>((ok, fail) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && ok());
    child.once("exit", (code) => fail(new Error(`${bin} exited (${code})`)));
  });
  return child;
}

function manager(controlPort: number): DaemonManager {
  return new DaemonManager({
    runDir: join(dir, "run"),
    relaydOutputDir: join(dir, "relayd"),
    relayd: { host: "127.0.0.1", controlPort, dataPort: controlPort + 1, livePort: controlPort + 2 },
  });
}

beforeAll(() => {
  writeFileSync(join(dir, "impostor.c"), SOURCE);
  const cc = spawnSync("cc", ["-O0", "-o", IMPOSTOR, join(dir, "impostor.c")], { encoding: "utf8" });
  if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
  chmodSync(dir, 0o755);
});

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("daemon trust", () => {
  it("finds the installed daemons in the system bin directories, owned by root", async () => {
    expect((await trustedBinary("lttng-relayd"))?.path).toBe("/usr/bin/lttng-relayd");
    expect((await trustedBinary("lttng-sessiond"))?.path).toBe("/usr/bin/lttng-sessiond");
    expect(await trustedBinary(IMPOSTOR)).toBeNull();
  });

  it("does not take a user's lttng-relayd on the control port for the relay, never runs it, and will not start over it", async () => {
    const port = await freePort();
    const imp = await startListening(IMPOSTOR, [String(port), "127.0.0.1"], ISOLATED_USER);
    const m = manager(port);
    const st = await m.relaydStatus();
    expect(st).toMatchObject({ running: false, pid: null, version: null, outputDir: null });
    expect(st.untrusted).toMatchObject({ pid: imp.pid, uid: ISOLATED_USER.uid, exe: IMPOSTOR, reason: "it runs as uid 65534, not 0" });
    expect(st.message).toContain(`pid ${imp.pid} is named lttng-relayd and holds port ${port} but is not trusted`);
    expect((await m.health()).ok).toBe(false);
    await expect(m.startRelayd()).rejects.toMatchObject({ code: "NOT_ALLOWED" });
    expect(existsSync(MARKER)).toBe(false);
    imp.kill("SIGKILL");
  });

  it("does not trust a root process either when it runs another binary than the installed one", async () => {
    const port = await freePort();
    const imp = await startListening(IMPOSTOR, [String(port), "127.0.0.1"]);
    const st = await manager(port).relaydStatus();
    expect(st.running).toBe(false);
    expect(st.untrusted).toMatchObject({ pid: imp.pid, uid: 0, reason: `it runs ${IMPOSTOR}, not /usr/bin/lttng-relayd` });
    expect(existsSync(MARKER)).toBe(false);
    imp.kill("SIGKILL");
  });

  it("does not use a genuine relayd bound to another address than the configured one", async () => {
    const port = await freePort();
    const out = join(dir, "relayd-other");
    const relayd = await startListening(process.execPath, [
      "-e",
      // The real binary, in the foreground; its "ready" is the control port accepting.
      `const {spawn}=require("node:child_process");const net=require("node:net");
       const c=spawn("/usr/bin/lttng-relayd",["-C","tcp://127.0.0.2:${port}","-D","tcp://127.0.0.2:${port + 1}","-L","tcp://127.0.0.2:${port + 2}","-o","${out}"],{stdio:"ignore"});
       process.on("SIGTERM",()=>{c.kill("SIGKILL");process.exit(0)});
       const t=setInterval(()=>{const s=net.connect(${port},"127.0.0.2",()=>{s.destroy();clearInterval(t);console.log("ready "+c.pid)});s.on("error",()=>{})},100);`,
    ]);
    try {
      const st = await manager(port).relaydStatus();
      expect(st.running).toBe(false);
      expect(st.untrusted?.reason).toBe(`it listens on 127.0.0.2:${port}, not on 127.0.0.1`);
    } finally {
      relayd.kill("SIGTERM");
      await new Promise((r) => relayd.once("exit", r));
    }
  });

  it("trusts the shared root daemons, with the version of the installed binary", async () => {
    const m = manager(5342);
    const [sessiond, relayd] = await Promise.all([m.sessiondStatus(), m.relaydStatus()]);
    expect(sessiond).toMatchObject({ running: true, uid: 0, version: "2.13.9", untrusted: null });
    expect(relayd).toMatchObject({ running: true, uid: 0, version: "2.13.9", untrusted: null });
  });
});
