/** Instant feedback on the phone, offline: the same rules as the server's task types
 * (openparcours/tasks/) and check-ins. The server judges every event again; its verdict is the
 * truth. tests/cases/scoring.json holds the cases both are tested with. */
import type { Schema } from "../api";

/** A task as the phone gets it; `check` (its shape depends on the type) judges offline. */
export type TaskSpec = Schema<"ClientTask">;
export type TaskType = TaskSpec["type"];

export interface Verdict {
  /** null: no right answer (survey) or a teacher grades it (photo). */
  correct: boolean | null;
  credit: number;
}

const UMLAUTS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss" };

export function normalise(text: string): string {
  const folded = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => UMLAUTS[c]);
  return folded
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[\p{P}\p{S}\p{Z}\p{C}]/gu, " ")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

export function toleranceFor(accepted: string): number {
  const length = [...accepted].length;
  return length >= 10 ? 2 : length >= 5 ? 1 : 0;
}

/** Optimal string alignment distance ≤ limit (adjacent swaps count once). */
export function withinDistance(a: string, b: string, limit: number): boolean {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > limit) return false;
  let before: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i, ...new Array<number>(y.length).fill(0)];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    if (Math.min(...current) > limit) return false;
    before = previous;
    previous = current;
  }
  return previous[y.length] <= limit;
}

/** A number as people type it; null when it is none. See openparcours/tasks/number.py. */
export function parseNumber(input: string, unit?: string | null): number | null {
  let text = input.trim();
  if (text.length > 100) return null;
  if (unit && text.toLowerCase().endsWith(unit.toLowerCase())) text = text.slice(0, -unit.length);
  text = text.replace(/[\s\u00a0\u202f']/g, "").replace("−", "-");
  const dots = (text.match(/\./g) ?? []).length;
  const commas = (text.match(/,/g) ?? []).length;
  if (dots && commas) {
    const decimal = text.lastIndexOf(",") > text.lastIndexOf(".") ? "," : ".";
    text = text
      .split(decimal === "," ? "." : ",")
      .join("")
      .replace(decimal, ".");
  } else if (commas === 1) text = text.replace(",", ".");
  else if (commas > 1) text = text.split(",").join("");
  else if (dots > 1) text = text.split(".").join("");
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export type Answer =
  | string
  | string[]
  | number
  | { media_id: number }
  | { photo_key: string }
  | null;

export function check(task: TaskSpec, answer: Answer): Verdict {
  const c = task.check ?? {};
  switch (task.type) {
    case "single_choice":
      return answer === c.correct ? { correct: true, credit: 1 } : { correct: false, credit: 0 };
    case "multiple_choice": {
      const picked = new Set(answer as string[]);
      const right = new Set(c.correct as string[]);
      const hits = [...picked].filter((id) => right.has(id)).length;
      const misses = picked.size - hits;
      const credit = right.size ? Math.max(0, (hits - misses) / right.size) : 0;
      return { correct: hits === right.size && misses === 0, credit };
    }
    case "free_text": {
      const given = normalise(String(answer ?? ""));
      const right = (c.accepted as string[]).some(
        (accepted) =>
          given === accepted ||
          (c.typo_tolerance &&
            toleranceFor(accepted) > 0 &&
            withinDistance(given, accepted, toleranceFor(accepted))),
      );
      return { correct: right, credit: right ? 1 : 0 };
    }
    case "number": {
      const given =
        typeof answer === "number" ? answer : parseNumber(String(answer ?? ""), task.unit);
      if (given === null) return { correct: false, credit: 0 };
      const value = c.value as number;
      const tolerance =
        (c.tolerance as number) * (c.tolerance_kind === "relative" ? Math.abs(value) : 1);
      const right = Math.abs(given - value) <= tolerance + 1e-9 * Math.max(1, Math.abs(value));
      return { correct: right, credit: right ? 1 : 0 };
    }
    case "ordering": {
      const order = c.order as string[];
      const given = answer as string[];
      const inPlace = order.filter((id, i) => given[i] === id).length;
      return {
        correct: inPlace === order.length,
        credit: order.length ? inPlace / order.length : 0,
      };
    }
    case "photo":
      return { correct: null, credit: 0 };
    case "survey":
      return { correct: null, credit: 1 };
  }
}

/** Points × credit × (max_attempts − attempt + 1) / max_attempts − hint costs, never below 0. */
export function pointsAwarded(
  task: TaskSpec,
  credit: number,
  attempt: number,
  hintsUsed: number,
): number {
  if (attempt < 1 || attempt > task.max_attempts) return 0;
  const earned = Math.round(
    (task.points * credit * (task.max_attempts - attempt + 1)) / task.max_attempts,
  );
  const costs = task.hints.slice(0, hintsUsed).reduce((sum, hint) => sum + hint.cost, 0);
  return Math.max(0, earned - costs);
}

/** Great-circle distance in metres (haversine, mean Earth radius), as the server measures it. */
export function metresBetween(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(a));
}

/** A GPS check-in counts within the radius plus the position's accuracy; the accuracy counts
 * at most one radius, so a vague fix cannot check in from far away. */
export function inReach(distance: number, radius: number, accuracy: number | null): boolean {
  return distance <= radius + Math.min(accuracy ?? 0, radius);
}
