import "../staff-messages";
import "./messages";
import "./partnerships.css";
import { useState } from "preact/hooks";
import type { Schema } from "../api";
import { Alert, Page, RequireLogin, TableScroll } from "../components";
import { formatDate, formatNumber } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import type { Params } from "../router";
import { currentSchoolYear, schoolYearLabel } from "./school-year";

/** A school year's visits with anonymous counts, for the school's quality analysis. */
export default function ReportPage({ params }: { params: Params }) {
  const [year, setYear] = useState(currentSchoolYear());
  const base = `/partnerships/${params.id}/report`;
  const { data: report, error } = useResource<Schema<"Report">>(`${base}?year=${year}`);
  const years = Array.from({ length: 6 }, (_, i) => currentSchoolYear() - i);
  const lang = language();
  const share = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)} %`);
  const p = report?.partnership;
  return (
    <RequireLogin>
      <Page
        title={
          p ? `${t("report.title")}: ${p.school.name} – ${p.institution.name}` : t("report.title")
        }
      >
        <p class="hint">
          <a href={`/partners/partnerships/${params.id}`}>← {t("pship.agreement")}</a>
        </p>
        <Alert message={error} />
        <div class="actions">
          <label for="school-year">{t("report.year")}</label>
          <select
            id="school-year"
            value={year}
            onChange={(e) => setYear(Number(e.currentTarget.value))}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {schoolYearLabel(y)}
              </option>
            ))}
          </select>
          <a class="button-quiet" href={`/api/v1${base}.pdf?year=${year}`} download>
            PDF
          </a>
          <a class="button-quiet" href={`/api/v1${base}.xlsx?year=${year}`} download>
            Excel (XLSX)
          </a>
        </div>
        <p class="hint">{t("report.intro")}</p>
        {report && (
          <>
            <p>
              <strong>
                {t("report.totals", {
                  visits: report.totals.visits,
                  teams: report.totals.teams,
                  players: report.totals.players,
                })}
              </strong>{" "}
              · {t("report.completed")}: {share(report.totals.completion_rate)}
            </p>
            {report.visits.length === 0 ? (
              <p>{t("report.none")}</p>
            ) : (
              <TableScroll>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("report.date")}</th>
                      <th scope="col">{t("report.class")}</th>
                      <th scope="col">{t("report.trail")}</th>
                      <th scope="col">{t("report.teams")}</th>
                      <th scope="col">{t("report.players")}</th>
                      <th scope="col">{t("report.completed")}</th>
                      <th scope="col">{t("report.points")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.visits.map((visit, i) => (
                      <tr key={i}>
                        <td>{formatDate(visit.date, lang)}</td>
                        <th scope="row">
                          {visit.class_label}
                          {visit.data_deleted && <small> ({t("report.deleted")})</small>}
                        </th>
                        <td>{visit.trail_title}</td>
                        <td>{visit.teams}</td>
                        <td>{visit.players}</td>
                        <td>
                          {visit.completed_teams} ({share(visit.completion_rate)})
                        </td>
                        <td>{formatNumber(visit.mean_points, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
