import type { authorDe } from "../author/messages";
import type { notificationsDe } from "../notifications/messages";
import type { accountDe } from "../pages/account-messages";
import type { homeDe } from "../pages/home-messages";
import type { practiceDe } from "../partnerships/good-practice-messages";
import type { partnershipDe } from "../partnerships/messages";
import type { newsDe } from "../partnerships/news-messages";
import type { playDe } from "../play/messages";
import type { souvenirDe } from "../souvenir/messages";
import type { staffDe } from "../staff-messages";
import type { resultsDe } from "../teach/results-messages";
import type { updateDe } from "../update-prompt";
import { type CoreKey, de } from "./de";

export type Language = "de" | "en";
/** Keys of the shell's catalog and of the areas that add theirs when they load. */
export type MessageKey =
  | CoreKey
  | keyof typeof authorDe
  | keyof typeof playDe
  | keyof typeof staffDe
  | keyof typeof resultsDe
  | keyof typeof souvenirDe
  | keyof typeof partnershipDe
  | keyof typeof homeDe
  | keyof typeof accountDe
  | keyof typeof notificationsDe
  | keyof typeof newsDe
  | keyof typeof practiceDe
  | keyof typeof updateDe;

// English loads when it is chosen: German readers (the most) download only German.
const CATALOGS: Record<Language, Record<string, string>> = { de: { ...de }, en: {} };
let english: Promise<void> | null = null;

export function loadLanguage(language: Language): Promise<void> {
  if (language === "de") return Promise.resolve();
  english ??= import("./en").then((m) => addMessages({}, m.en));
  return english;
}

/** An area's texts, added when its code loads. */
export function addMessages(german: Record<string, string>, english: Record<string, string>): void {
  Object.assign(CATALOGS.de, german);
  Object.assign(CATALOGS.en, english);
}
const STORAGE_KEY = "openparcours.language";

/** The stored choice, else the first supported browser language, else German. */
export function detectLanguage(stored: string | null, browser: readonly string[]): Language {
  if (stored === "de" || stored === "en") return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "de" || base === "en") return base;
  }
  return "de";
}

function lookup(language: Language, key: string): string | undefined {
  return CATALOGS[language][key] ?? CATALOGS.de[key];
}

/** The key of a count's plural form: "play.triesLeft.one" for 1 where the catalog has one;
 * the bare key holds the other form ("noch 1 Versuch", "noch 2 Versuche"). */
function plural(language: Language, key: string, count: string | number | undefined): string {
  if (typeof count !== "number") return key;
  const form = new Intl.PluralRules(language).select(count);
  return form === "other" ? key : `${key}.${form}`;
}

export function translate(
  language: Language,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  const text =
    lookup(language, plural(language, key, params?.count)) ?? lookup(language, key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

let current: Language = "de";
const listeners = new Set<() => void>();

export function initLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be blocked (private mode); the browser language still applies.
  }
  setLanguage(detectLanguage(stored, navigator.languages ?? [navigator.language]), false);
  return current;
}

function announce(): void {
  for (const listener of listeners) listener();
}

export function setLanguage(language: Language, remember = true): void {
  current = language;
  document.documentElement.lang = language;
  void loadLanguage(language).then(announce);
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Not remembered: the choice holds for this page.
    }
  }
  announce();
}

export function language(): Language {
  return current;
}

export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(current, key, params);
}
