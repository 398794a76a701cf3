import { render } from "preact";
import { App } from "./app";
import { initLanguage } from "./i18n";
import { interceptLinks } from "./router";
import "./styles.css";

initLanguage();
// Links to the app's own pages change the page without loading it again.
document.addEventListener("click", interceptLinks);
render(<App />, document.getElementById("app")!);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Without a service worker the app works online only; nothing to tell the user now.
  });
}
