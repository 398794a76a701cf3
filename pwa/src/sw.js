/* OpenParcours service worker: the app shell works offline after one visit. */
const PRECACHE = __PRECACHE__;
const CACHE = `shell-${__VERSION__}`;
const NAVIGATION_TIMEOUT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith("shell-") && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
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
    // Hashed assets never change under their name: the cache is always right.
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});
