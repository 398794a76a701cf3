import { describe, expect, it } from "vitest";
import { check, normalise, parseNumber, pointsAwarded, withinDistance, type TaskSpec } from "./check";

function spec(type: TaskSpec["type"], checkData: Record<string, unknown>, extra: Partial<TaskSpec> = {}): TaskSpec {
  return { id: 1, type, prompt: "?", points: 10, max_attempts: 2, hints: [], feedback_correct: null, feedback_wrong: null, check: checkData, ...extra };
}

describe("the same rules as the server", () => {
  it("normalises like server/tasks/free_text.py", () => {
    expect(normalise("Straße")).toBe("strasse");
    expect(normalise("  STRASSE! ")).toBe("strasse");
    expect(normalise("Förder-Turm")).toBe("foerder turm");
    expect(normalise("Café")).toBe("cafe");
    expect(normalise("Ｆｕｌｌｗｉｄｔｈ")).toBe("fullwidth");
    expect(normalise("Kohle 🙂 und Stahl")).toBe("kohle und stahl");
  });

  it("allows small typos in longer answers only", () => {
    const task = spec("free_text", { accepted: ["foerderturm", "1955"], typo_tolerance: true });
    expect(check(task, "Fördertrum").correct).toBe(true);
    expect(check(task, "Fordertrum").correct).toBe(true);
    expect(check(task, "Fodrertrum").correct).toBe(false);
    expect(check(task, "1956").correct).toBe(false);
    expect(withinDistance("kohle", "kohel", 1)).toBe(true);
  });

  it("reads numbers as people type them", () => {
    expect(parseNumber("3,5")).toBe(3.5);
    expect(parseNumber("1.234,5")).toBe(1234.5);
    expect(parseNumber("1,234.5")).toBe(1234.5);
    expect(parseNumber("1.234.567")).toBe(1234567);
    expect(parseNumber(" 62,5 M ", "m")).toBe(62.5);
    expect(parseNumber("zwölf")).toBeNull();
    const height = spec("number", { value: 62.5, tolerance: 0.5, tolerance_kind: "absolute" }, { unit: "m" });
    expect(check(height, "63,0").correct).toBe(true);
    expect(check(height, "63,01").correct).toBe(false);
  });

  it("gives partial credit for multiple choice and ordering", () => {
    const multi = spec("multiple_choice", { correct: ["a", "b", "c"] });
    expect(check(multi, ["a", "b"]).credit).toBeCloseTo(2 / 3);
    expect(check(multi, ["a", "b", "c"]).correct).toBe(true);
    expect(check(multi, ["a", "d"]).credit).toBe(0);
    const order = spec("ordering", { order: ["1", "2", "3", "4"] });
    expect(check(order, ["1", "2", "4", "3"])).toEqual({ correct: false, credit: 0.5 });
  });

  it("awards points by attempt and hints", () => {
    const task = spec("single_choice", { correct: "b" }, { hints: [{ text: "h", cost: 2 }, { text: "i", cost: 3 }] });
    expect(pointsAwarded(task, 1, 1, 0)).toBe(10);
    expect(pointsAwarded(task, 1, 2, 0)).toBe(5);
    expect(pointsAwarded(task, 1, 3, 0)).toBe(0);
    expect(pointsAwarded(task, 1, 1, 2)).toBe(5);
    expect(pointsAwarded(task, 1, 2, 2)).toBe(0);
  });
});
