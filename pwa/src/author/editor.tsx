import { useEffect, useRef, useState } from "preact/hooks";
import "../staff-forms.css";
import "./author.css";
import "../staff-messages";
import "./messages";
import { api, ApiError, type Schema } from "../api";
import { Alert, errorMessage, Page, RequireLogin, Status } from "../components";
import { useResource, useSettings } from "../hooks";
import { t, type MessageKey } from "../i18n";
import type { Agreement } from "../partnerships/types";
import type { Params } from "../router";
import { LazyMap } from "../lazy-map";
import { TaskEditor } from "./task-editor";
import { blankTask, TASK_TYPES, type Checkin, type Media as UploadedMedia, type Station, type Task, type TaskType, type Trail } from "./types";
import { focusTarget, problemsByPath, problemTarget, problemText, type Problem, type ProblemTarget } from "./problems";
import { statusText } from "./list";
import { StationView } from "../play/station-view";

const CHECKINS: Checkin[] = ["none", "gps", "qr", "gps_qr"];

/** The same task in the editor, saved or still being written. */
const sameTask = (a: Task, b: Task) => (a.clientKey ?? a.id) === (b.clientKey ?? b.id);

function TrailFields({ trail, onSaved }: { trail: Trail; onSaved: (trail: Trail) => void }) {
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
          subjects: String(form.get("subjects") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
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
        <input id="trail-title" data-field="title" name="title" required maxLength={200} value={trail.title} />
        <label for="trail-description">{t("author.description")}</label>
        <textarea id="trail-description" name="description" rows={3} maxLength={5000} value={trail.description} />
        <label for="trail-subjects">{t("author.subjects")}</label>
        <input id="trail-subjects" name="subjects" value={trail.subjects.join(", ")} />
        <fieldset class="checks">
          <legend>{t("author.grades")}</legend>
          {Array.from({ length: 13 }, (_, i) => i + 1).map((grade) => (
            <label key={grade}>
              <input type="checkbox" name="grades" value={grade} checked={trail.grades.includes(grade)} />
              {grade}
            </label>
          ))}
        </fieldset>
        <div class="field-row">
          <label>
            {t("author.duration")}
            <input name="duration_minutes" type="number" min="5" max="600" value={trail.duration_minutes ?? ""} />
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

function CoverPicture({ trail, onSaved }: { trail: Trail; onSaved: (trail: Trail) => void }) {
  const [error, setError] = useState<string | null>(null);
  const setCover = async (cover_media_id: number | null, cover_alt: string | null) => {
    try {
      onSaved(await api<Trail>(`/trails/${trail.id}`, { method: "PATCH", body: { cover_media_id, cover_alt } }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const upload = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const body = new FormData();
    body.append("file", form.get("file") as File);
    try {
      const media = await api<UploadedMedia>(`/organisations/${trail.organisation.id}/media`, { form: body });
      await setCover(media.id, String(form.get("alt")).trim());
      (event.target as HTMLFormElement).reset();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form class="form" onSubmit={upload}>
      <h3>{t("author.cover")}</h3>
      <Alert message={error} />
      {trail.cover_media_id ? (
        <p>
          {t("author.coverSet", { alt: trail.cover_alt ?? "" })}{" "}
          <button type="button" class="button-quiet" onClick={() => setCover(null, null)}>
            {t("author.remove")}
          </button>
        </p>
      ) : (
        <p class="hint">{t("author.coverNone")}</p>
      )}
      <label for="cover-file">{t("author.mediaFile")}</label>
      <input id="cover-file" name="file" type="file" accept="image/*" required />
      <label for="cover-alt">{t("author.alt")}</label>
      <input id="cover-alt" data-field="cover_alt" name="alt" maxLength={300} required />
      <button type="submit" class="button-quiet">
        {t("author.upload")}
      </button>
    </form>
  );
}

function MediaList({ station, organisationId, onChange }: { station: Station; organisationId: number; onChange: (media: Station["media"]) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (event: Event) => {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const alt = String(form.get("alt") ?? "").trim();
    if (!alt) {
      setError(t("author.altNeeded"));
      return;
    }
    const body = new FormData();
    body.append("file", form.get("file") as File);
    setBusy(true);
    try {
      const media = await api<UploadedMedia>(`/organisations/${organisationId}/media`, { form: body });
      onChange([...station.media, { media_id: media.id, alt }]);
      formElement.reset();
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`media-${station.id}`} data-field="media">
      <h3 id={`media-${station.id}`}>{t("author.media")}</h3>
      {station.media.length > 0 && (
        <ul class="media-list">
          {station.media.map((item, i) => (
            <li key={item.media_id}>
              <span>
                #{item.media_id}: {item.alt}
              </span>
              <button type="button" class="button-quiet icon" aria-label={`${t("author.remove")}: ${item.alt}`} onClick={() => onChange(station.media.filter((_, j) => j !== i))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="form" onSubmit={upload}>
        <Alert message={error} />
        <label for={`file-${station.id}`}>{t("author.mediaFile")}</label>
        <input id={`file-${station.id}`} name="file" type="file" accept="image/*,audio/*" required />
        <label for={`alt-${station.id}`}>{t("author.alt")}</label>
        <input id={`alt-${station.id}`} name="alt" maxLength={300} required />
        <button type="submit" class="button-quiet" disabled={busy}>
          {busy ? t("app.loading") : t("author.upload")}
        </button>
      </form>
    </section>
  );
}

function StationForm({
  station,
  organisationId,
  onSaved,
  onTasksChanged,
  onDeleted,
}: {
  station: Station;
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
  const [saved, setSaved] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  const [newType, setNewType] = useState<TaskType>("single_choice");
  const set = (change: Partial<Station>) => {
    setSaved(false);
    setEdits((current) => ({ ...current, ...change }));
  };

  const save = async (fields: Partial<Station> = draft) => {
    try {
      const { title, content, media, lat, lon, radius_m, checkin } = { ...draft, ...fields };
      const stored = await api<Station>(`/stations/${station.id}`, { method: "PATCH", body: { title, content, media, lat, lon, radius_m, checkin } });
      setError(null);
      setSaved(true);
      setEdits({});
      onSaved(stored);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const showPreview = async () => {
    try {
      const rendered = await api<Schema<"Markdown">>("/markdown", { method: "POST", body: { markdown: draft.content } });
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
      <input type="number" step="any" data-field={field} value={draft[field] ?? ""} onInput={(e) => {
        const value = (e.target as HTMLInputElement).value;
        set({ [field]: value === "" ? null : Number(value) });
      }} />
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
      <form class="form" onSubmit={(e) => { e.preventDefault(); save(); }}>
        <Alert message={error} />
        <label for="station-title">{t("author.fieldTitle")}</label>
        <input id="station-title" required maxLength={200} value={draft.title} onInput={(e) => set({ title: (e.target as HTMLInputElement).value })} />
        <div class="field-row">
          <label>
            {t("author.checkin")}
            <select value={draft.checkin} onChange={(e) => set({ checkin: (e.target as HTMLSelectElement).value as Checkin })}>
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
            <input type="number" min="10" max="500" step="5" value={draft.radius_m} onInput={(e) => set({ radius_m: Number((e.target as HTMLInputElement).value) })} />
          </label>
        </div>
        <label for="station-content">{t("author.content")}</label>
        <textarea id="station-content" data-field="content" rows={8} maxLength={20000} value={draft.content} onInput={(e) => set({ content: (e.target as HTMLTextAreaElement).value })} />
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
      <MediaList station={draft} organisationId={organisationId} onChange={(media) => { set({ media }); save({ media }); }} />
      <section aria-labelledby={`tasks-${station.id}`}>
        <h3 id={`tasks-${station.id}`}>{t("author.tasks")}</h3>
        {station.tasks.map((task, i) => (
          <TaskEditor
            key={task.clientKey ?? task.id}
            stationId={station.id}
            task={task}
            index={i}
            onSaved={(stored) => onTasksChanged((tasks) => tasks.map((x) => (sameTask(x, task) ? stored : x)))}
            onDeleted={() => onTasksChanged((tasks) => tasks.filter((x) => !sameTask(x, task)))}
          />
        ))}
        <div class="field-row">
          <label>
            {t("author.taskType")}
            <select value={newType} onChange={(e) => setNewType((e.target as HTMLSelectElement).value as TaskType)}>
              {TASK_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`task.${type}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="button-quiet" onClick={() => onTasksChanged((tasks) => [...tasks, blankTask(newType)])}>
            {t("author.addTask")}
          </button>
        </div>
      </section>
    </section>
  );
}

/** The draft in a phone-sized frame, played as a student would; nothing is recorded. */
function Preview({ trailId, start, onClose }: { trailId: number; start: number; onClose: () => void }) {
  const { data: bundle, error } = useResource<Schema<"Bundle">>(`/trails/${trailId}/preview`);
  const [index, setIndex] = useState(start);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const stations = bundle?.stations;
  const station = stations?.[index];
  return (
    <dialog ref={dialog} class="preview-dialog" aria-labelledby="preview-title" onClose={onClose}>
      <div class="preview-head">
        <h2 id="preview-title">{t("play.preview")}</h2>
        <button type="button" class="button-quiet" onClick={() => dialog.current?.close()}>
          {t("play.close")}
        </button>
      </div>
      <p class="hint">{t("play.previewNote")}</p>
      <div class="phone-frame">
        <Alert message={error} />
        {stations && station && (
          <>
            <p class="task-count">{t("play.stationOf", { number: index + 1, count: stations.length })}</p>
            <StationView key={station.id} station={station} />
            <div class="actions">
              <button type="button" class="button-quiet" disabled={index === 0} onClick={() => setIndex(index - 1)}>
                {t("play.previous")}
              </button>
              <button type="button" class="button-quiet" disabled={index === stations.length - 1} onClick={() => setIndex(index + 1)}>
                {t("play.next")}
              </button>
            </div>
          </>
        )}
      </div>
    </dialog>
  );
}

export default function TrailEditorPage({ params }: { params: Params }) {
  const base = `/trails/${params.id}`;
  const { data: trail, error: loadError, reload, setData: setTrail } = useResource<Trail>(base);
  const agreements = useResource<Agreement[]>(`${base}/agreements`).data ?? [];
  const settings = useSettings();
  const [selected, setSelected] = useState(0);
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const [status, setStatus] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [previewing, setPreviewing] = useState(false);
  // A problem's field, focused once its station's form is shown.
  const [focusing, setFocusing] = useState<ProblemTarget | null>(null);
  useEffect(() => {
    if (!focusing) return;
    focusTarget(focusing);
    setFocusing(null);
  }, [focusing, selected]);

  if (!trail) {
    return (
      <RequireLogin>
        <Page title={t("author.editor")}>
          <Alert message={error} />
          {!error && <p>{t("app.loading")}</p>}
        </Page>
      </RequireLogin>
    );
  }

  const station = trail.stations[selected] as Station | undefined;
  // Functional updates: answers may arrive after later changes, which they must not undo.
  const changeStation = (id: number, change: (station: Station) => Station) =>
    setTrail((current) => current && { ...current, unpublished_changes: true, stations: current.stations.map((s) => (s.id === id ? change(s) : s)) });
  // A station's own fields from the server; its tasks stay as the editor has them (saving a
  // station does not touch them, and a task being written is not on the server yet).
  const replaceStation = (updated: Station) => changeStation(updated.id, (s) => ({ ...updated, tasks: s.tasks }));

  const addStation = async () => {
    try {
      const created = await api<Station>(`${base}/stations`, { method: "POST", body: { title: t("author.newStation", { number: trail.stations.length + 1 }) } });
      setTrail({ ...trail, stations: [...trail.stations, created] });
      setSelected(trail.stations.length);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const reorder = async (from: number, to: number) => {
    if (to < 0 || to >= trail.stations.length || from === to) return;
    const ids = trail.stations.map((s) => s.id);
    const [moved] = ids.splice(from, 1);
    ids.splice(to, 0, moved);
    try {
      setTrail(await api<Trail>(`${base}/stations`, { method: "PUT", body: { station_ids: ids } }));
      setSelected(to);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const place = async (index: number, lat: number, lon: number) => {
    const target = trail.stations[index];
    if (!target) return;
    try {
      const stored = await api<Station>(`/stations/${target.id}`, { method: "PATCH", body: { lat: Number(lat.toFixed(7)), lon: Number(lon.toFixed(7)) } });
      replaceStation(stored);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const check = async () => {
    try {
      const result = await api<Schema<"PublishCheck">>(`${base}/publish-check`);
      setProblems(result.problems);
      return result.publishable;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  };

  const nextVersion = (trail.latest_version?.number ?? 0) + 1;
  const showProblem = (problem: Problem) => {
    const target = problemTarget(problem);
    if (target.station !== null) setSelected(target.station);
    setFocusing(target);
  };

  const publish = async () => {
    setStatus(null);
    if (!(await check())) return;
    if (!confirm(t("author.confirmPublish", { number: nextVersion }))) return;
    try {
      const version = await api<Schema<"Version">>(`${base}/versions`, { method: "POST" });
      setStatus(t("author.publishedNow", { number: version.number }));
      setProblems(null);
      reload();
    } catch (e) {
      // The draft changed since the check (another tab, a colleague): show what blocks it now.
      if (e instanceof ApiError && e.code === "not_publishable") setProblems(problemsByPath(e.errors));
      else setError(errorMessage(e));
    }
  };

  return (
    <RequireLogin>
      <Page title={trail.title}>
        <p class="hint">
          {trail.organisation.name} · {statusText(trail)} · <a href="/author">{t("author.backToList")}</a>
        </p>
        {agreements.length > 0 && (
          <p class="hint">
            {t("author.offeredUnder")}{" "}
            {agreements.map((agreement, i) => (
              <span key={agreement.id}>
                {i > 0 && ", "}
                <a href={`/partners/partnerships/${agreement.partnership.id}`}>{agreement.partnership.school.name}</a>
              </span>
            ))}
          </p>
        )}
        <Alert message={error} />
        <Status message={status} />
        <div class="actions">
          <button type="button" class="button-quiet" onClick={() => setPreviewing(true)} disabled={!trail.stations.length}>
            {t("play.preview")}
          </button>
        </div>
        {previewing && <Preview trailId={trail.id} start={selected} onClose={() => setPreviewing(false)} />}
        <TrailFields trail={trail} onSaved={(updated) => setTrail({ ...trail, ...updated })} />
        <div class="editor-grid">
          <nav class="card station-list" aria-labelledby="stations-heading">
            <h2 id="stations-heading">{t("author.stations")}</h2>
            <ol>
              {trail.stations.map((s, i) => (
                <li
                  key={s.id}
                  draggable
                  onDragStart={(e) => e.dataTransfer?.setData("text/plain", String(i))}
                  onDragOver={(e) => e.preventDefault()}
                  onDrop={(e) => {
                    e.preventDefault();
                    reorder(Number(e.dataTransfer?.getData("text/plain")), i);
                  }}
                  class={i === selected ? "selected" : undefined}
                >
                  <button type="button" class="station-button" aria-current={i === selected ? "true" : undefined} onClick={() => setSelected(i)}>
                    <span class="badge">{i + 1}</span> {s.title}
                    <small>
                      {t(`author.checkin.${s.checkin}` as MessageKey)}
                      {(s.checkin === "gps" || s.checkin === "gps_qr") && s.lat === null ? ` · ${t("author.notPlaced")}` : ""}
                    </small>
                  </button>
                  <span class="move">
                    <button type="button" class="button-quiet icon" disabled={i === 0} aria-label={`${t("author.moveUp")}: ${s.title}`} onClick={() => reorder(i, i - 1)}>
                      ↑
                    </button>
                    <button type="button" class="button-quiet icon" disabled={i === trail.stations.length - 1} aria-label={`${t("author.moveDown")}: ${s.title}`} onClick={() => reorder(i, i + 1)}>
                      ↓
                    </button>
                  </span>
                </li>
              ))}
            </ol>
            <button type="button" class="button" data-field="stations" onClick={addStation}>
              {t("author.addStation")}
            </button>
          </nav>
          <div class="editor-main">
            {settings && (
              <LazyMap stations={trail.stations} selected={selected} tileUrl={settings.tile_url} attribution={settings.tile_attribution} onPlace={place} label={t("author.mapLabel")} />
            )}
            <p class="hint">{t("author.mapHint")}</p>
            {station ? (
              <StationForm key={station.id} station={station} organisationId={trail.organisation.id} onSaved={replaceStation} onTasksChanged={(change) => changeStation(station.id, (s) => ({ ...s, tasks: change(s.tasks) }))} onDeleted={() => { setSelected(0); reload(); }} />
            ) : (
              <p class="empty">{t("author.noStations")}</p>
            )}
          </div>
        </div>
        <section class="card" aria-labelledby="publish-heading">
          <h2 id="publish-heading">{t("author.publish")}</h2>
          <p>{t("author.publishHint")}</p>
          {problems && problems.length === 0 && (
            <p role="status" class="status">
              {t("author.ready", { number: nextVersion })}
            </p>
          )}
          {problems && problems.length > 0 && (
            <>
              <p role="alert" class="alert">
                {t("author.blocking", { count: problems.length })}
              </p>
              <ul class="problems">
                {problems.map((p) => (
                  <li key={p.path + p.code}>
                    <button type="button" class="link-button" onClick={() => showProblem(p)}>
                      {problemText(p)}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <div class="actions">
            <button type="button" class="button-quiet" onClick={check}>
              {t("author.check")}
            </button>
            <button type="button" class="button" onClick={publish}>
              {t("author.publishNow")}
            </button>
          </div>
          <h3>{t("author.print")}</h3>
          <ul class="link-list">
            <li>
              <a href={`/api/v1${base}/posters.pdf?layout=pages`} download>
                {t("author.postersPages")}
              </a>
            </li>
            <li>
              <a href={`/api/v1${base}/posters.pdf?layout=sheet`} download>
                {t("author.postersSheet")}
              </a>
            </li>
            <li>
              <a href={`/api/v1${base}/export.zip`} download>
                {t("author.export")}
              </a>
            </li>
            <li>
              <a href={`/api/v1${base}/stations.geojson`} download>
                {t("author.exportGeojson")}
              </a>
            </li>
          </ul>
        </section>
      </Page>
    </RequireLogin>
  );
}
