/** The account page's mail parts: a new e-mail address (confirmed by a link to it), the
 * language of the mails, and for site admins the mails that could not be delivered. */
import { useState } from "preact/hooks";
import "./account-messages";
import { api, type Me, type Schema } from "../api";
import { Alert, errorMessage, Status, TableScroll } from "../components";
import { formatDate, formatTime } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import { useSession } from "../session";

const LANGUAGE_NAMES = { de: "Deutsch", en: "English" } as const;

export function EmailChange({ me }: { me: Me }) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const email = String(form.get("new_email")).trim();
    setStatus(null);
    setError(null);
    try {
      await api("/me/email", {
        method: "POST",
        body: { new_email: email, password: form.get("password") },
      });
      formElement.reset();
      setStatus(t("email.sent", { email }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <form class="form narrow" onSubmit={submit}>
      <h2>{t("email.title")}</h2>
      <p>{t("email.current", { email: me.email })}</p>
      <Alert message={error} />
      <Status message={status} />
      <label for="email-new">{t("email.new")}</label>
      <input id="email-new" name="new_email" type="email" autocomplete="email" required />
      <label for="email-password">{t("email.password")}</label>
      <input
        id="email-password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
      />
      <button type="submit" class="button">
        {t("email.submit")}
      </button>
    </form>
  );
}

export function MailLanguage({ me }: { me: Me }) {
  const { setMe } = useSession();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choose = async (event: Event) => {
    const chosen = (event.target as HTMLSelectElement).value as keyof typeof LANGUAGE_NAMES;
    setStatus(null);
    setError(null);
    try {
      setMe(await api<Me>("/me", { method: "PATCH", body: { language: chosen } }));
      setStatus(t("mail.languageSaved", { language: LANGUAGE_NAMES[chosen] }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <div class="form narrow">
      <label for="mail-language">{t("mail.language")}</label>
      <select id="mail-language" value={me.language} onChange={choose}>
        {Object.entries(LANGUAGE_NAMES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
      <Alert message={error} />
      <Status message={status} />
    </div>
  );
}

export function FailedMails() {
  const failed = useResource<Schema<"OutboxMail">[]>("/mail/failed?page_size=50");
  const mails = failed.data ?? [];
  return (
    <section aria-labelledby="failed-mails">
      <h2 id="failed-mails">{t("mail.failedTitle")}</h2>
      <Alert message={failed.error} />
      <p>{t("mail.failedIntro")}</p>
      {failed.data && mails.length === 0 ? (
        <p>{t("mail.failedNone")}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("mail.failedQueued")}</th>
                <th scope="col">{t("mail.failedRecipient")}</th>
                <th scope="col">{t("mail.failedSubject")}</th>
                <th scope="col">{t("mail.failedError")}</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((mail) => (
                <tr key={mail.id}>
                  <td>
                    {formatDate(mail.created_at ?? "", language())}{" "}
                    {formatTime(mail.created_at ?? "", language())}
                  </td>
                  <th scope="row">{mail.recipient}</th>
                  <td>{mail.subject}</td>
                  <td>{mail.last_error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
