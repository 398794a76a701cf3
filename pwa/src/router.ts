/** A small History-API router: patterns like "/invite/:token", links without reloads. */
import { useEffect, useState } from "preact/hooks";

export type Params = Record<string, string>;

export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("?")[0].split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}

const listeners = new Set<() => void>();
/** The screens holding something a user started and has not sent, with the question to ask. */
const unfinished = new Map<object, string>();

/** True when nothing is unfinished or the user agrees to leave it. */
function mayLeave(): boolean {
  const question = [...unfinished.values()][0];
  return question === undefined || window.confirm(question);
}

function announce(): void {
  for (const listener of listeners) listener();
}

export function navigate(to: string, replace = false): void {
  if (!mayLeave()) return;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  announce();
  window.scrollTo(0, 0);
}

export function useLocation(): string {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const update = () => setPath(location.pathname + location.search);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return path;
}

/** While `active`, leaving the screen by a link or a reload asks `question`. The browser's back
 * button cannot be asked reliably (Chromium suppresses dialogs there): screens keep what is
 * unfinished for the way back instead. */
export function useLeaveGuard(active: boolean, question: string): void {
  useEffect(() => {
    if (!active) return;
    const holder = {};
    // A reload or closing the tab: the browser asks in its own words.
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    unfinished.set(holder, question);
    window.addEventListener("beforeunload", ask);
    return () => {
      unfinished.delete(holder);
      window.removeEventListener("beforeunload", ask);
    };
  }, [active, question]);
}

/** Follow same-origin links in the app without a page load (the browser handles the rest). */
export function interceptLinks(event: MouseEvent): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const anchor = (event.target as Element).closest?.("a");
  if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
  const url = new URL(anchor.href, location.href);
  if (
    url.origin !== location.origin ||
    url.pathname.startsWith("/api/") ||
    url.pathname.startsWith("/media/")
  )
    return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}
