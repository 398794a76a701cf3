import "../staff-messages";
import "./results-messages";
import "./teach.css";
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, Page, RequireLogin, TableScroll } from "../components";
import { formatDate, formatTime } from "../format";
import { usePolling, useResource, useSettings } from "../hooks";
import { language, t } from "../i18n";
import { LazyMap } from "../lazy-map";
import type { Params } from "../router";
import { GameEnd } from "./game-end";
import { SouvenirSettings } from "./souvenirs";
import type { VisitInfo } from "./teach";
import { VisitMessages } from "./visit-messages";
import { visitOver, visitState } from "./visit-times";

type LiveBoard = Schema<"LiveBoard">;

// Symbols as well as colours: never colour alone.
const SYMBOL = { locked: "🔒", open: "○", checked_in: "◐", done: "✓", review: "⚑" } as const;

/** Where teams last reported being, in visits that share positions. */
function TeamPositions({ board }: { board: LiveBoard }) {
  const tiles = useSettings();
  const placed = board.teams.filter((team) => team.position);
  if (!placed.length) return null;
  const points = placed.map((team) => ({
    title: `${team.name} (${formatTime(team.position!.at, language())})`,
    lat: team.position!.lat,
    lon: team.position!.lon,
    radius_m: Math.round(team.position!.accuracy ?? 0),
    checkin: "none" as const,
  }));
  return (
    <>
      <h3>{t("teach.positions")}</h3>
      <p class="hint">{t("teach.positionsHint")}</p>
      <LazyMap
        stations={points}
        selected={-1}
        tileUrl={tiles?.tile_url ?? ""}
        attribution={tiles?.tile_attribution ?? ""}
        label={t("teach.positions")}
      />
      <ol>
        {placed.map((team) => (
          <li key={team.id}>
            {team.name}: {formatTime(team.position!.at, language())}
          </li>
        ))}
      </ol>
    </>
  );
}

function Live({ visitId, sharePositions }: { visitId: number; sharePositions: boolean }) {
  // At the server's pace (a setting), with If-None-Match: an unchanged board costs a 304.
  const settings = useSettings();
  const { data: board, updated } = usePolling<LiveBoard>(
    settings && `/visits/${visitId}/live`,
    settings?.live_board_poll_seconds ?? 0,
  );
  if (!board) return null;
  const minutes = (since: string) =>
    Math.max(0, Math.floor((Date.now() - new Date(since).getTime()) / 60000));
  return (
    <section class="card" aria-labelledby="live-heading">
      <h2 id="live-heading">{t("teach.live")}</h2>
      {updated && (
        <p class="hint">
          {t("teach.liveUpdated", { time: formatTime(updated.toISOString(), language()) })}
        </p>
      )}
      {board.teams.length === 0 ? (
        <p>{t("teach.noTeams")}</p>
      ) : (
        <TableScroll>
          <table class="live-board">
            <thead>
              <tr>
                <th scope="col">{t("teach.team")}</th>
                {board.stations.map((s, i) => (
                  <th scope="col" key={s.id} title={s.title}>
                    {i + 1}
                  </th>
                ))}
                <th scope="col">{t("teach.points")}</th>
                <th scope="col">{t("teach.lastSync")}</th>
                <th scope="col">{t("teach.lastMessage")}</th>
              </tr>
            </thead>
            <tbody>
              {board.teams.map((team) => (
                <tr key={team.id} class={team.silent ? "silent" : undefined}>
                  <th scope="row">{team.name}</th>
                  {team.stations.map((state, i) => (
                    <td key={i} class={`state-${state}`}>
                      <span aria-hidden="true">{SYMBOL[state]}</span>{" "}
                      <span class="state-text">{t(`teach.state.${state}`)}</span>
                    </td>
                  ))}
                  <td>{team.points}</td>
                  <td>
                    {team.silent ? (
                      <strong class="warning">
                        ⚠ {t("teach.silent", { minutes: minutes(team.last_seen_at) })}
                      </strong>
                    ) : team.last_sync_at ? (
                      t("teach.syncedAgo", { minutes: minutes(team.last_sync_at) })
                    ) : (
                      t("teach.nothingSent")
                    )}
                  </td>
                  <td>
                    {team.read_last_message === null ? (
                      "–"
                    ) : team.read_last_message ? (
                      <>
                        <span aria-hidden="true">✓</span> {t("teach.messageRead")}
                      </>
                    ) : (
                      <strong class="warning">
                        <span aria-hidden="true">✉</span> {t("teach.messageNotRead")}
                      </strong>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <VisitMessages visitId={visitId} teams={board.teams} updated={updated} />
      {sharePositions && <TeamPositions board={board} />}
    </section>
  );
}

export default function VisitPage({ params }: { params: Params }) {
  const path = `/visits/${params.id}`;
  const { data: visit, error: loadError, setData: setVisit } = useResource<VisitInfo>(path);
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const deleteData = async () => {
    if (!confirm(t("teach.deleteConfirm"))) return;
    try {
      await api(`${path}/data`, { method: "DELETE" });
      setVisit(await api<VisitInfo>(path));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const setClosed = async (closed: boolean) => {
    try {
      setVisit(await api<VisitInfo>(path, { method: "PATCH", body: { closed } }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <RequireLogin>
      <Page title={visit ? `${visit.class_label}: ${visit.trail_title}` : t("app.loading")}>
        <Alert message={error} />
        {visit && (
          <>
            <p class="hint">
              {formatDate(visit.starts_at, language())} {formatTime(visit.starts_at, language())}–
              {formatTime(visit.ends_at, language())} · {t(`teach.${visitState(visit)}`)} ·{" "}
              <a href="/teach">{t("teach.back")}</a>
              {visit.agreement_id && (
                <>
                  {" "}
                  ·{" "}
                  <a href={`/partners/agreements/${visit.agreement_id}/print`}>
                    {t("teach.agreement")}
                  </a>
                </>
              )}
            </p>
            <div class="card card-primary">
              <p>
                {t("teach.code")}: <strong class="code big-code">{visit.join_code}</strong>
              </p>
              <p>
                <a href={visit.join_url}>{visit.join_url}</a>
              </p>
              <div class="actions">
                <a class="button" href={`/teach/visits/${visit.id}/beamer`}>
                  {visit.leaderboard && !visit.summary && visitOver(visit)
                    ? t("teach.rankingOnProjector")
                    : t("teach.projector")}
                </a>
                {!visit.summary && (
                  <a class="button" href={`/teach/visits/${visit.id}/results`}>
                    {t("results.open")}
                  </a>
                )}
                {visit.closed_at ? (
                  // A visit whose data is deleted stays closed.
                  !visit.summary && (
                    <button type="button" class="button-quiet" onClick={() => setClosed(false)}>
                      {t("teach.reopen")}
                    </button>
                  )
                ) : (
                  <button type="button" class="button-danger" onClick={() => setClosed(true)}>
                    {t("teach.close")}
                  </button>
                )}
              </div>
            </div>
            {visit.summary ? (
              <p role="status" class="status">
                {t("teach.deleted", {
                  teams: visit.summary.teams,
                  players: visit.summary.players,
                  completed: visit.summary.completed_teams,
                })}
              </p>
            ) : (
              <>
                {!visitOver(visit) && <GameEnd visit={visit} onChange={setVisit} />}
                <Live visitId={visit.id} sharePositions={visit.share_positions} />
                <SouvenirSettings visit={visit} onChange={setVisit} />
                <button type="button" class="button-danger" onClick={deleteData}>
                  {t("teach.deleteData")}
                </button>
              </>
            )}
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
