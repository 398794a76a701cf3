import "../staff-forms.css";
import "../staff-messages";
import "./messages";
import "./partnerships.css";
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, fieldTexts, Page, RequireLogin, Status } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, type MessageKey, t } from "../i18n";
import type { Params } from "../router";
import { useSession } from "../session";
import {
  AgreementText,
  contactLines,
  contactText,
  parseContacts,
  statusText,
  Warnings,
} from "./agreement-text";
import { type AnchoringRow, AnchoringRows } from "./anchoring";
import { AnnualPlanSection } from "./annual-plan";
import { SharingSection } from "./good-practice";
import { Handover } from "./handover";
import { Guide, RequiredMark, TemplateChoice, TemplateOffer } from "./templates";
import { Thread } from "./thread";
import type { Agreement, Contact, PartnershipDetail } from "./types";

/** The draft in sections; saving replaces it as a whole, errors show per field. */
function DraftEditor({
  agreement,
  onChange,
}: {
  agreement: Agreement;
  onChange: (a: Agreement, message: string) => void;
}) {
  const offers =
    useResource<Schema<"TrailSummary">[]>(
      `/organisations/${agreement.partnership.institution.id}/offers`,
    ).data ?? [];
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const c = agreement.content;
  const template = agreement.template;
  const [anchoring, setAnchoring] = useState<AnchoringRow[]>(c.anchoring ?? []);
  // The texts of a field and of its parts ("trail_ids.0").
  const textsOf = (name: string) =>
    Object.entries(errors).flatMap(([path, texts]) =>
      path === name || path.startsWith(`${name}.`) ? texts : [],
    );
  const field = (name: string) =>
    textsOf(name).length
      ? { "aria-invalid": "true" as const, "aria-describedby": `error-${name}` }
      : {};
  const fieldError = (name: string) =>
    textsOf(name).length > 0 && (
      <p id={`error-${name}`} class="field-error">
        {textsOf(name).join(" ")}
      </p>
    );
  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const body = {
      content: {
        goals: text("goals"),
        activities: text("activities"),
        subjects: text("subjects")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        grades: text("grades")
          .split(/[,\s]+/)
          .filter(Boolean)
          .map(Number),
        curriculum: text("curriculum"),
        anchoring,
        contacts_school: parseContacts(text("contacts_school")),
        contacts_institution: parseContacts(text("contacts_institution")),
        visits_per_year: text("visits_per_year") ? Number(text("visits_per_year")) : null,
        booking_privilege: form.get("booking_privilege") === "on",
        costs: text("costs"),
      },
      starts_on: text("starts_on") || null,
      ends_on: text("ends_on") || null,
      review_on: text("review_on") || null,
      trail_ids: form.getAll("trail_ids").map(Number),
    };
    try {
      const saved = await api<Agreement>(`/agreements/${agreement.id}`, { method: "PUT", body });
      setErrors({});
      setError(null);
      onChange(saved, t("pship.saved"));
    } catch (e) {
      setError(errorMessage(e));
      setErrors(fieldTexts(e));
    }
  };
  const propose = async () => {
    try {
      onChange(
        await api<Agreement>(`/agreements/${agreement.id}/propose`, { method: "POST" }),
        t("pship.proposed"),
      );
    } catch (e) {
      setError(errorMessage(e));
      setErrors(fieldTexts(e));
    }
  };
  const linked = new Set(agreement.trails.map((trail) => trail.id));
  // The institution's offers this admin may see, and what the agreement offers already (a
  // school's admin does not see the institution's other partners-only trails, but keeps these).
  const choices = [...agreement.trails, ...offers.filter((offer) => !linked.has(offer.id))];
  return (
    <form class="agreement-editor" onSubmit={save}>
      <Alert message={error} />
      <Warnings warnings={agreement.warnings} />
      <fieldset>
        <legend>{t("pship.section.goals")}</legend>
        <Guide template={template} section="goals" />
        <label for="goals">
          {t("pship.field.goals")}
          <RequiredMark template={template} name="goals" />
        </label>
        <textarea
          id="goals"
          name="goals"
          rows={4}
          maxLength={10000}
          {...field("goals")}
          {...field("content.goals")}
        >
          {c.goals}
        </textarea>
        {fieldError("goals")}
        {fieldError("content.goals")}
      </fieldset>
      <fieldset>
        <legend>{t("pship.section.activities")}</legend>
        <Guide template={template} section="activities" />
        <label for="activities">
          {t("pship.field.activities")}
          <RequiredMark template={template} name="activities" />
        </label>
        <textarea
          id="activities"
          name="activities"
          rows={4}
          maxLength={10000}
          {...field("content.activities")}
        >
          {c.activities}
        </textarea>
        {fieldError("content.activities")}
        <fieldset class="checks">
          <legend>
            {t("pship.field.offers")}
            <RequiredMark template={template} name="learning_offer" />
          </legend>
          {choices.length === 0 && <p class="hint">{t("pship.noOffers")}</p>}
          {choices.map((offer) => (
            <label key={offer.id}>
              <input
                type="checkbox"
                name="trail_ids"
                value={offer.id}
                defaultChecked={linked.has(offer.id)}
              />{" "}
              {offer.title}
            </label>
          ))}
        </fieldset>
        {fieldError("trail_ids")}
      </fieldset>
      <fieldset>
        <legend>{t("pship.section.subjects")}</legend>
        <Guide template={template} section="subjects" />
        <label for="subjects">
          {t("pship.field.subjects")}
          <RequiredMark template={template} name="subjects" />
        </label>
        <input
          id="subjects"
          name="subjects"
          defaultValue={c.subjects.join(", ")}
          {...field("content.subjects")}
        />
        {fieldError("content.subjects")}
        <label for="grades">
          {t("pship.field.grades")}
          <RequiredMark template={template} name="grades" />
        </label>
        <input
          id="grades"
          name="grades"
          inputMode="numeric"
          defaultValue={c.grades.join(", ")}
          {...field("content.grades")}
        />
        {fieldError("content.grades")}
        <label for="curriculum">{t("pship.field.curriculum")}</label>
        <textarea
          id="curriculum"
          name="curriculum"
          rows={3}
          maxLength={5000}
          {...field("content.curriculum")}
        >
          {c.curriculum}
        </textarea>
        {fieldError("content.curriculum")}
      </fieldset>
      <Guide template={template} section="anchoring" />
      {template?.required.includes("anchoring") && (
        <p class="hint">
          {t("anchoring.title")}: {t("tmpl.requiredMark")}
        </p>
      )}
      {(errors["content.anchoring"] ?? []).length > 0 && (
        <p class="field-error" role="alert">
          {t("anchoring.title")}: {errors["content.anchoring"].join(" ")}
        </p>
      )}
      <AnchoringRows
        rows={anchoring}
        offers={choices}
        onChange={setAnchoring}
        errorsOf={(path) => errors[path] ?? []}
      />
      <fieldset>
        <legend>{t("pship.section.contacts")}</legend>
        <Guide template={template} section="contacts" />
        <label for="contacts_school">
          {t("pship.field.contactsSchool")}
          <RequiredMark template={template} name="contacts_school" />
        </label>
        <textarea
          id="contacts_school"
          name="contacts_school"
          rows={2}
          {...field("content.contacts_school")}
        >
          {contactLines(c.contacts_school)}
        </textarea>
        {fieldError("content.contacts_school")}
        <label for="contacts_institution">
          {t("pship.field.contactsInstitution")}
          <RequiredMark template={template} name="contacts_institution" />
        </label>
        <textarea
          id="contacts_institution"
          name="contacts_institution"
          rows={2}
          {...field("content.contacts_institution")}
        >
          {contactLines(c.contacts_institution)}
        </textarea>
        {fieldError("content.contacts_institution")}
      </fieldset>
      <fieldset>
        <legend>{t("pship.section.frame")}</legend>
        <Guide template={template} section="frame" />
        <label for="visits_per_year">
          {t("pship.field.visitsPerYear")}
          <RequiredMark template={template} name="visits_per_year" />
        </label>
        <input
          id="visits_per_year"
          name="visits_per_year"
          type="number"
          min={0}
          max={365}
          defaultValue={c.visits_per_year ?? ""}
          {...field("content.visits_per_year")}
        />
        {fieldError("content.visits_per_year")}
        <label class="check">
          <input type="checkbox" name="booking_privilege" defaultChecked={c.booking_privilege} />{" "}
          {t("pship.field.bookingPrivilege")}
        </label>
        <label for="costs">
          {t("pship.field.costs")}
          <RequiredMark template={template} name="costs" />
        </label>
        <textarea id="costs" name="costs" rows={2} maxLength={2000} {...field("content.costs")}>
          {c.costs}
        </textarea>
        {fieldError("content.costs")}
      </fieldset>
      <fieldset>
        <legend>{t("pship.section.term")}</legend>
        <Guide template={template} section="term" />
        <label for="starts_on">{t("pship.field.startsOn")}</label>
        <input
          id="starts_on"
          name="starts_on"
          type="date"
          defaultValue={agreement.starts_on ?? ""}
          {...field("starts_on")}
        />
        {fieldError("starts_on")}
        <label for="ends_on">
          {t("pship.field.endsOn")}
          <RequiredMark template={template} name="ends_on" />
        </label>
        <input
          id="ends_on"
          name="ends_on"
          type="date"
          defaultValue={agreement.ends_on ?? ""}
          {...field("ends_on")}
        />
        {fieldError("ends_on")}
        <label for="review_on">
          {t("pship.field.reviewOn")}
          <RequiredMark template={template} name="review_on" />
        </label>
        <input
          id="review_on"
          name="review_on"
          type="date"
          defaultValue={agreement.review_on ?? ""}
          {...field("review_on")}
        />
        {fieldError("review_on")}
      </fieldset>
      <div class="actions">
        <button type="submit">{t("pship.save")}</button>
        <button type="button" class="button-quiet" onClick={propose}>
          {t("pship.propose")}
        </button>
      </div>
    </form>
  );
}

/** Each side's admin signs once for their organisation. */
function Signing({
  agreement,
  onChange,
}: {
  agreement: Agreement;
  onChange: (a: Agreement, message: string) => void;
}) {
  const { me } = useSession();
  const [error, setError] = useState<string | null>(null);
  const signed = new Set(agreement.signatures.map((s) => s.organisation.id));
  const sides = [agreement.partnership.school, agreement.partnership.institution];
  const mine = sides.filter(
    (side) =>
      !signed.has(side.id) &&
      me?.memberships.some((m) => m.organisation.id === side.id && m.roles.includes("admin")),
  );
  const sign = (organisationId: number) => async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    try {
      const body = {
        organisation_id: organisationId,
        signer_name: form.get("signer_name"),
        signer_role: form.get("signer_role"),
      };
      onChange(
        await api<Agreement>(`/agreements/${agreement.id}/signatures`, { method: "POST", body }),
        t("pship.signed"),
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const withdraw = async () => {
    try {
      onChange(
        await api<Agreement>(`/agreements/${agreement.id}/withdraw`, { method: "POST" }),
        t("pship.saved"),
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section class="card" aria-labelledby="signing-heading">
      <h2 id="signing-heading">{t("pship.section.signatures")}</h2>
      <Alert message={error} />
      {mine.map((side) => (
        <form
          key={side.id}
          class="sign-form"
          onSubmit={sign(side.id)}
          aria-label={t("pship.signAs", { organisation: side.name })}
        >
          <h3>{t("pship.signAs", { organisation: side.name })}</h3>
          <label for={`name-${side.id}`}>{t("pship.signerName")}</label>
          <input
            id={`name-${side.id}`}
            name="signer_name"
            required
            maxLength={120}
            defaultValue={me?.display_name}
          />
          <label for={`role-${side.id}`}>{t("pship.signerRole")}</label>
          <input id={`role-${side.id}`} name="signer_role" required maxLength={120} />
          <button type="submit">{t("pship.sign")}</button>
        </form>
      ))}
      <button type="button" class="button-quiet" onClick={withdraw}>
        {t("pship.withdraw")}
      </button>
    </section>
  );
}

function Differences({ from, to }: { from: { id: number; number: number }; to: number }) {
  const asked = useResource<Schema<"Difference">[]>(`/agreements/${to}/diff?from=${from.id}`);
  const changes = asked.error ? [] : asked.data;
  if (!changes) return null;
  const show = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === "")
      return field === "ends_on" ? t("pship.openEnded") : "–";
    if (typeof value === "boolean") return t(value ? "pship.yes" : "pship.no");
    if (field.endsWith("_on")) return formatDate(String(value), language());
    if (field.startsWith("contacts_"))
      return (value as Contact[]).map(contactText).join("; ") || "–";
    if (Array.isArray(value)) return value.join(", ") || "–";
    return String(value);
  };
  return (
    <section class="card" aria-labelledby="diff-heading">
      <h3 id="diff-heading">{t("pship.compare", { number: from.number })}</h3>
      {changes.length === 0 && <p>{t("pship.noChanges")}</p>}
      <dl class="diff">
        {changes.map((change) => (
          <div key={change.field}>
            <dt>{t(`pship.diff.${change.field}` as MessageKey)}</dt>
            <dd>
              <del>
                <span class="visually-hidden">{t("pship.before")}: </span>
                {show(change.field, change.before)}
              </del>{" "}
              →{" "}
              <ins>
                <span class="visually-hidden">{t("pship.after")}: </span>
                {show(change.field, change.after)}
              </ins>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export default function PartnershipPage({ params }: { params: Params }) {
  const { me } = useSession();
  const path = `/partnerships/${params.id}`;
  const { data: detail, error: loadError, reload: load } = useResource<PartnershipDetail>(path);
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const [status, setStatus] = useState<string | null>(null);
  const [compare, setCompare] = useState<{ id: number; number: number } | null>(null);
  // A saved reflection may be shared, or need both consents again.
  const [reflections, setReflections] = useState(0);
  const changed = (_agreement: Agreement, message: string) => {
    setStatus(message);
    load();
  };
  const isAdmin = (id: number) =>
    !!me?.memberships.some((m) => m.organisation.id === id && m.roles.includes("admin"));
  const side = (id: number) => !!me?.memberships.some((m) => m.organisation.id === id);
  const p = detail?.partnership;
  const admin = !!p && (isAdmin(p.school.id) || isAdmin(p.institution.id) || !!me?.is_site_admin);
  const amend = async () => {
    try {
      await api(`${path}/agreements`, { method: "POST" });
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const end = async (event: Event) => {
    event.preventDefault();
    if (!detail?.current || !confirm(t("pship.endConfirm"))) return;
    const ended_on = String(new FormData(event.currentTarget as HTMLFormElement).get("ended_on"));
    try {
      await api(`/agreements/${detail.current.id}/end`, { method: "POST", body: { ended_on } });
      setStatus(t("pship.ended", { date: formatDate(ended_on, language()) }));
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <RequireLogin>
      <Page title={p ? `${p.school.name} – ${p.institution.name}` : t("pship.title")}>
        <p class="hint">
          <a href="/partners">← {t("partners.title")}</a>
        </p>
        <Alert message={error} />
        <Status message={status} />
        {detail && p && (
          <>
            <Warnings warnings={detail.warnings} />
            {detail.open && (
              <section class="card card-primary" aria-labelledby="open-heading">
                <h2 id="open-heading">
                  {t("pship.inWriting", { number: detail.open.number })} · {statusText(detail.open)}
                </h2>
                {detail.open.status === "draft" && admin && detail.template_update && (
                  <TemplateOffer
                    agreement={detail.open}
                    update={detail.template_update}
                    onAdopted={(message) => {
                      setStatus(message);
                      load();
                    }}
                  />
                )}
                {detail.open.status === "draft" && admin && (
                  <TemplateChoice
                    agreement={detail.open}
                    partnershipId={p.id}
                    onChosen={(message) => {
                      setStatus(message);
                      load();
                    }}
                  />
                )}
                {detail.open.status === "draft" && admin && (
                  <DraftEditor key={detail.open.id} agreement={detail.open} onChange={changed} />
                )}
                {detail.open.status === "proposed" && (
                  <>
                    <AgreementText agreement={detail.open} />
                    {admin && <Signing agreement={detail.open} onChange={changed} />}
                  </>
                )}
                {detail.open.status === "draft" && !admin && (
                  <AgreementText agreement={detail.open} />
                )}
                <p class="actions">
                  <a class="button-quiet" href={`/partners/agreements/${detail.open.id}/print`}>
                    {t("pship.print")}
                  </a>
                </p>
              </section>
            )}
            {detail.current && (
              <section class="card" aria-labelledby="current-heading">
                <h2 id="current-heading">
                  {t(detail.current.status === "ended" ? "pship.lastInForce" : "pship.inForce")}:{" "}
                  {t("pship.version", { number: detail.current.number })} ·{" "}
                  {statusText(detail.current)}
                </h2>
                <div class="actions">
                  <a class="button" href={`/partners/agreements/${detail.current.id}/print`}>
                    {t("pship.print")}
                  </a>
                  <a
                    class="button-quiet"
                    href={`/api/v1/agreements/${detail.current.id}/agreement.pdf`}
                    download
                  >
                    {t("pship.pdf")}
                  </a>
                  <a class="button-quiet" href={`/partners/partnerships/${p.id}/report`}>
                    {t("pship.report")}
                  </a>
                  {admin && !detail.open && (
                    <button type="button" class="button-quiet" onClick={amend}>
                      {t("pship.amend")}
                    </button>
                  )}
                </div>
                <AgreementText agreement={detail.current} />
                {admin && ["active", "signed"].includes(detail.current.status) && (
                  <form class="inline-form" onSubmit={end}>
                    <label for="ended_on">{t("pship.end")}</label>
                    <input id="ended_on" name="ended_on" type="date" required />
                    <button type="submit" class="button-danger">
                      {t("pship.endButton")}
                    </button>
                  </form>
                )}
              </section>
            )}
            <Thread partnershipId={p.id} />
            {(side(p.school.id) || side(p.institution.id) || me?.is_site_admin) && (
              <>
                <AnnualPlanSection
                  partnershipId={p.id}
                  offers={(detail.current ?? detail.open)?.trails ?? []}
                  onReviewChanged={() => {
                    load();
                    setReflections((n) => n + 1);
                  }}
                />
                <SharingSection key={reflections} partnership={p} />
              </>
            )}
            {detail.current &&
              [
                { side: p.school, contacts: detail.current.content.contacts_school },
                { side: p.institution, contacts: detail.current.content.contacts_institution },
              ]
                .filter(({ side }) => isAdmin(side.id))
                .map(({ side, contacts }) => (
                  <section class="card" key={side.id} aria-label={t("handover.section")}>
                    <Handover
                      partnershipId={p.id}
                      side={side}
                      contacts={contacts}
                      onChange={load}
                    />
                  </section>
                ))}
            <section class="card" aria-labelledby="history-heading">
              <h2 id="history-heading">{t("pship.history")}</h2>
              <ol class="history">
                {detail.versions.map((version, i) => (
                  <li key={version.id}>
                    {t("pship.version", { number: version.number })}:{" "}
                    {t(`pship.status.${version.status}` as MessageKey, { date: "" })}
                    {version.signed_at && ` · ${formatDate(version.signed_at, language())}`}
                    {i > 0 && (
                      <>
                        {" "}
                        <button
                          type="button"
                          class="button-quiet"
                          onClick={() => setCompare(detail.versions[i - 1])}
                        >
                          {t("pship.compare", { number: detail.versions[i - 1].number })}
                        </button>
                      </>
                    )}
                  </li>
                ))}
              </ol>
              {compare && (
                <Differences
                  from={compare}
                  to={detail.versions[detail.versions.findIndex((v) => v.id === compare.id) + 1].id}
                />
              )}
            </section>
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
