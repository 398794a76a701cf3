/** NRW's curriculum tables as the server has them: the subjects with their year groups, the
 * year groups and the Medienkompetenzrahmen. Asked once per page load, by the staff pages that
 * need them (never by the game). */
import { askedOnce, type Schema } from "./api";

export type CurriculumTables = Schema<"CurriculumTables">;
/** A key of the Medienkompetenzrahmen NRW, "1.1" … "6.4". */
export type MediaCompetenceKey = Schema<"Trail">["media_competences"][number];

export const curriculumTables = askedOnce<CurriculumTables>("/curriculum/tables");

/** Year groups as ranges: [5, 6, 7, 9] → "5–7, 9". */
export function yearGroupRanges(grades: readonly number[]): string {
  const sorted = [...new Set(grades)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const grade of sorted) {
    const last = ranges.at(-1);
    if (last && grade === last[1] + 1) last[1] = grade;
    else ranges.push([grade, grade]);
  }
  return ranges.map(([from, to]) => (from === to ? `${from}` : `${from}–${to}`)).join(", ");
}

/** A link as the server takes it for a Kernlehrplan reference: http or https, and a host with
 * a top-level domain. */
export function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return ["http:", "https:"].includes(url.protocol) && /\.[a-z]{2,}$/i.test(url.hostname);
  } catch {
    return false;
  }
}
