/** Small building blocks shared by the staff pages and the game. */
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { ApiError } from "./api";
import { t, type MessageKey } from "./i18n";
import { navigate } from "./router";
import { useSession } from "./state";

export { Page } from "./page";

export function Alert({ message }: { message: string | null }) {
  return (
    <p role="alert" class={message ? "alert" : "visually-hidden"}>
      {message ?? ""}
    </p>
  );
}

export function Status({ message }: { message: string | null }) {
  return (
    <p role="status" class={message ? "status" : "visually-hidden"}>
      {message ?? ""}
    </p>
  );
}

const CODE_MESSAGES: Partial<Record<string, MessageKey>> = {
  network: "error.network",
  forbidden: "error.forbidden",
  conflict: "error.conflict",
  last_admin: "error.lastAdmin",
  invalid_credentials: "login.wrong",
  rate_limited: "login.limited",
  invite_expired: "invite.expired",
  invite_used: "invite.used",
  not_found: "error.notFound",
  email_taken: "invite.emailTaken",
  invite_email_mismatch: "invite.mismatch",
  site_admin_only: "profile.siteAdminOnly",
  visit_too_long: "teach.tooLong",
  visit_data_deleted: "teach.dataDeletedForGood",
};

/** Nested field errors (as for a task's definition) → [["definition.options.1.text", "…"]]. */
export function flattenErrors(errors: unknown, prefix = ""): [string, string][] {
  if (Array.isArray(errors)) return errors.map((message) => [prefix, String(message)]);
  if (errors && typeof errors === "object") {
    return Object.entries(errors).flatMap(([key, value]) => flattenErrors(value, prefix ? `${prefix}.${key}` : key));
  }
  return errors === undefined ? [] : [[prefix, String(errors)]];
}

/** A readable sentence for an API error; the server's codes are stable, its texts English. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const key = CODE_MESSAGES[error.code];
    if (key) return t(key);
    const fields = flattenErrors(error.errors);
    if (fields.length) return fields.map(([path, message]) => (path ? `${path}: ${message}` : message)).join(" · ");
    if (error.code === "not_publishable" || error.code === "no_qr_stations") return error.message;
  }
  return t("error.generic");
}

/** Shows its children only to logged-in users; sends others to the login page. */
export function RequireLogin({ children }: { children: ComponentChildren }) {
  const { me } = useSession();
  useEffect(() => {
    if (me === null) navigate(`/login?next=${encodeURIComponent(location.pathname)}`, true);
  }, [me]);
  if (!me) return <p>{t("app.loading")}</p>;
  return <>{children}</>;
}

export function RoleList({ roles }: { roles: string[] }) {
  return <>{roles.map((role) => t(`role.${role}` as MessageKey)).join(", ")}</>;
}
