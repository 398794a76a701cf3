/** The anchoring of a draft's offers in the school's curriculum, as rows: year group, subject,
 * teaching unit, offer, media competences, term. Subjects and competences come from the
 * server's reference tables; the school's Lernweg is made of these rows. */
import type { Schema } from "../api";
import { TableScroll } from "../components";
import { curriculumTables } from "../curriculum";
import { useAsked } from "../hooks";
import { t } from "../i18n";

export type AnchoringRow = Schema<"AnchoringRow">;
type Competence = AnchoringRow["media_competences"][number];
type Offer = { id: number; title: string };

export function emptyRow(): AnchoringRow {
  return {
    year_group: 5,
    subject: "Deutsch",
    teaching_unit: "",
    trail_id: null,
    offer: "",
    media_competences: [],
    term: null,
  };
}

export function AnchoringRows({
  rows,
  offers,
  onChange,
  errorsOf,
}: {
  rows: AnchoringRow[];
  offers: Offer[];
  onChange: (rows: AnchoringRow[]) => void;
  /** The field problems of a path ("content.anchoring.0.subject") in the reader's words. */
  errorsOf: (path: string) => string[];
}) {
  const { data: tables } = useAsked(curriculumTables);
  const change = (index: number, patch: Partial<AnchoringRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const field = (index: number, name: string) => {
    const problems = errorsOf(`content.anchoring.${index}.${name}`);
    return problems.length
      ? {
          "aria-invalid": "true" as const,
          "aria-describedby": `anchoring-${index}-${name}-error`,
        }
      : {};
  };
  const problem = (index: number, name: string) => {
    const problems = errorsOf(`content.anchoring.${index}.${name}`);
    return (
      problems.length > 0 && (
        <p id={`anchoring-${index}-${name}-error`} class="field-error">
          {problems.join(" ")}
        </p>
      )
    );
  };
  return (
    <fieldset class="anchoring">
      <legend>{t("anchoring.title")}</legend>
      <p class="hint">{t("anchoring.hint")}</p>
      {rows.map((row, index) => {
        const id = (name: string) => `anchoring-${index}-${name}`;
        const subjects = (tables?.subjects ?? []).filter((s) =>
          s.year_groups.includes(row.year_group),
        );
        return (
          <fieldset key={index} class="anchoring-row">
            <legend>{t("anchoring.row", { number: index + 1 })}</legend>
            <div class="two-columns">
              <div>
                <label for={id("year_group")}>{t("lernweg.yearGroupHeading")}</label>
                <select
                  id={id("year_group")}
                  value={row.year_group}
                  onChange={(e) =>
                    change(index, { year_group: Number((e.target as HTMLSelectElement).value) })
                  }
                  {...field(index, "year_group")}
                >
                  {(tables?.year_groups ?? [row.year_group]).map((year) => (
                    <option key={year} value={year}>
                      {year}
                    </option>
                  ))}
                </select>
                {problem(index, "year_group")}
              </div>
              <div>
                <label for={id("subject")}>{t("anchoring.subject")}</label>
                <select
                  id={id("subject")}
                  value={row.subject}
                  onChange={(e) =>
                    change(index, {
                      subject: (e.target as HTMLSelectElement).value as AnchoringRow["subject"],
                    })
                  }
                  {...field(index, "subject")}
                >
                  {!subjects.some((s) => s.name === row.subject) && (
                    <option value={row.subject}>{row.subject}</option>
                  )}
                  {subjects.map((subject) => (
                    <option key={subject.name} value={subject.name}>
                      {subject.name}
                    </option>
                  ))}
                </select>
                {problem(index, "subject")}
              </div>
            </div>
            <label for={id("teaching_unit")}>{t("anchoring.teachingUnit")}</label>
            <input
              id={id("teaching_unit")}
              value={row.teaching_unit}
              maxLength={200}
              required
              onInput={(e) =>
                change(index, { teaching_unit: (e.target as HTMLInputElement).value })
              }
              {...field(index, "teaching_unit")}
            />
            {problem(index, "teaching_unit")}
            <div class="two-columns">
              <div>
                <label for={id("trail_id")}>{t("plan.offer")}</label>
                <select
                  id={id("trail_id")}
                  value={row.trail_id ?? ""}
                  onChange={(e) => {
                    const value = (e.target as HTMLSelectElement).value;
                    change(index, { trail_id: value ? Number(value) : null });
                  }}
                  {...field(index, "trail_id")}
                >
                  <option value="">{t("anchoring.otherFormat")}</option>
                  {offers.map((offer) => (
                    <option key={offer.id} value={offer.id}>
                      {offer.title}
                    </option>
                  ))}
                </select>
                {problem(index, "trail_id")}
              </div>
              <div>
                <label for={id("term")}>{t("anchoring.term")}</label>
                <select
                  id={id("term")}
                  value={row.term ?? ""}
                  onChange={(e) => {
                    const value = (e.target as HTMLSelectElement).value;
                    change(index, { term: value ? (Number(value) as 1 | 2) : null });
                  }}
                >
                  <option value="">{t("anchoring.wholeYear")}</option>
                  <option value="1">{t("lernweg.term", { term: 1 })}</option>
                  <option value="2">{t("lernweg.term", { term: 2 })}</option>
                </select>
              </div>
            </div>
            {row.trail_id === null && (
              <>
                <label for={id("offer")}>{t("anchoring.format")}</label>
                <input
                  id={id("offer")}
                  value={row.offer}
                  maxLength={200}
                  onInput={(e) => change(index, { offer: (e.target as HTMLInputElement).value })}
                />
              </>
            )}
            <label for={id("media_competences")}>{t("anchoring.mkr")}</label>
            <select
              id={id("media_competences")}
              multiple
              size={6}
              aria-describedby={`${id("media_competences")}-hint`}
              onChange={(e) =>
                change(index, {
                  media_competences: [...(e.target as HTMLSelectElement).selectedOptions].map(
                    (option) => option.value as Competence,
                  ),
                })
              }
              {...field(index, "media_competences")}
            >
              {(tables?.media_competences ?? []).map((area) => (
                <optgroup key={area.key} label={`${area.key} ${area.name}`}>
                  {area.competences.map((competence) => (
                    <option
                      key={competence.key}
                      value={competence.key}
                      selected={row.media_competences.includes(competence.key as Competence)}
                    >
                      {competence.key} {competence.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <p id={`${id("media_competences")}-hint`} class="hint">
              {t("anchoring.mkrHint")}
            </p>
            {problem(index, "media_competences")}
            <button
              type="button"
              class="button-quiet"
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              {t("anchoring.remove", { number: index + 1 })}
            </button>
          </fieldset>
        );
      })}
      <button type="button" class="button-quiet" onClick={() => onChange([...rows, emptyRow()])}>
        {t("anchoring.add")}
      </button>
    </fieldset>
  );
}

/** Rows as read: each with its learning offer in words (a trail's title or a format). */
export function AnchoringTable({
  caption,
  rows,
  captionHidden = false,
}: {
  caption: string;
  rows: {
    year_group: number;
    subject: string;
    teaching_unit: string;
    offer: string;
    media_competences: string[];
    term: number | null;
  }[];
  captionHidden?: boolean;
}) {
  return (
    <TableScroll>
      <table>
        <caption class={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("lernweg.yearGroupHeading")}</th>
            <th scope="col">{t("anchoring.subject")}</th>
            <th scope="col">{t("anchoring.teachingUnit")}</th>
            <th scope="col">{t("plan.offer")}</th>
            <th scope="col">{t("anchoring.mkrShort")}</th>
            <th scope="col">{t("anchoring.term")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.year_group}-${row.subject}-${row.teaching_unit}`}>
              <td>{row.year_group}</td>
              <td>{row.subject}</td>
              <th scope="row">{row.teaching_unit}</th>
              <td>{row.offer || "–"}</td>
              <td>{row.media_competences.join(", ") || "–"}</td>
              <td>{row.term ? t("lernweg.term", { term: row.term }) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
