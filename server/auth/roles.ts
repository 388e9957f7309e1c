import { z } from "zod";

export const Role = z.enum(["viewer", "operator"]);
export type Role = z.infer<typeof Role>;

export interface AuthUser {
  id: number;
  username: string;
  role: Role;
}

/** Operators change state (sessions, daemons, workload); viewers only look. */
export function canOperate(user: AuthUser | null): boolean {
  return user?.role === "operator";
}
