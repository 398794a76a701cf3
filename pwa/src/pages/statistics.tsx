import "../staff-messages";
import "./results-messages";
import "./teach.css";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage, Page, RequireLogin } from "../components";
import { t } from "../i18n";
import type { Params } from "../router";
import { type StationFigures, type TaskFigures, TaskFiguresTable } from "./figures";

interface TrailStatistics {
  version: number;
  visits: number;
  visits_deleted: number;
  teams: number;
  stations: StationFigures[];
  tasks: TaskFigures[];
}

/** An author's view of a trail over all its visits: which tasks are too hard. Counts only. */
export default function StatisticsPage({ params }: { params: Params }) {
  const [figures, setFigures] = useState<TrailStatistics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<TrailStatistics>(`/trails/${params.id}/statistics`).then(setFigures, (e) =>
      setError(errorMessage(e)),
    );
  }, [params.id]);
  return (
    <RequireLogin>
      <Page title={t("results.statistics")}>
        <p class="hint">
          <a href="/author">← {t("author.title")}</a>
        </p>
        <Alert message={error} />
        {figures && (
          <>
            <p>
              {t("results.statisticsIntro", {
                visits: figures.visits,
                teams: figures.teams,
                version: figures.version,
              })}
            </p>
            <TaskFiguresTable tasks={figures.tasks} stations={figures.stations} />
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
