/**
 * Password hashing (bcrypt) in a worker thread. bcryptjs is pure JavaScript: on the main
 * thread each check held the event loop (status bar, SSE streams, every other request) for
 * a quarter of a second. One thread, and a short queue: a flood of logins is refused
 * ("busy") instead of queueing minutes of CPU.
 */
import { resolve } from "node:path";
import { Piscina } from "piscina";
import type { PasswordTask } from "./password.worker";
import { brandDomainError } from "../shared/domain-error";

// Cost 12 is about 250 ms here: slow for a guesser, tolerable for one login.
const COST = 12;
/** Checks waiting for the thread at most; more are refused at once. */
export const MAX_QUEUED_CHECKS = 16;

/** The password thread is busy with other checks; the caller should answer 429/503. */
export class PasswordBusyError extends Error {
  override name = "PasswordBusyError";
}
brandDomainError(PasswordBusyError, "PasswordBusyError");

let pool: Piscina | undefined;

function passwordPool(): Piscina {
  pool ??= new Piscina({
    filename: process.env.TRACEDECK_PASSWORD_WORKER ?? resolve(process.cwd(), "dist/workers/password.mjs"),
    maxThreads: 1,
    minThreads: 0,
    maxQueue: MAX_QUEUED_CHECKS,
    idleTimeout: 60_000,
  });
  return pool;
}

async function run(task: PasswordTask): Promise<string | boolean> {
  try {
    return (await passwordPool().run(task)) as string | boolean;
  } catch (e) {
    if (e instanceof Error && /Task queue is at limit|No task queue available/.test(e.message))
      throw new PasswordBusyError("Too many logins are being checked right now; try again in a moment.", { cause: e });
    throw e;
  }
}

export async function hashPassword(password: string): Promise<string> {
  return (await run({ op: "hash", password, cost: COST })) as string;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await run({ op: "verify", password, hash })) as boolean;
}
