import { describe, expect, it } from "vitest";
import table from "../../../tests/cases/station_done.json";
import { stationDone } from "./game";

describe("when a team is done at a station, as the server decides it", () => {
  it.each(table.cases)("$name", (c) => {
    const station = { id: 5, tasks: c.tasks.map((_, n) => ({ id: 10 + n })) };
    const tasks = Object.fromEntries(
      c.tasks.flatMap((state, n) =>
        state === "untouched" ? [] : [[10 + n, { done: state === "finished" }]],
      ),
    );
    expect(stationDone(station, { checkedIn: c.checked_in ? [5] : [], tasks })).toBe(c.done);
  });
});
