import { describe, expect, it } from "vitest";
import table from "../../../tests/cases/visit_times.json";
import { visitOver, visitStarted, visitState } from "./visit-times";

describe("a visit's times, as the server decides them", () => {
  it.each(table.cases)("$name", (visit) => {
    const now = new Date(visit.now);
    expect(visitStarted(visit, now)).toBe(visit.started);
    expect(visitOver(visit, now)).toBe(visit.over);
    expect(visitState(visit, now)).toBe(visit.state);
  });
});
