import { useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage } from "../components";
import { t } from "../i18n";
import type { Trail, Media as UploadedMedia } from "./types";

export function CoverPicture({
  trail,
  onSaved,
}: {
  trail: Trail;
  onSaved: (trail: Trail) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const setCover = async (cover_media_id: number | null, cover_alt: string | null) => {
    try {
      onSaved(
        await api<Trail>(`/trails/${trail.id}`, {
          method: "PATCH",
          body: { cover_media_id, cover_alt },
        }),
      );
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const upload = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const body = new FormData();
    body.append("file", form.get("file") as File);
    try {
      const media = await api<UploadedMedia>(`/organisations/${trail.organisation.id}/media`, {
        form: body,
      });
      await setCover(media.id, String(form.get("alt")).trim());
      (event.target as HTMLFormElement).reset();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form class="form" onSubmit={upload}>
      <h3>{t("author.cover")}</h3>
      <Alert message={error} />
      {trail.cover_media_id ? (
        <p>
          {t("author.coverSet", { alt: trail.cover_alt ?? "" })}{" "}
          <button type="button" class="button-quiet" onClick={() => setCover(null, null)}>
            {t("author.remove")}
          </button>
        </p>
      ) : (
        <p class="hint">{t("author.coverNone")}</p>
      )}
      <label for="cover-file">{t("author.mediaFile")}</label>
      <input id="cover-file" name="file" type="file" accept="image/*" required />
      <label for="cover-alt">{t("author.alt")}</label>
      <input id="cover-alt" data-field="cover_alt" name="alt" maxLength={300} required />
      <button type="submit" class="button-quiet">
        {t("author.upload")}
      </button>
    </form>
  );
}
