/** The game, loaded after joining: routes between the overview, a station, a QR check-in and the finish. */
import { useEffect, useState } from "preact/hooks";
import "./play.css";
import { Page } from "../components";
import { t } from "../i18n";
import { matchPath, navigate, useLocation } from "../router";
import { QrCheckin } from "./checkin";
import { Finish } from "./finish";
import { type Bundle, loadBundle, loadProgress, type Progress, sync } from "./game";
import { Overview } from "./overview";
import { StationScreen } from "./station-screen";
import { UnreadMessages } from "./teacher-messages";
import { loadSession } from "./team-session";
import { TimeLeft, TimeUp, useGameEnd } from "./time-limit";

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

  if (failed)
    return (
      <Page title={t("play.title")}>
        <p role="alert" class="alert">
          {t("play.loadFailed")}
        </p>
      </Page>
    );
  if (!bundle || !progress) {
    return (
      <Page title={t("play.loading")}>
        <p role="status">{media ? t("play.loadingMedia", media) : t("play.loading")}</p>
      </Page>
    );
  }
  return (
    <>
      <TimeLeft bundle={bundle} />
      <GameScreen
        path={path}
        bundle={bundle}
        progress={progress}
        setProgress={setProgress}
        ready={!!media && media.done === media.total}
      />
      <UnreadMessages />
    </>
  );
}

function GameScreen({
  path,
  bundle,
  progress,
  setProgress,
  ready,
}: {
  path: string;
  bundle: Bundle;
  progress: Progress;
  setProgress: (p: Progress) => void;
  ready: boolean;
}) {
  const { end, left } = useGameEnd(bundle);
  // Time is up: answers stop, the team goes to the meeting point; the result stays reachable.
  if (end && !left && !matchPath("/play/finish", path))
    return <TimeUp bundle={bundle} progress={progress} />;
  const stationMatch = matchPath("/play/station/:id", path);
  const qrMatch = matchPath("/q/:code", path);
  if (qrMatch)
    return (
      <QrCheckin
        bundle={bundle}
        progress={progress}
        code={qrMatch.code}
        setProgress={setProgress}
      />
    );
  if (stationMatch) {
    const station = bundle.stations.find((s) => s.id === Number(stationMatch.id));
    if (station)
      return (
        <StationScreen
          bundle={bundle}
          progress={progress}
          station={station}
          setProgress={setProgress}
        />
      );
  }
  if (matchPath("/play/finish", path)) return <Finish bundle={bundle} progress={progress} />;
  return (
    <>
      {ready && <p class="status ready">{t("play.ready")}</p>}
      <Overview bundle={bundle} progress={progress} />
    </>
  );
}
