/** The bundle, progress, kept photos and the outbox of unsent events, in IndexedDB. */
import { forgetMedia } from "./media-cache";
import { saveSession } from "./team-session";

const DB_NAME = "openparcours-play";

let opened: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = (event) => {
      if (event.oldVersion < 1) {
        request.result.createObjectStore("outbox", { keyPath: "id" });
        request.result.createObjectStore("state");
      }
      // Photos taken offline wait here until they can be uploaded.
      if (event.oldVersion < 2) request.result.createObjectStore("photos");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(
  name: "outbox" | "state" | "photos",
  mode: IDBTransactionMode,
): Promise<IDBObjectStore> {
  return (await database()).transaction(name, mode).objectStore(name);
}

export async function getState<T>(key: string): Promise<T | undefined> {
  return done((await store("state", "readonly")).get(key)) as Promise<T | undefined>;
}

export async function setState(key: string, value: unknown): Promise<void> {
  await done((await store("state", "readwrite")).put(value, key));
}

export interface OutboxEvent {
  id: string;
  type: "checkin" | "answer" | "hint";
  station_id: number;
  task_id?: number | null;
  answer?: unknown;
  position?: { lat: number; lon: number; accuracy: number | null } | null;
  code?: string | null;
  at: string;
}

export async function enqueue(event: OutboxEvent): Promise<void> {
  await done((await store("outbox", "readwrite")).put(event));
}

export async function pending(): Promise<OutboxEvent[]> {
  return done((await store("outbox", "readonly")).getAll()) as Promise<OutboxEvent[]>;
}

export async function remove(ids: string[]): Promise<void> {
  const outbox = await store("outbox", "readwrite");
  await Promise.all(ids.map((id) => done(outbox.delete(id))));
}

export async function keepPhoto(key: string, photo: Blob): Promise<void> {
  await done((await store("photos", "readwrite")).put(photo, key));
}

export async function keptPhoto(key: string): Promise<Blob | undefined> {
  return done((await store("photos", "readonly")).get(key)) as Promise<Blob | undefined>;
}

export async function dropPhoto(key: string): Promise<void> {
  await done((await store("photos", "readwrite")).delete(key));
}

/** Everything of the team on this phone, when it leaves the visit. */
export async function forget(): Promise<void> {
  saveSession(null);
  await forgetMedia();
  for (const name of ["outbox", "state", "photos"] as const)
    await done((await store(name, "readwrite")).clear());
}
