import { config } from "../config";
import type { Db } from "../db";
import { lttng } from "../lttng/instance";
import { HostControllers } from "./controllers";
import { HostRegistry } from "./hosts";
import { Fleet } from "./overview";

export interface FleetInstance {
  hosts: HostRegistry;
  fleet: Fleet;
  /** Host name → the controller acting on its sessions (cached per host). */
  controllers: HostControllers;
}

// One registry (and its SSH connections) per database client; Next's dev server re-evaluates
// modules, so the map lives on globalThis.
const g = globalThis as unknown as { tracedeckFleets?: WeakMap<Db, FleetInstance> };

/** The host registry and fleet view over `db` (the request's database); SSH connections are shared by both. */
export function fleetInstance(db: Db): FleetInstance {
  g.tracedeckFleets ??= new WeakMap();
  let f = g.tracedeckFleets.get(db);
  if (!f) {
    const c = config();
    const hosts = new HostRegistry(db);
    const controllerOptions = { tracesDir: c.tracesDir, relaydOutputDir: c.relaydOutputDir, relayd: c.relayd, daemons: lttng().daemons };
    const controllers = new HostControllers(hosts, { controllerOptions });
    f = { hosts, fleet: new Fleet(hosts, controllers), controllers };
    g.tracedeckFleets.set(db, f);
  }
  return f;
}
