/**
 * Host group names. ISOMORPHIC (spike rules take a group, and their schema reaches the
 * browser): zod only.
 */
import { z } from "zod";

/** A host group's name: what the fleet view filters by, bulk actions and spike rules target. */
export const ZHostGroupName = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "Lower-case letters, digits, '_' and '-'");

export const MAX_GROUPS_PER_HOST = 32;

/** A host's groups as stored: deduplicated and sorted. */
export const ZHostGroups = z
  .array(ZHostGroupName)
  .max(MAX_GROUPS_PER_HOST)
  .transform((g) => [...new Set(g)].sort());
