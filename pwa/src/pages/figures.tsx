import "../teach/results-messages";
import type { Schema } from "../api";
import { TableScroll } from "../components";
import { formatNumber } from "../format";
import { language, t } from "../i18n";

export type StationFigures = Schema<"StationFigures">;
export type TaskFigures = Schema<"TaskFigures">;

const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)} %`);
const number = (value: number | null) => (value === null ? "–" : formatNumber(value, language()));

/** Per task: how many answered, how many got it right, attempts, hints, points, time spent.
 * The same table for a teacher's visit and for an author's trail over all visits. */
export function TaskFiguresTable({
  tasks,
  stations,
}: {
  tasks: TaskFigures[];
  stations: StationFigures[];
}) {
  const byId = new Map(stations.map((s) => [s.id, s]));
  return (
    <TableScroll>
      <table class="figures">
        <thead>
          <tr>
            <th scope="col">{t("results.task")}</th>
            <th scope="col">{t("results.station")}</th>
            <th scope="col">{t("results.answered")}</th>
            <th scope="col">{t("results.correctRate")}</th>
            <th scope="col">{t("results.attempts")}</th>
            <th scope="col">{t("results.hintRate")}</th>
            <th scope="col">{t("results.meanPoints")}</th>
            <th scope="col">{t("results.timeAtStation")}</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const station = byId.get(task.station_id);
            const seconds = station?.mean_seconds ?? null;
            return (
              <tr key={task.id}>
                <th scope="row">
                  {task.label} <span class="prompt">{task.prompt}</span>
                </th>
                <td>{station?.title}</td>
                <td>{task.answered}</td>
                <td>{percent(task.correct_rate)}</td>
                <td>{number(task.mean_attempts)}</td>
                <td>{percent(task.hint_rate)}</td>
                <td>
                  {number(task.mean_points)} / {task.points}
                </td>
                <td>
                  {seconds === null
                    ? "–"
                    : t("results.minutes", {
                        minutes: formatNumber(Math.round(seconds / 6) / 10, language()),
                      })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
