/** A notification in the reader's words (the language chosen now): its kind's text filled
 * with its params. */
import type { Schema } from "../api";
import { formatDate } from "../format";
import { language, type MessageKey, t } from "../i18n";
import "../staff-messages";
import "./messages";

export type Notification = Schema<"Notification">;

export function notificationText(notification: Notification): string {
  const lang = language();
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(notification.params ?? {})) {
    params[name] = typeof value === "number" ? value : String(value);
  }
  if (typeof params.date === "string") params.date = formatDate(params.date, lang);
  if (typeof params.role === "string") params.role = t(`role.${params.role}` as MessageKey);
  return t(`text.${notification.kind}` as MessageKey, params);
}
