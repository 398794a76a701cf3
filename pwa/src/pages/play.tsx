/** Joining a visit: the student's first screen, so it stays small (the game loads after). */
import { useState } from "preact/hooks";
import { ApiError, api } from "../api";
import { type MessageKey, t } from "../i18n";
import { Page } from "../page";
import { loadSession, saveSession, type TeamSession } from "../play/team-session";
import { navigate, type Params } from "../router";

const JOIN_ERRORS: Record<string, MessageKey> = {
  unknown_code: "code.unknown_code",
  visit_closed: "code.visit_closed",
  visit_not_started: "code.visit_not_started",
  team_name_taken: "code.team_name_taken",
  conflict: "code.team_name_taken", // another phone took the name at the same moment
  rate_limited: "play.tooMany",
  network: "play.offlineJoin",
};

/** What students type: upper case, no spaces or dashes. */
export function cleanCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "");
}

export function PlayPage({ params }: { params: Params }) {
  const existing = loadSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const session = await api<TeamSession>("/play/join", {
        method: "POST",
        body: {
          code: cleanCode(String(form.get("code"))),
          team_name: form.get("team_name"),
          players: Number(form.get("players")),
        },
      });
      saveSession({ ...session, clock_offset: Date.parse(session.server_time) - Date.now() });
      navigate("/play/trail");
    } catch (caught) {
      // Worded from the code and its parameters (a free team name), never the server's English.
      const key = caught instanceof ApiError ? JOIN_ERRORS[caught.code] : undefined;
      setError(key ? t(key, (caught as ApiError).params) : t("error.generic"));
      setBusy(false);
    }
  };

  return (
    <Page title={t("play.title")}>
      {existing && (
        <p>
          <a class="button button-large" href="/play/trail">
            {t("play.resume", { team: existing.team.name })}
          </a>
        </p>
      )}
      <form class="form narrow join-form" onSubmit={submit}>
        <p role="alert" class={error ? "alert" : "visually-hidden"}>
          {error ?? ""}
        </p>
        <label for="join-code">{t("play.code")}</label>
        <input
          id="join-code"
          name="code"
          class="code-input"
          required
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          maxLength={12}
          value={params.code ? cleanCode(params.code) : undefined}
          aria-describedby="join-code-hint"
          onInput={(e) => {
            const input = e.target as HTMLInputElement;
            input.value = input.value.toUpperCase();
          }}
        />
        <small id="join-code-hint">{t("play.codeHint")}</small>
        <label for="join-team">{t("play.teamName")}</label>
        <input id="join-team" name="team_name" required maxLength={40} autocomplete="off" />
        <label for="join-players">{t("play.players")}</label>
        <select id="join-players" name="players">
          {[1, 2, 3, 4, 5, 6].map((n) => (
            <option key={n} value={n} selected={n === 3}>
              {n}
            </option>
          ))}
        </select>
        <button type="submit" class="button button-large" disabled={busy}>
          {busy ? t("play.joining") : t("play.join")}
        </button>
      </form>
      <p class="hint">{t("play.noAccount")}</p>
      <p class="hint">{t("play.offline")}</p>
    </Page>
  );
}
