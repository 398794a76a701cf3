import { describe, expect, it } from "vitest";
import table from "../../../tests/cases/scoring.json";
import {
  type Answer,
  check,
  inReach,
  metresBetween,
  normalise,
  parseNumber,
  pointsAwarded,
  type TaskSpec,
  toleranceFor,
  withinDistance,
} from "./check";
import { codeHash } from "./game";

/** The cases the server is tested with too (tests/tasks/test_scoring_table.py). */
const tasks = table.tasks as Record<string, { type: TaskSpec["type"]; phone: Partial<TaskSpec> }>;

function spec(name: string): TaskSpec {
  const task = tasks[name];
  return {
    id: 1,
    type: task.type,
    prompt: "?",
    points: 10,
    max_attempts: 2,
    hints: [],
    feedback_correct: null,
    feedback_wrong: null,
    ...task.phone,
  };
}

const round3 = (credit: number) => Math.round(credit * 1000) / 1000;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("the same verdicts as the server", () => {
  it.each(table.answers.cases)("$task: $answer", (c) => {
    const verdict = check(spec(c.task), c.answer as Answer);
    expect({ correct: verdict.correct, credit: round3(verdict.credit) }).toEqual({
      correct: c.correct,
      credit: c.credit,
    });
  });

  it.each(table.points.cases)("%j", (c) => {
    const task = {
      ...spec("Kohle, Erz oder Salz: Kohle"),
      points: c.points,
      max_attempts: c.max_attempts,
      hints: c.hint_costs.map((cost) => ({ text: "Tipp", cost })),
    };
    expect(pointsAwarded(task, c.credit, c.attempt, c.hints_used)).toBe(c.awarded);
  });

  it.each(table.normalised.cases)("normalises %j to %j", (typed, normalised) => {
    expect(normalise(typed)).toBe(normalised);
  });

  it.each(table.typo_edits.cases as [string, number][])("allows %j %i edits", (accepted, edits) => {
    expect(toleranceFor(accepted)).toBe(edits);
  });

  it.each(table.within_distance.cases as [string, string, number, boolean][])(
    "%j to %j within %i: %s",
    (a, b, limit, within) => {
      expect(withinDistance(a, b, limit)).toBe(within);
      expect(withinDistance(b, a, limit)).toBe(within);
    },
  );

  it.each(table.numbers.cases)("reads $text", (c) => {
    expect(parseNumber(c.text, c.unit)).toBe(c.value);
  });

  it.each(table.station_codes.cases)("takes %j for %s", async (typed, code) => {
    expect(await codeHash(typed)).toBe(await sha256(code));
  });

  it.each(table.reach.cases)("$why", (c) => {
    const station = table.reach.station;
    const distance = metresBetween(c.position.lat, c.position.lon, station.lat, station.lon);
    expect(inReach(distance, station.radius_m, c.position.accuracy)).toBe(c.in_reach);
  });

  it.each(table.metres.cases)("$from to $to", (c) => {
    const [lat1, lon1] = c.from;
    const [lat2, lon2] = c.to;
    expect(Math.abs(metresBetween(lat1, lon1, lat2, lon2) - c.metres)).toBeLessThanOrEqual(0.001);
  });
});
