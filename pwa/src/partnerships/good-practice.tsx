/** Good practice made visible: on the partnership page both sides consent to share their
 * learning offers and a school year's reflection; the district's page shows what both share
 * as examples to its schools and institutions (no student data, no names). */
import "../staff-messages";
import "./messages";
import "./good-practice-messages";
import "./partnerships.css";
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, Page, RequireLogin, Status } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import type { Params } from "../router";
import { useSession } from "../session";
import { AnchoringTable } from "./anchoring";
import { schoolYearLabel } from "./school-year";
import { kindText, schoolFormText } from "./words";

type Sharing = Schema<"Sharing">;
type Shareable = Schema<"Shareable">;
type Side = Sharing["sides"][number];
type Example = Schema<"Example">;
type GoodPractice = Schema<"GoodPractice">;

const SIDES: Side[] = ["school", "institution"];

function itemTitle(item: Shareable): string {
  return item.what === "offers"
    ? t("practice.offers")
    : t("practice.reflection", { year: schoolYearLabel(item.school_year ?? 0) });
}

function consentText(consent: Shareable["school"]): string {
  if (!consent) return t("practice.notYet");
  const date = formatDate(consent.at, language());
  return consent.by
    ? t("practice.agreedBy", { name: consent.by, date })
    : t("practice.agreedOn", { date });
}

/** "Als gutes Beispiel teilen" on the partnership page: per item both sides' state, and for
 * the sides the reader is an admin of, the consent or its withdrawal. */
export function SharingSection({ partnership }: { partnership: Schema<"Partnership"> }) {
  const url = `/partnerships/${partnership.id}/sharing`;
  const { data: sharing, error: loadError, setData } = useResource<Sharing>(url);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  if (!sharing) return loadError ? <Alert message={loadError} /> : null;
  const sideName = (side: Side) =>
    side === "school" ? t("practice.school") : kindText(partnership.institution.kind);
  const decide = async (item: Shareable, side: Side, shared: boolean) => {
    try {
      const answer = await api<Sharing>(url, {
        method: "PUT",
        body: { what: item.what, school_year: item.school_year, side, shared },
      });
      setData(answer);
      setError(null);
      setStatus(t(shared ? "practice.shared" : "practice.withdrawn", { what: itemTitle(item) }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const both = sharing.sides.length > 1;
  return (
    <section class="card" aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">{t("practice.title")}</h2>
      <p class="hint">{t("practice.intro")}</p>
      <Alert message={error} />
      <Status message={status} />
      {sharing.items.map((item) => {
        const id = `sharing-${item.what}-${item.school_year ?? "offers"}`;
        return (
          <section class="sharing-item" key={id} aria-labelledby={id}>
            <h3 id={id}>{itemTitle(item)}</h3>
            <p>
              {SIDES.map((side) =>
                t("practice.sideState", { side: sideName(side), state: consentText(item[side]) }),
              ).join(" · ")}
            </p>
            <p class="hint">
              {item.shown
                ? t("practice.shown")
                : item.available
                  ? t("practice.waiting")
                  : t("practice.unavailable")}
            </p>
            <div class="actions">
              {sharing.sides.map((side) =>
                item[side] ? (
                  <button
                    key={side}
                    type="button"
                    class="button-quiet"
                    onClick={() => decide(item, side, false)}
                  >
                    {both
                      ? t("practice.withdrawFor", { side: sideName(side) })
                      : t("practice.withdraw")}
                    <span class="visually-hidden">: {itemTitle(item)}</span>
                  </button>
                ) : (
                  <button
                    key={side}
                    type="button"
                    disabled={!item.available}
                    onClick={() => decide(item, side, true)}
                  >
                    {both ? t("practice.shareFor", { side: sideName(side) }) : t("practice.share")}
                    <span class="visually-hidden">: {itemTitle(item)}</span>
                  </button>
                ),
              )}
            </div>
          </section>
        );
      })}
      {sharing.items.every((item) => item.what !== "reflection") && (
        <p class="hint">{t("practice.noReflection")}</p>
      )}
    </section>
  );
}

const goodPracticePath = (district: string) =>
  `/partners/district/${encodeURIComponent(district)}/good-practice`;

/** The "Gute Praxis" section of the network office's district page. */
export function GoodPracticeSection({ district }: { district: string }) {
  const { data } = useResource<GoodPractice>(
    `/districts/${encodeURIComponent(district)}/good-practice`,
  );
  return (
    <section class="card" aria-labelledby="district-good-practice">
      <h2 id="district-good-practice">{t("practice.link")}</h2>
      <p class="hint">{t("practice.pageIntro")}</p>
      {data && (
        <p>
          {data.examples.length
            ? t("practice.count", { count: data.examples.length })
            : t("practice.none")}
        </p>
      )}
      <p>
        <a class="button-quiet" href={goodPracticePath(district)}>
          {t("practice.examplesFrom", { district })}
        </a>
      </p>
    </section>
  );
}

/** Links to the examples of the districts of the reader's schools and institutions. */
export function GoodPracticeLinks() {
  const { me } = useSession();
  const districts = [
    ...new Set(
      (me?.memberships ?? []).flatMap((m) =>
        m.organisation.district ? [m.organisation.district] : [],
      ),
    ),
  ].sort();
  return (
    <>
      {districts.map((district) => (
        <p key={district}>
          <a class="button" href={goodPracticePath(district)}>
            {t("practice.examplesFrom", { district })}
          </a>
        </p>
      ))}
    </>
  );
}

function ExampleCard({ example, index }: { example: Example; index: number }) {
  const { school, institution } = example;
  const heading = `example-${index}`;
  const names = { school: school.name, institution: institution.name };
  return (
    <article class="card" aria-labelledby={heading}>
      <h2 id={heading}>{t("practice.with", names)}</h2>
      <p class="hint">
        <a href={`/organisations/${school.id}`}>
          <span class="visually-hidden">{t("practice.profile", { name: school.name })}: </span>
          {school.school_form ? schoolFormText(school.school_form) : school.school_form_name}
        </a>
        {school.municipality && `, ${school.municipality}`} ·{" "}
        <a href={`/organisations/${institution.id}`}>
          <span class="visually-hidden">{t("practice.profile", { name: institution.name })}: </span>
          {kindText(institution.kind)}
        </a>
        {institution.municipality && `, ${institution.municipality}`}
      </p>
      {example.offers.length > 0 && (
        <>
          <h3>{t("practice.offersHeading")}</h3>
          <ul class="offers-list">
            {example.offers.map((offer) => (
              <li key={offer.title}>
                <strong>{offer.title}</strong>
                {offer.description && <p>{offer.description}</p>}
                <p class="hint">
                  {[
                    offer.subjects.join(", "),
                    offer.year_groups.length
                      ? t("practice.yearGroups", { years: offer.year_groups.join(", ") })
                      : "",
                    offer.media_competences.length
                      ? `${t("anchoring.mkrShort")}: ${offer.media_competences.join(", ")}`
                      : "",
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      {example.anchoring.length > 0 && (
        <>
          <h3>{t("practice.anchoringHeading")}</h3>
          <AnchoringTable
            caption={t("practice.anchoringCaption", names)}
            captionHidden
            rows={example.anchoring}
          />
        </>
      )}
      {example.reflections.map((reflection) => (
        <div key={reflection.school_year}>
          <h3>{t("practice.reflection", { year: reflection.school_year })}</h3>
          <dl class="reflection">
            {reflection.went_well && (
              <>
                <dt>{t("practice.wentWell")}</dt>
                <dd>{reflection.went_well}</dd>
              </>
            )}
            {reflection.changes && (
              <>
                <dt>{t("practice.changes")}</dt>
                <dd>{reflection.changes}</dd>
              </>
            )}
          </dl>
        </div>
      ))}
    </article>
  );
}

/** The district's examples of good practice, for its schools and institutions. */
export default function GoodPracticePage({ params }: { params: Params }) {
  const district = decodeURIComponent(params.district);
  const { data, error } = useResource<GoodPractice>(
    `/districts/${encodeURIComponent(district)}/good-practice`,
  );
  const { me } = useSession();
  return (
    <RequireLogin>
      <Page title={t("practice.pageTitle", { district })}>
        <p class="hint">
          {me?.network_office_district === district ? (
            <a href={`/partners/district/${encodeURIComponent(district)}`}>
              ← {t("district.title", { district })}
            </a>
          ) : (
            <a href="/partners">← {t("partners.title")}</a>
          )}
        </p>
        <p>{t("practice.pageIntro")}</p>
        <Alert message={error} />
        {data && data.examples.length === 0 && <p>{t("practice.none")}</p>}
        {data?.examples.map((example, index) => (
          <ExampleCard
            key={`${example.school.id}-${example.institution.id}`}
            example={example}
            index={index}
          />
        ))}
      </Page>
    </RequireLogin>
  );
}
