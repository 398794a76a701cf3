import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { errorMessage, fieldTexts } from "./components";
import { loadLanguage, setLanguage } from "./i18n";
import "./staff-messages";

const invalid = new ApiError(
  422,
  "validation_error",
  "Some fields are not valid.",
  {
    title: ["Longer than maximum length 200."],
    "stations.0.lat": ["Missing data for required field."],
  },
  {},
  {
    title: [{ code: "too_long", params: { max: 200 } }],
    "stations.0.lat": [{ code: "required" }],
  },
);

describe("errors worded from their codes", () => {
  it("words field problems per field, without the server's English or a path", () => {
    expect(fieldTexts(invalid)).toEqual({
      title: ["Höchstens 200 Zeichen."],
      "stations.0.lat": ["Bitte ausfüllen."],
    });
    const message = errorMessage(invalid);
    expect(message).toBe("Höchstens 200 Zeichen. · Bitte ausfüllen.");
    expect(message).not.toMatch(/stations|Longer|\.0\./);
  });

  it("words a code with its parameters, a field's own code, and an unknown code generically", () => {
    expect(
      errorMessage(
        new ApiError(
          400,
          "json_too_deep",
          "JSON may nest 32 levels deep at most.",
          {},
          { max_depth: 32 },
        ),
      ),
    ).toBe("Die Anfrage ist zu tief verschachtelt (höchstens 32 Ebenen).");
    const wrong = new ApiError(
      422,
      "wrong_password",
      "The current password is wrong.",
      {},
      {},
      { current_password: [{ code: "wrong_password" }] },
    );
    expect(fieldTexts(wrong)).toEqual({ current_password: ["Das aktuelle Passwort ist falsch."] });
    expect(errorMessage(new ApiError(418, "http_418", "I'm a teapot"))).toBe(
      "Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal.",
    );
  });

  it("speaks English when it is chosen", async () => {
    (globalThis as { document?: unknown }).document = { documentElement: {} };
    setLanguage("en", false);
    await loadLanguage("en");
    expect(errorMessage(invalid)).toBe("At most 200 characters. · Please fill in.");
    setLanguage("de", false);
  });
});
