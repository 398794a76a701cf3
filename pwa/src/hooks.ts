/** The staff pages' reads: a resource fetched when a page shows it, or polled while it does. */
import { type Dispatch, type StateUpdater, useEffect, useState } from "preact/hooks";
import { api, type ClientSettings, clientSettings, send } from "./api";
import { errorMessage } from "./components";

export interface Resource<T> {
  /** null until the first answer; an older answer stays while a reload runs. */
  data: T | null;
  /** Why the last request failed, in the reader's words. */
  error: string | null;
  reload: () => void;
  /** What a write answered: the resource as it is now. */
  setData: Dispatch<StateUpdater<T | null>>;
}

/** GET `path` when the component mounts and whenever `path` changes; null asks nothing. */
export function useResource<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    api<T>(path).then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError(null);
      },
      (caught: unknown) => current && setError(errorMessage(caught)),
    );
    return () => {
      current = false;
    };
  }, [path, asked]);
  return { data, error, reload: () => setAsked((n) => n + 1), setData };
}

/** GET `path` now and every `seconds` with If-None-Match, so an unchanged answer costs a 304
 * and no work; a failed poll (offline for a moment) leaves the last answer. null asks nothing. */
export function usePolling<T>(
  path: string | null,
  seconds: number,
): { data: T | null; updated: Date | null } {
  const [data, setData] = useState<T | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  useEffect(() => {
    if (path === null) return;
    let etag = "";
    let stopped = false;
    let timer = 0;
    const poll = async () => {
      try {
        const response = await send(path, { etag });
        if (response.status !== 304) {
          etag = response.headers.get("ETag") ?? "";
          const answer = (await response.json()) as T;
          if (!stopped) setData(answer);
        }
        if (!stopped) setUpdated(new Date());
      } catch {
        // The next poll tries again.
      }
      if (!stopped) timer = window.setTimeout(poll, seconds * 1000);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [path, seconds]);
  return { data, updated };
}

/** What an `askedOnce` request answers: null until it is known, its error in the reader's
 * words if it failed. */
export function useAsked<T>(ask: () => Promise<T>): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    ask().then(
      (answer) => current && setData(answer),
      (caught: unknown) => current && setError(errorMessage(caught)),
    );
    return () => {
      current = false;
    };
  }, [ask]);
  return { data, error };
}

/** The server's settings (asked once per page load); null until they are known. */
export function useSettings(): ClientSettings | null {
  return useAsked(clientSettings).data;
}
