/** The offer to run a new build, loaded only once one is installed: the page reloads when the
 * user agrees, never by surprise. */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { addMessages, onLanguageChange, t } from "./i18n";
import { useLocation } from "./router";
import "./update-prompt.css";

export const updateDe = { "update.reload": "Neue Version – neu laden" };
addMessages(updateDe, { "update.reload": "New version – reload" });

/** A team at a station is not offered a reload; the join, overview and finish screens are the
 * moments between stations. */
const AT_A_STATION = /^\/(play\/station|q)\//;

function reload(registration: ServiceWorkerRegistration): void {
  const waiting = registration.waiting;
  if (!waiting) {
    location.reload(); // another page let the new worker take over already
    return;
  }
  navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), {
    once: true,
  });
  waiting.postMessage({ type: "skip-waiting" });
}

function UpdatePrompt({ registration }: { registration: ServiceWorkerRegistration }) {
  const path = useLocation();
  const [, rerender] = useState(0);
  useEffect(() => onLanguageChange(() => rerender((n) => n + 1)), []);
  if (AT_A_STATION.test(path)) return null;
  return (
    <button type="button" class="button" onClick={() => reload(registration)}>
      {t("update.reload")}
    </button>
  );
}

let offered = false;

export function offerUpdate(registration: ServiceWorkerRegistration): void {
  if (offered) return;
  offered = true;
  // The status region exists before its text, so screen readers announce the text.
  const status = document.createElement("div");
  status.setAttribute("role", "status");
  status.className = "update-prompt";
  document.body.append(status);
  setTimeout(() => render(<UpdatePrompt registration={registration} />, status), 100);
}
