/** Competence tags of a trail or a station: subjects from NRW's table and competences of the
 * Medienkompetenzrahmen, each picked by checkboxes in a part that opens on demand and tells
 * how many are chosen; and the tags as a trail's line in the list. */
import {
  type CurriculumTables,
  curriculumTables,
  type MediaCompetenceKey,
  yearGroupRanges,
} from "../curriculum";
import { useAsked } from "../hooks";
import { t } from "../i18n";

/** The field problems under a path ("subjects", "subjects.0") in the reader's words. */
export function problemsUnder(errors: Record<string, string[]>, path: string): string[] {
  return Object.entries(errors)
    .filter(([at]) => at === path || at.startsWith(`${path}.`))
    .flatMap(([, texts]) => texts);
}

export function FieldProblems({ id, problems }: { id: string; problems: string[] }) {
  return problems.length ? (
    <p id={id} class="field-error">
      {problems.join(" ")}
    </p>
  ) : null;
}

function Chosen({ count }: { count: number }) {
  return <span class="chosen">{t("author.chosen", { count })}</span>;
}

function Check({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: string;
}) {
  return (
    <label>
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange((e.target as HTMLInputElement).checked)}
      />
      {children}
    </label>
  );
}

/** While the tables load or when they cannot: say so; what is chosen stays as it is. */
function TablesState({ error }: { error: string | null }) {
  return <p class={error ? "field-error" : "hint"}>{error ?? t("app.loading")}</p>;
}

/** NRW's subjects, as checkboxes. A subject of the trail's (or station's) that the table does not
 * know, written freely before there was a table, stays shown and can be unticked; it goes once
 * that is saved. */
export function SubjectPicker({
  id,
  value,
  saved,
  errors,
  onChange,
}: {
  id: string;
  value: string[];
  /** The subjects as the server has them. */
  saved: string[];
  errors: string[];
  onChange: (subjects: string[]) => void;
}) {
  const { data: tables, error } = useAsked(curriculumTables);
  const known = (tables?.subjects ?? []).map((s) => s.name);
  const free = tables ? [...new Set([...saved, ...value])].filter((s) => !known.includes(s)) : [];
  const toggle = (name: string, on: boolean) => {
    const chosen = new Set(value);
    if (on) chosen.add(name);
    else chosen.delete(name);
    onChange([...free, ...known].filter((s) => chosen.has(s)));
  };
  return (
    <details class="tag-picker">
      <summary>
        {t("author.subjects")} <Chosen count={value.length} />
      </summary>
      <fieldset
        class="checks"
        aria-invalid={errors.length ? "true" : undefined}
        aria-describedby={errors.length ? `${id}-error` : undefined}
      >
        <legend class="visually-hidden">{t("author.subjects")}</legend>
        {tables === null ? (
          <TablesState error={error} />
        ) : (
          <>
            {free.map((name) => (
              <Check key={name} checked={value.includes(name)} onChange={(on) => toggle(name, on)}>
                {t("author.freeSubject", { name })}
              </Check>
            ))}
            {known.map((name) => (
              <Check key={name} checked={value.includes(name)} onChange={(on) => toggle(name, on)}>
                {name}
              </Check>
            ))}
          </>
        )}
      </fieldset>
      <FieldProblems id={`${id}-error`} problems={errors} />
    </details>
  );
}

/** The Medienkompetenzrahmen NRW: one group per area, a checkbox per competence ("2.1 …"). */
export function MediaCompetencePicker({
  id,
  value,
  errors,
  onChange,
}: {
  id: string;
  value: MediaCompetenceKey[];
  errors: string[];
  onChange: (keys: MediaCompetenceKey[]) => void;
}) {
  const { data: tables, error } = useAsked(curriculumTables);
  const keys = (tables?.media_competences ?? []).flatMap((area) =>
    area.competences.map((c) => c.key as MediaCompetenceKey),
  );
  const toggle = (key: MediaCompetenceKey, on: boolean) => {
    const chosen = new Set(value);
    if (on) chosen.add(key);
    else chosen.delete(key);
    onChange(keys.filter((k) => chosen.has(k)));
  };
  return (
    <details class="tag-picker">
      <summary>
        {t("author.mediaCompetences")} <Chosen count={value.length} />
      </summary>
      {tables === null ? (
        <TablesState error={error} />
      ) : (
        tables.media_competences.map((area) => (
          <fieldset
            key={area.key}
            class="checks"
            aria-invalid={errors.length ? "true" : undefined}
            aria-describedby={errors.length ? `${id}-error` : undefined}
          >
            <legend>{area.name}</legend>
            {area.competences.map((c) => {
              const key = c.key as MediaCompetenceKey;
              return (
                <Check key={key} checked={value.includes(key)} onChange={(on) => toggle(key, on)}>
                  {`${c.key} ${c.name}`}
                </Check>
              );
            })}
          </fieldset>
        ))
      )}
      <FieldProblems id={`${id}-error`} problems={errors} />
    </details>
  );
}

function competenceName(tables: CurriculumTables | null, key: string): string | undefined {
  return tables?.media_competences.flatMap((area) => area.competences).find((c) => c.key === key)
    ?.name;
}

/** A trail's tags in a line: its subjects, its year groups, its media competences' keys (each
 * with its name for the mouse and for screen readers). */
export function TagLine({
  subjects,
  grades,
  mediaCompetences,
}: {
  subjects: string[];
  grades: number[];
  mediaCompetences: string[];
}) {
  const { data: tables } = useAsked(curriculumTables);
  if (!subjects.length && !grades.length && !mediaCompetences.length) return null;
  return (
    <ul class="tag-line">
      {subjects.length > 0 && <li>{subjects.join(", ")}</li>}
      {grades.length > 0 && (
        <li>
          {t(grades.length === 1 ? "author.yearGroup" : "author.yearGroups", {
            range: yearGroupRanges(grades),
          })}
        </li>
      )}
      {mediaCompetences.map((key) => {
        const name = competenceName(tables, key);
        const full = t("author.mediaCompetence", { key, name: name ?? "" }).trim();
        return (
          <li key={key} class="tag-mkr" title={full}>
            <span aria-hidden="true">{key}</span>
            <span class="visually-hidden">{full}</span>
          </li>
        );
      })}
    </ul>
  );
}
