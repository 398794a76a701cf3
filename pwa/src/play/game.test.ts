import { describe, expect, it } from "vitest";
import { ApiError } from "../api";
import type { OutboxEvent } from "./device-store";
import { refusedForGood, sendingOrder } from "./game";
import { refusalText } from "./messages";

function event(id: string, type: OutboxEvent["type"], at: string): OutboxEvent {
  return { id, type, station_id: 1, task_id: type === "checkin" ? null : 2, at };
}

describe("sending the outbox", () => {
  it("sends check-ins first, then in the order the team made them", () => {
    const events = [
      event("a", "answer", "2026-11-22T09:05:00Z"),
      event("c", "checkin", "2026-11-22T09:10:00Z"), // the phone's clock was set back
      event("h", "hint", "2026-11-22T09:01:00Z"),
    ];
    expect(sendingOrder(events).map((e) => e.id)).toEqual(["c", "h", "a"]);
  });

  it("gives up only on answers the server will repeat", () => {
    expect(refusedForGood(new ApiError(409, "too_many_photos", ""))).toBe(true);
    expect(refusedForGood(new ApiError(413, "image_too_large", ""))).toBe(true);
    for (const status of [0, 429, 500, 503])
      expect(refusedForGood(new ApiError(status, "x", ""))).toBe(false);
  });

  it("words every refusal, known or not", () => {
    expect(refusalText("checkin_needed")).toBe("play.refused.checkin_needed");
    expect(refusalText("something_new")).toBe("play.refused.other");
  });
});
