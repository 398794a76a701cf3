/** The projector screen: the join code huge, the QR code and the address; nothing else. Once
 * the visit is over, the ranking, if the teacher chose one. */
import "../staff-messages";
import "./teach.css";
import { useEffect } from "preact/hooks";
import type { Schema } from "../api";
import { RequireLogin } from "../components";
import { useResource } from "../hooks";
import { t } from "../i18n";
import type { Params } from "../router";
import type { VisitInfo } from "./teach";
import { visitOver } from "./visit-times";

const showsRanking = (visit: VisitInfo) =>
  visit.leaderboard && !visit.data_deleted_at && visitOver(visit);

function BeamerRanking({ visit }: { visit: VisitInfo }) {
  const results = useResource<Schema<"Results">>(`/visits/${visit.id}/results`);
  const teams = results.error ? [] : results.data?.teams;
  return (
    <>
      <h1 id="beamer-code" class="beamer-title">
        {t("teach.rankingOf", { trail: visit.trail_title })}
      </h1>
      {teams && (
        <table class="beamer-ranking">
          <thead>
            <tr>
              <th scope="col">{t("teach.rank")}</th>
              <th scope="col">{t("teach.team")}</th>
              {visit.show_points && <th scope="col">{t("teach.points")}</th>}
            </tr>
          </thead>
          <tbody>
            {teams.map((team) => (
              <tr key={team.id}>
                <td>{team.rank}.</td>
                <td>{team.name}</td>
                {visit.show_points && <td>{team.points}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export default function BeamerPage({ params }: { params: Params }) {
  const { data: visit, error } = useResource<VisitInfo>(`/visits/${params.id}`);
  useEffect(() => {
    document.body.classList.add("beamer-mode");
    return () => document.body.classList.remove("beamer-mode");
  }, []);
  return (
    <RequireLogin>
      <section class="beamer" aria-labelledby="beamer-code">
        {error && (
          <p role="alert" class="alert">
            {error}
          </p>
        )}
        {visit && showsRanking(visit) && <BeamerRanking visit={visit} />}
        {visit && !showsRanking(visit) && (
          <>
            <p class="beamer-title">{visit.trail_title}</p>
            <h1
              id="beamer-code"
              class="beamer-code"
              aria-label={`${t("teach.code")}: ${visit.join_code.split("").join(" ")}`}
            >
              {visit.join_code}
            </h1>
            <img
              class="beamer-qr"
              src={`/api/v1/visits/${visit.id}/qr.png`}
              alt={t("teach.qrAlt")}
              width="360"
              height="360"
            />
            <p class="beamer-url">
              {t("teach.joinAt")} <strong>{visit.join_url.replace(/^https?:\/\//, "")}</strong>{" "}
              {t("teach.orScan")}
            </p>
          </>
        )}
      </section>
    </RequireLogin>
  );
}
