import { useState } from "preact/hooks";
import "../staff-messages";
import { ApiError, api } from "../api";
import { Alert, errorMessage, fieldTexts, Page, RequireLogin, Status } from "../components";
import { t } from "../i18n";
import { NotificationPreferences } from "../notifications/preferences";
import { useSession } from "../session";
import { EmailChange, FailedMails, MailLanguage } from "./account-mail";

const MIN_LENGTH = 10;

/** The client's own check, before the server's: the two new passwords and the length. */
export function passwordProblem(
  next: string,
  repeat: string,
): "account.mismatch" | "account.tooShort" | null {
  if (next.length < MIN_LENGTH) return "account.tooShort";
  if (next !== repeat) return "account.mismatch";
  return null;
}

export default function AccountPage() {
  const { me } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const next = String(form.get("new_password"));
    setStatus(null);
    setError(null);
    const problem = passwordProblem(next, String(form.get("repeat")));
    if (problem) {
      setFieldErrors({ [problem === "account.mismatch" ? "repeat" : "new_password"]: t(problem) });
      return;
    }
    setFieldErrors({});
    try {
      await api("/me/password", {
        method: "POST",
        body: { current_password: form.get("current_password"), new_password: next },
      });
      formElement.reset();
      setStatus(t("account.changed"));
    } catch (caught) {
      if (caught instanceof ApiError && Object.keys(caught.fields).length) {
        setFieldErrors(
          Object.fromEntries(
            Object.entries(fieldTexts(caught)).map(([field, texts]) => [field, texts.join(" ")]),
          ),
        );
      } else {
        setError(errorMessage(caught));
      }
    }
  };

  const field = (name: string, label: string, autocomplete: string) => (
    <>
      <label for={`account-${name}`}>{label}</label>
      <input
        id={`account-${name}`}
        name={name}
        type="password"
        autocomplete={autocomplete}
        required
        aria-invalid={fieldErrors[name] ? "true" : undefined}
        aria-describedby={fieldErrors[name] ? `account-${name}-error` : undefined}
      />
      {fieldErrors[name] && (
        <p id={`account-${name}-error`} class="field-error">
          {fieldErrors[name]}
        </p>
      )}
    </>
  );

  return (
    <RequireLogin>
      <Page title={t("account.title")}>
        <form class="form narrow" onSubmit={submit}>
          <h2>{t("account.password")}</h2>
          <Alert message={error} />
          <Status message={status} />
          {field("current_password", t("account.current"), "current-password")}
          {field("new_password", t("account.new"), "new-password")}
          {field("repeat", t("account.repeat"), "new-password")}
          <button type="submit" class="button">
            {t("account.save")}
          </button>
        </form>
        {me && <EmailChange me={me} />}
        {me && <MailLanguage me={me} />}
        {me?.is_site_admin && <FailedMails />}
        <NotificationPreferences />
      </Page>
    </RequireLogin>
  );
}
