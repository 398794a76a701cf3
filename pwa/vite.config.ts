import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

/**
 * Emits /sw.js with the list of every built file to precache and a cache name derived from
 * that list, so a new build replaces the old cache and an unchanged one keeps it.
 */
function serviceWorker(): Plugin {
  const source = fileURLToPath(new URL("./src/sw.js", import.meta.url));
  return {
    name: "openparcours-service-worker",
    apply: "build",
    // After writing: the file names on disk are final (CSS handling may rename chunks later
    // than generateBundle sees them).
    writeBundle(options) {
      const dir = options.dir!;
      const built = readdirSync(join(dir, "assets"))
        .filter((name) => !name.endsWith(".map"))
        .map((name) => `/assets/${name}`);
      const publicFiles = [
        "/manifest.webmanifest",
        "/favicon.svg",
        "/icons/icon-192.png",
        "/icons/icon-512.png",
        "/icons/icon-maskable-512.png",
        "/icons/icon.svg",
        "/icons/apple-touch-icon.png",
      ];
      const precache = ["/", ...publicFiles, ...built].sort();
      const version = createHash("sha256").update(precache.join("\n")).digest("hex").slice(0, 12);
      const code = readFileSync(source, "utf8")
        .replace("__PRECACHE__", JSON.stringify(precache))
        .replace("__VERSION__", JSON.stringify(version));
      writeFileSync(join(dir, "sw.js"), code);
    },
  };
}

export default defineConfig({
  plugins: [preact(), serviceWorker()],
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
