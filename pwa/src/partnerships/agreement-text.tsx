import "./messages";
import { formatDate, formatTime } from "../format";
import { language, type MessageKey, t } from "../i18n";
import { AnchoringTable } from "./anchoring";
import { OfferTags } from "./offer-tags";
import { templateLine } from "./templates";
import type { Agreement, Contact } from "./types";

const day = (iso: string | null) => (iso ? formatDate(iso, language()) : "–");

export function statusText(agreement: Agreement): string {
  return t(`pship.status.${agreement.status}` as MessageKey, { date: day(agreement.starts_on) });
}

export function Warnings({ warnings }: { warnings: string[] }) {
  if (!warnings.length) return null;
  return (
    <div role="status">
      <ul class="warnings">
        {warnings.map((warning) => (
          <li key={warning}>⚠ {t(`pship.warning.${warning}` as MessageKey)}</li>
        ))}
      </ul>
    </div>
  );
}

function Paragraphs({ text }: { text: string }) {
  const parts = text.split(/\n{2,}/).filter((part) => part.trim());
  return parts.length ? parts.map((part, i) => <p key={i}>{part}</p>) : <p>–</p>;
}

/** Contacts edited as text, one per line: "Name; Funktion; E-Mail; Telefon". Empty fields keep
 * their place, so an e-mail without a role stays an e-mail. */
export function contactLines(contacts: Contact[]): string {
  return contacts
    .map((c) => {
      const parts = [c.name, c.role, c.email ?? "", c.phone ?? ""];
      while (parts.length > 1 && !parts[parts.length - 1]) parts.pop();
      return parts.join("; ");
    })
    .join("\n");
}

/** One contact as people read it. */
export function contactText(c: Contact): string {
  return [c.name, c.role, c.email, c.phone].filter(Boolean).join(", ");
}

export function parseContacts(text: string): Contact[] {
  return text
    .split("\n")
    .map((line) => line.split(";").map((part) => part.trim()))
    .filter(([name]) => name)
    .map(([name, role = "", email = "", phone = ""]) => ({
      name,
      role,
      email: email || null,
      phone: phone || null,
    }));
}

function Contacts({ contacts }: { contacts: Contact[] }) {
  if (!contacts.length) return <p>–</p>;
  return (
    <ul>
      {contacts.map((c, i) => (
        <li key={i}>{contactText(c)}</li>
      ))}
    </ul>
  );
}

/** The agreement as both sides read and sign it: the same sections on screen and on paper. */
export function AgreementText({ agreement }: { agreement: Agreement }) {
  const { school, institution } = agreement.partnership;
  const c = agreement.content;
  const signatures = new Map(agreement.signatures.map((s) => [s.organisation.id, s]));
  return (
    <article class="agreement-text">
      {agreement.template && <p class="hint">{templateLine(agreement.template)}</p>}
      <h3>{t("pship.section.partners")}</h3>
      <p>
        {school.name} · {institution.name}
      </p>
      <h3>{t("pship.section.goals")}</h3>
      <Paragraphs text={c.goals} />
      <h3>{t("pship.section.activities")}</h3>
      <Paragraphs text={c.activities} />
      <ul class="offers">
        {agreement.trails.map((trail) => (
          <li key={trail.id}>
            <strong>{trail.title}</strong>
            <OfferTags
              subjects={trail.subjects}
              grades={trail.grades}
              competences={trail.media_competences}
            />
            {trail.description && <p>{trail.description}</p>}
          </li>
        ))}
      </ul>
      <h3>{t("pship.section.subjects")}</h3>
      <p>
        {c.subjects.join(", ") || "–"} · {c.grades.join(", ") || "–"}
      </p>
      <Paragraphs text={c.curriculum} />
      {(c.anchoring ?? []).length > 0 && (
        <AnchoringTable
          caption={t("anchoring.title")}
          rows={(c.anchoring ?? []).map((row) => ({
            ...row,
            offer: agreement.trails.find((trail) => trail.id === row.trail_id)?.title ?? row.offer,
          }))}
        />
      )}
      <h3>{t("pship.section.contacts")}</h3>
      <div class="two-columns">
        <div>
          <h4>{school.name}</h4>
          <Contacts contacts={c.contacts_school} />
        </div>
        <div>
          <h4>{institution.name}</h4>
          <Contacts contacts={c.contacts_institution} />
        </div>
      </div>
      <h3>{t("pship.section.frame")}</h3>
      <p>{t("pship.visitsPerYear", { count: c.visits_per_year ?? "–" })}</p>
      <p>{t("pship.booking", { value: t(c.booking_privilege ? "pship.yes" : "pship.no") })}</p>
      <p>{t("pship.costs", { value: c.costs || "–" })}</p>
      <h3>{t("pship.section.term")}</h3>
      <p>
        {t("pship.termLine", {
          start: day(agreement.starts_on),
          end: agreement.ends_on ? day(agreement.ends_on) : t("pship.openEnded"),
        })}
      </p>
      <p>{t("pship.reviewLine", { date: day(agreement.review_on) })}</p>
      {agreement.ended_on && <p>{t("pship.ended", { date: day(agreement.ended_on) })}</p>}
      <h3>{t("pship.section.signatures")}</h3>
      <div class="two-columns signatures">
        {[school, institution].map((side) => {
          const signature = signatures.get(side.id);
          return (
            <div key={side.id} class="signature">
              <h4>{side.name}</h4>
              {signature ? (
                <p>
                  {t("pship.signedBy", {
                    name: signature.signer_name,
                    role: signature.signer_role,
                    date: `${formatDate(signature.signed_at, language())} ${formatTime(signature.signed_at, language())}`,
                  })}
                </p>
              ) : (
                <p class="hint">{t("pship.awaiting", { organisation: side.name })}</p>
              )}
            </div>
          );
        })}
      </div>
    </article>
  );
}
