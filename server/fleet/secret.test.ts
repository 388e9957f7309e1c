import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretKeyError, seal, secretKey, unseal } from "./secret";

describe("secrets at rest", () => {
  const key = randomBytes(32);

  it("round-trips and never stores the plain text", () => {
    const plain = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n";
    const a = seal(plain, key);
    const b = seal(plain, key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("OPENSSH");
    expect(unseal(a, key).toString()).toBe(plain);
  });

  it("refuses another key and a tampered value", () => {
    const s = seal("secret", key);
    expect(() => unseal(s, randomBytes(32))).toThrow(SecretKeyError);
    const raw = Buffer.from(s.slice(3), "base64");
    raw[raw.length - 1]! ^= 1;
    expect(() => unseal(`v1:${raw.toString("base64")}`, key)).toThrow(/not the key/);
  });

  it("reads the key from the environment, base64 or hex, 32 bytes only", () => {
    expect(secretKey({ TRACEDECK_SECRET_KEY: key.toString("base64") }).equals(key)).toBe(true);
    expect(secretKey({ TRACEDECK_SECRET_KEY: key.toString("hex") }).equals(key)).toBe(true);
    expect(() => secretKey({})).toThrow(/is not set/);
    expect(() => secretKey({ TRACEDECK_SECRET_KEY: randomBytes(16).toString("base64") })).toThrow(/32 bytes/);
  });
});
