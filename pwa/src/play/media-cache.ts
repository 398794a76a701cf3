/** The current trail's pictures and sounds in CacheStorage, from where the service worker
 * (sw.js) answers /media/ offline. A school tablet is shared by many classes: it keeps only
 * the media of the trail being played, and none once the team leaves. */

const MEDIA_CACHE = "media";

/** Caches what `urls` name that is not cached yet, and deletes every other cached medium. */
export async function keepOnlyMedia(
  urls: string[],
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  if (!("caches" in globalThis)) return;
  const cache = await caches.open(MEDIA_CACHE);
  const wanted = new Set(urls.map((url) => new URL(url, location.href).href));
  const stale = (await cache.keys()).filter((request) => !wanted.has(request.url));
  await Promise.all(stale.map((request) => cache.delete(request)));
  let done = 0;
  onProgress?.(0, wanted.size);
  await Promise.all(
    [...wanted].map(async (url) => {
      if (!(await cache.match(url))) await cache.add(url);
      onProgress?.(++done, wanted.size);
    }),
  );
}

export async function forgetMedia(): Promise<void> {
  if ("caches" in globalThis) await caches.delete(MEDIA_CACHE);
}
