/** Trails as the authoring API sends them. */
import type { Schema } from "../api";

export type Checkin = Schema<"StationOut">["checkin"];
export type TaskType = Schema<"TaskOut">["type"];
export type Hint = Schema<"Hint">;
/** A task as its authors get it (readers get less, x-authors-only in the OpenAPI document), or
 * a new one: no id yet, a key of its own (never sent). */
export type Task = Required<Omit<Schema<"TaskOut">, "id">> & { id?: number; clientKey?: string };
export type StationMedia = Schema<"StationMedia">;
/** A station as its authors get it, whose tasks may be new. */
export type Station = Required<Omit<Schema<"StationOut">, "tasks">> & { tasks: Task[] };
export type TrailSummary = Schema<"TrailSummary">;
export type Trail = Omit<Schema<"Trail">, "stations"> & { stations: Station[] };
export type Media = Schema<"Media">;

let newTasks = 0;

/** Each type's start that the author fills in; a type the server adds is a type error here. */
const BLANK_DEFINITIONS: Record<TaskType, Record<string, unknown>> = {
  single_choice: {
    options: [
      { id: "a", text: "" },
      { id: "b", text: "" },
    ],
    correct: "a",
  },
  multiple_choice: {
    options: [
      { id: "a", text: "", correct: true },
      { id: "b", text: "", correct: false },
    ],
  },
  free_text: { accepted: [""], typo_tolerance: true },
  number: { value: null, tolerance: 0, tolerance_kind: "absolute", unit: null },
  ordering: {
    items: [
      { id: "1", text: "" },
      { id: "2", text: "" },
    ],
  },
  photo: { must_be_live: false },
  survey: {
    mode: "scale",
    scale: { min: 1, max: 5, min_label: "", max_label: "" },
    choices: [],
    multiple: false,
  },
};

/** The task types, in the order the editor offers them. */
export const TASK_TYPES = Object.keys(BLANK_DEFINITIONS) as TaskType[];

/** A new task of a type, with a sensible start that the author fills in. */
export function blankTask(type: TaskType): Task {
  return {
    clientKey: `new-${++newTasks}`,
    type,
    prompt: "",
    points: type === "survey" ? 5 : 10,
    hints: [],
    max_attempts: type === "photo" || type === "survey" ? 1 : 2,
    feedback_correct: null,
    feedback_wrong: null,
    definition: structuredClone(BLANK_DEFINITIONS[type]),
  };
}

/** The next free id for an option or item: a, b, c … or 1, 2, 3 …. */
export function nextId(existing: { id: string }[], numeric = false): string {
  const ids = new Set(existing.map((item) => item.id));
  for (let n = 0; ; n++) {
    const id = numeric ? String(n + 1) : n < 26 ? String.fromCharCode(97 + n) : `o${n}`;
    if (!ids.has(id)) return id;
  }
}
