import { useEffect, useState } from "preact/hooks";
import { Page } from "../components";
import { t } from "../i18n";
import { LazyMap } from "../lazy-map";
import { type Bundle, clientSettings, type Progress, stationDone } from "./game";
import { useGps } from "./sensors";
import { Score } from "./sync-status";
import { MessageList } from "./teacher-messages";

/** In a fixed order, a station opens when the one before it is done. */
function isLocked(bundle: Bundle, progress: Progress, index: number): boolean {
  return (
    bundle.order === "fixed" && index > 0 && !stationDone(bundle.stations[index - 1], progress)
  );
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
  const [showMap, setShowMap] = useState(false);
  const located = bundle.stations.some((s) => s.lat !== null);
  return (
    <Page title={bundle.title}>
      <Score bundle={bundle} progress={progress} />
      <MessageList />
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
        {bundle.stations.map((station, index) => {
          const done = stationDone(station, progress);
          const locked = !done && isLocked(bundle, progress, index);
          const state = done ? t("play.done") : locked ? t("play.locked") : t("play.open");
          return (
            <li key={station.id} class={done ? "done" : locked ? "locked" : "open"}>
              {locked ? (
                <span>
                  {station.title} <small>({state})</small>
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
      {allDone && (
        <a class="button button-large" href="/play/finish">
          {t("play.finish")}
        </a>
      )}
    </Page>
  );
}
