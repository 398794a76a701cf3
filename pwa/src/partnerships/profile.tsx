import "./messages";
import "./partnerships.css";
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, Page, Status } from "../components";
import { useResource, useSettings } from "../hooks";
import { t } from "../i18n";
import { LazyMap } from "../lazy-map";
import type { Params } from "../router";
import { useSession } from "../session";
import { contactLines, contactText, parseContacts } from "./agreement-text";

export type Profile = Schema<"Organisation">;

const point = (profile: Pick<Profile, "name" | "lat" | "lon">) => [
  {
    title: profile.name,
    lat: profile.lat,
    lon: profile.lon,
    radius_m: 0,
    checkin: "none" as const,
  },
];

/** An organisation's admin edits its public profile: what it is, where, whom to ask. */
export function ProfileForm({ organisationId }: { organisationId: number }) {
  const {
    data: profile,
    error: loadError,
    setData: setProfile,
  } = useResource<Profile>(`/organisations/${organisationId}`);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const tiles = useSettings();
  // What an organisation is and its district are the site admins' to change.
  const setsDistrict = !!useSession().me?.is_site_admin;
  if (!profile) return <Alert message={error} />;
  const id = (name: string) => `profile-${organisationId}-${name}`;
  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim() || null;
    const number = (name: string) => (text(name) === null ? null : Number(text(name)));
    const contacts = parseContacts(text("contacts") ?? "");
    const body = {
      description: text("description") ?? "",
      website: text("website"),
      ...(profile.kind === "school" ? {} : { opening_hours: text("opening_hours") ?? "" }),
      contacts,
      street: text("street"),
      postcode: text("postcode"),
      municipality: text("municipality"),
      lat: number("lat"),
      lon: number("lon"),
      ...(setsDistrict ? { district: text("district") } : {}),
    };
    try {
      setProfile(await api<Profile>(`/organisations/${organisationId}`, { method: "PATCH", body }));
      setError(null);
      setStatus(t("profile.saved"));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const place = (_index: number, lat: number, lon: number) =>
    setProfile({ ...profile, lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 });
  return (
    <form class="agreement-editor" onSubmit={save} aria-label={t("profile.edit")}>
      <Alert message={error} />
      <Status message={status} />
      <label for={id("description")}>{t("profile.description")}</label>
      <textarea id={id("description")} name="description" rows={4} maxLength={5000}>
        {profile.description}
      </textarea>
      <label for={id("website")}>{t("profile.website")}</label>
      <input id={id("website")} name="website" type="url" value={profile.website ?? ""} />
      {profile.kind !== "school" && (
        <>
          <label for={id("opening_hours")}>{t("profile.openingHours")}</label>
          <textarea
            id={id("opening_hours")}
            name="opening_hours"
            rows={3}
            maxLength={1000}
            aria-describedby={id("opening-hours-hint")}
          >
            {profile.opening_hours}
          </textarea>
          <p class="hint" id={id("opening-hours-hint")}>
            {t("profile.openingHoursHint")}
          </p>
        </>
      )}
      <label for={id("contacts")}>{t("profile.contacts")}</label>
      <textarea id={id("contacts")} name="contacts" rows={2}>
        {contactLines(profile.contacts)}
      </textarea>
      <div class="two-columns">
        {(["street", "postcode", "municipality", "district"] as const).map((name) => (
          <div key={name}>
            <label for={id(name)}>{t(`profile.${name}`)}</label>
            {name === "district" && !setsDistrict ? (
              <>
                <input
                  id={id(name)}
                  name={name}
                  value={profile[name] ?? ""}
                  readOnly
                  aria-describedby={id("district-hint")}
                />
                <p class="hint" id={id("district-hint")}>
                  {t("profile.districtFixed")}
                </p>
              </>
            ) : (
              <input id={id(name)} name={name} value={profile[name] ?? ""} />
            )}
          </div>
        ))}
        {(["lat", "lon"] as const).map((name) => (
          <div key={name}>
            <label for={id(name)}>{t(`profile.${name}`)}</label>
            <input id={id(name)} name={name} type="number" step="any" value={profile[name] ?? ""} />
          </div>
        ))}
      </div>
      <p class="hint">{t("profile.mapHint")}</p>
      <LazyMap
        stations={point(profile)}
        selected={0}
        tileUrl={tiles?.tile_url ?? ""}
        attribution={tiles?.tile_attribution ?? ""}
        onPlace={place}
        label={t("profile.mapLabel")}
      />
      <div class="actions">
        <button type="submit">{t("profile.save")}</button>
        <a class="button-quiet" href={`/organisations/${organisationId}`}>
          {t("profile.view")}
        </a>
      </div>
    </form>
  );
}

/** The public profile of a school or institution, with the learning offers I may see. */
export default function ProfilePage({ params }: { params: Params }) {
  const { data: profile, error } = useResource<Profile>(`/organisations/${params.id}`);
  const offers =
    useResource<Schema<"TrailSummary">[]>(`/organisations/${params.id}/offers`).data ?? [];
  const tiles = useSettings();
  return (
    <Page title={profile?.name ?? t("profile.title")}>
      <Alert message={error} />
      {profile && (
        <>
          <p class="hint">
            {[
              profile.street,
              [profile.postcode, profile.municipality].filter(Boolean).join(" "),
              profile.district,
            ]
              .filter(Boolean)
              .join(", ")}
          </p>
          {profile.description.split(/\n{2,}/).map((part, i) => (
            <p key={i}>{part}</p>
          ))}
          {profile.opening_hours && (
            <>
              <h2>{t("profile.openingHours")}</h2>
              <p class="pre-line">{profile.opening_hours}</p>
            </>
          )}
          {profile.website && (
            <p>
              <a href={profile.website} rel="noopener">
                {profile.website}
              </a>
            </p>
          )}
          {profile.contacts.length > 0 && (
            <ul>
              {profile.contacts.map((c, i) => (
                <li key={i}>{contactText(c)}</li>
              ))}
            </ul>
          )}
          {profile.lat !== null && profile.lon !== null && (
            <LazyMap
              stations={point(profile)}
              selected={0}
              tileUrl={tiles?.tile_url ?? ""}
              attribution={tiles?.tile_attribution ?? ""}
              label={t("profile.mapLabel")}
            />
          )}
          <section aria-labelledby="offers-heading">
            <h2 id="offers-heading">{t("profile.offers")}</h2>
            {offers.length === 0 && <p>{t("profile.noOffers")}</p>}
            {offers.map((offer) => (
              <article key={offer.id} class="card">
                <h3>{offer.title}</h3>
                <p>{offer.description}</p>
              </article>
            ))}
          </section>
        </>
      )}
    </Page>
  );
}
