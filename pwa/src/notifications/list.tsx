/** "Benachrichtigungen": the user's notifications, the latest first, with links to what they
 * are about; opening one marks it read. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage, Page, RequireLogin } from "../components";
import { formatDate, formatTime } from "../format";
import { language, t } from "../i18n";
import { unreadChanged } from "./nav-link";
import { type Notification, notificationText } from "./text";

const PAGE_SIZE = 20;

export default function NotificationsPage() {
  const [items, setItems] = useState<Notification[]>([]);
  const [page, setPage] = useState(1);
  const [more, setMore] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Notification[]>(`/notifications?page=${page}&page_size=${PAGE_SIZE}`).then(
      (answer) => {
        setItems((before) => (page === 1 ? answer : [...before, ...answer]));
        setMore(answer.length === PAGE_SIZE);
        setLoaded(true);
      },
      (caught: unknown) => setError(errorMessage(caught)),
    );
  }, [page]);

  const markRead = async (notification: Notification) => {
    if (notification.read_at) return;
    try {
      const read = await api<Notification>(`/notifications/${notification.id}/read`, {
        method: "POST",
      });
      setItems((before) => before.map((n) => (n.id === read.id ? read : n)));
      unreadChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const markAllRead = async () => {
    try {
      await api("/notifications/read", { method: "POST" });
      const now = new Date().toISOString();
      setItems((before) => before.map((n) => ({ ...n, read_at: n.read_at ?? now })));
      unreadChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const lang = language();
  return (
    <RequireLogin>
      <Page title={t("notifications.title")}>
        <Alert message={error} />
        {loaded && items.length === 0 ? (
          <div class="empty">
            <p>{t("notifications.empty")}</p>
            <p>{t("notifications.emptyHint")}</p>
          </div>
        ) : (
          <>
            {items.some((n) => !n.read_at) && (
              <p>
                <button type="button" class="button-quiet" onClick={markAllRead}>
                  {t("notifications.allRead")}
                </button>
              </p>
            )}
            <ul class="link-list">
              {items.map((n) => (
                <li key={n.id}>
                  <p>
                    {!n.read_at && <strong>{t("notifications.new")}</strong>} {notificationText(n)}
                  </p>
                  <p class="hint">
                    <time dateTime={n.created_at}>
                      {formatDate(n.created_at, lang)} {formatTime(n.created_at, lang)}
                    </time>{" "}
                    <a href={n.link} onClick={() => void markRead(n)}>
                      {t("notifications.open")}
                    </a>{" "}
                    {!n.read_at && (
                      <button type="button" class="button-quiet" onClick={() => markRead(n)}>
                        {t("notifications.markRead")}
                      </button>
                    )}
                  </p>
                </li>
              ))}
            </ul>
            {more && (
              <button type="button" class="button-quiet" onClick={() => setPage((p) => p + 1)}>
                {t("notifications.more")}
              </button>
            )}
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
