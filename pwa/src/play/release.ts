/** When a station opens for the team, as the server decides it (openparcours/trails/release.py;
 * tests/cases/release_rules.json holds the cases both are tested with): once `count` of the
 * stations it waits for are done, and not before `opens_at` (the server's clock). */
import type { Schema } from "../api";

export type Release = Schema<"BundleRelease">;

export interface ReleaseState {
  open: boolean;
  /** The stations it waits for that are not done yet. */
  waitingFor: number[];
  /** How many of them still have to be done. */
  missing: number;
  /** Not before this moment (the server's clock), while it is still ahead. */
  opensAt: Date | null;
}

export function releaseState(
  rule: Release | null | undefined,
  done: ReadonlySet<number>,
  now: Date,
): ReleaseState {
  if (!rule) return { open: true, waitingFor: [], missing: 0, opensAt: null };
  const waitingFor = rule.after.filter((id) => !done.has(id));
  const missing = Math.max(0, rule.count - (rule.after.length - waitingFor.length));
  const opensAt = rule.opens_at ? new Date(rule.opens_at) : null;
  const early = opensAt !== null && now.getTime() < opensAt.getTime();
  return { open: missing === 0 && !early, waitingFor, missing, opensAt: early ? opensAt : null };
}
