// Foreground supervision of one child process, shared by serve.mjs and setup.mjs. Only Node
// built-ins: setup.mjs runs before `npm ci`.

/**
 * Passes SIGINT/SIGTERM (and this process's own exit) on to `child` as one SIGTERM, and exits
 * with the child's status once it ends: 0 when we asked it to stop, its code otherwise (1 for
 * a signal we did not send). `beforeExit` runs first. Never use it to stop LTTng's daemons:
 * they hold every recording session and must outlive a server that stops or crashes.
 */
export function superviseChild(child, beforeExit = () => {}) {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("exit", stop);
  child.on("exit", (code, signal) => {
    beforeExit();
    process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
  });
}
