import { describe, expect, it } from "vitest";
import { parseLiveTarget } from "./target";

const relay = { host: "127.0.0.1", port: 5344 };

describe("live targets", () => {
  it("reads babeltrace2's live URL, with and without a port", () => {
    expect(parseLiveTarget("net://127.0.0.1:25344/host/vm/s-1", relay)).toEqual({ relayHost: "127.0.0.1", relayPort: 25344, hostname: "vm", session: "s-1" });
    expect(parseLiveTarget("net4://localhost/host/web-01.example/api_live", relay)).toEqual({
      relayHost: "localhost",
      relayPort: 5344,
      hostname: "web-01.example",
      session: "api_live",
    });
  });

  it("takes a bare session name on the configured relay, any host", () => {
    expect(parseLiveTarget("tdt-1-live", relay)).toEqual({ relayHost: "127.0.0.1", relayPort: 5344, hostname: undefined, session: "tdt-1-live" });
  });

  it("refuses URLs without a session, other schemes, bad ports and names with slashes or spaces", () => {
    for (const bad of [
      "net://127.0.0.1",
      "http://127.0.0.1/host/vm/s",
      "net://127.0.0.1:0/host/vm/s",
      "net://127.0.0.1:70000/host/vm/s",
      "a/b",
      "a b",
      "",
      "x".repeat(300),
    ])
      expect(() => parseLiveTarget(bad, relay), bad).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
