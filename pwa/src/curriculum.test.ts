import { describe, expect, it } from "vitest";
import { isWebAddress, yearGroupRanges } from "./curriculum";

describe("yearGroupRanges", () => {
  it("joins neighbouring year groups into ranges, in order and each once", () => {
    expect(yearGroupRanges([7, 5, 6])).toBe("5–7");
    expect(yearGroupRanges([9, 5, 6, 7, 12, 9])).toBe("5–7, 9, 12");
    expect(yearGroupRanges([8])).toBe("8");
    expect(yearGroupRanges([])).toBe("");
  });
});

describe("isWebAddress", () => {
  it("takes http and https links to a host with a top-level domain, as the server does", () => {
    expect(isWebAddress("https://www.schulentwicklung.nrw.de/lehrplaene/")).toBe(true);
    expect(isWebAddress("http://schulministerium.nrw")).toBe(true);
    expect(isWebAddress("ftp://www.schulentwicklung.nrw.de/")).toBe(false);
    expect(isWebAddress("https://localhost/plan")).toBe(false);
    expect(isWebAddress("www.schulentwicklung.nrw.de")).toBe(false);
    expect(isWebAddress("javascript:alert(1)")).toBe(false);
  });
});
