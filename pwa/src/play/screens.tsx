/** The game: overview, on the way and at a station, the finish. Loaded after joining. */
import { useEffect, useState } from "preact/hooks";
import "./play.css";
import { ApiError } from "../api";
import { Page } from "../components";
import { t } from "../i18n";
import { matchPath, navigate, useLocation } from "../router";
import { inReach, metresBetween, type Answer, type TaskSpec } from "./check";
import {
  clientSettings,
  codeHash, fetchRanking, loadBundle, loadProgress, localScore, photoAnswer, recordAnswer, recordCheckin, recordHint, stationDone, sync,
  type Bundle, type PlayStation, type Progress, type Ranking, type Refusal,
} from "./game";
import { LazyMap } from "../lazy-map";
import { refusalText } from "./messages";
import { StationView, type TaskResult } from "./station-view";
import { forget } from "./device-store";
import { loadSession } from "./team-session";

function useSync(): { unsent: number; serverScore: number | null; refusals: Refusal[] } {
  const [, rerender] = useState(0);
  useEffect(() => {
    const update = () => rerender((n) => n + 1);
    const unsubscribe = sync.subscribe(update);
    update(); // a sync may have answered between the first render and this subscription
    return unsubscribe;
  }, []);
  return { unsent: sync.unsent, serverScore: sync.serverScore, refusals: sync.refusals };
}

const REFUSED_KINDS = { checkin: "play.refusedCheckin", answer: "play.refusedAnswer", hint: "play.refusedHint" } as const;

/** What the server refused for good and the phone dropped: shown until the team has read it. */
function Refusals() {
  const { refusals } = useSync();
  if (!refusals.length) return null;
  return (
    <div class="alert refusals" role="alert">
      <strong>{t("play.refusedTitle")}</strong>
      <ul>
        {refusals.map((r) => (
          <li key={`${r.type}-${r.code}`}>{t("play.refusedCount", { what: t(REFUSED_KINDS[r.type]), count: r.count, why: t(refusalText(r.code)) })}</li>
        ))}
      </ul>
      <button type="button" class="button-quiet" onClick={() => void sync.dismissRefusals()}>
        {t("play.refusedOk")}
      </button>
    </div>
  );
}

/** In a fixed order, a station opens when the one before it is done. */
function isLocked(bundle: Bundle, progress: Progress, index: number): boolean {
  return bundle.order === "fixed" && index > 0 && !stationDone(bundle.stations[index - 1], progress);
}

function Score({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const { unsent, serverScore } = useSync();
  const points = unsent === 0 && serverScore !== null ? serverScore : localScore(progress);
  return (
    <>
      <p class="score-bar">
        {bundle.visit.show_points && <strong>{t("play.points", { points })}</strong>}
        {bundle.visit.share_positions && <small class="shared-position">{t("play.positionShared")}</small>}
        <span class={unsent ? "badge-unsent" : "badge-sent"} role="status">
          {unsent ? t("play.unsent", { count: unsent }) : t("play.allSent")}
        </span>
      </p>
      <Refusals />
    </>
  );
}

function StationMap({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const [tiles, setTiles] = useState<{ tile_url: string; tile_attribution: string } | null>(null);
  const { position } = useGps(true);
  useEffect(() => {
    void clientSettings().then(setTiles);
  }, []);
  if (!tiles) return null;
  const done = bundle.stations.map((s, i) => (stationDone(s, progress) ? i : -1)).filter((i) => i >= 0);
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

function Overview({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const allDone = bundle.stations.every((s) => stationDone(s, progress));
  const [showMap, setShowMap] = useState(false);
  const located = bundle.stations.some((s) => s.lat !== null);
  return (
    <Page title={bundle.title}>
      <Score bundle={bundle} progress={progress} />
      <div class="tabs">
        <h2>{t("play.stations")}</h2>
        {located && (
          <button type="button" class="button-quiet" aria-pressed={showMap} onClick={() => setShowMap(!showMap)}>
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

/** Distance and direction from the phone's GPS; a code-2 error is a hiccup, not the end. */
function useGps(enabled: boolean) {
  const [position, setPosition] = useState<GeolocationPosition | null>(null);
  const [denied, setDenied] = useState(false);
  useEffect(() => {
    if (!enabled || !("geolocation" in navigator)) return;
    const id = navigator.geolocation.watchPosition((next) => {
      setPosition(next);
      sync.notePosition(next.coords);
    }, (error) => {
      if (error.code === error.PERMISSION_DENIED) setDenied(true);
    }, { enableHighAccuracy: true, maximumAge: 5000 });
    return () => navigator.geolocation.clearWatch(id);
  }, [enabled]);
  return { position, denied };
}

/** Where the phone points (degrees from north), where it has a compass; else null. */
function useHeading(): number | null {
  const [heading, setHeading] = useState<number | null>(null);
  useEffect(() => {
    const update = (event: DeviceOrientationEvent & { webkitCompassHeading?: number }) => {
      if (typeof event.webkitCompassHeading === "number") setHeading(event.webkitCompassHeading);
      else if (event.absolute && event.alpha !== null) setHeading(360 - event.alpha);
    };
    const name = "ondeviceorientationabsolute" in window ? "deviceorientationabsolute" : "deviceorientation";
    window.addEventListener(name, update as EventListener);
    return () => window.removeEventListener(name, update as EventListener);
  }, []);
  return heading;
}

function bearing(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const y = Math.sin((lon2 - lon1) * rad) * Math.cos(lat2 * rad);
  const x = Math.cos(lat1 * rad) * Math.sin(lat2 * rad) - Math.sin(lat1 * rad) * Math.cos(lat2 * rad) * Math.cos((lon2 - lon1) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

function Checkin({ bundle, station, onCheckedIn }: { bundle: Bundle; station: PlayStation; onCheckedIn: (how: { code?: string; position?: { lat: number; lon: number; accuracy: number | null } }) => void }) {
  const gpsStation = (station.checkin === "gps" || station.checkin === "gps_qr") && station.lat !== null;
  const { position, denied } = useGps(gpsStation);
  const heading = useHeading();
  const [error, setError] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const [ScannerView, setScannerView] = useState<null | ((p: { onCode: (code: string) => void; onClose: () => void }) => preact.JSX.Element)>(null);
  const distance = position && gpsStation ? metresBetween(position.coords.latitude, position.coords.longitude, station.lat!, station.lon!) : null;

  useEffect(() => {
    if (distance === null || !position) return;
    if (inReach(distance, station.radius_m, position.coords.accuracy)) {
      onCheckedIn({ position: { lat: position.coords.latitude, lon: position.coords.longitude, accuracy: position.coords.accuracy ?? null } });
    }
  }, [distance]);

  const tryCode = async (code: string) => {
    const hash = await codeHash(code);
    if (hash === station.code_sha256) {
      onCheckedIn({ code });
      return;
    }
    const other = bundle.stations.find((s) => s.code_sha256 === hash);
    setError(other ? t("play.otherStation", { title: other.title }) : t("play.wrongCode"));
  };

  const submit = (event: Event) => {
    event.preventDefault();
    void tryCode(String(new FormData(event.target as HTMLFormElement).get("code")));
  };

  const openScanner = async () => {
    const module = await import("./scanner");
    setScannerView(() => module.default);
    setScanning(true);
  };

  return (
    <section class="card checkin" aria-labelledby="checkin-heading">
      <h2 id="checkin-heading">{t("play.checkinTitle")}</h2>
      {gpsStation && (
        <div class="compass">
          {distance !== null && position ? (
            <>
              <span
                class="arrow"
                aria-label={t("play.arrow")}
                role="img"
                style={{ transform: `rotate(${bearing(position.coords.latitude, position.coords.longitude, station.lat!, station.lon!) - (heading ?? 0) - 90}deg)` }}
              >
                ➤
              </span>
              <strong>{t("play.distance", { metres: Math.max(0, Math.round(distance - station.radius_m)) })}</strong>
            </>
          ) : (
            <p>{denied ? t("play.gpsDenied") : t("play.gpsWaiting")}</p>
          )}
        </div>
      )}
      {scanning && ScannerView ? (
        <ScannerView
          onCode={(code) => {
            setScanning(false);
            void tryCode(code);
          }}
          onClose={() => setScanning(false)}
        />
      ) : (
        <button type="button" class="button button-large" onClick={openScanner}>
          {t("play.scan")}
        </button>
      )}
      <p>{t("play.scanHint")}</p>
      <form class="form" onSubmit={submit}>
        <p role="alert" class={error ? "alert" : "visually-hidden"}>
          {error ?? ""}
        </p>
        <label for="station-code">{t("play.codeLabel")}</label>
        <input id="station-code" name="code" class="code-input" required autocomplete="off" autocapitalize="characters" spellcheck={false} maxLength={20} />
        <button type="submit" class="button button-large">
          {t("play.checkin")}
        </button>
      </form>
    </section>
  );
}

function StationScreen({ bundle, progress, station, setProgress }: { bundle: Bundle; progress: Progress; station: PlayStation; setProgress: (p: Progress) => void }) {
  const checkedIn = station.checkin === "none" || progress.checkedIn.includes(station.id);
  const index = bundle.stations.indexOf(station);
  // Where nothing is to check, being here is the check-in: the teacher sees the team was here.
  useEffect(() => {
    if (station.checkin === "none" && !progress.checkedIn.includes(station.id)) {
      void recordCheckin(progress, station, {}).then(setProgress);
    }
  }, [station.id]);
  const next = bundle.stations[index + 1];
  return (
    <Page title={station.title}>
      <Score bundle={bundle} progress={progress} />
      {!checkedIn ? (
        <Checkin bundle={bundle} station={station} onCheckedIn={async (how) => setProgress(await recordCheckin(progress, station, how))} />
      ) : (
        <StationView
          station={station}
          previous={progress.tasks}
          upload={photoAnswer}
          onHint={(task: TaskSpec) => void recordHint(station, task)}
          onResult={async (result: TaskResult) => setProgress(await recordAnswer(await loadProgress(), station, result, result.answer as Answer))}
        />
      )}
      <div class="actions">
        <a class="button-quiet" href="/play/trail">
          {t("play.toOverview")}
        </a>
        {checkedIn && next && stationDone(station, progress) && (
          <a class="button" href={`/play/station/${next.id}`}>
            {t("play.next")}
          </a>
        )}
      </div>
    </Page>
  );
}

const RANKING_POLL_MS = 30_000;

/** The ranking of all teams, shown when the teacher ends the visit; asked for again while it
 * runs or the phone is offline. */
function FinalRanking() {
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [offline, setOffline] = useState(false);
  const [gone, setGone] = useState(false);
  useEffect(() => {
    let timer = 0;
    let stopped = false;
    const ask = async () => {
      try {
        const found = await fetchRanking();
        setOffline(false);
        if (found) return setRanking(found);
      } catch (error) {
        // No network: ask again later. Any other answer (the visit's data deleted): give up.
        if (!(error instanceof ApiError) || error.status !== 0) return setGone(true);
        setOffline(true);
      }
      if (!stopped) timer = window.setTimeout(ask, RANKING_POLL_MS);
    };
    void ask();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  if (gone) return null;
  return (
    <section class="card" aria-labelledby="ranking-heading">
      <h2 id="ranking-heading">{t("play.rankingTitle")}</h2>
      {ranking ? (
        <table class="ranking">
          <thead>
            <tr>
              <th scope="col">{t("play.rank")}</th>
              <th scope="col">{t("play.team")}</th>
              {ranking.show_points && <th scope="col">{t("play.pointsColumn")}</th>}
            </tr>
          </thead>
          <tbody>
            {ranking.teams.map((team) => (
              <tr key={team.name} class={team.own ? "own" : undefined} aria-current={team.own ? "true" : undefined}>
                <td>{team.rank}.</td>
                <td>
                  {team.name}
                  {team.own && ` ${t("play.you")}`}
                </td>
                {ranking.show_points && <td>{team.points}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p role="status">{t(offline ? "play.rankingOffline" : "play.rankingLater")}</p>
      )}
    </section>
  );
}

function Finish({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const { unsent, serverScore } = useSync();
  const points = unsent === 0 && serverScore !== null ? serverScore : localScore(progress);
  const leave = async () => {
    if (unsent && !confirm(t("play.leaveConfirm"))) return;
    await forget();
    navigate("/");
  };
  return (
    <Page title={t("play.finishTitle")}>
      <div class="card card-primary finish">
        {bundle.visit.show_points && <p class="lead">{t("play.finalPoints", { points })}</p>}
        <p role="status">{unsent ? t("play.waiting", { count: unsent }) : t("play.allAnswersSent")}</p>
      </div>
      <Refusals />
      {bundle.visit.leaderboard && <FinalRanking />}
      <div class="actions">
        <a class="button-quiet" href="/play/trail">
          {t("play.toOverview")}
        </a>
        <button type="button" class="button-danger" onClick={leave}>
          {t("play.leave")}
        </button>
      </div>
    </Page>
  );
}

/** /q/CODE from a phone's camera app: check in at that station and open it. */
function QrCheckin({ bundle, progress, code, setProgress }: { bundle: Bundle; progress: Progress; code: string; setProgress: (p: Progress) => void }) {
  useEffect(() => {
    void (async () => {
      const hash = await codeHash(code);
      const station = bundle.stations.find((s) => s.code_sha256 === hash);
      if (!station) return navigate("/play/trail", true);
      setProgress(await recordCheckin(progress, station, { code }));
      navigate(`/play/station/${station.id}`, true);
    })();
  }, [code]);
  return <p>{t("play.checkedIn")}</p>;
}

export default function PlayGame() {
  const path = useLocation();
  const [bundle, setBundle] = useState<Bundle | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [media, setMedia] = useState<{ done: number; total: number } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!loadSession()) {
      navigate("/play", true);
      return;
    }
    void sync.start();
    Promise.all([loadBundle((done, total) => setMedia({ done, total })), loadProgress()]).then(
      ([b, p]) => {
        sync.sharePositions = !!b.visit.share_positions;
        setBundle(b);
        setProgress(p);
      },
      () => setFailed(true),
    );
  }, []);

  if (failed) return <Page title={t("play.title")}><p role="alert" class="alert">{t("play.loadFailed")}</p></Page>;
  if (!bundle || !progress) {
    return (
      <Page title={t("play.loading")}>
        <p role="status">{media ? t("play.loadingMedia", media) : t("play.loading")}</p>
      </Page>
    );
  }
  const stationMatch = matchPath("/play/station/:id", path);
  const qrMatch = matchPath("/q/:code", path);
  if (qrMatch) return <QrCheckin bundle={bundle} progress={progress} code={qrMatch.code} setProgress={setProgress} />;
  if (stationMatch) {
    const station = bundle.stations.find((s) => s.id === Number(stationMatch.id));
    if (station) return <StationScreen bundle={bundle} progress={progress} station={station} setProgress={setProgress} />;
  }
  if (matchPath("/play/finish", path)) return <Finish bundle={bundle} progress={progress} />;
  return (
    <>
      {media && media.done === media.total && <p class="status ready">{t("play.ready")}</p>}
      <Overview bundle={bundle} progress={progress} />
    </>
  );
}
