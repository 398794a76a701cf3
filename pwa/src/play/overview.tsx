import { useEffect, useState } from "preact/hooks";
import { Page } from "../components";
import { formatTime } from "../format";
import { language, t } from "../i18n";
import { LazyMap } from "../lazy-map";
import {
  type Bundle,
  clientSettings,
  type PlayStation,
  type Progress,
  stationDone,
  stationRelease,
  sync,
} from "./game";
import type { ReleaseState } from "./release";
import { useGps } from "./sensors";
import { Score } from "./sync-status";
import { MessageList } from "./teacher-messages";

/** Now by the server's clock, again every quarter minute while a station waits for a time. */
export function useNow(waiting: boolean): Date {
  const [now, setNow] = useState(() => sync.now());
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => setNow(sync.now()), 15_000);
    return () => window.clearInterval(timer);
  }, [waiting]);
  return waiting ? now : sync.now();
}

/** Why a station is closed, in the team's words: "öffnet nach Station 3 (Der Förderturm)". */
export function lockedText(bundle: Bundle, station: PlayStation, state: ReleaseState): string {
  const named = (id: number) => {
    const index = bundle.stations.findIndex((s) => s.id === id);
    return t("play.stationNamed", {
      number: index + 1,
      title: bundle.stations[index]?.title ?? "",
    });
  };
  if (state.missing && station.release?.after.length === 1)
    return t("play.opensAfter", { station: named(station.release.after[0]) });
  if (state.missing)
    return t("play.opensAfterSome", {
      count: state.missing,
      stations: state.waitingFor.map(named).join(", "),
    });
  return t("play.opensAt", { time: formatTime(state.opensAt!.toISOString(), language()) });
}

function StationMap({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const [tiles, setTiles] = useState<{ tile_url: string; tile_attribution: string } | null>(null);
  const { position } = useGps(true);
  useEffect(() => {
    void clientSettings().then(setTiles);
  }, []);
  if (!tiles) return null;
  const done = bundle.stations
    .map((s, i) => (stationDone(s, progress) ? i : -1))
    .filter((i) => i >= 0);
  return (
    <LazyMap
      stations={bundle.stations}
      selected={-1}
      done={done}
      here={position ? { lat: position.coords.latitude, lon: position.coords.longitude } : null}
      tileUrl={tiles.tile_url}
      attribution={tiles.tile_attribution}
      label={t("play.mapLabel")}
    />
  );
}

export function Overview({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const allDone = bundle.stations.every((s) => stationDone(s, progress));
  const waitsForTime = bundle.stations.some((s) => s.release?.opens_at);
  const now = useNow(waitsForTime);
  const [showMap, setShowMap] = useState(false);
  const located = bundle.stations.some((s) => s.lat !== null);
  const states = bundle.stations.map((station) => ({
    station,
    done: stationDone(station, progress),
    release: stationRelease(bundle, progress, station, now),
  }));
  const doneCount = states.filter((s) => s.done).length;
  const next = states.find((s) => !s.done && s.release.open)?.station;
  return (
    <Page title={bundle.title}>
      {bundle.cover && <img class="trail-cover" src={bundle.cover.url} alt={bundle.cover.alt} />}
      <p class="team-line">
        <strong>{bundle.team.name}</strong> ·{" "}
        {t("play.progress", { done: doneCount, count: bundle.stations.length })}
      </p>
      <progress
        class="trail-progress"
        max={bundle.stations.length}
        value={doneCount}
        aria-label={t("play.progress", { done: doneCount, count: bundle.stations.length })}
      />
      <Score bundle={bundle} progress={progress} />
      <MessageList />
      {allDone ? (
        <div class="celebration" role="status">
          <p class="celebration-text">{t("play.allStationsDone")}</p>
          <a class="button button-large" href="/play/finish">
            {t("play.finish")}
          </a>
        </div>
      ) : (
        next && (
          <div class="next-station">
            <p id="next-station">
              {t("play.nextUp")} <strong>{next.title}</strong>
            </p>
            <a
              class="button button-large"
              href={`/play/station/${next.id}`}
              aria-describedby="next-station"
            >
              {t("play.goNext")}
            </a>
          </div>
        )
      )}
      <div class="tabs">
        <h2>{t("play.stations")}</h2>
        {located && (
          <button
            type="button"
            class="button-quiet"
            aria-pressed={showMap}
            onClick={() => setShowMap(!showMap)}
          >
            {showMap ? t("play.showList") : t("play.showMap")}
          </button>
        )}
      </div>
      {showMap && <StationMap bundle={bundle} progress={progress} />}
      <ol class="station-overview">
        {states.map(({ station, done, release }) => {
          const locked = !done && !release.open;
          const state = done ? t("play.done") : locked ? t("play.locked") : t("play.open");
          return (
            <li key={station.id} class={done ? "done" : locked ? "locked" : "open"}>
              {locked ? (
                <span>
                  <span aria-hidden="true">🔒 </span>
                  {station.title} <small>({state})</small>
                  <br />
                  <small class="lock-reason">{lockedText(bundle, station, release)}</small>
                </span>
              ) : (
                <a href={`/play/station/${station.id}`}>
                  {done ? "✓ " : ""}
                  {station.title} <small>({state})</small>
                </a>
              )}
            </li>
          );
        })}
      </ol>
    </Page>
  );
}
