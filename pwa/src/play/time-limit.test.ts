import { afterEach, describe, expect, it, vi } from "vitest";
import { sync } from "./game";
import "./messages";
import { timeLeft } from "./time-limit";

afterEach(() => {
  vi.useRealTimers();
  sync.clockOffset = 0;
});

describe("the countdown to the game's end", () => {
  it("goes by the server's clock on a phone whose clock is 10 minutes off", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const end = new Date("2026-12-07T10:00:00Z");
    vi.setSystemTime(new Date("2026-12-07T09:55:00Z")); // the phone: 10 minutes fast
    sync.clockOffset = -10 * 60_000; // as measured at the last sync
    expect(timeLeft(end, sync.now())).toBe("15 Min.");
    vi.setSystemTime(new Date("2026-12-07T10:08:55Z"));
    expect(timeLeft(end, sync.now())).toBe("1:05");
    vi.setSystemTime(new Date("2026-12-07T10:10:00Z"));
    expect(timeLeft(end, sync.now())).toBeNull();
  });

  it("counts minutes up, and seconds in the last two", () => {
    const end = new Date("2026-12-07T10:00:00Z");
    expect(timeLeft(end, new Date("2026-12-07T09:57:59Z"))).toBe("3 Min.");
    expect(timeLeft(end, new Date("2026-12-07T09:58:00Z"))).toBe("2:00");
    expect(timeLeft(end, new Date("2026-12-07T09:59:59.5Z"))).toBe("0:01");
    expect(timeLeft(end, new Date("2026-12-07T10:00:00Z"))).toBeNull();
  });
});
