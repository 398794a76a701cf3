import { useEffect, useState } from "preact/hooks";
import "../staff-forms.css";
import "./author.css";
import "../staff-messages";
import "./messages";
import { ApiError, api, type Schema } from "../api";
import { Alert, errorMessage, Page, RequireLogin, Status } from "../components";
import { useResource, useSettings } from "../hooks";
import { type MessageKey, t } from "../i18n";
import { LazyMap } from "../lazy-map";
import type { Agreement } from "../partnerships/types";
import type { Params } from "../router";
import { statusText } from "./list";
import { Preview } from "./preview";
import {
  focusTarget,
  type Problem,
  type ProblemTarget,
  problemsByPath,
  problemTarget,
  problemText,
} from "./problems";
import { releaseText } from "./release";
import { StationForm } from "./station-form";
import { TrailFields } from "./trail-fields";
import type { Station, Trail } from "./types";

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
    setTrail(
      (current) =>
        current && {
          ...current,
          unpublished_changes: true,
          stations: current.stations.map((s) => (s.id === id ? change(s) : s)),
        },
    );
  // A station's own fields from the server; its tasks stay as the editor has them (saving a
  // station does not touch them, and a task being written is not on the server yet).
  const replaceStation = (updated: Station) =>
    changeStation(updated.id, (s) => ({ ...updated, tasks: s.tasks }));

  const addStation = async () => {
    try {
      const created = await api<Station>(`${base}/stations`, {
        method: "POST",
        body: { title: t("author.newStation", { number: trail.stations.length + 1 }) },
      });
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
      const stored = await api<Station>(`/stations/${target.id}`, {
        method: "PATCH",
        body: { lat: Number(lat.toFixed(7)), lon: Number(lon.toFixed(7)) },
      });
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
      if (e instanceof ApiError && e.code === "not_publishable")
        setProblems(problemsByPath(e.errors));
      else setError(errorMessage(e));
    }
  };

  return (
    <RequireLogin>
      <Page title={trail.title}>
        <p class="hint">
          {trail.organisation.name} · {statusText(trail)} ·{" "}
          <a href="/author">{t("author.backToList")}</a>
        </p>
        {agreements.length > 0 && (
          <p class="hint">
            {t("author.offeredUnder")}{" "}
            {agreements.map((agreement, i) => (
              <span key={agreement.id}>
                {i > 0 && ", "}
                <a href={`/partners/partnerships/${agreement.partnership.id}`}>
                  {agreement.partnership.school.name}
                </a>
              </span>
            ))}
          </p>
        )}
        <Alert message={error} />
        <Status message={status} />
        <div class="actions">
          <button
            type="button"
            class="button-quiet"
            onClick={() => setPreviewing(true)}
            disabled={!trail.stations.length}
          >
            {t("play.preview")}
          </button>
        </div>
        {previewing && (
          <Preview trailId={trail.id} start={selected} onClose={() => setPreviewing(false)} />
        )}
        <TrailFields trail={trail} onSaved={(updated) => setTrail({ ...trail, ...updated })} />
        <div class="editor-grid">
          <nav class="card station-list" aria-labelledby="stations-heading">
            <h2 id="stations-heading">{t("author.stations")}</h2>
            <ol>
              {trail.stations.map((s, i) => (
                // biome-ignore lint/a11y/noNoninteractiveElementInteractions: dragging is a mouse shortcut; the ↑ and ↓ buttons move a station by keyboard
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
                  <button
                    type="button"
                    class="station-button"
                    aria-current={i === selected ? "true" : undefined}
                    onClick={() => setSelected(i)}
                  >
                    <span class="badge">{i + 1}</span> {s.title}
                    <small>
                      {t(`author.checkin.${s.checkin}` as MessageKey)}
                      {(s.checkin === "gps" || s.checkin === "gps_qr") && s.lat === null
                        ? ` · ${t("author.notPlaced")}`
                        : ""}
                    </small>
                    {s.release && (
                      <small class="release-note">
                        <span aria-hidden="true">🔒 </span>
                        <span class="visually-hidden">{t("author.release")}: </span>
                        {releaseText(s.release, trail.stations, i, trail.order === "fixed")}
                      </small>
                    )}
                  </button>
                  <span class="move">
                    <button
                      type="button"
                      class="button-quiet icon"
                      disabled={i === 0}
                      aria-label={`${t("author.moveUp")}: ${s.title}`}
                      onClick={() => reorder(i, i - 1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="button-quiet icon"
                      disabled={i === trail.stations.length - 1}
                      aria-label={`${t("author.moveDown")}: ${s.title}`}
                      onClick={() => reorder(i, i + 1)}
                    >
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
              <LazyMap
                stations={trail.stations}
                selected={selected}
                tileUrl={settings.tile_url}
                attribution={settings.tile_attribution}
                onPlace={place}
                label={t("author.mapLabel")}
              />
            )}
            <p class="hint">{t("author.mapHint")}</p>
            {station ? (
              <StationForm
                key={station.id}
                station={station}
                stations={trail.stations}
                fixedOrder={trail.order === "fixed"}
                organisationId={trail.organisation.id}
                onSaved={replaceStation}
                onTasksChanged={(change) =>
                  changeStation(station.id, (s) => ({ ...s, tasks: change(s.tasks) }))
                }
                onDeleted={() => {
                  setSelected(0);
                  reload();
                }}
              />
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
