/** The phone's sync engine against a fake IndexedDB and a fake play API: what the team did
 * stays on the phone until the server has it, and reaches the server once, in order. */
import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OutboxEvent } from "./device-store";

type Game = typeof import("./game");
type DeviceStore = typeof import("./device-store");

/** The play API as the phone sees it: `mode` says whether it answers, is in trouble or is
 * out of reach; every sent event id is counted, as the server stores it once. */
class FakeServer {
  /** "lost": the server stores the events but its answer never reaches the phone. */
  mode: "up" | "503" | "offline" | "lost" = "up";
  syncs: { events: OutboxEvent[]; messages_read: number; sent_at: string }[] = [];
  /** The server's clock minus the phone's. */
  clockOffset = 0;
  /** The teacher's messages to this team. */
  messages: { id: number; text: string; sent_at: string; to_team: boolean }[] = [];
  stored = new Map<string, number>();
  uploads = 0;
  refusePhotos = false;
  bundleRequests: (string | null)[] = [];

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const path = String(input);
    if (this.mode === "offline") throw new TypeError("Failed to fetch");
    if (this.mode === "503")
      return Response.json({ code: "database_unavailable", message: "" }, { status: 503 });
    expect(new Headers(init.headers).get("Authorization")).toBe("Bearer team-token");
    if (path === "/api/v1/play/sync") {
      const body = JSON.parse(String(init.body)) as FakeServer["syncs"][number];
      this.syncs.push(body);
      for (const event of body.events)
        this.stored.set(event.id, (this.stored.get(event.id) ?? 0) + 1);
      if (this.mode === "lost") throw new TypeError("Failed to fetch");
      return Response.json({
        acked: body.events.map((e) => e.id),
        refused: [],
        score: 10 * this.stored.size,
        messages: this.messages.filter((m) => m.id > body.messages_read),
        server_time: new Date(Date.now() + this.clockOffset).toISOString(),
      });
    }
    if (path === "/api/v1/play/media") {
      if (this.refusePhotos)
        return Response.json({ code: "too_many_photos", message: "" }, { status: 409 });
      return Response.json({ id: 100 + ++this.uploads }, { status: 201 });
    }
    if (path === "/api/v1/play/bundle") {
      const etag = new Headers(init.headers).get("If-None-Match");
      this.bundleRequests.push(etag);
      if (etag === '"v1"') return new Response(null, { status: 304 });
      return Response.json(BUNDLE, { headers: { ETag: '"v1"' } });
    }
    return new Response(null, { status: 404 });
  };

  /** The ids of the events in each sync that carried any, in the order sent. */
  sentIds(): string[][] {
    return this.syncs.filter((s) => s.events.length).map((s) => s.events.map((e) => e.id));
  }
}

const BUNDLE = { title: "Unter Tage", stations: [{ id: 1, media: [] }] };
const SESSION = {
  token: "team-token",
  team: { id: 1, name: "Füchse", players: 2 },
  visit: {
    id: 1,
    trail_title: "Unter Tage",
    class_label: "7b",
    ends_at: "2026-11-22T12:00:00Z",
    show_points: true,
  },
};

let server: FakeServer;
let game: Game;
let store: DeviceStore;
let retries: ReturnType<typeof vi.fn>;

function event(
  id: string,
  type: OutboxEvent["type"],
  at: string,
  fields: Partial<OutboxEvent> = {},
): OutboxEvent {
  return { id, type, station_id: 1, task_id: type === "checkin" ? null : 2, at, ...fields };
}

async function unsentIds(): Promise<string[]> {
  return (await store.pending()).map((e) => e.id).sort();
}

beforeEach(async () => {
  vi.resetModules(); // a fresh engine and a fresh database connection for each test
  server = new FakeServer();
  retries = vi.fn(() => 1);
  const stored = new Map<string, string>([["openparcours.team", JSON.stringify(SESSION)]]);
  vi.stubGlobal("indexedDB", new IDBFactory());
  vi.stubGlobal("localStorage", {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
    removeItem: (key: string) => stored.delete(key),
  });
  // The engine's timer: a retry is noted, and a test runs it by flushing.
  vi.stubGlobal("window", { setTimeout: retries, clearTimeout: () => undefined });
  vi.stubGlobal("fetch", server.fetch);
  game = await import("./game");
  store = await import("./device-store");
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the phone's clock", () => {
  it("is set by the server's with each sync, and says so with each batch", async () => {
    const ahead = 10 * 60_000; // the phone is 10 minutes fast
    server.clockOffset = -ahead;
    vi.setSystemTime(new Date("2026-12-07T09:00:00Z"));
    await game.sync.flush(true);
    expect(server.syncs.at(-1)?.sent_at).toBe("2026-12-07T09:00:00.000Z");
    expect(game.sync.clockOffset).toBe(-ahead);
    expect(game.sync.now().toISOString()).toBe("2026-12-07T08:50:00.000Z");
    vi.useRealTimers();
  });
});

describe("the teacher's messages", () => {
  const message = (id: number, text: string) => ({
    id,
    text,
    sent_at: "2026-11-22T09:30:00Z",
    to_team: false,
  });

  it("keeps each once, however often the server repeats it, until the team has read it", async () => {
    server.messages = [message(4, "In 10 Minuten am Eingang!")];
    await game.sync.flush(true);
    await game.sync.flush(true);
    expect(game.sync.messages.map((m) => m.text)).toEqual(["In 10 Minuten am Eingang!"]);
    expect(game.sync.messagesRead).toBe(0);

    await game.sync.markMessagesRead();
    await game.sync.flush(true);
    expect(server.syncs.at(-1)?.messages_read).toBe(4);
    server.messages.push(message(7, "Blau, bitte zu Station 4"));
    await game.sync.flush(true);
    expect(game.sync.messages.map((m) => m.id)).toEqual([4, 7]);
  });

  it("reaches a phone that was offline, and a reloaded phone knows what it has read", async () => {
    server.mode = "offline";
    server.messages = [message(4, "Zeit ist bald um")];
    await game.sync.flush(true);
    expect(game.sync.messages).toEqual([]);
    server.mode = "up";
    await game.sync.flush(true);
    await game.sync.markMessagesRead();

    vi.resetModules(); // the page reloads: a new engine over the same IndexedDB
    vi.stubGlobal("window", {
      setTimeout: retries,
      clearTimeout: () => undefined,
      setInterval: () => 0,
      addEventListener: () => undefined,
    });
    vi.stubGlobal("document", { addEventListener: () => undefined, visibilityState: "visible" });
    const reloaded = (await import("./game")).sync;
    await reloaded.start();
    expect(reloaded.messagesRead).toBe(4);
    expect(reloaded.messages.map((m) => m.text)).toEqual(["Zeit ist bald um"]);
  });
});

describe("the outbox's courier", () => {
  it("keeps events until the server acknowledges them", async () => {
    await store.enqueue(event("c", "checkin", "2026-11-22T09:00:00Z"));
    await store.enqueue(event("a", "answer", "2026-11-22T09:01:00Z"));
    server.mode = "offline";
    await game.sync.flush();
    expect(await unsentIds()).toEqual(["a", "c"]);
    expect(game.sync.unsent).toBe(2);
    expect(retries).toHaveBeenCalledTimes(1);

    server.mode = "up";
    await game.sync.flush();
    expect(await unsentIds()).toEqual([]);
    expect(game.sync.unsent).toBe(0);
    expect(game.sync.serverScore).toBe(20);
  });

  it("keeps them through a 503 and sends them once the server is back", async () => {
    await store.enqueue(event("a", "answer", "2026-11-22T09:01:00Z"));
    server.mode = "503";
    await game.sync.flush();
    await game.sync.flush();
    expect(await unsentIds()).toEqual(["a"]);
    expect(retries).toHaveBeenCalledTimes(2);

    server.mode = "up";
    await game.sync.flush();
    expect(await unsentIds()).toEqual([]);
    expect(server.stored.get("a")).toBe(1);
  });

  it("never sends an acknowledged event again", async () => {
    await store.enqueue(event("a", "answer", "2026-11-22T09:01:00Z"));
    await game.sync.flush();
    await store.enqueue(event("b", "answer", "2026-11-22T09:02:00Z"));
    await game.sync.flush();
    await game.sync.flush(true); // only asks for the score
    expect(server.sentIds()).toEqual([["a"], ["b"]]);
    expect([...server.stored.values()]).toEqual([1, 1]);
    expect(server.syncs.at(-1)).toMatchObject({ events: [], messages_read: 0 });
  });

  it("replays an event whose acknowledgement was lost under its own id", async () => {
    await store.enqueue(event("a", "answer", "2026-11-22T09:01:00Z"));
    server.mode = "lost";
    await game.sync.flush();
    expect(await unsentIds()).toEqual(["a"]);
    server.mode = "up";
    await game.sync.flush();
    await game.sync.flush(true);
    // The server keeps an event once by its id; the phone sends the same id until acknowledged.
    expect(server.sentIds()).toEqual([["a"], ["a"]]);
    expect(await unsentIds()).toEqual([]);
  });

  it("sends check-ins first, then as the team made them, in batches of 100", async () => {
    const ids: string[] = [];
    for (let n = 0; n < 150; n++) {
      const id = `answer-${String(n).padStart(3, "0")}`;
      ids.push(id);
      // Stored in an order of its own (the outbox is keyed by random ids): reversed here.
      await store.enqueue(
        event(id, "answer", new Date(Date.UTC(2026, 10, 22, 9, 0, 150 - n)).toISOString()),
      );
    }
    await store.enqueue(event("checkin", "checkin", "2026-11-22T10:00:00Z"));
    await game.sync.flush();
    const made = [...ids].reverse();
    expect(server.sentIds()).toEqual([["checkin", ...made.slice(0, 99)], made.slice(99)]);
  });

  it("uploads a photo kept offline before its answer, and then forgets it", async () => {
    server.mode = "offline";
    const answer = await game.photoAnswer(new Blob(["jpeg"], { type: "image/jpeg" }));
    const key = (answer as { photo_key: string }).photo_key;
    expect(await store.keptPhoto(key)).toBeDefined();
    await store.enqueue(event("p", "answer", "2026-11-22T09:01:00Z", { answer }));
    await game.sync.flush();
    expect(await unsentIds()).toEqual(["p"]);

    server.mode = "up";
    await game.sync.flush();
    expect(server.uploads).toBe(1);
    expect(server.syncs.at(-1)!.events[0].answer).toEqual({ media_id: 101 });
    expect(await store.keptPhoto(key)).toBeUndefined();
    expect(await unsentIds()).toEqual([]);
  });

  it("drops an answer whose photo the server refuses, and says why", async () => {
    server.mode = "offline";
    const answer = await game.photoAnswer(new Blob(["jpeg"], { type: "image/jpeg" }));
    await store.enqueue(event("p", "answer", "2026-11-22T09:01:00Z", { answer }));
    server.mode = "up";
    server.refusePhotos = true;
    await game.sync.flush();
    expect(await unsentIds()).toEqual([]);
    expect(server.sentIds()).toEqual([]);
    expect(game.sync.refusals).toEqual([{ code: "too_many_photos", type: "answer", count: 1 }]);
  });
});

describe("the bundle", () => {
  it("is asked for with its ETag, and comes from the phone when unchanged or offline", async () => {
    expect((await game.loadBundle()).title).toBe("Unter Tage");
    expect((await game.loadBundle()).title).toBe("Unter Tage");
    expect(server.bundleRequests).toEqual([null, '"v1"']);
    server.mode = "offline";
    expect((await game.loadBundle()).title).toBe("Unter Tage");
  });
});
