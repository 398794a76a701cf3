import { useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage } from "../components";
import { t } from "../i18n";
import type { Station, Media as UploadedMedia } from "./types";

export function MediaList({
  station,
  organisationId,
  onChange,
}: {
  station: Station;
  organisationId: number;
  onChange: (media: Station["media"]) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (event: Event) => {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const alt = String(form.get("alt") ?? "").trim();
    if (!alt) {
      setError(t("author.altNeeded"));
      return;
    }
    const body = new FormData();
    body.append("file", form.get("file") as File);
    setBusy(true);
    try {
      const media = await api<UploadedMedia>(`/organisations/${organisationId}/media`, {
        form: body,
      });
      onChange([...station.media, { media_id: media.id, alt }]);
      formElement.reset();
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`media-${station.id}`} data-field="media">
      <h3 id={`media-${station.id}`}>{t("author.media")}</h3>
      {station.media.length > 0 && (
        <ul class="media-list">
          {station.media.map((item, i) => (
            <li key={item.media_id}>
              <span>
                #{item.media_id}: {item.alt}
              </span>
              <button
                type="button"
                class="button-quiet icon"
                aria-label={`${t("author.remove")}: ${item.alt}`}
                onClick={() => onChange(station.media.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="form" onSubmit={upload}>
        <Alert message={error} />
        <label for={`file-${station.id}`}>{t("author.mediaFile")}</label>
        <input
          id={`file-${station.id}`}
          name="file"
          type="file"
          accept="image/*,audio/*"
          required
        />
        <label for={`alt-${station.id}`}>{t("author.alt")}</label>
        <input id={`alt-${station.id}`} name="alt" maxLength={300} required />
        <button type="submit" class="button-quiet" disabled={busy}>
          {busy ? t("app.loading") : t("author.upload")}
        </button>
      </form>
    </section>
  );
}
