/* OpenParcours service worker: the app shell works offline after one visit. */
const PRECACHE = __PRECACHE__;
const CACHE = `shell-${__VERSION__}`;
const NAVIGATION_TIMEOUT_MS = 3000;

// The hashed files of the builds before this one, for pages that still run them.
const PREVIOUS = "previous-builds";
// The pages open when this worker took over, which run an older build (in PREVIOUS).
const PREVIOUS_CLIENTS = "/previous-builds/clients.json";

// A new worker waits: a page opened before the deploy keeps its build until it agrees to
// reload (update-prompt.tsx), so no team is reloaded mid-station.
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "skip-waiting") self.skipWaiting();
});

/** Moves the older builds' hashed files out of their caches into PREVIOUS, for the pages open
 * now: a lazy import of theirs still loads, offline too. */
async function keepPreviousBuilds() {
  const old = (await caches.keys()).filter((k) => k.startsWith("shell-") && k !== CACHE);
  if (old.length === 0) return; // the first worker: no page runs an older build
  const previous = await caches.open(PREVIOUS);
  for (const name of old) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (!path.startsWith("/assets/") || PRECACHE.includes(path)) continue;
      const response = await cache.match(request);
      if (response) await previous.put(request, response);
    }
    await caches.delete(name);
  }
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  await previous.put(PREVIOUS_CLIENTS, Response.json(pages.map((page) => page.id)));
}

/** Drops the older builds' files once no page that ran them is open. */
async function forgetPreviousBuilds() {
  if (!(await caches.has(PREVIOUS))) return;
  const previous = await caches.open(PREVIOUS);
  const listed = await previous.match(PREVIOUS_CLIENTS);
  const ids = listed ? await listed.json() : [];
  const open = await Promise.all(ids.map((id) => self.clients.get(id)));
  if (!open.some(Boolean)) await caches.delete(PREVIOUS);
}

self.addEventListener("activate", (event) => {
  event.waitUntil(keepPreviousBuilds().then(() => self.clients.claim()));
});

function networkWithTimeout(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NAVIGATION_TIMEOUT_MS);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // The API is never answered from a cache: what the server says is the truth.
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Network first, so a new version shows at once; the cached shell when offline or slow.
    event.respondWith(
      networkWithTimeout(request).catch(() =>
        caches.match("/", { cacheName: CACHE }).then((cached) => cached || Response.error()),
      ),
    );
    return;
  }
  if (url.pathname.startsWith("/media/")) {
    // Media are content-addressed: a cached copy is right. The game keeps the current trail's
    // media cached, and only those (play/media-cache.ts).
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
    return;
  }
  if (url.pathname.startsWith("/assets/") || PRECACHE.includes(url.pathname)) {
    // Hashed assets never change under their name: the cache is always right. A previous
    // build's file is in PREVIOUS, or on the server, which keeps the last builds' files.
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
    event.waitUntil(forgetPreviousBuilds());
  }
});
