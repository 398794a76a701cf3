/** The team's session on the phone, in localStorage, so a reload or a locked phone resumes.
 * (The bundle, progress and the outbox live in IndexedDB: see device-store.ts.) */

import type { Schema } from "../api";

const SESSION_KEY = "openparcours.team";

/** What joining answered: the team's token, the team and the visit; and the server's clock
 * minus the phone's then (ms). */
export type TeamSession = Schema<"JoinResult"> & { clock_offset?: number };

export function loadSession(): TeamSession | null {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null") as TeamSession | null;
  } catch {
    return null;
  }
}

export function saveSession(session: TeamSession | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}
