import "../staff-messages";
import "./results-messages";
import "./teach.css";
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, Page, RequireLogin, Status, TableScroll } from "../components";
import { formatTime } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import { TaskFiguresTable } from "../pages/figures";
import type { Params } from "../router";
import { SouvenirApproval } from "./souvenirs";

type Results = Schema<"Results">;
type TaskState = Schema<"TaskWork">["state"];
/** An answer to grade: a photo or a text. */
type Answer = Schema<"PhotoAnswer"> | Schema<"TextAnswer">;

// Symbols as well as colours: never colour alone.
const SYMBOL: Record<TaskState, string> = {
  open: "–",
  correct: "✓",
  wrong: "✗",
  review: "⚑",
  answered: "•",
};

/** Accept or reject one answer, with points and a comment; the whole page reloads the scores. */
function GradeForm({
  visitId,
  answer,
  max,
  onSaved,
}: {
  visitId: number;
  answer: Answer;
  max: number;
  onSaved: (message: string) => void;
}) {
  const [accepted, setAccepted] = useState(answer.graded ? answer.correct === true : true);
  const [points, setPoints] = useState(String(answer.graded ? answer.points : max));
  const [comment, setComment] = useState(answer.comment ?? "");
  const [error, setError] = useState<string | null>(null);
  const id = `grade-${answer.event_id}`;
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      await api(`/visits/${visitId}/answers/${answer.event_id}/grade`, {
        method: "PUT",
        body: { accepted, points: accepted ? Number(points) : 0, comment: comment || null },
      });
      setError(null);
      onSaved(t("results.saved", { team: answer.team_name }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form class="grade-form" onSubmit={save} aria-label={answer.team_name}>
      <fieldset>
        <legend class="visually-hidden">{answer.team_name}</legend>
        <label>
          <input
            type="radio"
            name={`${id}-verdict`}
            checked={accepted}
            onChange={() => setAccepted(true)}
          />{" "}
          {t("results.accept")}
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-verdict`}
            checked={!accepted}
            onChange={() => setAccepted(false)}
          />{" "}
          {t("results.reject")}
        </label>
      </fieldset>
      {accepted && (
        <>
          <label for={`${id}-points`}>{t("results.gradePoints", { max })}</label>
          <input
            id={`${id}-points`}
            type="number"
            inputMode="numeric"
            min={0}
            max={max}
            step={1}
            required
            value={points}
            onInput={(e) => setPoints(e.currentTarget.value)}
          />
        </>
      )}
      <label for={`${id}-comment`}>{t("results.comment")}</label>
      <input
        id={`${id}-comment`}
        maxLength={500}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      <button type="submit">{t("results.save")}</button>
      <Alert message={error} />
    </form>
  );
}

function verdict(answer: Answer): string {
  if (answer.graded) return t(answer.correct ? "results.accepted" : "results.rejected");
  if (answer.correct === null) return t("results.waiting");
  return t(answer.correct ? "results.auto.true" : "results.auto.false");
}

function TimelineView({
  visitId,
  teamId,
  onClose,
}: {
  visitId: number;
  teamId: number;
  onClose: () => void;
}) {
  const { data: timeline, error } = useResource<Schema<"Timeline">>(
    `/visits/${visitId}/teams/${teamId}/timeline`,
  );
  return (
    <section class="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" tabIndex={-1} ref={(h) => h?.focus()}>
        {t("results.timeline")}: {timeline?.team.name}
      </h2>
      <Alert message={error} />
      {timeline && (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("results.time")}</th>
                <th scope="col">{t("results.station")}</th>
                <th scope="col">{t("results.what")}</th>
                <th scope="col">{t("results.answer")}</th>
                <th scope="col">{t("results.points")}</th>
              </tr>
            </thead>
            <tbody>
              {timeline.events.map((e) => (
                <tr key={e.event_id}>
                  <td>{formatTime(e.at, language())}</td>
                  <td>{e.station_title}</td>
                  <td>
                    {t(`results.event.${e.type}`)} {e.task_label}
                  </td>
                  <td>
                    {e.photo_url ? (
                      <img
                        src={e.photo_url}
                        alt={t("results.photoOf", {
                          team: timeline.team.name,
                          task: e.task_label ?? "",
                        })}
                        class="timeline-photo"
                      />
                    ) : (
                      e.answer
                    )}
                    {e.correct !== null && e.type === "answer" && (
                      <span class="verdict"> {e.correct ? "✓" : "✗"}</span>
                    )}
                  </td>
                  <td>{e.type === "answer" ? e.points : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <button type="button" class="button-quiet" onClick={onClose}>
        {t("results.close")}
      </button>
    </section>
  );
}

type Photo = Results["photos"][number];

/** The photos to grade, task by task (in the trail's order), of all teams or of one. */
function PhotoGallery({
  visitId,
  results,
  onSaved,
}: {
  visitId: number;
  results: Results;
  onSaved: (message: string) => void;
}) {
  const [teamId, setTeamId] = useState<number | null>(null);
  const shown = results.photos.filter((photo) => teamId === null || photo.team_id === teamId);
  const byTask = results.tasks
    .map((task) => ({ task, photos: shown.filter((photo) => photo.task_id === task.id) }))
    .filter(({ photos }) => photos.length > 0);
  const photographers = results.teams.filter((team) =>
    results.photos.some((photo) => photo.team_id === team.id),
  );
  return (
    <section class="card" aria-labelledby="photos-heading">
      <h2 id="photos-heading">{t("results.toGrade")}</h2>
      {results.photos.length === 0 ? (
        <p>{t("results.noPhotos")}</p>
      ) : (
        <p>
          <label for="photos-team">{t("results.photosOf")} </label>
          <select
            id="photos-team"
            value={teamId ?? ""}
            onChange={(e) =>
              setTeamId(e.currentTarget.value ? Number(e.currentTarget.value) : null)
            }
          >
            <option value="">{t("results.allTeams")}</option>
            {photographers.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </p>
      )}
      {byTask.map(({ task, photos }) => (
        <div key={task.id} class="photo-task">
          <h3>
            {task.label} {task.prompt}{" "}
            <span class="count">({t("results.times", { count: photos.length })})</span>
          </h3>
          <div class="gallery">
            {photos.map((photo: Photo) => (
              <figure key={photo.event_id} class="photo-answer">
                {photo.thumbnail_url && (
                  <a href={photo.url ?? undefined} target="_blank" rel="noopener">
                    <img
                      src={photo.thumbnail_url}
                      alt={t("results.photoOf", { team: photo.team_name, task: task.label })}
                      loading="lazy"
                    />
                  </a>
                )}
                <figcaption>
                  <strong>{photo.team_name}</strong>
                  <br />
                  <span class="verdict">
                    {verdict(photo)}
                    {photo.graded && ` · ${photo.points}/${task.points}`}
                  </span>
                </figcaption>
                <GradeForm visitId={visitId} answer={photo} max={task.points} onSaved={onSaved} />
                {results.visit.souvenirs && (
                  <SouvenirApproval
                    visitId={visitId}
                    eventId={photo.event_id}
                    team={photo.team_name}
                    approved={photo.on_souvenir}
                    onSaved={onSaved}
                  />
                )}
              </figure>
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}

export default function ResultsPage({ params }: { params: Params }) {
  const visitId = Number(params.id);
  const { data: results, error, reload: load } = useResource<Results>(`/visits/${visitId}/results`);
  const [status, setStatus] = useState<string | null>(null);
  const [timelineOf, setTimelineOf] = useState<number | null>(null);
  const saved = (message: string) => {
    setStatus(message);
    load();
  };
  const base = `/api/v1/visits/${visitId}`;
  const lang = language();
  const tasks = new Map(results?.tasks.map((task) => [task.id, task]));
  const visit = results?.visit;
  return (
    <RequireLogin>
      <Page
        title={
          visit
            ? `${t("results.title")}: ${visit.class_label} · ${visit.trail_title}`
            : t("results.title")
        }
      >
        <p class="hint">
          <a href={`/teach/visits/${visitId}`}>
            ← {visit ? `${visit.class_label}: ${visit.trail_title}` : t("teach.back")}
          </a>
        </p>
        <Alert message={error} />
        <Status message={status} />
        {results && visit && (
          <>
            <section class="card" aria-labelledby="exports-heading">
              <h2 id="exports-heading">{t("results.exports")}</h2>
              <div class="actions">
                <a class="button" href={`${base}/results.xlsx?lang=${lang}`} download>
                  {t("results.xlsx")}
                </a>
                <a class="button" href={`${base}/results.csv?lang=${lang}`} download>
                  {t("results.csv")}
                </a>
                <a class="button-quiet" href={`${base}/photos.zip`} download>
                  {t("results.photos")}
                </a>
                <a class="button-quiet" href={`${base}/certificates.pdf?lang=${lang}`} download>
                  {t("results.certificates")}
                </a>
                {visit.souvenirs && (
                  <a class="button-quiet" href={`${base}/parents-letter.pdf?lang=de`} download>
                    {t("souvenirs.letters")}
                  </a>
                )}
              </div>
            </section>

            <section class="card" aria-labelledby="teams-heading">
              <h2 id="teams-heading">
                {visit.leaderboard ? t("results.ranking") : t("results.teams")}
              </h2>
              {results.teams.length === 0 ? (
                <p>{t("results.noTeams")}</p>
              ) : (
                <TableScroll>
                  <table class="ranking">
                    <thead>
                      <tr>
                        {visit.leaderboard && <th scope="col">{t("results.rank")}</th>}
                        <th scope="col">{t("teach.team")}</th>
                        <th scope="col">{t("results.players")}</th>
                        <th scope="col">{t("results.points")}</th>
                        <th scope="col">{t("results.stationsDone")}</th>
                        <th scope="col">
                          <span class="visually-hidden">{t("results.timeline")}</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {results.teams.map((team) => (
                        <tr key={team.id}>
                          {visit.leaderboard && <td>{team.rank}.</td>}
                          <th scope="row">{team.name}</th>
                          <td>{team.players}</td>
                          <td class="team-points">{team.points}</td>
                          <td>
                            {team.stations_done} / {results.stations.length}
                          </td>
                          <td class="actions">
                            <button
                              type="button"
                              class="button-quiet"
                              onClick={() => setTimelineOf(team.id)}
                            >
                              {t("results.timeline")}
                            </button>
                            <a
                              class="button-quiet"
                              href={`${base}/certificates.pdf?lang=${lang}&team_id=${team.id}`}
                              download
                            >
                              {t("results.certificate")}
                            </a>
                            {team.souvenir_url && (
                              <>
                                <a
                                  class="button-quiet"
                                  href={team.souvenir_url}
                                  target="_blank"
                                  rel="noopener"
                                >
                                  {t("souvenirs.page")}
                                  <span class="visually-hidden"> ({team.name})</span>
                                </a>
                                <a
                                  class="button-quiet"
                                  href={`${base}/parents-letter.pdf?lang=de&team_id=${team.id}`}
                                  download
                                >
                                  {t("souvenirs.letter")}
                                  <span class="visually-hidden"> ({team.name})</span>
                                </a>
                              </>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
            </section>
            {timelineOf !== null && (
              <TimelineView
                visitId={visitId}
                teamId={timelineOf}
                onClose={() => setTimelineOf(null)}
              />
            )}

            <PhotoGallery visitId={visitId} results={results} onSaved={saved} />

            <section class="card" aria-labelledby="texts-heading">
              <h2 id="texts-heading">{t("results.texts")}</h2>
              {results.texts.length === 0 && <p>{t("results.noTexts")}</p>}
              {results.texts.map(({ task_id, groups }) => {
                const task = tasks.get(task_id)!;
                return (
                  <div key={task_id} class="text-answers">
                    <h3>
                      {task.label} {task.prompt}
                    </h3>
                    {groups.map((group) => (
                      <details key={group.text}>
                        <summary>
                          „{group.text}“{" "}
                          <span class="count">
                            {t("results.times", { count: group.answers.length })}
                          </span>
                        </summary>
                        <ul>
                          {group.answers.map((answer) => (
                            <li key={answer.event_id}>
                              <strong>{answer.team_name}</strong>: {answer.text} ·{" "}
                              <span class="verdict">{verdict(answer)}</span>
                              <GradeForm
                                visitId={visitId}
                                answer={answer}
                                max={task.points}
                                onSaved={saved}
                              />
                              {visit.souvenirs && (
                                <SouvenirApproval
                                  visitId={visitId}
                                  eventId={answer.event_id}
                                  team={answer.team_name}
                                  approved={answer.on_souvenir}
                                  onSaved={saved}
                                />
                              )}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ))}
                  </div>
                );
              })}
            </section>

            <section class="card" aria-labelledby="matrix-heading">
              <h2 id="matrix-heading">{t("results.matrix")}</h2>
              <p class="hint">{t("results.matrixHint")}</p>
              <TableScroll>
                <table class="matrix">
                  <thead>
                    <tr>
                      <th scope="col">{t("teach.team")}</th>
                      {results.tasks.map((task) => (
                        <th scope="col" key={task.id} title={task.prompt}>
                          {task.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {results.teams.map((team) => (
                      <tr key={team.id}>
                        <th scope="row">{team.name}</th>
                        {team.tasks.map((cell, i) => (
                          <td key={results.tasks[i].id} class={`task-${cell.state}`}>
                            <span aria-hidden="true">{SYMBOL[cell.state]}</span>
                            <span class="visually-hidden">{t(`results.state.${cell.state}`)}</span>{" "}
                            {cell.points}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </section>

            <section class="card" aria-labelledby="tasks-heading">
              <h2 id="tasks-heading">{t("results.tasks")}</h2>
              <TaskFiguresTable tasks={results.tasks} stations={results.stations} />
            </section>
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
