import "./messages";
import "./partnerships.css";
import { useEffect, useState } from "preact/hooks";
import { type Schema, send } from "../api";
import { Alert, errorMessage, Page } from "../components";
import { useResource, useSettings } from "../hooks";
import { t } from "../i18n";
import { LazyMap } from "../lazy-map";
import { navigate, type Params } from "../router";
import { competenceText, OfferTags } from "./offer-tags";
import { kindText } from "./words";

type Offer = Schema<"CatalogueOffer">;

/** The map's GeoJSON (application/geo+json, which the OpenAPI document leaves unspecified). */
interface Institutions {
  features: {
    geometry: { coordinates: [number, number] };
    properties: { id: number; name: string; offers: number; municipality: string | null };
  }[];
}

const FILTERS = [
  "district",
  "municipality",
  "kind",
  "subject",
  "grade",
  "competence",
  "language",
  "q",
] as const;
const PAGE_SIZE = 20;

/** Public learning offers for anyone: filters live in the address, so a choice can be shared. */
export default function CataloguePage(_: { params: Params }) {
  const query = new URLSearchParams(location.search);
  const page = Math.max(1, Number(query.get("page") ?? "1") || 1);
  const { data: values, error: filtersError } =
    useResource<Schema<"CatalogueFilters">>("/catalogue/filters");
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [total, setTotal] = useState(0);
  const tiles = useSettings();
  const [offersError, setError] = useState<string | null>(null);
  const error = offersError ?? filtersError;
  const search = location.search;
  const params = new URLSearchParams(search);
  params.set("page", String(page));
  params.set("page_size", String(PAGE_SIZE));
  const places = new URLSearchParams();
  for (const name of ["district", "municipality", "kind"])
    if (params.get(name)) places.set(name, params.get(name)!);
  const institutions = useResource<Institutions>(`/catalogue/institutions.geojson?${places}`).data;
  useEffect(() => {
    // The total is in a header (X-Pagination), the offers in the body.
    send(`/catalogue/trails?${params}`)
      .then(async (response) => {
        setTotal(JSON.parse(response.headers.get("X-Pagination") ?? "{}").total ?? 0);
        setOffers(await response.json());
      })
      .catch((e) => setError(errorMessage(e)));
  }, [search]);

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = String(form.get(name) ?? "").trim();
      if (value) params.set(name, value);
    }
    const chosen = params.toString();
    navigate(chosen ? `/catalogue?${chosen}` : "/catalogue");
  };
  const toPage = (n: number) => {
    const params = new URLSearchParams(search);
    params.set("page", String(n));
    navigate(`/catalogue?${params}`);
  };
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const select = (
    name: (typeof FILTERS)[number],
    label: string,
    options: (string | number)[],
    text = (v: string) => v,
  ) => (
    <div>
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} value={query.get(name) ?? ""}>
        <option value="">{t("catalogue.any")}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {text(String(option))}
          </option>
        ))}
      </select>
    </div>
  );
  const points = (institutions?.features ?? []).map((f) => ({
    title: `${f.properties.name} (${f.properties.offers})`,
    lat: f.geometry.coordinates[1],
    lon: f.geometry.coordinates[0],
    radius_m: 0,
    checkin: "none" as const,
  }));
  return (
    <Page title={t("catalogue.title")}>
      <p>{t("catalogue.intro")}</p>
      <Alert message={error} />
      {values && (
        <form class="catalogue-filters" onSubmit={apply} key={search}>
          {select("district", t("catalogue.district"), values.districts)}
          {select("municipality", t("catalogue.municipality"), values.municipalities)}
          {select("kind", t("catalogue.kind"), values.kinds, kindText)}
          {select("subject", t("catalogue.subject"), values.subjects)}
          {select("grade", t("catalogue.grade"), values.grades)}
          <div>
            <label for="filter-competence">{t("catalogue.competence")}</label>
            <select id="filter-competence" name="competence" value={query.get("competence") ?? ""}>
              <option value="">{t("catalogue.any")}</option>
              {values.media_competences.map((area) => (
                <optgroup key={area.key} label={`${area.key} ${area.name}`}>
                  {area.competences.map((c) => (
                    <option key={c.key} value={c.key}>
                      {competenceText(c)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          {select("language", t("catalogue.language"), values.languages, (v) =>
            v === "de" ? "Deutsch" : "English",
          )}
          <div>
            <label for="filter-q">{t("catalogue.search")}</label>
            <input
              id="filter-q"
              name="q"
              type="search"
              maxLength={100}
              value={query.get("q") ?? ""}
            />
          </div>
          <button type="submit">{t("catalogue.filter")}</button>
        </form>
      )}
      {offers && (
        <section aria-labelledby="offers-heading">
          <h2 id="offers-heading" aria-live="polite">
            {t("catalogue.results", { count: total })}
          </h2>
          {offers.length === 0 && <p>{t("catalogue.none")}</p>}
          <div class="offers-list">
            {offers.map((offer) => (
              <article key={offer.id} class="card offer">
                {offer.cover_url && (
                  <img src={offer.cover_url} alt={offer.cover_alt ?? ""} loading="lazy" />
                )}
                <h3>{offer.title}</h3>
                <p class="hint">
                  <a href={`/organisations/${offer.institution.id}`}>{offer.institution.name}</a> ·{" "}
                  {kindText(offer.institution.kind)}
                  {offer.institution.municipality && ` · ${offer.institution.municipality}`}
                </p>
                <p>{offer.description}</p>
                <OfferTags
                  subjects={offer.subjects}
                  grades={offer.grades}
                  competences={offer.media_competences}
                />
                <p class="hint">
                  {[
                    t("catalogue.stations", { count: offer.station_count }),
                    offer.duration_minutes
                      ? t("catalogue.minutes", { count: offer.duration_minutes })
                      : "",
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </p>
              </article>
            ))}
          </div>
          {pages > 1 && (
            <nav class="actions" aria-label={t("catalogue.page", { page, pages })}>
              <button
                type="button"
                class="button-quiet"
                disabled={page <= 1}
                onClick={() => toPage(page - 1)}
              >
                {t("catalogue.previous")}
              </button>
              <span>{t("catalogue.page", { page, pages })}</span>
              <button
                type="button"
                class="button-quiet"
                disabled={page >= pages}
                onClick={() => toPage(page + 1)}
              >
                {t("catalogue.next")}
              </button>
            </nav>
          )}
        </section>
      )}
      {points.length > 0 && (
        <section aria-labelledby="map-heading">
          <h2 id="map-heading">{t("catalogue.map")}</h2>
          <LazyMap
            stations={points}
            selected={-1}
            tileUrl={tiles?.tile_url ?? ""}
            attribution={tiles?.tile_attribution ?? ""}
            label={t("catalogue.map")}
          />
          <ul>
            {(institutions?.features ?? []).map((f) => (
              <li key={f.properties.id}>
                <a href={`/organisations/${f.properties.id}`}>{f.properties.name}</a>
                {f.properties.municipality && `, ${f.properties.municipality}`} (
                {f.properties.offers})
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
