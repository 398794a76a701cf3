/** When a visit runs, decided as the server does (Visit in openparcours/visits/models.py); both are
 * tested with the cases in tests/cases/visit_times.json. */

export interface VisitTimes {
  starts_at: string;
  ends_at: string;
  closed_at?: string | null;
}

export function visitStarted(visit: VisitTimes, now = new Date()): boolean {
  return new Date(visit.starts_at) <= now;
}

/** Closed by the teacher or past its end: no team joins any more, the ranking shows. */
export function visitOver(visit: VisitTimes, now = new Date()): boolean {
  return Boolean(visit.closed_at) || new Date(visit.ends_at) <= now;
}

/** What the teacher's pages say of a visit. */
export function visitState(
  visit: VisitTimes,
  now = new Date(),
): "open" | "closed" | "over" | "upcoming" {
  if (visit.closed_at) return "closed";
  if (visitOver(visit, now)) return "over";
  if (!visitStarted(visit, now)) return "upcoming";
  return "open";
}
