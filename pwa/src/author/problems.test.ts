import { describe, expect, it } from "vitest";
import { translate } from "../i18n";
import { authorDe, authorEn } from "./messages";
import { type Problem, problemsByPath, problemTarget, problemText } from "./problems";

const problem = (code: string, params: Problem["params"] = {}, path = "stations/0"): Problem => ({
  path,
  code,
  message: "English, never shown",
  params,
});

// Every code the publish check (openparcours/trails/service.py, openparcours/tasks/) and the import
// (openparcours/trails/format.py) answer with.
const CODES = [
  "trail_title_missing",
  "cover_alt_missing",
  "no_stations",
  "station_empty",
  "station_needs_place",
  "media_alt_missing",
  "task_prompt_missing",
  "entry_text_missing",
  "too_few_entries",
  "right_option_missing",
  "accepted_missing",
  "accepted_blank",
  "right_number_missing",
  "not_json",
  "nested_too_deeply",
  "not_a_feature_collection",
  "no_trail_document",
  "not_a_zip",
  "zip_too_many_entries",
  "zip_unsafe_path",
  "zip_file_twice",
  "zip_too_large",
  "zip_damaged",
  "unsupported_crs",
  "not_a_feature",
  "not_a_point",
  "several_points",
  "invalid_coordinates",
  "invalid_value",
  "invalid_task",
  "media_file_missing",
  "media_refused",
  "station_unnamed",
  "release_unknown_station",
  "release_cycle",
  "release_station_outside",
];

describe("publish and import problems", () => {
  it("has German and English words for every code", () => {
    for (const code of CODES) {
      const key = `author.problem.${code}` as keyof typeof authorDe;
      expect(authorDe[key], code).toBeTruthy();
      expect(authorEn[key], code).toBeTruthy();
      expect(authorEn[key], code).not.toBe(authorDe[key]);
    }
  });

  it("words a problem by its code and params, never by its path or English message", () => {
    expect(problemText(problem("station_empty", { station: 1 }))).toBe(
      "Station 1 ist leer: Geben Sie ihr einen Text, ein Bild oder eine Aufgabe.",
    );
    const option = problem(
      "entry_text_missing",
      { station: 2, task: 1, field: "options", entry: 3 },
      "stations/1/tasks/0/definition/options/2/text",
    );
    expect(problemText(option)).toBe(
      "Station 2, Aufgabe 1: Eintrag 3 bei „Antwortmöglichkeiten“ hat noch keinen Text.",
    );
    expect(problemText(problem("station_needs_place", { station: 4, field: "lat" }))).toBe(
      "Station 4: Eine GPS-Station braucht einen Ort auf der Karte.",
    );
    expect(problemText(problem("no_stations", {}, "stations"))).toBe(
      "Fügen Sie mindestens eine Station hinzu.",
    );
    expect(
      problemText(problem("unsupported_crs", { crs: "urn:ogc:def:crs:EPSG::25832" }, "$.crs")),
    ).toContain("urn:ogc:def:crs:EPSG::25832");
    const unknownField = problemText(
      problem("invalid_value", { station: 1, field: "_weird" }, "$.features[0].properties._weird"),
    );
    expect(unknownField).toBe("Station 1: „ein Feld“ ist nicht gültig.");
    for (const text of [problemText(option), unknownField]) {
      expect(text).not.toMatch(/stations\/|\$\.|English/);
    }
  });

  it("names every field an import or the publish check may name", () => {
    for (const field of [
      "media_competences",
      "curriculum_reference",
      "text",
      "url",
      "release",
      "kind",
      "stations",
      "count",
      "time",
      "minutes",
    ]) {
      const text = problemText(problem("invalid_value", { station: 1, field }));
      expect(text, field).not.toContain("ein Feld");
    }
    expect(
      problemText(problem("invalid_value", { station: 2, field: "minutes" }, "$.features[1]")),
    ).toBe("Station 2: „Minuten nach dem Beitritt“ ist nicht gültig.");
    expect(translate("en", "author.fieldName.count")).toBe("how many of them");
  });

  it("has English for the same", () => {
    expect(translate("en", "author.whereTask", { station: 2, task: 1 })).toBe("Station 2, task 1");
    expect(translate("en", "author.problem.station_empty", { station: 1 })).toBe(
      "Station 1 is empty: give it a text, a picture or a task.",
    );
  });

  it("reads an import's refusal by path", () => {
    const errors = {
      "$.crs": [{ code: "unsupported_crs", message: "…", params: { crs: "EPSG:25832" } }],
    };
    expect(problemsByPath(errors)).toEqual([
      { path: "$.crs", code: "unsupported_crs", message: "…", params: { crs: "EPSG:25832" } },
    ]);
  });

  it("leads to the problem's station, task and field", () => {
    const right = problem("right_option_missing", { station: 2, task: 3, field: "correct" });
    expect(problemTarget(right)).toEqual({ station: 1, task: 2, field: "options", entry: null });
    expect(problemTarget(problem("station_empty", { station: 1 }))).toEqual({
      station: 0,
      task: null,
      field: "content",
      entry: null,
    });
    const cycle = problem("release_cycle", { station: 3, field: "release", stations: "2, 3" });
    expect(problemTarget(cycle)).toEqual({ station: 2, task: null, field: "release", entry: null });
    expect(problemText(cycle)).toBe(
      "Station 3: Diese Station öffnet nie: Ihre Freigaben warten aufeinander (Stationen 2, 3).",
    );
    expect(problemTarget(problem("no_stations"))).toEqual({
      station: null,
      task: null,
      field: "stations",
      entry: null,
    });
  });
});
