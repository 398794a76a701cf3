import { describe, expect, it } from "vitest";
import "./messages";
import { releaseText } from "./release";
import type { Station } from "./types";

const stations = [11, 12, 13, 14].map((id) => ({ id }) as Station);

describe("a release rule in words", () => {
  it("names the stations waited for by their numbers", () => {
    const waitFor = (ids: number[], count = 1) => ({
      kind: "after" as const,
      station_ids: ids,
      count,
    });
    expect(releaseText(waitFor([12]), stations, 3, false)).toBe("nach Station 2");
    expect(releaseText(waitFor([14, 11, 12], 2), stations, 2, false)).toBe(
      "nach 2 der Stationen 1, 2, 4",
    );
    expect(releaseText(waitFor([13, 11], 1), stations, 3, false)).toBe(
      "nach einer der Stationen 1, 3",
    );
    expect(releaseText(waitFor([13, 11], 2), stations, 3, false)).toBe("nach den Stationen 1, 3");
    expect(releaseText(waitFor([99]), stations, 2, false)).toBe(
      "wartet auf eine gelöschte Station",
    );
    expect(releaseText(waitFor([]), stations, 2, false)).toBe("noch nicht vollständig");
  });

  it("words a clock time and the minutes after joining", () => {
    expect(releaseText({ kind: "clock", time: "10:30" }, stations, 0, false)).toBe("ab 10:30 Uhr");
    expect(releaseText({ kind: "after_join", minutes: 15 }, stations, 0, false)).toBe(
      "15 Min. nach Beitritt",
    );
  });

  it("opens a station without a rule always, in a fixed order after the one before", () => {
    expect(releaseText(null, stations, 1, false)).toBe("immer offen");
    expect(releaseText(null, stations, 0, true)).toBe("immer offen");
    expect(releaseText(null, stations, 1, true)).toBe("nach der Station davor");
  });
});
