import { useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage, fieldTexts } from "../components";
import { isWebAddress } from "../curriculum";
import { type MessageKey, t } from "../i18n";
import { MediaCompetencePicker, problemsUnder, SubjectPicker } from "./competence-tags";
import { CoverPicture } from "./cover-picture";
import type { Trail } from "./types";

/** What an author sets on a trail, sent as a whole when saved. */
type Fields = Pick<
  Trail,
  | "title"
  | "description"
  | "subjects"
  | "grades"
  | "media_competences"
  | "curriculum_reference"
  | "duration_minutes"
  | "language"
  | "order"
  | "visibility"
>;

const GRADES = Array.from({ length: 13 }, (_, i) => i + 1);

/** The Kernlehrplan reference as the server takes it: none when both parts are empty. */
function reference(given: Fields["curriculum_reference"]): Fields["curriculum_reference"] {
  const text = given?.text.trim() ?? "";
  const url = given?.url?.trim() || null;
  return text || url ? { text, url } : null;
}

export function TrailFields({ trail, onSaved }: { trail: Trail; onSaved: (trail: Trail) => void }) {
  // What the author changed and has not saved, over the trail as the server has it: a failed
  // save or a box ticked keeps everything typed.
  const [edits, setEdits] = useState<Partial<Fields>>({});
  const draft: Fields = { ...trail, ...edits };
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const set = (change: Partial<Fields>) => {
    setSaved(false);
    setEdits((current) => ({ ...current, ...change }));
  };
  const text = (name: "title" | "description") => ({
    value: draft[name],
    onInput: (e: Event) => set({ [name]: (e.target as HTMLInputElement).value }),
  });
  const choice = <K extends "language" | "order" | "visibility">(name: K) => ({
    value: draft[name],
    onChange: (e: Event) => set({ [name]: (e.target as HTMLSelectElement).value as Fields[K] }),
  });
  const setReference = (part: "text" | "url", value: string) =>
    set({
      curriculum_reference: {
        text: draft.curriculum_reference?.text ?? "",
        url: draft.curriculum_reference?.url ?? null,
        [part]: value,
      },
    });

  const save = async (event: Event) => {
    event.preventDefault();
    const curriculum_reference = reference(draft.curriculum_reference);
    if (curriculum_reference?.url && !isWebAddress(curriculum_reference.url)) {
      setSaved(false);
      setError(null);
      setErrors({ "curriculum_reference.url": [t("field.not_a_url")] });
      return;
    }
    const { title, description, subjects, grades, media_competences, duration_minutes } = draft;
    const { language, order, visibility } = draft;
    try {
      const updated = await api<Trail>(`/trails/${trail.id}`, {
        method: "PATCH",
        body: {
          title,
          description,
          subjects,
          grades,
          media_competences,
          curriculum_reference,
          duration_minutes,
          language,
          order,
          visibility,
        },
      });
      setError(null);
      setErrors({});
      setEdits({});
      setSaved(true);
      onSaved(updated);
    } catch (e) {
      setSaved(false);
      setError(errorMessage(e));
      setErrors(fieldTexts(e));
    }
  };
  const problems = (path: string) => problemsUnder(errors, path);
  const field = (path: string) =>
    problems(path).length
      ? { "aria-invalid": "true" as const, "aria-describedby": `trail-error-${path}` }
      : {};
  const fieldError = (path: string) =>
    problems(path).length > 0 && (
      <p id={`trail-error-${path}`} class="field-error">
        {problems(path).join(" ")}
      </p>
    );
  return (
    <details class="card">
      <summary>
        <h2>{t("author.trailDetails")}</h2>
      </summary>
      <form class="form" onSubmit={save}>
        <Alert message={error} />
        <label for="trail-title">{t("author.fieldTitle")}</label>
        <input
          id="trail-title"
          data-field="title"
          required
          maxLength={200}
          {...text("title")}
          {...field("title")}
        />
        {fieldError("title")}
        <label for="trail-description">{t("author.description")}</label>
        <textarea id="trail-description" rows={3} maxLength={5000} {...text("description")} />
        <SubjectPicker
          id="trail-subjects"
          value={draft.subjects}
          saved={trail.subjects}
          errors={problems("subjects")}
          onChange={(subjects) => set({ subjects })}
        />
        <fieldset class="checks">
          <legend>{t("author.grades")}</legend>
          {GRADES.map((grade) => (
            <label key={grade}>
              <input
                type="checkbox"
                checked={draft.grades.includes(grade)}
                onChange={(e) =>
                  set({
                    grades: GRADES.filter((g) =>
                      g === grade
                        ? (e.target as HTMLInputElement).checked
                        : draft.grades.includes(g),
                    ),
                  })
                }
              />
              {grade}
            </label>
          ))}
        </fieldset>
        <MediaCompetencePicker
          id="trail-media-competences"
          value={draft.media_competences}
          errors={problems("media_competences")}
          onChange={(media_competences) => set({ media_competences })}
        />
        <fieldset class="group">
          <legend>{t("author.curriculumReference")}</legend>
          <label for="trail-curriculum-text">{t("author.curriculumText")}</label>
          <textarea
            id="trail-curriculum-text"
            rows={2}
            maxLength={500}
            value={draft.curriculum_reference?.text ?? ""}
            onInput={(e) => setReference("text", (e.target as HTMLTextAreaElement).value)}
            {...field("curriculum_reference.text")}
          />
          {fieldError("curriculum_reference.text")}
          <label for="trail-curriculum-url">{t("author.curriculumUrl")}</label>
          <input
            id="trail-curriculum-url"
            type="url"
            maxLength={500}
            placeholder="https://"
            value={draft.curriculum_reference?.url ?? ""}
            onInput={(e) => setReference("url", (e.target as HTMLInputElement).value)}
            {...field("curriculum_reference.url")}
          />
          {fieldError("curriculum_reference.url")}
        </fieldset>
        <div class="field-row">
          <label>
            {t("author.duration")}
            <input
              type="number"
              min="5"
              max="600"
              value={draft.duration_minutes ?? ""}
              onInput={(e) => {
                const value = (e.target as HTMLInputElement).value;
                set({ duration_minutes: value === "" ? null : Number(value) });
              }}
            />
          </label>
          <label>
            {t("author.language")}
            <select {...choice("language")}>
              <option value="de">Deutsch</option>
              <option value="en">English</option>
            </select>
          </label>
          <label>
            {t("author.order")}
            <select {...choice("order")}>
              {(["fixed", "free", "random"] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`author.order.${o}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("author.visibility")}
            <select {...choice("visibility")}>
              <option value="partners">{t("author.visibility.partners")}</option>
              <option value="public">{t("author.visibility.public")}</option>
            </select>
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="button">
            {t("author.saveTrail")}
          </button>
          {saved && <span role="status">{t("author.saved")}</span>}
        </div>
      </form>
      <CoverPicture trail={trail} onSaved={onSaved} />
    </details>
  );
}
