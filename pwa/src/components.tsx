/** Small building blocks shared by the staff pages and the game. */
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { ApiError } from "./api";
import { type MessageKey, t } from "./i18n";
import { navigate } from "./router";
import { useSession } from "./session";

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

/** The text of a server's code ("code.<code>", "field.<code>" for a field's problem) once
 * the texts of its area are loaded; null before (`t` answers a missing key with the key). */
export function codeText(
  kind: "code" | "field",
  code: string,
  params?: Record<string, string | number>,
): string | null {
  const key = `${kind}.${code}` as MessageKey;
  const text = t(key, params);
  return text === key ? null : text;
}

/** Each field's problems in the reader's words, by dotted path: worded from their codes. */
export function fieldTexts(error: unknown): Record<string, string[]> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(
    Object.entries(error.fields).map(([path, problems]) => [
      path,
      problems.map(
        (p) =>
          codeText("field", p.code, p.params) ??
          codeText("code", p.code, p.params) ??
          t("error.generic"),
      ),
    ]),
  );
}

/** A readable sentence for an API error, worded from its code: the server's texts are
 * English, and its field paths are no words for a person. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "network") return t("error.network");
    const fields = [...new Set(Object.values(fieldTexts(error)).flat())];
    if (error.code === "validation_error" && fields.length) return fields.join(" · ");
    const text = codeText("code", error.code, error.params);
    if (text) return text;
  }
  return t("error.generic");
}

/** Shows its children only to logged-in users; sends others to the login page. */
/** A table that scrolls sideways on a narrow screen; it takes focus, so a keyboard scrolls it too. */
export function TableScroll({ children }: { children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs focus to scroll by keyboard
    <div class="table-scroll" tabIndex={0}>
      {children}
    </div>
  );
}

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
