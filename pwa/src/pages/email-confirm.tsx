import { useEffect, useState } from "preact/hooks";
import "../staff-messages";
import "./account-messages";
import { api, type Me, type Schema } from "../api";
import { Alert, errorMessage, Page, Status } from "../components";
import { t } from "../i18n";
import { useSession } from "../session";

/** The page the confirmation link of a new e-mail address opens: it confirms at once. */
export default function EmailConfirmPage() {
  const { me, setMe } = useSession();
  // Read once: leaving the page drops the fragment before the page goes.
  const [token] = useState(() => decodeURIComponent(location.hash.slice(1)));
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // A logged-in browser sends its CSRF token, known once the session is.
    if (me === undefined) return;
    api<Schema<"EmailChanged">>(`/auth/email-change/${encodeURIComponent(token)}`, {
      method: "POST",
    }).then(
      (answer) => {
        setConfirmed(answer.email);
        if (me) api<Me>("/me").then(setMe, () => {});
      },
      (caught) => setError(errorMessage(caught)),
    );
  }, [token, me === undefined]);

  return (
    <Page title={t("email.confirmTitle")}>
      <Alert message={error} />
      <Status message={confirmed ? t("email.confirmed", { email: confirmed }) : null} />
      {!confirmed && !error && <p>{t("email.confirming")}</p>}
      {confirmed && (
        <p>
          <a href={me ? "/account" : "/login"}>{me ? t("nav.account") : t("login.submit")}</a>
        </p>
      )}
    </Page>
  );
}
