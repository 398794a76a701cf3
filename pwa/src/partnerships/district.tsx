import "../staff-messages";
import "./messages";
import "./partnerships.css";
import { useState } from "preact/hooks";
import type { Schema } from "../api";
import { Alert, Page, RequireLogin } from "../components";
import { useResource } from "../hooks";
import { type MessageKey, t } from "../i18n";
import type { Params } from "../router";
import { useSession } from "../session";
import { DistrictCoverage } from "./coverage";
import { GoodPracticeSection } from "./good-practice";
import { SchoolListImport } from "./school-list-import";
import { currentSchoolYear, schoolYearLabel } from "./school-year";
import { DistrictTemplates } from "./templates";
import { kindText, schoolFormText } from "./words";

function Counts({
  title,
  counts,
  word,
}: {
  title: string;
  counts: Record<string, number>;
  word: (key: string) => string;
}) {
  return (
    <div>
      <h3>{title}</h3>
      <ul>
        {Object.entries(counts).map(([key, count]) => (
          <li key={key}>
            {word(key)}: <strong>{count}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The report pack for the Bildungskonferenz of a school year, as PDF and XLSX. */
function ReportPack({ district }: { district: string }) {
  const [year, setYear] = useState(currentSchoolYear());
  const years = Array.from({ length: 6 }, (_, i) => currentSchoolYear() - i);
  const base = `/api/v1/districts/${encodeURIComponent(district)}/report-pack`;
  return (
    <section class="card" aria-labelledby="district-report-pack">
      <h2 id="district-report-pack">{t("district.reportPack")}</h2>
      <p class="hint">{t("district.reportPackIntro")}</p>
      <div class="actions">
        <label for="report-pack-year">{t("report.year")}</label>
        <select
          id="report-pack-year"
          value={year}
          onChange={(e) => setYear(Number(e.currentTarget.value))}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {schoolYearLabel(y)}
            </option>
          ))}
        </select>
        <a class="button-quiet" href={`${base}.pdf?school_year=${year}`} download>
          PDF
        </a>
        <a class="button-quiet" href={`${base}.xlsx?school_year=${year}`} download>
          Excel (XLSX)
        </a>
      </div>
    </section>
  );
}

/** A network office's figures for its district: partnerships, agreements, visits. Counts only. */
export default function DistrictPage({ params }: { params: Params }) {
  const district = decodeURIComponent(params.district);
  const { data: overview, error } = useResource<Schema<"DistrictOverview">>(
    `/districts/${encodeURIComponent(district)}/overview`,
  );
  const { me } = useSession();
  const [imports, setImports] = useState(0);
  const most = Math.max(1, ...(overview?.visits_per_month.map((m) => m.visits) ?? [1]));
  return (
    <RequireLogin>
      <Page title={t("district.title", { district })}>
        <Alert message={error} />
        {overview && (
          <>
            <section class="card" aria-labelledby="district-partnerships">
              <h2 id="district-partnerships">
                {t("district.partnerships")}: {overview.partnerships}
              </h2>
              <div class="two-columns">
                <Counts
                  title={t("district.byKind")}
                  counts={overview.by_institution_kind}
                  word={kindText}
                />
                <Counts
                  title={t("district.bySchoolForm")}
                  counts={overview.by_school_form}
                  word={schoolFormText}
                />
              </div>
            </section>
            <section class="card" aria-labelledby="district-agreements">
              <h2 id="district-agreements">{t("district.agreements")}</h2>
              <ul>
                {Object.entries(overview.agreements).map(([key, count]) => (
                  <li key={key}>
                    {t(`district.${key}` as MessageKey)}: <strong>{count}</strong>
                  </li>
                ))}
              </ul>
            </section>
            <section class="card" aria-labelledby="district-visits">
              <h2 id="district-visits">{t("district.visits")}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("district.month")}</th>
                    <th scope="col">{t("district.count")}</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.visits_per_month.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{m.month}</th>
                      <td>
                        <meter min={0} max={most} value={m.visits} aria-hidden="true" /> {m.visits}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </>
        )}
        <DistrictCoverage key={imports} district={district} />
        <ReportPack district={district} />
        <DistrictTemplates district={district} />
        <GoodPracticeSection district={district} />
        {(me?.is_site_admin || me?.network_office_district) && (
          <SchoolListImport onImported={() => setImports((n) => n + 1)} />
        )}
      </Page>
    </RequireLogin>
  );
}
