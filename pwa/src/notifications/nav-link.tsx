/** The staff's link to their notifications with the unread count (src/staff-nav.tsx): asked
 * for every minute, and at once when the list changes it. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { t } from "../i18n";
import { useLocation } from "../router";
import "./messages";

const POLL_SECONDS = 60;
const CHANGED = "openparcours:notifications-read";

/** The list marked something read: the count is asked again. */
export function unreadChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export default function NotificationsLink() {
  const [unread, setUnread] = useState(0);
  const path = useLocation().split("?")[0];
  useEffect(() => {
    let stopped = false;
    const ask = () =>
      api<{ unread: number }>("/notifications/unread").then(
        (answer) => !stopped && setUnread(answer.unread),
        () => undefined, // offline for a moment: the next poll asks again
      );
    void ask();
    const timer = window.setInterval(ask, POLL_SECONDS * 1000);
    window.addEventListener(CHANGED, ask);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener(CHANGED, ask);
    };
  }, []);
  return (
    <li>
      <a href="/notifications" aria-current={path === "/notifications" ? "page" : undefined}>
        {unread > 0 ? t("notifications.titleUnread", { count: unread }) : t("notifications.title")}
      </a>
    </li>
  );
}
