/** On the account page: for each kind of notification, whether it comes by mail at once, in
 * the daily digest, or only in the list. */
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, Status, TableScroll } from "../components";
import { useResource } from "../hooks";
import { type MessageKey, t } from "../i18n";
import "./messages";

type Preferences = Schema<"Preferences">;
type Delivery = Preferences["preferences"][number]["delivery"];

const DELIVERIES: Delivery[] = ["at_once", "digest", "in_app"];

export function NotificationPreferences() {
  const stored = useResource<Preferences>("/me/notification-preferences");
  const [chosen, setChosen] = useState<Record<string, Delivery>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const preferences = stored.data?.preferences ?? [];

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus(null);
    try {
      const body = {
        preferences: Object.entries(chosen).map(([kind, delivery]) => ({ kind, delivery })),
      };
      stored.setData(
        await api<Preferences>("/me/notification-preferences", { method: "PUT", body }),
      );
      setChosen({});
      setError(null);
      setStatus(t("notifications.saved"));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <form class="form" onSubmit={save} aria-labelledby="notification-preferences">
      <h2 id="notification-preferences">{t("notifications.preferences")}</h2>
      <p>{t("notifications.preferencesIntro")}</p>
      <Alert message={error ?? stored.error} />
      <Status message={status} />
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("notifications.kind")}</th>
              {DELIVERIES.map((delivery) => (
                <th key={delivery} scope="col">
                  {t(`delivery.${delivery}` as MessageKey)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preferences.map(({ kind, delivery }) => {
              const current = chosen[kind] ?? delivery;
              const label = t(`kind.${kind}` as MessageKey);
              return (
                <tr key={kind}>
                  <th scope="row">{label}</th>
                  {DELIVERIES.map((option) => (
                    <td key={option}>
                      <input
                        type="radio"
                        name={`delivery-${kind}`}
                        value={option}
                        checked={current === option}
                        aria-label={`${label}: ${t(`delivery.${option}` as MessageKey)}`}
                        onChange={() => setChosen((before) => ({ ...before, [kind]: option }))}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <button type="submit" class="button" disabled={Object.keys(chosen).length === 0}>
        {t("notifications.save")}
      </button>
    </form>
  );
}
