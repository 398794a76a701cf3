import { render } from "preact";
import { App } from "./app";
import { initLanguage } from "./i18n";
import { interceptLinks } from "./router";
import "./styles.css";

initLanguage();
// Links to the app's own pages change the page without loading it again.
document.addEventListener("click", interceptLinks);
render(<App />, document.getElementById("app")!);

/** A new build's worker waits until the page agrees; the offer to reload (its own module, not
 * in the first load) shows once it is installed. */
function offerUpdates(registration: ServiceWorkerRegistration): void {
  const offer = () => {
    if (registration.waiting && navigator.serviceWorker.controller)
      import("./update-prompt").then((m) => m.offerUpdate(registration));
  };
  offer();
  registration.addEventListener("updatefound", () =>
    registration.installing?.addEventListener("statechange", offer),
  );
  // The browser looks for a new worker on page loads; the game runs for hours without one.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => undefined);
  });
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(offerUpdates, () => {
    // Without a service worker the app works online only; nothing to tell the user now.
  });
}
