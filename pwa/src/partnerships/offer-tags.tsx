import "./messages";
import type { Schema } from "../api";
import { t } from "../i18n";

export type Competence = Schema<"MediaCompetence">;

/** Year groups in runs, as timetables write them: [5, 6, 7, 9] → "5–7, 9". */
export function yearRuns(grades: number[]): string {
  const sorted = [...new Set(grades)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (sorted[i + 1] === sorted[i] + 1) i++;
    runs.push(start === sorted[i] ? String(start) : `${start}–${sorted[i]}`);
  }
  return runs.join(", ");
}

/** A competence of the Medienkompetenzrahmen in words: "2.1 Informationsrecherche". */
export function competenceText(c: Competence): string {
  return `${c.key} ${c.name}`;
}

/** What an offer teaches: its subjects, year groups and media competences, as tags. */
export function OfferTags({
  subjects,
  grades,
  competences,
}: {
  subjects: string[];
  grades: number[];
  competences: Competence[];
}) {
  if (!subjects.length && !grades.length && !competences.length) return null;
  return (
    <ul class="offer-tags" aria-label={t("offer.tags")}>
      {subjects.map((subject) => (
        <li key={subject}>{subject}</li>
      ))}
      {grades.length > 0 && <li>{t("offer.grades", { grades: yearRuns(grades) })}</li>}
      {competences.map((c) => (
        <li
          key={c.key}
          class="competence"
          title={t("offer.competenceTitle", { competence: competenceText(c) })}
        >
          <span aria-hidden="true">{t("offer.competence", { key: c.key })}</span>
          <span class="visually-hidden">
            {t("offer.competenceTitle", { competence: competenceText(c) })}
          </span>
        </li>
      ))}
    </ul>
  );
}
