import { describe, expect, it, vi } from "vitest";
import { ApiError, api, clientSettings, type Me, send, setCsrfToken } from "./api";
import { areasOf, landingPath } from "./areas";
import { authorDe, authorEn } from "./author/messages";
import { formatDate, formatNumber, formatTime } from "./format";
import { detectLanguage, loadLanguage, translate } from "./i18n";
import { de } from "./i18n/de";
import { en } from "./i18n/en";
import { passwordProblem } from "./pages/account";
import { homeDe, homeEn } from "./pages/home-messages";
import { contactLines, parseContacts } from "./partnerships/agreement-text";
import { practiceDe, practiceEn } from "./partnerships/good-practice-messages";
import { partnershipDe, partnershipEn } from "./partnerships/messages";
import { newsDe, newsEn } from "./partnerships/news-messages";
import { yearRuns } from "./partnerships/offer-tags";
import { playDe, playEn } from "./play/messages";
import { matchPath } from "./router";
import { souvenirDe, souvenirEn } from "./souvenir/messages";
import { staffDe, staffEn } from "./staff-messages";
import { resultsDe, resultsEn } from "./teach/results-messages";
import { windowFrom } from "./teach/teach";

describe("year groups", () => {
  it("are written in runs", () => {
    expect(yearRuns([5, 6, 7])).toBe("5–7");
    expect(yearRuns([9, 5, 7, 8, 7])).toBe("5, 7–9");
    expect(yearRuns([11])).toBe("11");
    expect(yearRuns([])).toBe("");
  });
});

describe("router", () => {
  it("matches static and parameter segments", () => {
    expect(matchPath("/", "/")).toEqual({});
    expect(matchPath("/author", "/author")).toEqual({});
    expect(matchPath("/author", "/author?x=1")).toEqual({});
    expect(matchPath("/invite/:token", "/invite/abc%20d")).toEqual({ token: "abc d" });
    expect(matchPath("/invite/:token", "/invite")).toBeNull();
    expect(matchPath("/author", "/authors")).toBeNull();
    expect(matchPath("/invite/:token", "/invite/%E0%A4%A")).toBeNull();
  });
});

describe("i18n", () => {
  it("prefers the stored choice, then the browser, then German", () => {
    expect(detectLanguage("en", ["de-DE"])).toBe("en");
    expect(detectLanguage(null, ["fr-FR", "en-US", "de"])).toBe("en");
    expect(detectLanguage("xx", ["fr", "tr"])).toBe("de");
    expect(detectLanguage(null, [])).toBe("de");
  });

  it("fills parameters and leaves unknown ones visible", async () => {
    await loadLanguage("en");
    expect(translate("de", "nav.signedInAs", { name: "Emil" })).toBe("Angemeldet als Emil");
    expect(translate("en", "nav.signedInAs", { name: "Emil" })).toBe("Logged in as Emil");
    expect(translate("de", "nav.signedInAs")).toBe("Angemeldet als {name}");
  });

  it("words a count in its plural form, never as Versuch(e)", async () => {
    await loadLanguage("en");
    expect(translate("de", "play.wrongRetry", { count: 1 })).toContain("Noch 1 Versuch.");
    expect(translate("de", "play.wrongRetry", { count: 2 })).toContain("Noch 2 Versuche.");
    expect(translate("de", "play.wrongRetry", { count: 0 })).toContain("Noch 0 Versuche.");
    expect(translate("en", "play.wrongRetry", { count: 1 })).toContain("1 attempt left.");
    expect(translate("en", "play.wrongRetry", { count: 3 })).toContain("3 attempts left.");
    // A key without a singular form keeps its one text.
    expect(translate("de", "play.unsent", { count: 1 })).toBe("1 nicht gesendet");
    const catalogs = { ...de, ...playDe, ...authorDe, ...partnershipDe, ...staffDe, ...resultsDe };
    for (const text of Object.values(catalogs)) expect(text).not.toMatch(/\w\((e|n|s|en)\)/);
  });

  it("has every key in both languages, and no empty text", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
    expect(Object.keys(authorEn).sort()).toEqual(Object.keys(authorDe).sort());
    expect(Object.keys(playEn).sort()).toEqual(Object.keys(playDe).sort());
    expect(Object.keys(staffEn).sort()).toEqual(Object.keys(staffDe).sort());
    expect(Object.keys(resultsEn).sort()).toEqual(Object.keys(resultsDe).sort());
    expect(Object.keys(partnershipEn).sort()).toEqual(Object.keys(partnershipDe).sort());
    expect(Object.keys(homeEn).sort()).toEqual(Object.keys(homeDe).sort());
    expect(Object.keys(newsEn).sort()).toEqual(Object.keys(newsDe).sort());
    expect(Object.keys(practiceEn).sort()).toEqual(Object.keys(practiceDe).sort());
    expect(Object.keys(souvenirEn).sort()).toEqual(Object.keys(souvenirDe).sort());
    const catalogs = [
      de,
      en,
      authorDe,
      authorEn,
      playDe,
      playEn,
      staffDe,
      staffEn,
      resultsDe,
      resultsEn,
      partnershipDe,
      partnershipEn,
      homeDe,
      homeEn,
      newsDe,
      newsEn,
      practiceDe,
      practiceEn,
      souvenirDe,
      souvenirEn,
    ];
    for (const catalog of catalogs) {
      for (const text of Object.values(catalog)) expect(text.trim()).not.toBe("");
    }
  });
});

describe("a visit's time window", () => {
  it("ends on the same day, or on the next when the end is before the start", () => {
    const same = windowFrom("2026-11-22", "09:00", "12:30");
    expect(new Date(same.ends_at).getTime() - new Date(same.starts_at).getTime()).toBe(
      3.5 * 3600_000,
    );
    const overnight = windowFrom("2026-11-22", "23:06", "02:06");
    expect(new Date(overnight.ends_at).getTime() - new Date(overnight.starts_at).getTime()).toBe(
      3 * 3600_000,
    );
    const empty = windowFrom("2026-11-22", "10:00", "10:00");
    expect(empty.ends_at).toBe(empty.starts_at);
  });
});

function respond(status: number, body?: unknown) {
  return vi.fn<typeof fetch>(
    async () => new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error("expected an ApiError");
  return error;
}

describe("api client", () => {
  it("sends the CSRF token from the last login on writes only", async () => {
    setCsrfToken(null);
    const login = respond(200, { id: 1, csrf_token: "tok" });
    await api("/auth/login", {
      method: "POST",
      body: { email: "a", password: "b" },
      fetcher: login,
    });
    const write = respond(204);
    await api("/me/password", { method: "POST", body: {}, fetcher: write });
    const headers = write.mock.calls[0][1]!.headers as Record<string, string>;
    expect(headers["X-CSRF-Token"]).toBe("tok");
    const read = respond(200, {});
    await api("/me", { fetcher: read });
    expect(
      (read.mock.calls[0][1]!.headers as Record<string, string>)["X-CSRF-Token"],
    ).toBeUndefined();
    expect(read.mock.calls[0][0]).toBe("/api/v1/me");
  });

  it("turns error bodies into ApiError with code and field errors", async () => {
    const failing = respond(422, {
      code: "validation_error",
      message: "bad",
      errors: { email: ["Not a valid email."] },
    });
    const error = await failure(api("/auth/login", { method: "POST", body: {}, fetcher: failing }));
    expect(error.status).toBe(422);
    expect(error.code).toBe("validation_error");
    expect(error.errors).toEqual({ email: ["Not a valid email."] });
  });

  it("reports a network failure and a non-JSON error page", async () => {
    const offline = vi.fn<typeof fetch>(async () => {
      throw new TypeError("Failed to fetch");
    });
    expect((await failure(api("/me", { fetcher: offline }))).code).toBe("network");
    const proxyPage = vi.fn<typeof fetch>(
      async () => new Response("<html>Bad Gateway</html>", { status: 502 }),
    );
    expect((await failure(api("/me", { fetcher: proxyPage }))).code).toBe("http_502");
  });

  it("keeps the codes of the fields", async () => {
    const failing = respond(422, {
      code: "validation_error",
      message: "bad",
      fields: { ends_at: [{ code: "too_late", params: { max: 3 } }] },
    });
    expect(
      (await failure(api("/visits", { method: "POST", body: {}, fetcher: failing }))).fields,
    ).toEqual({ ends_at: [{ code: "too_late", params: { max: 3 } }] });
  });

  it("sends a team's token instead of the CSRF token, and passes a 304 for an ETag", async () => {
    setCsrfToken("tok");
    const unchanged = respond(304);
    expect(
      (await send("/play/bundle", { token: "team", etag: '"v1"', fetcher: unchanged })).status,
    ).toBe(304);
    const headers = unchanged.mock.calls[0][1]!.headers as Record<string, string>;
    expect(headers.Authorization).toBe("Bearer team");
    expect(headers["If-None-Match"]).toBe('"v1"');
    const sync = respond(200, { acked: [] });
    await api("/play/sync", { method: "POST", body: {}, token: "team", fetcher: sync });
    expect(
      (sync.mock.calls[0][1]!.headers as Record<string, string>)["X-CSRF-Token"],
    ).toBeUndefined();
    setCsrfToken(null);
  });

  it("asks for the settings once per page load, and again after a failure", async () => {
    const settings = {
      tile_url: "t",
      tile_attribution: "a",
      public_url: "p",
      demo: false,
      live_board_poll_seconds: 10,
    };
    const fetcher = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(new Response(null, { status: 503 }))
      .mockImplementation(async () => new Response(JSON.stringify(settings), { status: 200 }));
    vi.stubGlobal("fetch", fetcher);
    try {
      expect((await failure(clientSettings())).status).toBe(503);
      expect(await clientSettings()).toEqual(settings);
      expect(await clientSettings()).toEqual(settings);
      expect(fetcher).toHaveBeenCalledTimes(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

function me(memberships: Me["memberships"], extra: Partial<Me> = {}): Me {
  return {
    id: 1,
    email: "a@b.de",
    display_name: "A",
    language: "de",
    is_site_admin: false,
    network_office_district: null,
    memberships,
    csrf_token: "",
    ...extra,
  };
}

const museum = { id: 1, name: "Museum", kind: "museum" as const, district: "Bochum" };
const school = { id: 2, name: "Schule", kind: "school" as const, district: "Bochum" };

describe("areas", () => {
  it("follows the roles", () => {
    expect(areasOf(null)).toEqual([]);
    expect(areasOf(me([{ organisation: museum, roles: ["educator"] }]))).toEqual([
      "author",
      "teach",
      "partners",
    ]);
    expect(areasOf(me([{ organisation: school, roles: ["teacher"] }]))).toEqual([
      "teach",
      "partners",
    ]);
    expect(areasOf(me([{ organisation: school, roles: ["admin"] }]))).toEqual([
      "teach",
      "partners",
    ]);
    expect(areasOf(me([{ organisation: museum, roles: ["admin"] }]))).toEqual([
      "author",
      "partners",
    ]);
    expect(areasOf(me([], { network_office_district: "Kreis Unna" }))).toEqual(["partners"]);
    expect(areasOf(me([], { is_site_admin: true }))).toEqual(["author", "teach", "partners"]);
  });

  it("lands on next when it is local, else on the first area", () => {
    const educator = me([{ organisation: museum, roles: ["educator"] }]);
    expect(landingPath(educator, "/partners")).toBe("/partners");
    expect(landingPath(educator, "//evil.example")).toBe("/author");
    expect(landingPath(educator, "https://evil.example")).toBe("/author");
    expect(landingPath(me([]), null)).toBe("/account");
  });
});

describe("formatting", () => {
  it("writes dates, times and numbers the German way", () => {
    expect(formatDate("2026-11-22T13:05:00Z")).toBe("22.11.2026");
    expect(formatTime("2026-11-22T13:05:00Z")).toBe("14:05");
    expect(formatNumber(3.5)).toBe("3,5");
    expect(formatNumber(1234.5, "en")).toBe("1,234.5");
  });
});

describe("password form", () => {
  it("checks length first, then the repetition", () => {
    expect(passwordProblem("kurz", "kurz")).toBe("account.tooShort");
    expect(passwordProblem("lang genug 123", "lang genug 124")).toBe("account.mismatch");
    expect(passwordProblem("lang genug 123", "lang genug 123")).toBeNull();
  });
});

describe("contacts as lines", () => {
  it("keeps every field in its place, phone numbers too", () => {
    const contacts = [
      { name: "Frau Yılmaz", role: "", email: "yilmaz@schule.example", phone: "0234 123" },
      { name: "Herr Nowak", role: "Museumspädagogik", email: null, phone: null },
    ];
    expect(contactLines(contacts)).toBe(
      "Frau Yılmaz; ; yilmaz@schule.example; 0234 123\nHerr Nowak; Museumspädagogik",
    );
    expect(parseContacts(contactLines(contacts))).toEqual(contacts);
    expect(parseContacts("  \n; ohne Namen\nAnna")).toEqual([
      { name: "Anna", role: "", email: null, phone: null },
    ]);
  });
});

describe("the visit form's errors", () => {
  it("words a visit that is too long or whose data is deleted in German, not the server's English", async () => {
    const { errorMessage } = await import("./components");
    const tooLong = new ApiError(
      422,
      "visit_too_long",
      "A visit lasts at most 3 days.",
      { ends_at: ["A visit lasts at most 3 days."] },
      { max_days: 3 },
    );
    expect(errorMessage(tooLong)).toBe(
      "Ein Besuch dauert höchstens 3 Tage. Wählen Sie ein früheres Ende.",
    );
    expect(
      errorMessage(
        new ApiError(409, "visit_data_deleted", "The data of this visit has been deleted."),
      ),
    ).toBe(staffDe["code.visit_data_deleted"]);
  });
});

describe("a taken team name", () => {
  it("carries the suggestion as data and is worded in the screen's language", async () => {
    const body = {
      code: "team_name_taken",
      message: "Another team has this name; how about “Füchse 2”?",
      params: { suggestion: "Füchse 2" },
    };
    const fetcher = vi.fn(async () => new Response(JSON.stringify(body), { status: 409 }));
    const error = await api("/play/join", { method: "POST", body: {}, fetcher }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    const params = (error as ApiError).params;
    expect(translate("de", "code.team_name_taken", params)).toBe(
      "Den Namen hat schon eine andere Gruppe. Wie wäre es mit „Füchse 2“?",
    );
    expect(translate("de", "code.team_name_taken", params)).not.toMatch(/how about/i);
  });
});
