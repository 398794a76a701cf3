import { render } from "preact";
import { App } from "./app";
import { initLanguage } from "./i18n";
import "./styles.css";

initLanguage();
render(<App />, document.getElementById("app")!);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Without a service worker the app works online only; nothing to tell the user now.
  });
}
