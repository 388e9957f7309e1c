import { config } from "../config";
import { DaemonManager } from "./daemons";
import { LttngController } from "./controller";
import { LttngRunner, type LttngTarget } from "./runner";

/** The process-wide LTTng objects: one runner, one daemon manager, one controller, one target. */
export interface Lttng {
  runner: LttngRunner;
  daemons: DaemonManager;
  controller: LttngController;
}

export interface LttngSetup {
  target?: LttngTarget;
  runDir?: string;
  tracesDir?: string;
  relaydOutputDir?: string;
  relayd?: { host: string; controlPort: number; dataPort: number; livePort: number };
}

export function createLttng(setup: LttngSetup = {}): Lttng {
  const c = config();
  const target = setup.target ?? {};
  const relayd = setup.relayd ?? c.relayd;
  const relaydOutputDir = setup.relaydOutputDir ?? c.relaydOutputDir;
  const runner = new LttngRunner(target);
  const daemons = new DaemonManager({ target, runDir: setup.runDir ?? c.runDir, relaydOutputDir, relayd });
  const controller = new LttngController(runner, { tracesDir: setup.tracesDir ?? c.tracesDir, relaydOutputDir, relayd, daemons });
  return { runner, daemons, controller };
}

let current: Lttng | undefined;

/** The LTTng objects the server uses (the root session daemon and `config()` paths by default). */
export function lttng(): Lttng {
  current ??= createLttng();
  return current;
}

/**
 * Points the whole server (routers included) at another daemon or other directories: an
 * installation whose daemon runs as a non-root user, or a test with its own isolated sessiond.
 */
export function configureLttng(setup: LttngSetup): Lttng {
  current = createLttng(setup);
  return current;
}
