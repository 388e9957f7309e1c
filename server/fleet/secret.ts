import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { brandDomainError } from "../shared/domain-error";

/**
 * Secrets at rest (SSH private keys of traced hosts): AES-256-GCM under a key that is not in
 * the database, so a copied database file gives nothing away. The key comes from the
 * environment, `TRACEDECK_SECRET_KEY` (32 random bytes, base64 or hex: `openssl rand
 * -base64 32`); child processes never see it (server/child-env.ts drops *SECRET*).
 * Sealed form: `v1:` + base64(iv 12 bytes ‖ tag 16 bytes ‖ ciphertext).
 */
export const SECRET_KEY_ENV = "TRACEDECK_SECRET_KEY";

export class SecretKeyError extends Error {
  override readonly name = "SecretKeyError";
}
brandDomainError(SecretKeyError, "SecretKeyError");

export function secretKey(env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env[SECRET_KEY_ENV]?.trim();
  if (!raw)
    throw new SecretKeyError(`${SECRET_KEY_ENV} is not set: Tracedeck needs it to store SSH keys encrypted (generate one with \`openssl rand -base64 32\`)`);
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) throw new SecretKeyError(`${SECRET_KEY_ENV} must be 32 bytes (base64 or 64 hex digits); it decodes to ${key.length}`);
  return key;
}

export function seal(plain: Buffer | string, key: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString("base64")}`;
}

export function unseal(sealed: string, key: Buffer): Buffer {
  if (!sealed.startsWith("v1:")) throw new SecretKeyError("Unknown sealed-secret format");
  const raw = Buffer.from(sealed.slice(3), "base64");
  if (raw.length < 28) throw new SecretKeyError("Sealed secret too short");
  const d = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
  } catch (cause) {
    throw new SecretKeyError(`Cannot decrypt a stored secret: ${SECRET_KEY_ENV} is not the key it was sealed with`, { cause });
  }
}
