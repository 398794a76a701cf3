import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, fieldTexts } from "../components";
import { type MessageKey, t } from "../i18n";
import { MediaCompetencePicker, problemsUnder, SubjectPicker } from "./competence-tags";
import { MediaList } from "./media-list";
import { ReleaseField } from "./release";
import { TaskEditor } from "./task-editor";
import {
  blankTask,
  type Checkin,
  type Station,
  TASK_TYPES,
  type Task,
  type TaskType,
} from "./types";

const CHECKINS: Checkin[] = ["none", "gps", "qr", "gps_qr"];

/** The same task in the editor, saved or still being written. */
const sameTask = (a: Task, b: Task) => (a.clientKey ?? a.id) === (b.clientKey ?? b.id);

export function StationForm({
  station,
  stations,
  fixedOrder,
  organisationId,
  onSaved,
  onTasksChanged,
  onDeleted,
}: {
  station: Station;
  /** The trail's stations, which a release rule waits for. */
  stations: Station[];
  fixedOrder: boolean;
  organisationId: number;
  onSaved: (station: Station) => void;
  onTasksChanged: (change: (tasks: Task[]) => Task[]) => void;
  onDeleted: () => void;
}) {
  // What the author changed and has not saved, over the station as the server has it: a task
  // saved or the station moved on the map meanwhile keeps these edits.
  const [edits, setEdits] = useState<Partial<Station>>({});
  const draft = { ...station, ...edits };
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  const [newType, setNewType] = useState<TaskType>("single_choice");
  const set = (change: Partial<Station>) => {
    setSaved(false);
    setEdits((current) => ({ ...current, ...change }));
  };

  const save = async (fields: Partial<Station> = draft) => {
    try {
      const {
        title,
        content,
        media,
        lat,
        lon,
        radius_m,
        checkin,
        subjects,
        media_competences,
        release,
      } = { ...draft, ...fields };
      const stored = await api<Station>(`/stations/${station.id}`, {
        method: "PATCH",
        body: {
          title,
          content,
          media,
          lat,
          lon,
          radius_m,
          checkin,
          subjects,
          media_competences,
          release,
        },
      });
      setError(null);
      setErrors({});
      setSaved(true);
      setEdits({});
      onSaved(stored);
    } catch (e) {
      setError(errorMessage(e));
      setErrors(fieldTexts(e));
    }
  };

  const showPreview = async () => {
    try {
      const rendered = await api<Schema<"Markdown">>("/markdown", {
        method: "POST",
        body: { markdown: draft.content },
      });
      setPreview(rendered.html);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const remove = async () => {
    if (!confirm(t("author.confirmDeleteStation", { title: station.title }))) return;
    try {
      await api(`/stations/${station.id}`, { method: "DELETE" });
      onDeleted();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const coordinate = (field: "lat" | "lon") => (
    <label>
      {t(field === "lat" ? "author.lat" : "author.lon")}
      <input
        type="number"
        step="any"
        data-field={field}
        value={draft[field] ?? ""}
        onInput={(e) => {
          const value = (e.target as HTMLInputElement).value;
          set({ [field]: value === "" ? null : Number(value) });
        }}
      />
    </label>
  );

  return (
    <section class="card station-form" aria-labelledby="station-heading">
      <h2 id="station-heading">
        {t("author.station", { number: station.position + 1 })}: {station.title}
      </h2>
      <p class="hint">
        {t("author.code")}: <strong class="code">{station.code}</strong> ·{" "}
        <a href={`/api/v1/stations/${station.id}/qr.png`} download>
          {t("author.qrPng")}
        </a>{" "}
        ·{" "}
        <a href={`/api/v1/stations/${station.id}/qr.svg`} download>
          {t("author.qrSvg")}
        </a>
      </p>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <Alert message={error} />
        <label for="station-title">{t("author.fieldTitle")}</label>
        <input
          id="station-title"
          required
          maxLength={200}
          value={draft.title}
          onInput={(e) => set({ title: (e.target as HTMLInputElement).value })}
        />
        <div class="field-row">
          <label>
            {t("author.checkin")}
            <select
              value={draft.checkin}
              onChange={(e) => set({ checkin: (e.target as HTMLSelectElement).value as Checkin })}
            >
              {CHECKINS.map((c) => (
                <option key={c} value={c}>
                  {t(`author.checkin.${c}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          {coordinate("lat")}
          {coordinate("lon")}
          <label>
            {t("author.radius")}
            <input
              type="number"
              min="10"
              max="500"
              step="5"
              value={draft.radius_m}
              onInput={(e) => set({ radius_m: Number((e.target as HTMLInputElement).value) })}
            />
          </label>
        </div>
        <label for="station-content">{t("author.content")}</label>
        <textarea
          id="station-content"
          data-field="content"
          rows={8}
          maxLength={20000}
          value={draft.content}
          onInput={(e) => set({ content: (e.target as HTMLTextAreaElement).value })}
        />
        <fieldset class="group" aria-describedby="station-tags-hint">
          <legend>{t("author.stationTags")}</legend>
          <p id="station-tags-hint" class="hint">
            {t("author.stationTagsHint")}
          </p>
          <SubjectPicker
            id="station-subjects"
            value={draft.subjects}
            saved={station.subjects}
            errors={problemsUnder(errors, "subjects")}
            onChange={(subjects) => set({ subjects })}
          />
          <MediaCompetencePicker
            id="station-media-competences"
            value={draft.media_competences}
            errors={problemsUnder(errors, "media_competences")}
            onChange={(media_competences) => set({ media_competences })}
          />
        </fieldset>
        <ReleaseField
          rule={draft.release}
          stations={stations}
          index={station.position}
          fixedOrder={fixedOrder}
          errors={errors}
          onChange={(release) => set({ release })}
        />
        <div class="actions">
          <button type="submit" class="button">
            {t("author.saveStation")}
          </button>
          <button type="button" class="button-quiet" onClick={showPreview}>
            {t("author.previewText")}
          </button>
          <button type="button" class="button-danger" onClick={remove}>
            {t("author.deleteStation")}
          </button>
          {saved && <span role="status">{t("author.saved")}</span>}
        </div>
      </form>
      {preview !== null && (
        <section class="text-preview" aria-label={t("author.previewText")}>
          <div dangerouslySetInnerHTML={{ __html: preview }} />
        </section>
      )}
      <MediaList
        station={draft}
        organisationId={organisationId}
        onChange={(media) => {
          set({ media });
          save({ media });
        }}
      />
      <section aria-labelledby={`tasks-${station.id}`}>
        <h3 id={`tasks-${station.id}`}>{t("author.tasks")}</h3>
        {station.tasks.map((task, i) => (
          <TaskEditor
            key={task.clientKey ?? task.id}
            stationId={station.id}
            task={task}
            index={i}
            onSaved={(stored) =>
              onTasksChanged((tasks) => tasks.map((x) => (sameTask(x, task) ? stored : x)))
            }
            onDeleted={() => onTasksChanged((tasks) => tasks.filter((x) => !sameTask(x, task)))}
          />
        ))}
        <div class="field-row">
          <label>
            {t("author.taskType")}
            <select
              value={newType}
              onChange={(e) => setNewType((e.target as HTMLSelectElement).value as TaskType)}
            >
              {TASK_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`task.${type}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="button-quiet"
            onClick={() => onTasksChanged((tasks) => [...tasks, blankTask(newType)])}
          >
            {t("author.addTask")}
          </button>
        </div>
      </section>
    </section>
  );
}
