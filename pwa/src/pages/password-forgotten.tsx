import { useState } from "preact/hooks";
import "../staff-messages";
import "./account-messages";
import { api } from "../api";
import { Alert, errorMessage, Page, Status } from "../components";
import { t } from "../i18n";

/** Asks for a link to set a new password; the answer is the same whether or not the address
 * has an account. */
export default function PasswordForgottenPage() {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await api("/auth/password-reset", { method: "POST", body: { email: form.get("email") } });
      setStatus(t("forgotten.sent"));
    } catch (caught) {
      setError(errorMessage(caught));
    }
    setBusy(false);
  };

  return (
    <Page title={t("forgotten.title")}>
      <p>{t("forgotten.intro")}</p>
      <form class="form narrow" onSubmit={submit}>
        <Alert message={error} />
        <Status message={status} />
        <label for="forgotten-email">{t("login.email")}</label>
        <input id="forgotten-email" name="email" type="email" autocomplete="username" required />
        <button type="submit" class="button" disabled={busy}>
          {t("forgotten.submit")}
        </button>
      </form>
      <p>
        <a href="/login">{t("login.title")}</a>
      </p>
    </Page>
  );
}
