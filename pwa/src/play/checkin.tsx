import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";
import { navigate } from "../router";
import { inReach, metresBetween } from "./check";
import {
  type Bundle,
  codeHash,
  type PlayStation,
  type Progress,
  recordCheckin,
  stationRelease,
  sync,
} from "./game";
import { bearing, useGps, useHeading } from "./sensors";

export function Checkin({
  bundle,
  station,
  onCheckedIn,
}: {
  bundle: Bundle;
  station: PlayStation;
  onCheckedIn: (how: {
    code?: string;
    position?: { lat: number; lon: number; accuracy: number | null };
  }) => void;
}) {
  const gpsStation =
    (station.checkin === "gps" || station.checkin === "gps_qr") && station.lat !== null;
  const { position, denied } = useGps(gpsStation);
  const heading = useHeading();
  const [error, setError] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const [ScannerView, setScannerView] = useState<
    null | ((p: { onCode: (code: string) => void; onClose: () => void }) => preact.JSX.Element)
  >(null);
  const distance =
    position && gpsStation
      ? metresBetween(
          position.coords.latitude,
          position.coords.longitude,
          station.lat!,
          station.lon!,
        )
      : null;

  useEffect(() => {
    if (distance === null || !position) return;
    if (inReach(distance, station.radius_m, position.coords.accuracy)) {
      onCheckedIn({
        position: {
          lat: position.coords.latitude,
          lon: position.coords.longitude,
          accuracy: position.coords.accuracy ?? null,
        },
      });
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
                style={{
                  transform: `rotate(${bearing(position.coords.latitude, position.coords.longitude, station.lat!, station.lon!) - (heading ?? 0) - 90}deg)`,
                }}
              >
                ➤
              </span>
              <strong>
                {t("play.distance", {
                  metres: Math.max(0, Math.round(distance - station.radius_m)),
                })}
              </strong>
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
        <input
          id="station-code"
          name="code"
          class="code-input"
          required
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          maxLength={20}
        />
        <button type="submit" class="button button-large">
          {t("play.checkin")}
        </button>
      </form>
    </section>
  );
}

/** /q/CODE from a phone's camera app: check in at that station and open it. */
export function QrCheckin({
  bundle,
  progress,
  code,
  setProgress,
}: {
  bundle: Bundle;
  progress: Progress;
  code: string;
  setProgress: (p: Progress) => void;
}) {
  useEffect(() => {
    void (async () => {
      const hash = await codeHash(code);
      const station = bundle.stations.find((s) => s.code_sha256 === hash);
      if (!station) return navigate("/play/trail", true);
      // A station not open yet says so on its page, and the check-in waits.
      if (stationRelease(bundle, progress, station, sync.now()).open)
        setProgress(await recordCheckin(progress, station, { code }));
      navigate(`/play/station/${station.id}`, true);
    })();
  }, [code]);
  return <p>{t("play.checkedIn")}</p>;
}
