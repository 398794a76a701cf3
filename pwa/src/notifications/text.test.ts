import { describe, expect, it } from "vitest";
import { loadLanguage, setLanguage } from "../i18n";
import { notificationsDe } from "./messages";
import { type Notification, notificationText } from "./text";

const KINDS = [
  "agreement_proposed",
  "agreement_signed",
  "agreement_in_force",
  "agreement_review_due",
  "agreement_ending",
  "member_joined",
  "grading_waiting",
  "data_deletion",
  "forum_message",
  "partner_news",
  "practice_shared",
] as const;

function notification(kind: Notification["kind"], params: Record<string, unknown>): Notification {
  return { id: 1, kind, params, link: "/", created_at: "2026-12-01T08:00:00Z", read_at: null };
}

describe("notifications worded from their kind and params", () => {
  it("has a German and an English title for every kind", () => {
    for (const kind of KINDS) expect(notificationsDe).toHaveProperty(`kind.${kind}`);
  });

  it("counts in words, dates as people write them, roles in the app's words", async () => {
    const grading = (count: number) =>
      notificationText(
        notification("grading_waiting", { class_label: "7b", trail: "Unter Tage", count }),
      );
    expect(grading(1)).toBe(
      "Im Besuch der Klasse 7b („Unter Tage“) wartet 1 Antwort auf Ihre Bewertung.",
    );
    expect(grading(3)).toContain("warten 3 Antworten");
    const deletion = notification("data_deletion", {
      class_label: "7b",
      trail: "Unter Tage",
      date: "2026-12-09",
    });
    expect(notificationText(deletion)).toContain("am 09.12.2026 gelöscht");
    const joined = notification("member_joined", {
      name: "Nele",
      organisation: "Stadtmuseum",
      role: "educator",
    });
    expect(notificationText(joined)).toBe("Nele gehört jetzt zu Stadtmuseum (Vermittlung).");
    (globalThis as { document?: unknown }).document = { documentElement: {} };
    setLanguage("en", false);
    await loadLanguage("en");
    expect(grading(1)).toContain("1 answer waits");
    expect(notificationText(deletion)).toContain("on 09/12/2026");
    setLanguage("de", false);
  });
});
