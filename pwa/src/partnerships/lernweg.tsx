/** A school's Lernweg for a school year: year groups × subjects, what the agreements plan and
 * what the classes did, with the partners and the media competences per year group. */
import "../staff-messages";
import "./messages";
import "./partnerships.css";
import { useState } from "preact/hooks";
import type { Schema } from "../api";
import { Alert, Page, RequireLogin, TableScroll } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import type { Params } from "../router";
import { currentSchoolYear, schoolYearLabel } from "./school-year";

type Lernweg = Schema<"Lernweg">;
type Cell = Schema<"LernwegCell">;

function CellContent({ cell }: { cell: Cell | undefined }) {
  if (!cell) return null;
  return (
    <ul class="lernweg-cell">
      {cell.planned.map((item) => (
        <li key={`p-${item.partner}-${item.teaching_unit}`} class="lernweg-planned">
          <span class="visually-hidden">{t("lernweg.planned")}: </span>
          <strong>{item.teaching_unit}</strong>
          <br />
          {item.offer} · {item.partner}
          {item.term && ` · ${t("lernweg.term", { term: item.term })}`}
          {item.media_competences.length > 0 && (
            <>
              <br />
              {t("lernweg.mkr")}: {item.media_competences.join(", ")}
            </>
          )}
        </li>
      ))}
      {cell.done.map((item) => (
        <li key={`d-${item.class_label}-${item.date}`} class="lernweg-done">
          <span aria-hidden="true">✓ </span>
          <span class="visually-hidden">{t("lernweg.done")}: </span>
          {t("lernweg.visit", {
            class: item.class_label,
            trail: item.trail_title,
            date: formatDate(item.date, language()),
          })}{" "}
          · {item.partner}
        </li>
      ))}
    </ul>
  );
}

export default function LernwegPage({ params }: { params: Params }) {
  const [year, setYear] = useState(currentSchoolYear());
  const { data: lernweg, error } = useResource<Lernweg>(
    `/organisations/${params.id}/lernweg?school_year=${year}`,
  );
  const years = [0, 1, 2, 3, 4].map((back) => currentSchoolYear() - back);
  const subjectName = (subject: string | null) => subject ?? t("lernweg.noSubject");
  const yearName = (group: number | null) =>
    group === null ? t("lernweg.noYearGroup") : t("lernweg.yearGroup", { year: group });
  return (
    <RequireLogin>
      <Page title={t("lernweg.title", { school: lernweg?.school.name ?? "" })}>
        <p>{t("lernweg.intro")}</p>
        <label for="lernweg-year">{t("lernweg.schoolYear")}</label>
        <select
          id="lernweg-year"
          value={year}
          onChange={(e) => setYear(Number((e.target as HTMLSelectElement).value))}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {schoolYearLabel(y)}
            </option>
          ))}
        </select>
        <p class="actions">
          <a
            class="button-quiet"
            href={`/api/v1/organisations/${params.id}/lernweg.pdf?school_year=${year}`}
            download
          >
            {t("lernweg.pdf")}
          </a>
          <a
            class="button-quiet"
            href={`/api/v1/organisations/${params.id}/lernweg.xlsx?school_year=${year}`}
            download
          >
            {t("lernweg.xlsx")}
          </a>
        </p>
        <Alert message={error} />
        {lernweg && lernweg.year_groups.length === 0 && <p>{t("lernweg.empty")}</p>}
        {lernweg && lernweg.year_groups.length > 0 && (
          <>
            <h2>{t("lernweg.mkrByYear")}</h2>
            <ul>
              {lernweg.year_groups
                .filter((group) => group.media_competences.length > 0)
                .map((group) => (
                  <li key={String(group.year_group)}>
                    {yearName(group.year_group)}: {group.media_competences.join(", ")}
                  </li>
                ))}
            </ul>
            <TableScroll>
              <table class="lernweg">
                <caption>{t("lernweg.caption", { year: lernweg.school_year })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("lernweg.yearGroupHeading")}</th>
                    {lernweg.subjects.map((subject) => (
                      <th key={String(subject)} scope="col">
                        {subjectName(subject)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {lernweg.year_groups.map((group) => (
                    <tr key={String(group.year_group)}>
                      <th scope="row">{yearName(group.year_group)}</th>
                      {lernweg.subjects.map((subject) => (
                        <td key={String(subject)}>
                          <CellContent
                            cell={group.cells.find((cell) => cell.subject === subject)}
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
