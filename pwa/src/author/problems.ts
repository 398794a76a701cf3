/** The publish check's and the import's problems in the reader's language: worded from their
 * code and params (station, task, entry counted from 1; field; file …), never from the
 * server's English or its JSON paths. */
import type { Schema } from "../api";
import { type MessageKey, t } from "../i18n";
import { authorDe } from "./messages";

/** A problem of the publish check or the import; its `path` is for the server's logs and
 * tools, never shown. */
export type Problem = Schema<"Problem">;

/** Codes whose text names its station itself ("Station 1 ist leer"). */
const NAMES_ITS_STATION = new Set(["station_empty", "station_unnamed"]);

function known(key: string): key is MessageKey {
  return key in authorDe;
}

function fieldName(field: unknown): string {
  const key = `author.fieldName.${String(field)}`;
  return t(known(key) ? key : "author.fieldName.unknown");
}

/** One sentence for a person: where (station, task) and what. */
export function problemText(problem: Problem): string {
  const { station, task } = problem.params;
  const values: Record<string, string | number> = { fieldName: fieldName(problem.params.field) };
  for (const [name, value] of Object.entries(problem.params))
    if (value !== null && value !== undefined) values[name] = value;
  const key = `author.problem.${problem.code}`;
  const text = t(known(key) ? key : "author.problem.unknown", values);
  if (station === null || station === undefined || NAMES_ITS_STATION.has(problem.code)) return text;
  const where =
    task === null || task === undefined
      ? t("author.whereStation", { station })
      : t("author.whereTask", { station, task });
  return `${where}: ${text}`;
}

/** A refused import's or publication's problems: its `errors` holds them by path. */
export function problemsByPath(errors: Record<string, unknown>): Problem[] {
  return Object.entries(errors).flatMap(([path, found]) =>
    (Array.isArray(found) ? found : [])
      .filter((p): p is Omit<Problem, "path"> => typeof p === "object" && p !== null && "code" in p)
      .map((p) => ({ ...p, path, params: p.params ?? {} })),
  );
}

/** Where the editor leads to: the station and task (from 0) and the field, if any. */
export interface ProblemTarget {
  station: number | null;
  task: number | null;
  field: string | null;
  entry: number | null;
}

// The field that shows a problem: the right option is marked beside the options, an empty
// station is filled from its text, a trail without stations from its button.
const SHOWN_IN: Record<string, string> = {
  correct: "options",
  station_empty: "content",
  no_stations: "stations",
};

export function problemTarget(problem: Problem): ProblemTarget {
  const number = (value: unknown) => (typeof value === "number" ? value - 1 : null);
  const field = typeof problem.params.field === "string" ? problem.params.field : null;
  return {
    station: number(problem.params.station),
    task: number(problem.params.task),
    field: SHOWN_IN[field ?? problem.code] ?? field,
    entry: number(problem.params.entry ?? problem.params.media),
  };
}

/** Scrolls to the problem's field in the editor and puts the focus there: the element marked
 * `data-field` inside the station's form (or its task's), else the form itself, unfolded. */
export function focusTarget(target: ProblemTarget, root: ParentNode = document): void {
  const form = target.station === null ? root : root.querySelector(".station-form");
  const scope = target.task === null ? form : form?.querySelectorAll(".task-editor")[target.task];
  if (!scope) return;
  const marked = target.field
    ? scope.querySelector<HTMLElement>(`[data-field="${target.field}"]`)
    : null;
  const place = marked ?? (scope instanceof HTMLElement ? scope : null);
  if (!place) return;
  // A field folded away (the release rule) is unfolded first.
  const folded = place.closest("details");
  if (folded) folded.open = true;
  // An entry of a list (an option, an accepted answer) is its row's text field.
  const row = target.entry === null ? undefined : place.querySelectorAll("li")[target.entry];
  const focusable = place.matches("input, textarea, select, button")
    ? place
    : (row ?? place).querySelector<HTMLElement>(
        "input:not([type=radio]):not([type=checkbox]), textarea, select, button",
      );
  place.scrollIntoView({ block: "center" });
  focusable?.focus({ preventScroll: true });
}
