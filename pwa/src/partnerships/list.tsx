import "../staff-forms.css";
import "./messages";
import { useState } from "preact/hooks";
import { api, type OrganisationRef, type Schema } from "../api";
import { Alert, errorMessage, TableScroll } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import { navigate } from "../router";
import { statusText } from "./agreement-text";
import type { Agreement, PartnershipSummary } from "./types";

/** An admin starts a partnership with a school (or an institution) by drafting its agreement. */
function StartPartnership({ administered }: { administered: OrganisationRef[] }) {
  const [acting, setActing] = useState(administered[0]);
  const { data: others, error: loadError } = useResource<Schema<"Organisation">[]>(
    "/organisations?page_size=200",
  );
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const actingIsSchool = acting.kind === "school";
  const choices = (others ?? []).filter((o) => (o.kind === "school") !== actingIsSchool);
  const start = async (event: Event) => {
    event.preventDefault();
    const other = Number(new FormData(event.currentTarget as HTMLFormElement).get("partner"));
    const body = actingIsSchool
      ? { school_id: acting.id, institution_id: other }
      : { school_id: other, institution_id: acting.id };
    try {
      const agreement = await api<Agreement>("/partnerships", { method: "POST", body });
      navigate(`/partners/partnerships/${agreement.partnership.id}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form class="inline-form" onSubmit={start} aria-labelledby="start-heading">
      <h3 id="start-heading">{t("pship.start")}</h3>
      <Alert message={error} />
      {administered.length > 1 && (
        <>
          <label for="acting">{t("pship.startFor")}</label>
          <select
            id="acting"
            onChange={(e) => setActing(administered[Number(e.currentTarget.value)])}
          >
            {administered.map((o, i) => (
              <option key={o.id} value={i}>
                {o.name}
              </option>
            ))}
          </select>
        </>
      )}
      <label for="partner">{t("pship.with")}</label>
      <select id="partner" name="partner" required>
        {choices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <button type="submit">{t("pship.startButton")}</button>
    </form>
  );
}

/** The partnerships of my organisations with their agreements' status and reminders. */
export function PartnershipList({ administered }: { administered: OrganisationRef[] }) {
  const { data: items, error } = useResource<PartnershipSummary[]>("/partnerships");
  return (
    <section class="card" aria-labelledby="partnerships-heading">
      <h2 id="partnerships-heading">{t("pship.title")}</h2>
      <Alert message={error} />
      {items && items.length === 0 && <p>{t("pship.none")}</p>}
      {items && items.length > 0 && (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("pship.partner")}</th>
                <th scope="col">{t("pship.status")}</th>
                <th scope="col">{t("pship.review")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map(({ partnership, current, open, warnings }) => {
                const shown = current ?? open;
                return (
                  <tr key={partnership.id}>
                    <th scope="row">
                      <a href={`/partners/partnerships/${partnership.id}`}>
                        {partnership.school.name} – {partnership.institution.name}
                      </a>
                      {warnings.map((w) => (
                        <small key={w} class="warning">
                          ⚠ {t(`pship.warning.${w}` as "pship.warning.review_due")}
                        </small>
                      ))}
                    </th>
                    <td>
                      {shown ? statusText(shown) : t("pship.status.none")}
                      {current && open && ` · ${t("pship.inWriting", { number: open.number })}`}
                    </td>
                    <td>{shown?.review_on ? formatDate(shown.review_on, language()) : "–"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {administered.length > 0 && <StartPartnership administered={administered} />}
    </section>
  );
}
