import "./messages";
import "./souvenir.css";
import { useEffect } from "preact/hooks";
import type { Schema } from "../api";
import { Alert, Page } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import type { Params } from "../router";

type Souvenir = Schema<"Souvenir">;

const LOCALES = { de: "de-DE", en: "en-GB" } as const;

/** "2026-11" as "November 2026". */
function monthText(month: string): string {
  return new Intl.DateTimeFormat(LOCALES[language()], {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${month}-15T12:00:00Z`));
}

/** No search engine lists the page (the server says so too, in X-Robots-Tag). */
function useNoIndex(): void {
  useEffect(() => {
    const meta = document.createElement("meta");
    meta.name = "robots";
    meta.content = "noindex, nofollow";
    document.head.append(meta);
    return () => meta.remove();
  }, []);
}

/** A team's souvenir page for home: only what its teacher approved, no names. */
export default function SouvenirPage({ params }: { params: Params }) {
  useNoIndex();
  const { data: souvenir, error } = useResource<Souvenir>(
    `/souvenirs/${encodeURIComponent(params.token)}`,
  );
  const lang = language();
  return (
    <Page title={t("souvenir.title")}>
      <Alert message={error} />
      {!souvenir && !error && <p aria-live="polite">{t("souvenir.loading")}</p>}
      {souvenir && (
        <div class="souvenir">
          <p class="souvenir-visit">
            {t("souvenir.visit", {
              trail: souvenir.trail_title,
              institution: souvenir.institution,
              month: monthText(souvenir.month),
            })}
          </p>
          <section aria-labelledby="souvenir-stations">
            <h2 id="souvenir-stations">{t("souvenir.stations")}</h2>
            {souvenir.stations_done.length ? (
              <ul class="souvenir-stations">
                {souvenir.stations_done.map((title, i) => (
                  <li key={i}>
                    <span aria-hidden="true">✓</span> {title}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t("souvenir.noStations")}</p>
            )}
          </section>
          {souvenir.photos.length > 0 && (
            <section aria-labelledby="souvenir-photos">
              <h2 id="souvenir-photos">{t("souvenir.photos")}</h2>
              <div class="souvenir-photos">
                {souvenir.photos.map((photo) => (
                  <figure key={photo.event_id}>
                    <img src={photo.url} alt={photo.prompt} loading="lazy" />
                    <figcaption>{photo.prompt}</figcaption>
                  </figure>
                ))}
              </div>
            </section>
          )}
          {souvenir.answers.length > 0 && (
            <section aria-labelledby="souvenir-answers">
              <h2 id="souvenir-answers">{t("souvenir.answers")}</h2>
              <dl class="souvenir-answers">
                {souvenir.answers.map((answer, i) => (
                  <div key={i}>
                    <dt>{answer.prompt}</dt>
                    <dd>{answer.text}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
          {souvenir.photos.length === 0 && souvenir.answers.length === 0 && (
            <p class="hint">{t("souvenir.nothingApproved")}</p>
          )}
          <section class="card souvenir-come-back" aria-labelledby="souvenir-come-back">
            <h2 id="souvenir-come-back">{t("souvenir.comeBack")}</h2>
            {souvenir.offers.length > 0 && (
              <>
                <h3>{t("souvenir.offers", { institution: souvenir.institution })}</h3>
                <ul>
                  {souvenir.offers.map((offer) => (
                    <li key={offer.url}>
                      <a href={offer.url}>{offer.title}</a>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {souvenir.opening_hours && (
              <>
                <h3>{t("souvenir.openingHours")}</h3>
                <p class="pre-line">{souvenir.opening_hours}</p>
              </>
            )}
            {souvenir.website && (
              <p>
                <a href={souvenir.website} rel="noopener">
                  {t("souvenir.website")}
                </a>
              </p>
            )}
          </section>
          <p class="hint">
            {t("souvenir.gone", { date: formatDate(souvenir.deleted_after, lang) })}
          </p>
        </div>
      )}
    </Page>
  );
}
