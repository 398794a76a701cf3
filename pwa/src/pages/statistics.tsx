import "../staff-messages";
import "../teach/results-messages";
import "../teach/teach.css";
import type { Schema } from "../api";
import { Alert, Page, RequireLogin } from "../components";
import { useResource } from "../hooks";
import { t } from "../i18n";
import type { Params } from "../router";
import { TaskFiguresTable } from "./figures";

/** An author's view of a trail over all its visits: which tasks are too hard. Counts only. */
export default function StatisticsPage({ params }: { params: Params }) {
  const { data: figures, error } = useResource<Schema<"TrailStatistics">>(
    `/trails/${params.id}/statistics`,
  );
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
