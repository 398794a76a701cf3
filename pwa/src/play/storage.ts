/** The team's session on the phone, in localStorage, so a reload or a locked phone resumes.
 * (The bundle, progress and the outbox live in IndexedDB: see outbox.ts.) */

const SESSION_KEY = "openparcours.team";

export interface TeamSession {
  token: string;
  team: { id: number; name: string; players: number };
  visit: { id: number; trail_title: string; class_label: string; ends_at: string; show_points: boolean };
}

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
