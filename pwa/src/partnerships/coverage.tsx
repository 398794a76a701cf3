/** The district's coverage for its network office: which schools of the state's list have a
 * partner, the share per school year, institutions without a partner school, the offers' gaps
 * by subject and year group, and the map with a legend. Counts and organisation names only. */
import { useEffect, useState } from "preact/hooks";
import type { Schema } from "../api";
import { Alert, TableScroll } from "../components";
import { formatNumber } from "../format";
import { useResource, useSettings } from "../hooks";
import { language, type MessageKey, t } from "../i18n";
import { lazyMap } from "../lazy-map";
import type { CoverageMapProps } from "./coverage-map";
import { kindText } from "./words";

type Coverage = Schema<"DistrictCoverage">;

const CoverageMap = lazyMap<CoverageMapProps>(() => import("./coverage-map"));

const INSTITUTION_KINDS = [
  "museum",
  "library",
  "archive",
  "vhs",
  "media_centre",
  "theatre",
  "memorial",
  "science_centre",
  "other_institution",
] as const;
const STATUSES = ["partner", "member", "absent"] as const;

function percent(share: number | null): string {
  if (share === null) return "–";
  return new Intl.NumberFormat(language() === "de" ? "de-DE" : "en-GB", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(share);
}

function CountsTable({
  caption,
  heading,
  rows,
}: {
  caption: string;
  heading: string;
  rows: { name: string; total: number; covered: number }[];
}) {
  return (
    <TableScroll>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">{t("coverage.schools")}</th>
            <th scope="col">{t("coverage.withPartner")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              <td>{formatNumber(row.total, language())}</td>
              <td>{formatNumber(row.covered, language())}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Filters({
  municipalities,
  schoolForms,
  onChange,
}: {
  municipalities: string[];
  schoolForms: Schema<"SchoolForm">[];
  onChange: (query: string) => void;
}) {
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const query = new URLSearchParams();
    for (const [name, value] of form) if (value) query.set(name, String(value));
    onChange(query.toString());
  };
  const select = (name: string, label: string, options: [string, string][]) => (
    <div>
      <label for={`coverage-${name}`}>{label}</label>
      <select id={`coverage-${name}`} name={name}>
        <option value="">{t("catalogue.any")}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form class="filters" onSubmit={submit}>
      {select(
        "school_form_key",
        t("coverage.schoolForm"),
        schoolForms.map((form) => [form.key, form.name]),
      )}
      {select(
        "institution_kind",
        t("catalogue.kind"),
        INSTITUTION_KINDS.map((kind) => [kind, kindText(kind)]),
      )}
      {select(
        "municipality",
        t("catalogue.municipality"),
        municipalities.map((name) => [name, name]),
      )}
      <button type="submit">{t("catalogue.filter")}</button>
    </form>
  );
}

export function DistrictCoverage({ district }: { district: string }) {
  const [query, setQuery] = useState("");
  const path = `/districts/${encodeURIComponent(district)}/coverage${query ? `?${query}` : ""}`;
  const { data: coverage, error } = useResource<Coverage>(path);
  const { data: tables } = useResource<Schema<"ReferenceTables">>("/registry/tables");
  const [municipalities, setMunicipalities] = useState<string[] | null>(null);
  const tiles = useSettings();
  // The towns of the unfiltered answer stay the choices while a filter narrows the answer.
  useEffect(() => {
    if (coverage && municipalities === null && !query)
      setMunicipalities(coverage.by_municipality.map((m) => m.municipality));
  }, [coverage]);
  const yearGroups = [
    ...new Set(coverage?.offers.subjects.flatMap((s) => s.year_groups.map((y) => y.year_group))),
  ].sort((a, b) => a - b);
  return (
    <section class="card" aria-labelledby="coverage-heading">
      <h2 id="coverage-heading">{t("coverage.title")}</h2>
      <Filters
        municipalities={municipalities ?? []}
        schoolForms={tables?.school_forms ?? []}
        onChange={setQuery}
      />
      <Alert message={error} />
      {coverage && (
        <div aria-live="polite">
          <p class="lead">
            {t("coverage.summary", {
              covered: formatNumber(coverage.schools.covered, language()),
              total: formatNumber(coverage.schools.total, language()),
              share: percent(coverage.schools.share),
              year: coverage.school_year,
            })}
          </p>
          {coverage.schools.total === 0 && <p>{t("coverage.noSchools")}</p>}
          <div class="two-columns">
            <CountsTable
              caption={t("coverage.bySchoolForm")}
              heading={t("coverage.schoolForm")}
              rows={coverage.by_school_form}
            />
            <CountsTable
              caption={t("coverage.byMunicipality")}
              heading={t("catalogue.municipality")}
              rows={coverage.by_municipality.map((m) => ({ ...m, name: m.municipality }))}
            />
          </div>
          <TableScroll>
            <table>
              <caption>{t("coverage.years")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("coverage.schoolYear")}</th>
                  <th scope="col">{t("coverage.schools")}</th>
                  <th scope="col">{t("coverage.withPartner")}</th>
                  <th scope="col">{t("coverage.share")}</th>
                </tr>
              </thead>
              <tbody>
                {coverage.years.map((year) => (
                  <tr key={year.school_year}>
                    <th scope="row">{year.school_year}</th>
                    <td>{formatNumber(year.schools, language())}</td>
                    <td>{formatNumber(year.covered, language())}</td>
                    <td>{percent(year.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <h3>{t("coverage.withoutPartner")}</h3>
          {coverage.institutions_without_partner.length === 0 ? (
            <p>{t("coverage.allHavePartners")}</p>
          ) : (
            <ul>
              {coverage.institutions_without_partner.map((institution) => (
                <li key={institution.id}>
                  <a href={`/organisations/${institution.id}`}>{institution.name}</a> (
                  {kindText(institution.kind)})
                </li>
              ))}
            </ul>
          )}
          <h3>{t("coverage.offers")}</h3>
          <p>{t("coverage.gaps", { gaps: formatNumber(coverage.offers.gaps, language()) })}</p>
          <TableScroll>
            <table class="offers-grid">
              <caption>{t("coverage.offersCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("coverage.subject")}</th>
                  {yearGroups.map((year) => (
                    <th key={year} scope="col">
                      {year}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {coverage.offers.subjects.map((subject) => {
                  const offers = new Map(subject.year_groups.map((y) => [y.year_group, y.offers]));
                  return (
                    <tr key={subject.name}>
                      <th scope="row">{subject.name}</th>
                      {yearGroups.map((year) => {
                        const count = offers.get(year);
                        if (count === undefined) return <td key={year} />;
                        return count === 0 ? (
                          <td key={year} class="gap-cell">
                            <span aria-hidden="true">–</span>
                            <span class="visually-hidden">{t("coverage.gap")}</span>
                          </td>
                        ) : (
                          <td key={year}>{count}</td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <h3 id="coverage-map-heading">{t("coverage.map")}</h3>
          <ul class="coverage-legend" aria-label={t("coverage.legend")}>
            {STATUSES.map((status) => (
              <li key={status}>
                <span class={`coverage-pin coverage-${status}`} aria-hidden="true" />
                {t(`coverage.status.${status}` as MessageKey)}
              </li>
            ))}
            <li>
              <span class="coverage-pin coverage-institution" aria-hidden="true" />
              {t("coverage.institution")}
            </li>
          </ul>
          <CoverageMap
            map={coverage.map}
            tileUrl={tiles?.tile_url ?? ""}
            attribution={tiles?.tile_attribution ?? ""}
            label={t("coverage.map")}
          />
          <details>
            <summary>{t("coverage.schoolList")}</summary>
            <TableScroll>
              <table>
                <caption>{t("coverage.schoolList")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("coverage.school")}</th>
                    <th scope="col">{t("coverage.schoolForm")}</th>
                    <th scope="col">{t("catalogue.municipality")}</th>
                    <th scope="col">{t("coverage.statusHeading")}</th>
                  </tr>
                </thead>
                <tbody>
                  {coverage.map.schools.map((school) => (
                    <tr key={school.schulnummer}>
                      <th scope="row">{school.name}</th>
                      <td>{school.school_form_name}</td>
                      <td>{school.municipality}</td>
                      <td>{t(`coverage.status.${school.status}` as MessageKey)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </details>
        </div>
      )}
    </section>
  );
}
