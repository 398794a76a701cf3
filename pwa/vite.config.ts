import preact from "@preact/preset-vite";
import { defineConfig } from "vitest/config";
import { precompress, previousBuilds, serviceWorker } from "./build-plugins";

export default defineConfig({
  plugins: [preact(), serviceWorker(), previousBuilds(), precompress()],
  build: {
    modulePreload: {
      // The polyfill would be inlined into index.html; the CSP forbids inline script.
      polyfill: false,
      // The entry names what each page needs, so it loads in parallel: for the game every
      // file, for the staff pages only their styles (their scripts follow one round trip
      // later), which keeps the students' first load small.
      resolveDependencies: (filename, deps) =>
        /\/(screens|station-view)-/.test(`/${filename}`)
          ? deps
          : deps.filter((dep) => dep.endsWith(".css")),
    },
    target: "es2020",
    sourcemap: false,
  },
  server: { proxy: { "/api": "http://127.0.0.1:5000", "/media": "http://127.0.0.1:5000" } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
