/** Mustervereinbarungen: the network office writes and publishes its district's (a site admin
 * the state's); the agreement editor shows a section's guiding questions and marks what the
 * template requires; a newer version is offered to a draft with what it changes. */
import "../staff-forms.css";
import "./messages";
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, Status } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, type MessageKey, t } from "../i18n";
import { useSession } from "../session";

type Template = Schema<"Template">;
type TemplateVersion = Schema<"TemplateVersion">;
export type TemplateGuide = Schema<"TemplateGuide">;
export type TemplateUpdate = Schema<"TemplateUpdate">;
type Sections = Schema<"TemplateSections">;

/** The agreement editor's sections a template guides, in their order. */
export const SECTIONS = [
  "goals",
  "activities",
  "subjects",
  "anchoring",
  "contacts",
  "frame",
  "term",
] as const;
type Section = (typeof SECTIONS)[number];

/** The checks a template may require, in the server's order. */
const REQUIREMENTS = [
  "goals",
  "activities",
  "learning_offer",
  "subjects",
  "grades",
  "anchoring",
  "contacts_school",
  "contacts_institution",
  "visits_per_year",
  "costs",
  "ends_on",
  "review_on",
] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export function sectionTitle(section: string): string {
  return t(
    section === "anchoring" ? "anchoring.title" : (`pship.section.${section}` as MessageKey),
  );
}

const requirementText = (name: string) => t(`tmpl.required.${name}` as MessageKey);

/** "Nach der Mustervereinbarung »…«, Fassung n" */
export function templateLine(template: TemplateGuide): string {
  return t("tmpl.line", { title: template.template.title, number: template.number });
}

/** A section's introduction and guiding questions, above its fields. */
export function Guide({
  template,
  section,
}: {
  template: TemplateGuide | null | undefined;
  section: Section;
}) {
  const guide = template?.sections[section];
  if (!guide || (!guide.introduction && !guide.questions.length)) return null;
  return (
    <div class="template-guide">
      {guide.introduction && <p>{guide.introduction}</p>}
      {guide.questions.length > 0 && (
        <>
          <p class="hint">{t("tmpl.questions")}</p>
          <ul>
            {guide.questions.map((question) => (
              <li key={question}>{question}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** "(Pflichtangabe)" after a field's label when the template requires it. */
export function RequiredMark({
  template,
  name,
}: {
  template: TemplateGuide | null | undefined;
  name: Requirement;
}) {
  if (!template?.required.includes(name)) return null;
  return <span class="required-mark"> ({t("tmpl.requiredMark")})</span>;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (typeof value === "boolean") return t(value ? "pship.yes" : "pship.no");
  return String(value);
}

function differenceText(difference: Schema<"TemplateDifference">): string {
  const { change, name, before, after } = difference;
  if (
    change === "question_added" ||
    change === "question_removed" ||
    change === "introduction_changed"
  )
    return t(`tmpl.change.${change}` as MessageKey, {
      section: sectionTitle(name),
      before: show(before),
      after: show(after),
    });
  if (change === "suggestion_changed")
    return t("tmpl.change.suggestion_changed", {
      name: t(`pship.diff.${name}` as MessageKey),
      before: show(before),
      after: show(after),
    });
  return t(`tmpl.change.${change}` as MessageKey, { name: requirementText(name) });
}

/** On a draft of an older version: the newer one, what it changes, and a button to adopt it. */
export function TemplateOffer({
  agreement,
  update,
  onAdopted,
}: {
  agreement: { id: number; template?: TemplateGuide | null };
  update: TemplateUpdate;
  onAdopted: (message: string) => void;
}) {
  const agreementId = agreement.id;
  const [error, setError] = useState<string | null>(null);
  const adopt = async () => {
    try {
      await api(`/agreements/${agreementId}/template`, {
        method: "PUT",
        body: { template_version_id: update.version.id },
      });
      onAdopted(t("tmpl.adopted", { number: update.version.number }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section class="card template-offer" aria-labelledby="template-offer-heading">
      <h3 id="template-offer-heading">{t(agreement.template ? "tmpl.offer" : "tmpl.offerNew")}</h3>
      <p>
        {t(agreement.template ? "tmpl.offerIntro" : "tmpl.offerFirst", {
          title: update.version.template.title,
          number: update.version.number,
        })}
      </p>
      <Alert message={error} />
      <ul>
        {update.differences.map((difference, i) => (
          <li key={i}>{differenceText(difference)}</li>
        ))}
      </ul>
      <button type="button" onClick={adopt}>
        {t(agreement.template ? "tmpl.adopt" : "tmpl.adoptFirst")}
      </button>
    </section>
  );
}

/** Which Mustervereinbarung the draft follows, where the school's district has several (one
 * per quarter, say) or the state's applies too. */
export function TemplateChoice({
  agreement,
  partnershipId,
  onChosen,
}: {
  agreement: { id: number; template?: TemplateGuide | null };
  partnershipId: number;
  onChosen: (message: string) => void;
}) {
  const templates = useResource<Template[]>(`/partnerships/${partnershipId}/templates`).data ?? [];
  const [error, setError] = useState<string | null>(null);
  const current = agreement.template?.template.id;
  if (templates.length < 2) return null;
  const choose = async (event: Event) => {
    event.preventDefault();
    const chosen = templates.find(
      (template) =>
        template.id ===
        Number(new FormData(event.currentTarget as HTMLFormElement).get("template")),
    );
    const latest = chosen?.published[chosen.published.length - 1];
    if (!chosen || !latest) return;
    try {
      await api(`/agreements/${agreement.id}/template`, {
        method: "PUT",
        body: { template_version_id: latest.id },
      });
      onChosen(t("tmpl.chosen", { title: chosen.title, number: latest.number }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form class="inline-form" onSubmit={choose}>
      <Alert message={error} />
      <label for="template-choice">{t("tmpl.choose")}</label>
      <select
        id="template-choice"
        name="template"
        defaultValue={String(current ?? templates[0].id)}
      >
        {templates.map((template) => (
          <option key={template.id} value={template.id}>
            {template.title}
            {template.area && ` (${template.area})`}
            {template.district === null && ` · ${t("tmpl.state")}`}
          </option>
        ))}
      </select>
      <button type="submit" class="button-quiet">
        {t("tmpl.chooseButton")}
      </button>
    </form>
  );
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** A draft version: per section an introduction and guiding questions (one a line), the
 * required checks, the suggested values; saved as a whole, then published. */
function DraftEditor({
  draft,
  onChange,
}: {
  draft: TemplateVersion;
  onChange: (message: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const id = `template-${draft.id}`;
  const body = (form: FormData) => {
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const sections: Sections = {};
    for (const section of SECTIONS)
      sections[section] = {
        introduction: text(`${section}-introduction`),
        questions: lines(text(`${section}-questions`)),
      };
    return {
      sections,
      required: form.getAll("required").map(String),
      suggestions: {
        visits_per_year: text("visits_per_year") ? Number(text("visits_per_year")) : null,
        booking_privilege: form.get("booking_privilege") === "on",
        costs: text("costs"),
      },
    };
  };
  const save = async (form: HTMLFormElement) => {
    await api(`/agreement-template-versions/${draft.id}`, {
      method: "PUT",
      body: body(new FormData(form)),
    });
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await save(event.currentTarget as HTMLFormElement);
      setError(null);
      onChange(t("pship.saved"));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const publish = async (event: Event) => {
    const form = (event.currentTarget as HTMLButtonElement).form;
    if (!form || !confirm(t("tmpl.publishConfirm"))) return;
    try {
      await save(form);
      await api(`/agreement-template-versions/${draft.id}/publish`, { method: "POST" });
      onChange(t("tmpl.published", { number: draft.number }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const discard = async () => {
    if (!confirm(t("tmpl.discardConfirm"))) return;
    try {
      await api(`/agreement-template-versions/${draft.id}`, { method: "DELETE" });
      onChange(t("tmpl.discarded"));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const s = draft.suggestions;
  return (
    <form class="agreement-editor" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>{t("tmpl.draft", { number: draft.number })}</h4>
      <Alert message={error} />
      {SECTIONS.map((section) => (
        <fieldset key={section}>
          <legend>{sectionTitle(section)}</legend>
          <label for={`${id}-${section}-introduction`}>{t("tmpl.introduction")}</label>
          <textarea
            id={`${id}-${section}-introduction`}
            name={`${section}-introduction`}
            rows={2}
            maxLength={2000}
          >
            {draft.sections[section]?.introduction ?? ""}
          </textarea>
          <label for={`${id}-${section}-questions`}>{t("tmpl.questionsLabel")}</label>
          <textarea id={`${id}-${section}-questions`} name={`${section}-questions`} rows={3}>
            {(draft.sections[section]?.questions ?? []).join("\n")}
          </textarea>
        </fieldset>
      ))}
      <fieldset class="checks">
        <legend>{t("tmpl.requiredLegend")}</legend>
        {REQUIREMENTS.map((name) => (
          <label key={name}>
            <input
              type="checkbox"
              name="required"
              value={name}
              defaultChecked={draft.required.includes(name)}
            />{" "}
            {requirementText(name)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t("tmpl.suggestions")}</legend>
        <label for={`${id}-visits`}>{t("pship.field.visitsPerYear")}</label>
        <input
          id={`${id}-visits`}
          name="visits_per_year"
          type="number"
          min={0}
          max={365}
          defaultValue={s.visits_per_year ?? ""}
        />
        <label class="check">
          <input type="checkbox" name="booking_privilege" defaultChecked={s.booking_privilege} />{" "}
          {t("pship.field.bookingPrivilege")}
        </label>
        <label for={`${id}-costs`}>{t("pship.field.costs")}</label>
        <textarea id={`${id}-costs`} name="costs" rows={2} maxLength={2000}>
          {s.costs}
        </textarea>
      </fieldset>
      <div class="actions">
        <button type="submit">{t("pship.save")}</button>
        <button type="button" onClick={publish}>
          {t("tmpl.publish")}
        </button>
        <button type="button" class="button-quiet" onClick={discard}>
          {t("tmpl.discard")}
        </button>
      </div>
    </form>
  );
}

function Published({ version }: { version: TemplateVersion }) {
  const required = version.required.map(requirementText).join(", ") || "–";
  return (
    <details>
      <summary>
        {t("pship.version", { number: version.number })} ·{" "}
        {t("tmpl.publishedOn", {
          date: version.published_at ? formatDate(version.published_at, language()) : "–",
          name: version.published_by ?? "–",
        })}
      </summary>
      <dl class="template-published">
        {SECTIONS.filter((section) => version.sections[section]).map((section) => (
          <div key={section}>
            <dt>{sectionTitle(section)}</dt>
            <dd>
              {version.sections[section]?.introduction}
              <ul>
                {(version.sections[section]?.questions ?? []).map((question) => (
                  <li key={question}>{question}</li>
                ))}
              </ul>
            </dd>
          </div>
        ))}
        <div>
          <dt>{t("tmpl.requiredLegend")}</dt>
          <dd>{required}</dd>
        </div>
        <div>
          <dt>{t("tmpl.suggestions")}</dt>
          <dd>
            {t("pship.visitsPerYear", { count: show(version.suggestions.visits_per_year) })} ·{" "}
            {t("pship.booking", { value: show(version.suggestions.booking_privilege) })} ·{" "}
            {t("pship.costs", { value: show(version.suggestions.costs) })}
          </dd>
        </div>
      </dl>
    </details>
  );
}

/** Whether the user writes the Mustervereinbarungen of this district (null: the state's). */
function useEditor(district: string | null): boolean {
  const { me } = useSession();
  return !!me?.is_site_admin || (district !== null && me?.network_office_district === district);
}

function TemplateCard({
  template,
  onChange,
}: {
  template: Template;
  onChange: (m: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const editable = useEditor(template.district);
  const newVersion = async () => {
    try {
      await api(`/agreement-templates/${template.id}/versions`, { method: "POST" });
      onChange(t("tmpl.newVersionStarted"));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <article class="template-card">
      <h3>
        {template.title}
        {template.area && ` · ${template.area}`}
      </h3>
      <Alert message={error} />
      {template.published.length === 0 && <p class="hint">{t("tmpl.nothingPublished")}</p>}
      {template.published.map((version) => (
        <Published key={version.id} version={version} />
      ))}
      {template.draft && (
        <DraftEditor key={template.draft.id} draft={template.draft} onChange={onChange} />
      )}
      {editable && !template.draft && (
        <button type="button" class="button-quiet" onClick={newVersion}>
          {t("tmpl.newVersion")}
        </button>
      )}
    </article>
  );
}

/** The Mustervereinbarungen of a district (null: the state's), on the district page. */
function TemplateList({ district }: { district: string | null }) {
  const query = district ? `?district=${encodeURIComponent(district)}` : "";
  const { data, error, reload } = useResource<Template[]>(`/agreement-templates${query}`);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const editor = useEditor(district);
  const changed = (message: string) => {
    setStatus(message);
    reload();
  };
  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    try {
      await api("/agreement-templates", {
        method: "POST",
        body: {
          district,
          title: String(fields.get("title") ?? "").trim(),
          area: String(fields.get("area") ?? "").trim(),
        },
      });
      form.reset();
      setFailure(null);
      changed(t("tmpl.created"));
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  const id = district ? "templates-district" : "templates-state";
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{district ? t("tmpl.title") : t("tmpl.stateTitle")}</h2>
      <p class="hint">{t(district ? "tmpl.intro" : "tmpl.stateIntro")}</p>
      <Alert message={error ?? failure} />
      <Status message={status} />
      {data?.length === 0 && <p>{t("tmpl.none")}</p>}
      {data?.map((template) => (
        <TemplateCard key={template.id} template={template} onChange={changed} />
      ))}
      {editor && (
        <>
          <h3 id={`${id}-new`}>{t("tmpl.create")}</h3>
          <form class="inline-form" onSubmit={create} aria-labelledby={`${id}-new`}>
            <label for={`${id}-title`}>{t("tmpl.titleLabel")}</label>
            <input id={`${id}-title`} name="title" required maxLength={200} />
            <label for={`${id}-area`}>{t("tmpl.area")}</label>
            <input id={`${id}-area`} name="area" maxLength={120} />
            <button type="submit">{t("tmpl.createButton")}</button>
          </form>
        </>
      )}
    </section>
  );
}

/** On the district page: its Mustervereinbarungen, and the state's for a site admin. */
export function DistrictTemplates({ district }: { district: string }) {
  const { me } = useSession();
  return (
    <>
      <TemplateList district={district} />
      {me?.is_site_admin && <TemplateList district={null} />}
    </>
  );
}
