/** The game's end on the phone: a countdown by the server's clock, and when the time is up, a
 * screen that sends the team to the meeting point and takes no more answers. */
import { useEffect, useState } from "preact/hooks";
import { Page } from "../components";
import { t } from "../i18n";
import { type Bundle, gameEnd, type Progress, sync } from "./game";
import { Score, useSync } from "./sync-status";

/** What is left until `end` at `now`, as a phone shows it: "12 Min." above two minutes,
 * "1:05" below; null once it is over. */
export function timeLeft(end: Date, now: Date): string | null {
  const seconds = Math.ceil((end.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return null;
  if (seconds > 120) return t("play.minutesLeft", { count: Math.ceil(seconds / 60) });
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The game's end for this team, and whether it has come: re-rendered when it does, and
 * every second in the last ten minutes for the countdown. */
export function useGameEnd(bundle: Bundle): { end: Date | null; left: string | null } {
  useSync(); // the teacher may move the end: it comes with a sync
  const end = gameEnd(bundle);
  const [, tick] = useState(0);
  const remaining = end ? end.getTime() - sync.now().getTime() : 0;
  useEffect(() => {
    if (!end || remaining <= 0) return;
    const step = remaining > 600_000 ? 15_000 : 1000;
    const timer = window.setTimeout(() => tick((n) => n + 1), Math.min(step, remaining));
    return () => window.clearTimeout(timer);
  });
  return { end, left: end ? timeLeft(end, sync.now()) : null };
}

export function TimeLeft({ bundle }: { bundle: Bundle }) {
  const { end, left } = useGameEnd(bundle);
  if (!end || !left) return null;
  return (
    <span class="time-left" role="timer" aria-label={t("play.timeLeftLabel")}>
      ⏱ {t("play.timeLeft", { time: left })}
    </span>
  );
}

export function TimeUp({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  return (
    <Page title={t("play.timeUpTitle")}>
      <Score bundle={bundle} progress={progress} />
      <div class="card time-up" role="alert">
        <p class="time-up-text">{t("play.timeUp")}</p>
      </div>
      <a class="button button-large" href="/play/finish">
        {t("play.toResult")}
      </a>
    </Page>
  );
}
