import { useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage, fieldTexts } from "../components";
import { type MessageKey, t } from "../i18n";
import { MediaCompetencePicker, problemsUnder, SubjectPicker } from "./competence-tags";
import { CoverPicture } from "./cover-picture";
import type { Trail } from "./types";

export function TrailFields({ trail, onSaved }: { trail: Trail; onSaved: (trail: Trail) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const [subjects, setSubjects] = useState(trail.subjects);
  const [competences, setCompetences] = useState(trail.media_competences);
  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const duration = String(form.get("duration_minutes") ?? "");
    const reference = {
      text: String(form.get("curriculum_text") ?? "").trim(),
      url: String(form.get("curriculum_url") ?? "").trim() || null,
    };
    try {
      const updated = await api<Trail>(`/trails/${trail.id}`, {
        method: "PATCH",
        body: {
          title: form.get("title"),
          description: form.get("description"),
          subjects,
          grades: form.getAll("grades").map(Number),
          media_competences: competences,
          curriculum_reference: reference.text || reference.url ? reference : null,
          duration_minutes: duration ? Number(duration) : null,
          language: form.get("language"),
          order: form.get("order"),
          visibility: form.get("visibility"),
        },
      });
      setError(null);
      setErrors({});
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
  const reference = trail.curriculum_reference;
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
          name="title"
          required
          maxLength={200}
          value={trail.title}
        />
        <label for="trail-description">{t("author.description")}</label>
        <textarea
          id="trail-description"
          name="description"
          rows={3}
          maxLength={5000}
          value={trail.description}
        />
        <SubjectPicker
          id="trail-subjects"
          value={subjects}
          saved={trail.subjects}
          errors={problems("subjects")}
          onChange={(chosen) => {
            setSaved(false);
            setSubjects(chosen);
          }}
        />
        <fieldset class="checks">
          <legend>{t("author.grades")}</legend>
          {Array.from({ length: 13 }, (_, i) => i + 1).map((grade) => (
            <label key={grade}>
              <input
                type="checkbox"
                name="grades"
                value={grade}
                checked={trail.grades.includes(grade)}
              />
              {grade}
            </label>
          ))}
        </fieldset>
        <MediaCompetencePicker
          id="trail-media-competences"
          value={competences}
          errors={problems("media_competences")}
          onChange={(chosen) => {
            setSaved(false);
            setCompetences(chosen);
          }}
        />
        <fieldset class="group">
          <legend>{t("author.curriculumReference")}</legend>
          <label for="trail-curriculum-text">{t("author.curriculumText")}</label>
          <textarea
            id="trail-curriculum-text"
            name="curriculum_text"
            rows={2}
            maxLength={500}
            value={reference?.text ?? ""}
            {...field("curriculum_reference.text")}
          />
          {fieldError("curriculum_reference.text")}
          <label for="trail-curriculum-url">{t("author.curriculumUrl")}</label>
          <input
            id="trail-curriculum-url"
            name="curriculum_url"
            type="url"
            maxLength={500}
            placeholder="https://"
            value={reference?.url ?? ""}
            {...field("curriculum_reference.url")}
          />
          {fieldError("curriculum_reference.url")}
        </fieldset>
        <div class="field-row">
          <label>
            {t("author.duration")}
            <input
              name="duration_minutes"
              type="number"
              min="5"
              max="600"
              value={trail.duration_minutes ?? ""}
            />
          </label>
          <label>
            {t("author.language")}
            <select name="language" value={trail.language}>
              <option value="de">Deutsch</option>
              <option value="en">English</option>
            </select>
          </label>
          <label>
            {t("author.order")}
            <select name="order" value={trail.order}>
              {(["fixed", "free", "random"] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`author.order.${o}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("author.visibility")}
            <select name="visibility" value={trail.visibility}>
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
