/** The game's end ("Spielende") on the visit's page: set it, move it, end the game now. The
 * phones learn it with their next sync (at most half a minute later) and count down to it. */
import "../staff-forms.css";
import { useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage } from "../components";
import { formatTime } from "../format";
import { language, t } from "../i18n";
import type { VisitInfo } from "./teach";

const MINUTE = 60_000;

function localDate(iso: string): string {
  const day = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** A clock time on the visit's first day, or the next day if that comes before its start. */
function atTime(visit: VisitInfo, time: string): string {
  const moment = new Date(`${localDate(visit.starts_at)}T${time}`);
  if (moment <= new Date(visit.starts_at)) moment.setDate(moment.getDate() + 1);
  return moment.toISOString();
}

export function GameEnd({
  visit,
  onChange,
}: {
  visit: VisitInfo;
  onChange: (v: VisitInfo) => void;
}) {
  const [time, setTime] = useState("");
  const [error, setError] = useState<string | null>(null);
  const set = async (playUntil: string | null) => {
    try {
      onChange(
        await api<VisitInfo>(`/visits/${visit.id}`, {
          method: "PATCH",
          body: { play_until: playUntil },
        }),
      );
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const end = visit.play_until ? new Date(visit.play_until) : null;
  const minutesLeft = end ? Math.ceil((end.getTime() - Date.now()) / MINUTE) : 0;
  const later = (minutes: number) =>
    new Date(Math.max(end?.getTime() ?? 0, Date.now()) + minutes * MINUTE).toISOString();
  return (
    <section class="card" aria-labelledby="game-end-heading">
      <h2 id="game-end-heading">{t("teach.gameEnd")}</h2>
      <Alert message={error} />
      {end ? (
        <p role="status">
          {minutesLeft > 0
            ? t("teach.gameEndsAt", {
                time: formatTime(end.toISOString(), language()),
                count: minutesLeft,
              })
            : t("teach.gameEnded", { time: formatTime(end.toISOString(), language()) })}
        </p>
      ) : (
        <p class="hint">{t("teach.gameEndHint")}</p>
      )}
      <div class="actions">
        <button type="button" class="button-quiet" onClick={() => set(later(10))}>
          {end ? t("teach.gameEndLater") : t("teach.gameEndIn", { count: 10 })}
        </button>
        {end && minutesLeft > 0 && (
          <button type="button" class="button-danger" onClick={() => set(new Date().toISOString())}>
            {t("teach.gameEndNow")}
          </button>
        )}
        {end && (
          <button type="button" class="button-quiet" onClick={() => set(null)}>
            {t("teach.gameEndNone")}
          </button>
        )}
      </div>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (time) void set(atTime(visit, time));
        }}
      >
        <label for="game-end-time">{t("teach.gameEndTime")}</label>
        <input
          id="game-end-time"
          type="time"
          required
          value={time}
          onInput={(e) => setTime((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="button">
          {t("teach.gameEndSet")}
        </button>
      </form>
    </section>
  );
}
