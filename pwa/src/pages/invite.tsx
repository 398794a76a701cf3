import { useEffect, useState } from "preact/hooks";
import "../staff-messages";
import { ApiError, api, type Me, type Schema } from "../api";
import { Alert, errorMessage, Page } from "../components";
import { type MessageKey, t } from "../i18n";
import { useSession } from "../session";

type InvitePreview = Schema<"InvitePreview">;

export default function InvitePage() {
  const { me, setMe } = useSession();
  const [invite, setInvite] = useState<InvitePreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The link carries the token in its fragment, which browsers do not send: no log keeps it.
  const token = decodeURIComponent(location.hash.slice(1));

  useEffect(() => {
    // A logged-in browser asks once it knows its CSRF token.
    if (me === undefined) return;
    api<InvitePreview>("/invites/preview", { method: "POST", body: { token } }).then(
      setInvite,
      (e) =>
        setProblem(
          e instanceof ApiError && e.code === "not_found" ? t("invite.unknown") : errorMessage(e),
        ),
    );
  }, [token, me === undefined]);

  const accept = async (body: Record<string, unknown>) => {
    setError(null);
    try {
      const user = await api<Me>("/invites/accept", { method: "POST", body: { token, ...body } });
      setMe(user);
      setDone(t("invite.done", { organisation: invite!.organisation.name }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const create = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    accept({
      email: form.get("email"),
      display_name: form.get("display_name"),
      password: form.get("password"),
    });
  };

  return (
    <Page title={t("invite.title")}>
      {problem && (
        <p role="alert" class="alert">
          {problem}
        </p>
      )}
      {done && (
        <p role="status" class="status">
          {done} <a href="/">{t("nav.home")}</a>
        </p>
      )}
      {invite && !done && (
        <>
          <p class="lead">
            {t("invite.offer", {
              organisation: invite.organisation.name,
              role: t(`role.${invite.role}` as MessageKey),
            })}
          </p>
          <Alert message={error} />
          {me ? (
            <button type="button" class="button" onClick={() => accept({})}>
              {t("invite.accept")}
            </button>
          ) : (
            <>
              <p>
                <a href={`/login?next=${encodeURIComponent(location.pathname + location.hash)}`}>
                  {t("invite.loginFirst")}
                </a>
              </p>
              <form class="form narrow" onSubmit={create}>
                <label for="invite-email">{t("login.email")}</label>
                <input
                  id="invite-email"
                  name="email"
                  type="email"
                  autocomplete="email"
                  required
                  value={invite.email ?? undefined}
                  readOnly={!!invite.email}
                />
                <label for="invite-name">{t("invite.name")}</label>
                <input
                  id="invite-name"
                  name="display_name"
                  autocomplete="name"
                  required
                  maxLength={120}
                />
                <label for="invite-password">{t("invite.password")}</label>
                <input
                  id="invite-password"
                  name="password"
                  type="password"
                  autocomplete="new-password"
                  minLength={10}
                  required
                />
                <button type="submit" class="button">
                  {t("invite.create")}
                </button>
              </form>
            </>
          )}
        </>
      )}
    </Page>
  );
}
