/**
 * The build's own steps: the service worker with its precache list, the previous builds' hashed
 * files kept for the phones still running them, and brotli and gzip copies of every file, which
 * the server sends by the browser's Accept-Encoding.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Logger, Plugin } from "vite";

const PUBLIC_FILES = [
  "/manifest.webmanifest",
  "/favicon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon-maskable-512.png",
  "/icons/icon.svg",
  "/icons/apple-touch-icon.png",
];

/** The hashed files of the build just written, as paths in dist ("assets/index-AbC1.js"). */
function hashedFiles(bundle: Record<string, unknown>): string[] {
  return Object.keys(bundle)
    .filter((name) => name.startsWith("assets/") && !name.endsWith(".map"))
    .sort();
}

/**
 * Emits /sw.js with the list of every built file to precache and a cache name derived from
 * that list, so a new build replaces the old cache and an unchanged one keeps it.
 */
export function serviceWorker(): Plugin {
  const source = fileURLToPath(new URL("./src/sw.js", import.meta.url));
  return {
    name: "openparcours-service-worker",
    apply: "build",
    // After writing: the file names are final (CSS handling may rename chunks later than
    // generateBundle sees them).
    writeBundle(options, bundle) {
      const built = hashedFiles(bundle).map((name) => `/${name}`);
      const precache = ["/", ...PUBLIC_FILES, ...built].sort();
      const version = createHash("sha256").update(precache.join("\n")).digest("hex").slice(0, 12);
      const code = readFileSync(source, "utf8")
        .replace("__PRECACHE__", JSON.stringify(precache))
        .replace("__VERSION__", JSON.stringify(version));
      writeFileSync(join(options.dir!, "sw.js"), code);
    },
  };
}

type Build = { built: string; files: string[] };
const BUILDS = "builds.json";
const COMPRESSED = [".br", ".gz"];

/**
 * Keeps the hashed files of the `keep` previous builds in dist, listed in dist/builds.json
 * (newest first): a phone or a staff page opened before a deploy still loads its lazy chunks
 * from the server after it. Vite empties dist before it writes, so the kept files (with their
 * compressed copies) are read when the build starts and written back after it.
 */
export function previousBuilds(keep = 3): Plugin {
  let outDir = "";
  let builds: Build[] = [];
  const kept = new Map<string, Buffer>();
  return {
    name: "openparcours-previous-builds",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    buildStart() {
      kept.clear();
      const list = join(outDir, BUILDS);
      builds = existsSync(list) ? (JSON.parse(readFileSync(list, "utf8")) as Build[]) : [];
      builds = builds.slice(0, keep);
      for (const file of builds.flatMap((build) => build.files)) {
        for (const copy of [file, ...COMPRESSED.map((ending) => file + ending)]) {
          const path = join(outDir, copy);
          if (existsSync(path)) kept.set(copy, readFileSync(path));
        }
      }
    },
    writeBundle: {
      order: "post",
      handler(_options, bundle) {
        const files = hashedFiles(bundle);
        for (const [file, content] of kept) {
          const path = join(outDir, file);
          if (existsSync(path)) continue; // unchanged since then: the same name, the same bytes
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, content);
        }
        // A build of unchanged sources is the same build: it does not push an older one out.
        const previous = builds.filter((build) => build.files.join() !== files.join());
        const current = { built: new Date().toISOString(), files };
        writeFileSync(join(outDir, BUILDS), `${JSON.stringify([current, ...previous], null, 1)}\n`);
      },
    },
  };
}

/** Formats that are compressed already gain nothing from brotli or gzip. */
const INCOMPRESSIBLE = /\.(png|jpe?g|webp|avif|gif|woff2?|zip|br|gz)$/;
/** Below this a compressed copy saves less than its headers cost. */
const SMALLEST = 256;

function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesIn(path) : [path];
  });
}

function isFresh(copy: string, source: string): boolean {
  return existsSync(copy) && statSync(copy).mtimeMs >= statSync(source).mtimeMs;
}

/**
 * Writes `name.br` (brotli, quality 11) and `name.gz` (gzip, level 9) next to every file of
 * the build, kept only where they are at most 95 % of the file. Runs last, so the service
 * worker and the previous builds' files are there; files whose copies are newer are skipped.
 */
export function precompress(): Plugin {
  let outDir = "";
  let logger: Logger | undefined;
  return {
    name: "openparcours-precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      logger = config.logger;
    },
    closeBundle() {
      const totals = { files: 0, raw: 0, br: 0, gz: 0 };
      for (const path of filesIn(outDir)) {
        if (INCOMPRESSIBLE.test(path)) continue;
        const content = readFileSync(path);
        if (content.length < SMALLEST) continue;
        if (isFresh(`${path}.br`, path) && isFresh(`${path}.gz`, path)) continue;
        const copies = {
          br: brotliCompressSync(content, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
            },
          }),
          gz: gzipSync(content, { level: 9 }),
        };
        for (const [ending, copy] of Object.entries(copies)) {
          if (copy.length <= content.length * 0.95) writeFileSync(`${path}.${ending}`, copy);
        }
        totals.files += 1;
        totals.raw += content.length;
        totals.br += copies.br.length;
        totals.gz += copies.gz.length;
      }
      const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
      logger?.info(
        `precompressed ${totals.files} files in ${relative(process.cwd(), outDir) || "."}: ` +
          `${kb(totals.raw)}, brotli ${kb(totals.br)}, gzip ${kb(totals.gz)}`,
      );
    },
  };
}
