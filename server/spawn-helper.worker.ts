/**
 * The process helper (bundled to dist/workers/spawn-helper.mjs, run as a child process of the
 * web server, see spawn-helper.ts): starts each command it is sent and answers with its result.
 */
import { execHere } from "./lttng/exec";
import type { HelperError, HelperReply, HelperRequest } from "./spawn-helper";

if (!process.send) {
  process.stderr.write("spawn-helper: run by the Tracedeck server over an IPC channel, not by hand\n");
  process.exit(2);
}

const reply = (m: HelperReply) => {
  // A server gone meanwhile: nobody to answer; the disconnect handler ends this process.
  if (process.connected) process.send!(m);
};

process.on("message", (req: HelperRequest) => {
  execHere(req.cmd, req.args, req.opts).then(
    (result) => reply({ id: req.id, ok: true, result }),
    (e: NodeJS.ErrnoException) => {
      const error: HelperError = { message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path };
      reply({ id: req.id, ok: false, error });
    },
  );
});

// The server's end: leave with it. Commands still running carry on without us (a daemon that
// is starting must not be cut off half-way), and their answers have nowhere to go.
process.on("disconnect", () => process.exit(0));
