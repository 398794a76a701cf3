/** Texts of the partners' news on the start page: loaded with it, not with the join screen. */
import { addMessages } from "../i18n";

export const newsDe = {
  "news.title": "Neuigkeiten Ihrer Partner",
  "news.none": "Noch keine Neuigkeiten.",
  "news.on": "Termin: {date}",
  "news.more": "Mehr erfahren",
  "news.delete": "Zurücknehmen",
  "news.deleteConfirm": "„{title}“ zurücknehmen? Die Partnerschulen sehen es dann nicht mehr.",
  "news.write": "Neuigkeit für Partnerschulen",
  "news.institution": "Einrichtung",
  "news.titleLabel": "Titel",
  "news.text": "Text",
  "news.link": "Link (optional)",
  "news.date": "Termin (optional)",
  "news.publicFrom": "Öffentlich ab (optional)",
  "news.publicHint":
    "Leer: nur Ihre Partnerschulen lesen es. Mit Datum lesen es ab dann alle im Profil Ihrer Einrichtung.",
  "news.post": "Veröffentlichen",
  "news.posted": "Veröffentlicht.",
} as const;

export const newsEn: Record<keyof typeof newsDe, string> = {
  "news.title": "News from your partners",
  "news.none": "No news yet.",
  "news.on": "Date: {date}",
  "news.more": "Read more",
  "news.delete": "Withdraw",
  "news.deleteConfirm": "Withdraw “{title}”? The partner schools will no longer see it.",
  "news.write": "News for partner schools",
  "news.institution": "Institution",
  "news.titleLabel": "Title",
  "news.text": "Text",
  "news.link": "Link (optional)",
  "news.date": "Date (optional)",
  "news.publicFrom": "Public from (optional)",
  "news.publicHint":
    "Empty: only your partner schools read it. With a date, everyone reads it from then on in your institution's profile.",
  "news.post": "Publish",
  "news.posted": "Published.",
};

addMessages(newsDe, newsEn);
