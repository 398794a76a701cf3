import { describe, expect, it } from "vitest";
import { yearGroupRanges } from "./curriculum";

describe("yearGroupRanges", () => {
  it("joins neighbouring year groups into ranges, in order and each once", () => {
    expect(yearGroupRanges([7, 5, 6])).toBe("5–7");
    expect(yearGroupRanges([9, 5, 6, 7, 12, 9])).toBe("5–7, 9, 12");
    expect(yearGroupRanges([8])).toBe("8");
    expect(yearGroupRanges([])).toBe("");
  });
});
