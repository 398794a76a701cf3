import { useState } from "preact/hooks";
import "../staff-messages";
import "./account-messages";
import { ApiError, api } from "../api";
import { Alert, errorMessage, Page, Status } from "../components";
import { t } from "../i18n";
import { useSession } from "../session";
import { passwordProblem } from "./account";

/** The page a reset link opens: the token is in the link's fragment, which no request sends
 * but this page's own. */
export default function PasswordResetPage() {
  const { setMe } = useSession();
  // Read once: leaving the page drops the fragment before the page goes.
  const [token] = useState(() => decodeURIComponent(location.hash.slice(1)));
  const [error, setError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const next = String(form.get("new_password"));
    const problem = passwordProblem(next, String(form.get("repeat")));
    if (problem) {
      setError(t(problem));
      return;
    }
    setError(null);
    try {
      await api(`/auth/password-reset/${encodeURIComponent(token)}`, {
        method: "POST",
        body: { new_password: next },
      });
      setMe(null); // every login ended, this browser's too
      setDone(true);
    } catch (caught) {
      setExpired(caught instanceof ApiError && caught.code.startsWith("link_"));
      setError(errorMessage(caught));
    }
  };

  return (
    <Page title={t("reset.title")}>
      <Alert message={error} />
      {expired && (
        <p>
          <a href="/password-forgotten">{t("reset.again")}</a>
        </p>
      )}
      <Status message={done ? t("reset.done") : null} />
      {done ? (
        <p>
          <a href="/login">{t("login.submit")}</a>
        </p>
      ) : (
        <form class="form narrow" onSubmit={submit}>
          <label for="reset-new">{t("reset.new")}</label>
          <input
            id="reset-new"
            name="new_password"
            type="password"
            autocomplete="new-password"
            minLength={10}
            required
            aria-describedby="reset-hint"
          />
          <p id="reset-hint" class="hint">
            {t("reset.hint")}
          </p>
          <label for="reset-repeat">{t("reset.repeat")}</label>
          <input
            id="reset-repeat"
            name="repeat"
            type="password"
            autocomplete="new-password"
            required
          />
          <button type="submit" class="button">
            {t("reset.submit")}
          </button>
        </form>
      )}
    </Page>
  );
}
