/**
 * The one place a host name becomes the controller that acts on its sessions: this machine's
 * (the process-wide one, server/lttng/instance.ts) or a traced host's over SSH, built once per
 * host and kept until the host's row changes. Every router acting on sessions asks here, and
 * so does the fleet view for its refreshes and bulk actions (with a time limit of its own), so
 * the guards, MI parsing and audit log are the same whichever host it is.
 */
import { LttngController, type ControllerOptions } from "../lttng/controller";
import { lttng } from "../lttng/instance";
import { LttngRunner } from "../lttng/runner";
import { localTransport } from "../lttng/transport";
import { LOCAL_HOST, HostError, type HostRegistry } from "./hosts";
import { remoteFiles } from "./remote-files";

export interface HostControllersOptions {
  /** This machine's relayd and the paths of ControllerOptions (a traced host's traces root is the same path there). */
  controllerOptions: Pick<ControllerOptions, "tracesDir" | "relaydOutputDir" | "relayd" | "daemons">;
  /** Time limit of one `lttng` command on a traced host. */
  timeoutMs?: number;
}

export class HostControllers {
  private readonly remote = new Map<string, Promise<LttngController>>();

  constructor(
    private readonly hosts: HostRegistry,
    private readonly opts: HostControllersOptions,
  ) {
    hosts.onChange((name) => this.remote.delete(name));
  }

  /** The controller of `host` (absent or "local": this machine); an unknown host is a HostError NOT_FOUND. */
  get(host?: string): Promise<LttngController> {
    if (host === undefined || host === LOCAL_HOST) return Promise.resolve(lttng().controller);
    let c = this.remote.get(host);
    if (!c) {
      c = this.build(host, this.opts.timeoutMs);
      this.remote.set(host, c);
      // A host not found (or whose key cannot be read) is asked again next time.
      c.catch(() => this.remote.delete(host));
    }
    return c;
  }

  /**
   * A controller of `host` (this machine's included) whose every command gets `timeoutMs`: the
   * fleet's refresh and bulk actions bound each host by their own limits. Built per call (the
   * host's SSH connection is still the registry's one), so the limit never leaks to other callers.
   */
  withTimeLimit(host: string, timeoutMs: number): Promise<LttngController> {
    if (host === LOCAL_HOST)
      return Promise.resolve(new LttngController(new LttngRunner({ transport: localTransport, timeoutMs }), this.opts.controllerOptions));
    return this.build(host, timeoutMs);
  }

  /** Where sessions of `host` stream by default: this machine's relayd, at the address the host reaches it by. */
  relayUrlOf(relayHost: string | null): string {
    const r = this.opts.controllerOptions.relayd;
    const h = relayHost ?? r.host;
    const base = h.includes(":") ? `net6://[${h}]` : `net://${h}`;
    return `${base}:${r.controlPort}:${r.dataPort}`;
  }

  private async build(host: string, timeoutMs: number | undefined): Promise<LttngController> {
    const h = await this.hosts.get(host);
    if (!h) throw new HostError("NOT_FOUND", `No host named ${host}`);
    const transport = await this.hosts.transport(host);
    return new LttngController(new LttngRunner({ transport, timeoutMs }), {
      ...this.opts.controllerOptions,
      files: remoteFiles(transport),
      defaultRelayUrl: this.relayUrlOf(h.relayHost),
    });
  }
}
