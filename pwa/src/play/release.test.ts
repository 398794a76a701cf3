import { describe, expect, it } from "vitest";
import table from "../../../tests/cases/release_rules.json";
import { releaseState } from "./release";

describe("when a station opens, as the server decides it", () => {
  it.each(table.cases)("$name", (c) => {
    const at = new Date(c.at);
    // The phone asks about now: the stations done by then are done.
    const done = new Set(
      Object.entries(c.done as Record<string, string>)
        .filter(([, when]) => new Date(when) <= at)
        .map(([id]) => Number(id)),
    );
    expect(releaseState(c.rule, done, at).open).toBe(c.open);
  });

  it("says what it waits for", () => {
    const state = releaseState(
      { after: [1, 2, 3], count: 2, opens_at: "2026-12-07T10:00:00Z" },
      new Set([2]),
      new Date("2026-12-07T09:00:00Z"),
    );
    expect(state).toEqual({
      open: false,
      waitingFor: [1, 3],
      missing: 1,
      opensAt: new Date("2026-12-07T10:00:00Z"),
    });
  });
});
