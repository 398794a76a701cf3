import { useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage } from "../components";
import { type MessageKey, t } from "../i18n";
import { CoverPicture } from "./cover-picture";
import type { Trail } from "./types";

export function TrailFields({ trail, onSaved }: { trail: Trail; onSaved: (trail: Trail) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const duration = String(form.get("duration_minutes") ?? "");
    try {
      const updated = await api<Trail>(`/trails/${trail.id}`, {
        method: "PATCH",
        body: {
          title: form.get("title"),
          description: form.get("description"),
          subjects: String(form.get("subjects") ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
          grades: form.getAll("grades").map(Number),
          duration_minutes: duration ? Number(duration) : null,
          language: form.get("language"),
          order: form.get("order"),
          visibility: form.get("visibility"),
        },
      });
      setError(null);
      setSaved(true);
      onSaved(updated);
    } catch (e) {
      setSaved(false);
      setError(errorMessage(e));
    }
  };
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
        <label for="trail-subjects">{t("author.subjects")}</label>
        <input id="trail-subjects" name="subjects" value={trail.subjects.join(", ")} />
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
