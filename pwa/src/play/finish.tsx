import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { Page } from "../components";
import { t } from "../i18n";
import { navigate } from "../router";
import { forget } from "./device-store";
import { type Bundle, fetchRanking, localScore, type Progress, type Ranking } from "./game";
import { Refusals, useSync } from "./sync-status";

const RANKING_POLL_MS = 30_000;

/** The ranking of all teams, shown when the teacher ends the visit; asked for again while it
 * runs or the phone is offline. */
function FinalRanking() {
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [offline, setOffline] = useState(false);
  const [gone, setGone] = useState(false);
  useEffect(() => {
    let timer = 0;
    let stopped = false;
    const ask = async () => {
      try {
        const found = await fetchRanking();
        setOffline(false);
        if (found) return setRanking(found);
      } catch (error) {
        // No network: ask again later. Any other answer (the visit's data deleted): give up.
        if (!(error instanceof ApiError) || error.status !== 0) return setGone(true);
        setOffline(true);
      }
      if (!stopped) timer = window.setTimeout(ask, RANKING_POLL_MS);
    };
    void ask();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  if (gone) return null;
  return (
    <section class="card" aria-labelledby="ranking-heading">
      <h2 id="ranking-heading">{t("play.rankingTitle")}</h2>
      {ranking ? (
        <table class="ranking">
          <thead>
            <tr>
              <th scope="col">{t("play.rank")}</th>
              <th scope="col">{t("play.team")}</th>
              {ranking.show_points && <th scope="col">{t("play.pointsColumn")}</th>}
            </tr>
          </thead>
          <tbody>
            {ranking.teams.map((team) => (
              <tr
                key={team.name}
                class={team.own ? "own" : undefined}
                aria-current={team.own ? "true" : undefined}
              >
                <td>{team.rank}.</td>
                <td>
                  {team.name}
                  {team.own && ` ${t("play.you")}`}
                </td>
                {ranking.show_points && <td>{team.points}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p role="status">{t(offline ? "play.rankingOffline" : "play.rankingLater")}</p>
      )}
    </section>
  );
}

export function Finish({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const { unsent, serverScore } = useSync();
  const points = unsent === 0 && serverScore !== null ? serverScore : localScore(progress);
  const leave = async () => {
    if (unsent && !confirm(t("play.leaveConfirm"))) return;
    await forget();
    navigate("/");
  };
  return (
    <Page title={t("play.finishTitle")}>
      <div class="card card-primary finish">
        {bundle.visit.show_points && <p class="lead">{t("play.finalPoints", { points })}</p>}
        <p role="status">
          {unsent ? t("play.waiting", { count: unsent }) : t("play.allAnswersSent")}
        </p>
      </div>
      <Refusals />
      {bundle.visit.leaderboard && <FinalRanking />}
      <div class="actions">
        <a class="button-quiet" href="/play/trail">
          {t("play.toOverview")}
        </a>
        <button type="button" class="button-danger" onClick={leave}>
          {t("play.leave")}
        </button>
      </div>
    </Page>
  );
}
