/** Trails as the authoring API sends them. */
import type { OrganisationRef } from "../api";

export type Checkin = "none" | "gps" | "qr" | "gps_qr";
export type TaskType = "single_choice" | "multiple_choice" | "free_text" | "number" | "ordering" | "photo" | "survey";

export interface Hint {
  text: string;
  cost: number;
}

export interface Task {
  id?: number;
  /** Identifies a task in the editor before the server gave it an id; never sent. */
  clientKey?: string;
  type: TaskType;
  prompt: string;
  points: number;
  hints: Hint[];
  max_attempts: number;
  feedback_correct: string | null;
  feedback_wrong: string | null;
  definition: Record<string, unknown>;
}

export interface StationMedia {
  media_id: number;
  alt: string;
}

export interface Station {
  id: number;
  position: number;
  title: string;
  content: string;
  content_html: string;
  media: StationMedia[];
  lat: number | null;
  lon: number | null;
  radius_m: number;
  checkin: Checkin;
  code: string;
  qr_url: string;
  tasks: Task[];
}

export interface TrailSummary {
  id: number;
  title: string;
  description: string;
  subjects: string[];
  grades: number[];
  duration_minutes: number | null;
  language: "de" | "en";
  order: "fixed" | "free" | "random";
  visibility: "partners" | "public";
  cover_media_id: number | null;
  cover_alt: string | null;
  organisation: OrganisationRef;
  station_count: number;
  latest_version: { number: number; published_at: string } | null;
  unpublished_changes: boolean;
  archived: boolean;
  updated_at: string;
}

export interface Trail extends TrailSummary {
  stations: Station[];
}

export interface Media {
  id: number;
  kind: "image" | "audio";
  mime: string;
  url: string;
  thumbnail_url: string | null;
}

let newTasks = 0;

/** A new task of a type, with a sensible start that the author fills in. */
export function blankTask(type: TaskType): Task {
  const definitions: Record<TaskType, Record<string, unknown>> = {
    single_choice: { options: [{ id: "a", text: "" }, { id: "b", text: "" }], correct: "a" },
    multiple_choice: { options: [{ id: "a", text: "", correct: true }, { id: "b", text: "", correct: false }] },
    free_text: { accepted: [""], typo_tolerance: true },
    number: { value: null, tolerance: 0, tolerance_kind: "absolute", unit: null },
    ordering: { items: [{ id: "1", text: "" }, { id: "2", text: "" }] },
    photo: { must_be_live: false },
    survey: { mode: "scale", scale: { min: 1, max: 5, min_label: "", max_label: "" }, choices: [], multiple: false },
  };
  return {
    clientKey: `new-${++newTasks}`,
    type,
    prompt: "",
    points: type === "survey" ? 5 : 10,
    hints: [],
    max_attempts: type === "photo" || type === "survey" ? 1 : 2,
    feedback_correct: null,
    feedback_wrong: null,
    definition: structuredClone(definitions[type]),
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
