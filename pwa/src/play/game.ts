/** A team's game on the phone: the bundle, progress, and the outbox that syncs in batches
 * whenever the network allows. Everything a team does is written to the outbox first. */
import {
  ApiError,
  clientSettings as askSettings,
  type ClientSettings,
  type RequestOptions,
  type Schema,
  send,
} from "../api";
import type { Answer, TaskSpec } from "./check";
import {
  dropPhoto,
  enqueue,
  getState,
  keepPhoto,
  keptPhoto,
  type OutboxEvent,
  pending,
  remove,
  setState,
} from "./device-store";
import { keepOnlyMedia } from "./media-cache";
import { type ReleaseState, releaseState } from "./release";
import type { TaskResult } from "./station-view";
import { loadSession } from "./team-session";

export type PlayStation = Schema<"PlayStation">;
export type Bundle = Schema<"PlayBundle">;

export interface Progress {
  checkedIn: number[];
  tasks: Record<number, TaskResult>;
}

const BATCH = 100;
const MAX_BACKOFF_MS = 60_000;
/** An idle phone still asks this often, for the teacher's messages and grades. */
const HEARTBEAT_MS = 30_000;

export type TeacherMessage = Schema<"PhoneMessage">;

/** A request of the play API with the team's token. */
async function playSend(path: string, options: RequestOptions = {}): Promise<Response> {
  const session = loadSession();
  if (!session) throw new ApiError(401, "missing_token", "not joined");
  return send(`/play${path}`, { ...options, token: session.token });
}

export type Ranking = Schema<"Ranking">;

/** The visit's ranking once it is over; null while it runs. Throws offline. */
export async function fetchRanking(): Promise<Ranking | null> {
  try {
    return (await (await playSend("/ranking")).json()) as Ranking;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return null;
    throw error;
  }
}

/** The bundle: from the phone when it has it, refreshed from the server when online. */
export async function loadBundle(
  onProgress?: (done: number, total: number) => void,
): Promise<Bundle> {
  const cached = await getState<{ etag: string; bundle: Bundle }>("bundle");
  try {
    const response = await playSend("/bundle", { etag: cached?.etag });
    if (response.status === 304 && cached) {
      await cacheMedia(cached.bundle, onProgress);
      return cached.bundle;
    }
    const bundle = (await response.json()) as Bundle;
    await setState("bundle", { etag: response.headers.get("ETag") ?? "", bundle });
    await cacheMedia(bundle, onProgress);
    return bundle;
  } catch (error) {
    // No network, or the server in trouble (its database away: 503): play on with what the
    // phone has. A refused token (401) is an answer, and the screen says so.
    const trouble = error instanceof ApiError && (error.status === 0 || error.status >= 500);
    if (cached && trouble) return cached.bundle;
    throw error;
  }
}

/** Pictures and sounds into the cache, so the trail works in a basement without signal. */
async function cacheMedia(
  bundle: Bundle,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  await keepOnlyMedia(
    bundle.stations.flatMap((s) => s.media.map((m) => m.url)),
    onProgress,
  );
}

/** The map tile server; remembered for offline use (the map then shows without tiles). */
export async function clientSettings(): Promise<
  Pick<ClientSettings, "tile_url" | "tile_attribution">
> {
  try {
    const settings = await askSettings();
    await setState("settings", settings);
    return settings;
  } catch {
    // Offline: use what the phone remembers.
  }
  return (await getState<ClientSettings>("settings")) ?? { tile_url: "", tile_attribution: "" };
}

export async function loadProgress(): Promise<Progress> {
  return (await getState<Progress>("progress")) ?? { checkedIn: [], tasks: {} };
}

async function saveProgress(progress: Progress): Promise<void> {
  await setState("progress", progress);
}

function newEvent(fields: Omit<OutboxEvent, "id" | "at">): OutboxEvent {
  return { id: crypto.randomUUID(), at: new Date().toISOString(), ...fields };
}

export async function recordCheckin(
  progress: Progress,
  station: PlayStation,
  how: { code?: string; position?: OutboxEvent["position"] },
): Promise<Progress> {
  await enqueue(
    newEvent({
      type: "checkin",
      station_id: station.id,
      code: how.code ?? null,
      position: how.position ?? null,
    }),
  );
  const next = { ...progress, checkedIn: [...new Set([...progress.checkedIn, station.id])] };
  await saveProgress(next);
  void sync.kick();
  return next;
}

export async function recordHint(station: PlayStation, task: TaskSpec): Promise<void> {
  await enqueue(newEvent({ type: "hint", station_id: station.id, task_id: task.id }));
  void sync.kick();
}

export async function recordAnswer(
  progress: Progress,
  station: PlayStation,
  result: TaskResult,
  answer: Answer,
): Promise<Progress> {
  await enqueue(
    newEvent({ type: "answer", station_id: station.id, task_id: result.taskId, answer }),
  );
  const next = { ...progress, tasks: { ...progress.tasks, [result.taskId]: result } };
  await saveProgress(next);
  void sync.kick();
  return next;
}

async function uploadNow(photo: Blob): Promise<number> {
  const body = new FormData();
  body.append("file", photo, "foto.jpg");
  const response = await playSend("/media", { form: body });
  return ((await response.json()) as Schema<"Media">).id;
}

/** The server has said no and will say it again (a photo too large, the team's photos used
 * up): sending it later changes nothing. Network trouble, 5xx and 429 pass. */
export function refusedForGood(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

/** A photo answer: uploaded at once when the network allows, else kept until it does. A
 * photo the server refuses is no answer: the error goes to the screen. */
export async function photoAnswer(photo: Blob): Promise<Answer> {
  try {
    return { media_id: await uploadNow(photo) };
  } catch (error) {
    if (refusedForGood(error)) throw error;
    const key = crypto.randomUUID();
    await keepPhoto(key, photo);
    return { photo_key: key };
  }
}

/** Before its answer is sent, a kept photo is uploaded and the answer names its media id; an
 * answer whose photo the server refuses leaves the outbox, and the phone says why. */
async function uploadKeptPhotos(events: OutboxEvent[]): Promise<OutboxEvent[]> {
  const sendable: OutboxEvent[] = [];
  for (const event of events) {
    const key = (event.answer as { photo_key?: string } | null)?.photo_key;
    const photo = key ? await keptPhoto(key) : undefined;
    if (key && photo) {
      try {
        event.answer = { media_id: await uploadNow(photo) };
      } catch (error) {
        if (!refusedForGood(error)) throw error;
        await remove([event.id]);
        await dropPhoto(key);
        await sync.noteRefused([{ code: error.code, type: event.type }]);
        continue;
      }
      await enqueue(event);
      await dropPhoto(key);
    }
    sendable.push(event);
  }
  return sendable;
}

/** The order events are sent in: check-ins first, the server counts an answer at a station
 * only after the team's check-in there; then as the team made them. */
export function sendingOrder(events: OutboxEvent[]): OutboxEvent[] {
  const rank = (event: OutboxEvent) => (event.type === "checkin" ? 0 : 1);
  return [...events].sort((a, b) => rank(a) - rank(b) || a.at.localeCompare(b.at));
}

/** Events the server refused for good, by why: they left the outbox, and the phone shows it. */
export interface Refusal {
  code: string;
  type: OutboxEvent["type"];
  count: number;
}

export function localScore(progress: Progress): number {
  return Object.values(progress.tasks).reduce((sum, r) => sum + (r.done ? r.points : 0), 0);
}

/** As the server decides it (Activity.station_done; the same cases test both): every task
 * finished; a station without tasks once the team checked in there (at a station without a
 * check-in, opening it checks in). Tasks show only after the check-in. */
export function stationDone(
  station: { id: number; tasks: { id: number }[] },
  progress: { checkedIn: number[]; tasks: Record<number, { done: boolean }> },
): boolean {
  if (!station.tasks.length) return progress.checkedIn.includes(station.id);
  return station.tasks.every((task) => progress.tasks[task.id]?.done);
}

/** SHA-256 of a typed or scanned station code, compared with the bundle's code_sha256. */
/** When the game ends (the teacher may move it while the team plays), or null. */
export function gameEnd(bundle: Bundle): Date | null {
  const end = sync.playUntil === undefined ? bundle.visit.play_until : sync.playUntil;
  return end ? new Date(end) : null;
}

/** Whether `station` is open for the team now (by the server's clock), and what it waits for. */
export function stationRelease(
  bundle: Bundle,
  progress: Progress,
  station: PlayStation,
  now: Date,
): ReleaseState {
  const done = new Set(bundle.stations.filter((s) => stationDone(s, progress)).map((s) => s.id));
  return releaseState(station.release, done, now);
}

export async function codeHash(code: string): Promise<string> {
  const bytes = new TextEncoder().encode(code.toUpperCase().replace(/[\s-]/g, ""));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The outbox's courier: sends on `online`, on becoming visible, after each new event, and on
 * a timer that backs off while the network is away. */
class SyncEngine {
  unsent = 0;
  /** The score as the server counts it, after the last sync; the truth once all is sent. */
  serverScore: number | null = null;
  private running = false;
  private delay = 2000;
  private timer: number | undefined;
  private listeners = new Set<() => void>();
  private started = false;
  /** A flush was asked for while one ran: run again after it, or what it asked for is lost. */
  private again = false;
  /** The score is wanted even with nothing to send (a teacher may have graded). */
  private scoreWanted = false;
  /** Set from the bundle: the teacher sees the team's position (the team is told so). */
  sharePositions = false;
  private position: { lat: number; lon: number; accuracy: number } | null = null;
  private positionSentAt = 0;
  /** What the server refused, until the team has read it. */
  refusals: Refusal[] = [];
  /** The teacher's messages, oldest first; the team has read those up to `messagesRead`. */
  messages: TeacherMessage[] = [];
  messagesRead = 0;
  /** The server's clock minus the phone's (ms), measured with each sync: rules and the time
   * limit go by the server's clock. */
  clockOffset = loadSession()?.clock_offset ?? 0;
  /** The game's end as the server said it last (undefined: not asked yet; the bundle's). */
  playUntil: string | null | undefined = undefined;

  /** Now, by the server's clock. */
  now(): Date {
    return new Date(Date.now() + this.clockOffset);
  }

  /** Messages of a sync answer: the server repeats them until it hears they were read, the
   * phone keeps each once. */
  async noteMessages(incoming: TeacherMessage[]): Promise<void> {
    const known = new Set(this.messages.map((m) => m.id));
    const fresh = incoming.filter((m) => !known.has(m.id));
    if (!fresh.length) return;
    this.messages = [...this.messages, ...fresh].sort((a, b) => a.id - b.id);
    await setState("messages", this.messages);
    this.announce();
  }

  async markMessagesRead(): Promise<void> {
    this.messagesRead = Math.max(this.messagesRead, ...this.messages.map((m) => m.id));
    await setState("messagesRead", this.messagesRead);
    this.announce();
    await this.kick(); // the teacher sees it was read as soon as the network allows
  }

  async noteRefused(refused: { code: string; type: OutboxEvent["type"] }[]): Promise<void> {
    if (!refused.length) return;
    const next = this.refusals.map((r) => ({ ...r }));
    for (const { code, type } of refused) {
      const same = next.find((r) => r.code === code && r.type === type);
      if (same) same.count += 1;
      else next.push({ code, type, count: 1 });
    }
    this.refusals = next;
    await setState("refusals", next);
    this.announce();
  }

  async dismissRefusals(): Promise<void> {
    this.refusals = [];
    await setState("refusals", []);
    this.announce();
  }

  /** The phone's GPS, while a screen uses it; sent with the next sync if positions are shared,
   * and at most once a minute on its own. */
  notePosition(coords: GeolocationCoordinates): void {
    if (!this.sharePositions) return;
    this.position = {
      lat: coords.latitude,
      lon: coords.longitude,
      accuracy: Math.min(coords.accuracy, 100000),
    };
    if (Date.now() - this.positionSentAt > 60_000) void this.flush(true);
  }

  async start(): Promise<void> {
    if (this.started) return this.kick();
    this.started = true;
    const stored = (await getState<number>("serverScore")) ?? null;
    this.serverScore ??= stored; // a sync may have answered while the phone's storage was read
    this.refusals = [...((await getState<Refusal[]>("refusals")) ?? []), ...this.refusals];
    this.messagesRead = Math.max(this.messagesRead, (await getState<number>("messagesRead")) ?? 0);
    this.clockOffset = (await getState<number>("clockOffset")) ?? this.clockOffset;
    this.playUntil ??= await getState<string | null>("playUntil");
    await this.noteMessages((await getState<TeacherMessage[]>("messages")) ?? []);
    window.addEventListener("online", () => void this.kick());
    document.addEventListener(
      "visibilitychange",
      () => document.visibilityState === "visible" && void this.kick(),
    );
    window.setInterval(() => {
      if (document.visibilityState === "visible" && navigator.onLine) void this.flush(true);
    }, HEARTBEAT_MS);
    void this.kick();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Send now; with nothing to send, still ask for the score: a teacher may have graded. */
  kick(): Promise<void> {
    this.delay = 2000;
    return this.flush(true);
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), this.delay);
    this.delay = Math.min(this.delay * 2, MAX_BACKOFF_MS);
  }

  private announce(): void {
    for (const listener of this.listeners) listener();
  }

  async flush(refresh = false): Promise<void> {
    this.scoreWanted ||= refresh;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    let retry = false;
    try {
      let events = sendingOrder(await pending());
      this.unsent = events.length;
      this.announce();
      while (events.length || this.scoreWanted) {
        const batch = await uploadKeptPhotos(events.slice(0, BATCH));
        const position = this.position;
        const sentAt = Date.now();
        const request = {
          events: batch,
          messages_read: this.messagesRead,
          sent_at: new Date(sentAt).toISOString(),
        };
        const response = await playSend("/sync", {
          method: "POST",
          body: position ? { ...request, position } : request,
        });
        const body = (await response.json()) as Schema<"SyncResult">;
        // The server answered halfway between sending and receiving, near enough.
        this.clockOffset = Date.parse(body.server_time) - (sentAt + Date.now()) / 2;
        await setState("clockOffset", this.clockOffset);
        if (body.play_until !== this.playUntil) {
          this.playUntil = body.play_until ?? null;
          await setState("playUntil", this.playUntil);
          this.announce();
        }
        await this.noteMessages(body.messages);
        this.scoreWanted = false;
        if (position) {
          this.position = null;
          this.positionSentAt = Date.now();
        }
        // Refused events can never succeed; they leave the outbox like acknowledged ones, and
        // the team is told which and why.
        const refusedIds = body.refused.map((r) => r.id).filter((id): id is string => !!id);
        await remove([...body.acked, ...refusedIds]);
        const sent = new Map(batch.map((event) => [event.id, event]));
        await this.noteRefused(
          body.refused.map((r) => ({
            code: r.code,
            type: (r.id && sent.get(r.id)?.type) || "answer",
          })),
        );
        this.serverScore = body.score;
        await setState("serverScore", body.score);
        events = sendingOrder(await pending());
        this.unsent = events.length;
        this.announce();
      }
    } catch (error) {
      // Offline or server trouble: try again later; a team whose visit is long over (410) or
      // whose token is gone (401) gets the same answer every time.
      const final = error instanceof ApiError && (error.status === 401 || error.status === 410);
      if (final) this.scoreWanted = false;
      retry = !final && (this.unsent > 0 || this.scoreWanted);
    } finally {
      this.running = false;
    }
    if (retry) this.schedule();
    else if (this.again) {
      this.again = false;
      void this.flush();
    }
  }
}

export const sync = new SyncEngine();
