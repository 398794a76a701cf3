import "../staff-messages";
import "../staff-forms.css";
import "./teach.css";
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, Page, RequireLogin, TableScroll } from "../components";
import { formatDate, formatTime } from "../format";
import { useResource } from "../hooks";
import { language, type MessageKey, t } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";
import { Memberships } from "./memberships";
import { SouvenirNote } from "./souvenirs";
import { visitState } from "./visit-times";

export type VisitInfo = Schema<"Visit">;

/** A date and two times, as a teacher enters them, in the browser's time zone → ISO times.
 * An end before the start is on the next day ("22:00 bis 01:00"). */
export function windowFrom(
  date: string,
  from: string,
  until: string,
): { starts_at: string; ends_at: string } {
  const ends = new Date(`${date}T${until}`);
  if (until < from) ends.setDate(ends.getDate() + 1);
  return { starts_at: new Date(`${date}T${from}`).toISOString(), ends_at: ends.toISOString() };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Why a teacher may open a trail, in the order the list shows them. */
const OFFERS: Schema<"OfferedTrail">["offer"][] = ["agreement", "partner", "public"];

function NewVisit() {
  const { me } = useSession();
  // Teachers of several schools say for which one; the server otherwise takes the partner school.
  const schools = (me?.memberships ?? [])
    .filter(
      (m) =>
        m.organisation.kind === "school" &&
        m.roles.some((role) => role === "teacher" || role === "admin"),
    )
    .map((m) => m.organisation);
  const { data: trails, error: loadError } = useResource<Schema<"OfferedTrail">[]>(
    "/trails/offered?page_size=200",
  );
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const now = new Date();
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const start = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  const end = `${pad((now.getHours() + 3) % 24)}:${pad(now.getMinutes())}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const window = windowFrom(
      String(form.get("date")),
      String(form.get("from")),
      String(form.get("until")),
    );
    if (window.ends_at <= window.starts_at) return setError(t("teach.timeError"));
    try {
      const visit = await api<VisitInfo>("/visits", {
        method: "POST",
        body: {
          trail_id: Number(form.get("trail_id")),
          class_label: form.get("class_label"),
          ...window,
          show_points: form.get("show_points") === "on",
          share_positions: form.get("share_positions") === "on",
          leaderboard: form.get("leaderboard") === "on",
          souvenirs: form.get("souvenirs") === "on",
          retention_days: Number(form.get("retention_days")),
          school_id: form.get("school_id") ? Number(form.get("school_id")) : null,
        },
      });
      navigate(`/teach/visits/${visit.id}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (trails !== null && trails.length === 0) return <p class="empty">{t("teach.noTrails")}</p>;
  return (
    <form class="form card" onSubmit={submit}>
      <h2>{t("teach.new")}</h2>
      <Alert message={error} />
      <label for="visit-trail">{t("teach.trail")}</label>
      <select id="visit-trail" name="trail_id" required>
        {OFFERS.map((offer) => {
          const group = (trails ?? []).filter((trail) => trail.offer === offer);
          return (
            group.length > 0 && (
              <optgroup key={offer} label={t(`teach.offer.${offer}` as MessageKey)}>
                {group.map((trail) => (
                  <option key={trail.id} value={trail.id}>
                    {trail.title} – {trail.organisation.name}
                  </option>
                ))}
              </optgroup>
            )
          );
        })}
      </select>
      {schools.length > 1 && (
        <>
          <label for="visit-school">{t("teach.school")}</label>
          <select id="visit-school" name="school_id">
            <option value="">{t("teach.schoolOfTrail")}</option>
            {schools.map((school) => (
              <option key={school.id} value={school.id}>
                {school.name}
              </option>
            ))}
          </select>
        </>
      )}
      <label for="visit-class">{t("teach.classLabel")}</label>
      <input id="visit-class" name="class_label" required maxLength={60} />
      <div class="field-row">
        <label>
          {t("teach.date")}
          <input name="date" type="date" required value={today} />
        </label>
        <label>
          {t("teach.from")}
          <input name="from" type="time" required value={start} />
        </label>
        <label>
          {t("teach.until")}
          <input name="until" type="time" required value={end} />
        </label>
      </div>
      <label class="inline">
        <input type="checkbox" name="show_points" checked />
        {t("teach.showPoints")}
      </label>
      <label class="inline">
        <input type="checkbox" name="leaderboard" />
        {t("teach.leaderboard")}
      </label>
      <label class="inline">
        <input type="checkbox" name="share_positions" />
        {t("teach.sharePositions")}
      </label>
      <label class="inline">
        <input type="checkbox" name="souvenirs" aria-describedby="visit-souvenirs-note" />
        {t("souvenirs.enable")}
      </label>
      <SouvenirNote id="visit-souvenirs-note" />
      <label for="visit-retention">{t("teach.retention")}</label>
      <input
        id="visit-retention"
        name="retention_days"
        type="number"
        min="1"
        max="90"
        value="30"
        required
      />
      <button type="submit" class="button button-large">
        {t("teach.create")}
      </button>
    </form>
  );
}

export default function TeachPage() {
  const { data: visits, error } = useResource<VisitInfo[]>("/visits?page_size=100");
  return (
    <RequireLogin>
      <Page title={t("teach.title")}>
        <Alert message={error} />
        {visits && visits.length === 0 && (
          <div class="empty">
            <p>
              <strong>{t("teach.empty")}</strong>
            </p>
            <p>{t("teach.emptyHint")}</p>
          </div>
        )}
        {visits && visits.length > 0 && (
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("teach.class")}</th>
                  <th scope="col">{t("teach.trail")}</th>
                  <th scope="col">{t("teach.when")}</th>
                  <th scope="col">{t("teach.code")}</th>
                  <th scope="col">{t("teach.state")}</th>
                </tr>
              </thead>
              <tbody>
                {visits.map((visit) => (
                  <tr key={visit.id}>
                    <th scope="row">
                      <a href={`/teach/visits/${visit.id}`}>{visit.class_label}</a>
                    </th>
                    <td>{visit.trail_title}</td>
                    <td>
                      {formatDate(visit.starts_at, language())}{" "}
                      {formatTime(visit.starts_at, language())}–
                      {formatTime(visit.ends_at, language())}
                    </td>
                    <td class="code">{visit.join_code}</td>
                    <td>{t(`teach.${visitState(visit)}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {/* What is below the list waits for it, so that it does not jump down under a hand. */}
        {(visits !== null || error) && (
          <>
            <NewVisit />
            <Memberships />
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
