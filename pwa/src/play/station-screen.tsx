import { useEffect, useRef } from "preact/hooks";
import { Page } from "../components";
import { t } from "../i18n";
import type { Answer, TaskSpec } from "./check";
import { Checkin } from "./checkin";
import {
  type Bundle,
  loadProgress,
  type PlayStation,
  type Progress,
  photoAnswer,
  recordAnswer,
  recordCheckin,
  recordHint,
  stationDone,
  stationRelease,
} from "./game";
import { lockedText, useNow } from "./overview";
import { StationView, type TaskResult } from "./station-view";
import { Score } from "./sync-status";

export function StationScreen({
  bundle,
  progress,
  station,
  setProgress,
}: {
  bundle: Bundle;
  progress: Progress;
  station: PlayStation;
  setProgress: (p: Progress) => void;
}) {
  const checkedIn = station.checkin === "none" || progress.checkedIn.includes(station.id);
  const index = bundle.stations.indexOf(station);
  const release = stationRelease(bundle, progress, station, useNow(!!station.release?.opens_at));
  // A station the team had opened stays open (its rule may wait for a time the phone's clock
  // now sees differently); a closed one says when it opens.
  const locked = !release.open && !progress.checkedIn.includes(station.id);
  // Where nothing is to check, being here is the check-in: the teacher sees the team was here.
  useEffect(() => {
    if (!locked && station.checkin === "none" && !progress.checkedIn.includes(station.id)) {
      void recordCheckin(progress, station, {}).then(setProgress);
    }
  }, [station.id, locked]);
  const next = bundle.stations[index + 1];
  const done = stationDone(station, progress);
  // Finishing it here, not coming back to a finished one, is worth a cheer.
  const doneBefore = useRef(done);
  const justDone = done && !doneBefore.current;
  return (
    <Page title={station.title}>
      <Score bundle={bundle} progress={progress} />
      {locked ? (
        <div class="card locked-station" role="status">
          <p>
            <strong>{t("play.stillLocked")}</strong>
          </p>
          <p>{lockedText(bundle, station, release)}</p>
        </div>
      ) : !checkedIn ? (
        <Checkin
          bundle={bundle}
          station={station}
          onCheckedIn={async (how) => setProgress(await recordCheckin(progress, station, how))}
        />
      ) : (
        <StationView
          station={station}
          previous={progress.tasks}
          upload={photoAnswer}
          onHint={(task: TaskSpec) => void recordHint(station, task)}
          onResult={async (result: TaskResult) =>
            setProgress(
              await recordAnswer(await loadProgress(), station, result, result.answer as Answer),
            )
          }
        />
      )}
      {justDone && (
        <p class="celebration celebration-text" role="status">
          {t("play.stationDone")}
        </p>
      )}
      <div class="actions">
        <a class="button-quiet" href="/play/trail">
          {t("play.toOverview")}
        </a>
        {!locked && checkedIn && next && done && (
          <a class="button" href={`/play/station/${next.id}`}>
            {t("play.next")}
          </a>
        )}
      </div>
    </Page>
  );
}
