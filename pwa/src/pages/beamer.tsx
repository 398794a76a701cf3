/** The projector screen: the join code huge, the QR code and the address; nothing else. */
import "../staff-messages";
import "./teach.css";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { errorMessage, RequireLogin } from "../components";
import { t } from "../i18n";
import type { Params } from "../router";
import type { VisitInfo } from "./teach";

export default function BeamerPage({ params }: { params: Params }) {
  const [visit, setVisit] = useState<VisitInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.body.classList.add("beamer-mode");
    api<VisitInfo>(`/visits/${params.id}`).then(setVisit, (e) => setError(errorMessage(e)));
    return () => document.body.classList.remove("beamer-mode");
  }, [params.id]);
  return (
    <RequireLogin>
      <section class="beamer" aria-labelledby="beamer-code">
        {error && <p role="alert" class="alert">{error}</p>}
        {visit && (
          <>
            <p class="beamer-title">{visit.trail_title}</p>
            <h1 id="beamer-code" class="beamer-code" aria-label={`${t("teach.code")}: ${visit.join_code.split("").join(" ")}`}>
              {visit.join_code}
            </h1>
            <img class="beamer-qr" src={`/api/v1/visits/${visit.id}/qr.png`} alt={t("teach.qrAlt")} width="360" height="360" />
            <p class="beamer-url">
              {t("teach.joinAt")} <strong>{visit.join_url.replace(/^https?:\/\//, "")}</strong> {t("teach.orScan")}
            </p>
          </>
        )}
      </section>
    </RequireLogin>
  );
}
