import "../staff-messages";
import "./teach.css";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage, Page, RequireLogin } from "../components";
import { formatDate, formatTime } from "../format";
import { language, t } from "../i18n";
import type { Params } from "../router";
import { visitState, type VisitInfo } from "./teach";

export default function VisitPage({ params }: { params: Params }) {
  const [visit, setVisit] = useState<VisitInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/visits/${params.id}`;
  useEffect(() => {
    api<VisitInfo>(path).then(setVisit, (e) => setError(errorMessage(e)));
  }, [path]);
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
              {formatDate(visit.starts_at, language())} {formatTime(visit.starts_at, language())}–{formatTime(visit.ends_at, language())} ·{" "}
              {t(`teach.${visitState(visit)}`)} · <a href="/teach">{t("teach.back")}</a>
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
                  {t("teach.projector")}
                </a>
                {visit.closed_at ? (
                  <button type="button" class="button-quiet" onClick={() => setClosed(false)}>
                    {t("teach.reopen")}
                  </button>
                ) : (
                  <button type="button" class="button-danger" onClick={() => setClosed(true)}>
                    {t("teach.close")}
                  </button>
                )}
              </div>
            </div>
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
