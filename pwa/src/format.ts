/** Dates and numbers as people here write them: 22.11.2026, 14:05, 3,5. */
import type { Language } from "./i18n";

const LOCALES: Record<Language, string> = { de: "de-DE", en: "en-GB" };

export function formatDate(iso: string, language: Language = "de"): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: "Europe/Berlin",
  }).format(new Date(iso));
}

export function formatTime(iso: string, language: Language = "de"): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Berlin",
  }).format(new Date(iso));
}

export function formatNumber(value: number, language: Language = "de"): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}
