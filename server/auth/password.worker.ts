import bcrypt from "bcryptjs";

export type PasswordTask = { op: "hash"; password: string; cost: number } | { op: "verify"; password: string; hash: string };

/** piscina entry (dist/workers/password.mjs): bcrypt's quarter second of CPU off the web server's event loop. */
export default function passwordTask(task: PasswordTask): string | boolean {
  return task.op === "hash" ? bcrypt.hashSync(task.password, task.cost) : bcrypt.compareSync(task.password, task.hash);
}
