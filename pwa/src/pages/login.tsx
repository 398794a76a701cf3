import { useState } from "preact/hooks";
import "../staff-messages";
import "./account-messages";
import { api, type Me } from "../api";
import { landingPath } from "../areas";
import { Alert, errorMessage, Page } from "../components";
import { t } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";

export default function LoginPage() {
  const { setMe } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>("/auth/login", {
        method: "POST",
        body: { email: form.get("email"), password: form.get("password") },
      });
      setMe(me);
      navigate(landingPath(me, new URLSearchParams(location.search).get("next")), true);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Page title={t("login.title")}>
      <p>{t("login.intro")}</p>
      <form class="form narrow" onSubmit={submit}>
        <Alert message={error} />
        <label for="login-email">{t("login.email")}</label>
        <input id="login-email" name="email" type="email" autocomplete="username" required />
        <label for="login-password">{t("login.password")}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit" class="button" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
      </form>
      <p>
        <a href="/password-forgotten">{t("login.forgotten")}</a>
      </p>
    </Page>
  );
}
