/** A partnership's annual plan, shared by both sides: the school year's items with their
 * status, a form for a new one, the reflection (which sets the next review) and the PDF. */
import { useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, fieldTexts, Status, TableScroll } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, type MessageKey, t } from "../i18n";
import { currentSchoolYear, schoolYearLabel } from "./school-year";

type Plan = Schema<"AnnualPlan">;
type Item = Schema<"PlanItem">;
type Offer = { id: number; title: string };

const STATUSES = ["planned", "agreed", "done", "dropped"] as const;

function when(item: Item): string {
  if (item.month) return t(`plan.month.${item.month}` as MessageKey);
  return item.term ? t("lernweg.term", { term: item.term }) : "–";
}

function forWhom(item: Item): string {
  const parts = [
    item.year_group ? t("lernweg.yearGroup", { year: item.year_group }) : "",
    item.class_label ?? "",
  ];
  return parts.filter(Boolean).join(", ") || "–";
}

function NewItem({ url, offers, onAdded }: { url: string; offers: Offer[]; onAdded: () => void }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const add = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const number = (name: string) => (text(name) ? Number(text(name)) : null);
    const when = text("when");
    try {
      await api(url, {
        method: "POST",
        body: {
          title: text("title"),
          month: when.startsWith("m") ? Number(when.slice(1)) : null,
          term: when.startsWith("t") ? Number(when.slice(1)) : null,
          year_group: number("year_group"),
          class_label: text("class_label"),
          responsible_school: text("responsible_school"),
          responsible_institution: text("responsible_institution"),
          trail_id: number("trail_id"),
        },
      });
      formElement.reset();
      setErrors({});
      setError(null);
      onAdded();
    } catch (e) {
      setError(errorMessage(e));
      setErrors(fieldTexts(e));
    }
  };
  const problem = (name: string) =>
    errors[name] && (
      <p id={`plan-error-${name}`} class="field-error">
        {errors[name].join(" ")}
      </p>
    );
  return (
    <form class="plan-form" onSubmit={add}>
      <h3>{t("plan.new")}</h3>
      <Alert message={error} />
      <label for="plan-title">{t("plan.what")}</label>
      <input
        id="plan-title"
        name="title"
        required
        maxLength={200}
        aria-invalid={errors.title ? "true" : undefined}
        aria-describedby={errors.title ? "plan-error-title" : undefined}
      />
      {problem("title")}
      <div class="two-columns">
        <div>
          <label for="plan-when">{t("plan.when")}</label>
          <select id="plan-when" name="when">
            <option value="">{t("plan.open")}</option>
            {[8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7].map((month) => (
              <option key={month} value={`m${month}`}>
                {t(`plan.month.${month}` as MessageKey)}
              </option>
            ))}
            <option value="t1">{t("lernweg.term", { term: 1 })}</option>
            <option value="t2">{t("lernweg.term", { term: 2 })}</option>
          </select>
        </div>
        <div>
          <label for="plan-offer">{t("plan.offer")}</label>
          <select id="plan-offer" name="trail_id">
            <option value="">{t("plan.noOffer")}</option>
            {offers.map((offer) => (
              <option key={offer.id} value={offer.id}>
                {offer.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="plan-year-group">{t("lernweg.yearGroupHeading")}</label>
          <input
            id="plan-year-group"
            name="year_group"
            type="number"
            min={1}
            max={13}
            inputMode="numeric"
          />
        </div>
        <div>
          <label for="plan-class">{t("plan.class")}</label>
          <input id="plan-class" name="class_label" maxLength={60} />
        </div>
        <div>
          <label for="plan-school">{t("plan.responsibleSchool")}</label>
          <input id="plan-school" name="responsible_school" maxLength={120} />
        </div>
        <div>
          <label for="plan-institution">{t("plan.responsibleInstitution")}</label>
          <input id="plan-institution" name="responsible_institution" maxLength={120} />
        </div>
      </div>
      <button type="submit">{t("plan.add")}</button>
    </form>
  );
}

function ReflectionForm({
  url,
  query,
  reflection,
  onSaved,
}: {
  url: string;
  query: string;
  reflection: Plan["reflection"];
  onSaved: (message: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    try {
      await api(`${url}/reflection${query}`, {
        method: "PUT",
        body: {
          went_well: text("went_well"),
          changes: text("changes"),
          next_review_on: text("next_review_on") || null,
        },
      });
      setError(null);
      onSaved(t("plan.reflectionSaved"));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form class="plan-form" onSubmit={save}>
      <h3>{t("plan.reflection")}</h3>
      <Alert message={error} />
      <label for="plan-went-well">{t("plan.wentWell")}</label>
      <textarea id="plan-went-well" name="went_well" rows={3} maxLength={5000}>
        {reflection?.went_well ?? ""}
      </textarea>
      <label for="plan-changes">{t("plan.changes")}</label>
      <textarea id="plan-changes" name="changes" rows={3} maxLength={5000}>
        {reflection?.changes ?? ""}
      </textarea>
      <label for="plan-review">{t("plan.nextReview")}</label>
      <input
        id="plan-review"
        name="next_review_on"
        type="date"
        value={reflection?.next_review_on ?? ""}
        aria-describedby="plan-review-hint"
      />
      <p id="plan-review-hint" class="hint">
        {t("plan.nextReviewHint")}
      </p>
      <button type="submit">{t("plan.saveReflection")}</button>
    </form>
  );
}

export function AnnualPlanSection({
  partnershipId,
  offers,
  onReviewChanged,
}: {
  partnershipId: number;
  offers: Offer[];
  /** The reflection's next review became the agreement's review date. */
  onReviewChanged: () => void;
}) {
  const [year, setYear] = useState(currentSchoolYear());
  const url = `/partnerships/${partnershipId}/plan`;
  const { data: plan, error: loadError, reload } = useResource<Plan>(`${url}?school_year=${year}`);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const query = `?school_year=${year}`;
  const setItemStatus = async (item: Item, value: string) => {
    try {
      await api(`/plan-items/${item.id}`, { method: "PATCH", body: { status: value } });
      setStatus(t("plan.statusSaved", { title: item.title }));
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const remove = async (item: Item) => {
    if (!confirm(t("plan.removeConfirm", { title: item.title }))) return;
    try {
      await api(`/plan-items/${item.id}`, { method: "DELETE" });
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section class="card" aria-labelledby="plan-heading">
      <h2 id="plan-heading">{t("plan.title")}</h2>
      <p>{t("plan.intro")}</p>
      <label for="plan-year">{t("lernweg.schoolYear")}</label>
      <select
        id="plan-year"
        value={year}
        onChange={(e) => setYear(Number((e.target as HTMLSelectElement).value))}
      >
        {[1, 0, -1, -2].map((offset) => {
          const y = currentSchoolYear() + offset;
          return (
            <option key={y} value={y}>
              {schoolYearLabel(y)}
            </option>
          );
        })}
      </select>
      <Alert message={error ?? loadError} />
      <Status message={status} />
      {plan && (
        <>
          {plan.items.length === 0 ? (
            <p>{t("plan.empty")}</p>
          ) : (
            <TableScroll>
              <table>
                <caption>{t("plan.caption", { year: plan.school_year })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("plan.what")}</th>
                    <th scope="col">{t("plan.when")}</th>
                    <th scope="col">{t("plan.forWhom")}</th>
                    <th scope="col">{t("plan.responsible")}</th>
                    <th scope="col">{t("plan.status")}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t("plan.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {plan.items.map((item) => (
                    <tr key={item.id}>
                      <th scope="row">
                        {item.title}
                        {item.trail_title && (
                          <>
                            <br />
                            <span class="hint">{item.trail_title}</span>
                          </>
                        )}
                        {item.visit_date && (
                          <>
                            <br />
                            <span class="hint">
                              {t("plan.visitOn", {
                                date: formatDate(item.visit_date, language()),
                              })}
                            </span>
                          </>
                        )}
                      </th>
                      <td>{when(item)}</td>
                      <td>{forWhom(item)}</td>
                      <td>
                        {[item.responsible_school, item.responsible_institution]
                          .filter(Boolean)
                          .join(" · ") || "–"}
                      </td>
                      <td>
                        <label class="visually-hidden" for={`plan-status-${item.id}`}>
                          {t("plan.statusOf", { title: item.title })}
                        </label>
                        <select
                          id={`plan-status-${item.id}`}
                          value={item.status}
                          onChange={(e) =>
                            setItemStatus(item, (e.target as HTMLSelectElement).value)
                          }
                        >
                          {STATUSES.map((value) => (
                            <option key={value} value={value}>
                              {t(`plan.status.${value}` as MessageKey)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <button type="button" class="button-quiet" onClick={() => remove(item)}>
                          {t("plan.remove")}
                          <span class="visually-hidden">: {item.title}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <p class="actions">
            <a class="button-quiet" href={`/api/v1${url}.pdf${query}`} download>
              {t("plan.pdf")}
            </a>
          </p>
          <NewItem url={`${url}${query}`} offers={offers} onAdded={reload} />
          <ReflectionForm
            key={`${year}-${plan.reflection?.updated_at ?? ""}`}
            url={url}
            query={query}
            reflection={plan.reflection}
            onSaved={(message) => {
              setStatus(message);
              reload();
              onReviewChanged();
            }}
          />
        </>
      )}
    </section>
  );
}
