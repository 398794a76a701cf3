import { useEffect, useRef, useState } from "preact/hooks";
import type { Schema } from "../api";
import { Alert } from "../components";
import { useResource } from "../hooks";
import { t } from "../i18n";
import { StationView } from "../play/station-view";

/** The draft in a phone-sized frame, played as a student would; nothing is recorded. */
export function Preview({
  trailId,
  start,
  onClose,
}: {
  trailId: number;
  start: number;
  onClose: () => void;
}) {
  const { data: bundle, error } = useResource<Schema<"Bundle">>(`/trails/${trailId}/preview`);
  const [index, setIndex] = useState(start);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const stations = bundle?.stations;
  const station = stations?.[index];
  return (
    <dialog ref={dialog} class="preview-dialog" aria-labelledby="preview-title" onClose={onClose}>
      <div class="preview-head">
        <h2 id="preview-title">{t("play.preview")}</h2>
        <button type="button" class="button-quiet" onClick={() => dialog.current?.close()}>
          {t("play.close")}
        </button>
      </div>
      <p class="hint">{t("play.previewNote")}</p>
      <div class="phone-frame">
        <Alert message={error} />
        {stations && station && (
          <>
            <p class="task-count">
              {t("play.stationOf", { number: index + 1, count: stations.length })}
            </p>
            <StationView key={station.id} station={station} />
            <div class="actions">
              <button
                type="button"
                class="button-quiet"
                disabled={index === 0}
                onClick={() => setIndex(index - 1)}
              >
                {t("play.previous")}
              </button>
              <button
                type="button"
                class="button-quiet"
                disabled={index === stations.length - 1}
                onClick={() => setIndex(index + 1)}
              >
                {t("play.next")}
              </button>
            </div>
          </>
        )}
      </div>
    </dialog>
  );
}
