/** The institutions' news to their partner schools: on the start page of both sides' staff,
 * with the form an institution's educators and admins post it with. */
import { useState } from "preact/hooks";
import { api, type OrganisationRef, type Schema } from "../api";
import { Alert, errorMessage, fieldTexts, Status } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import { useSession } from "../session";
import "./news-messages";

type News = Schema<"News">;

/** The institutions whose news the user writes: educators and admins of an institution. */
export function newsWriters(me: Schema<"Me"> | null): OrganisationRef[] {
  return (me?.memberships ?? [])
    .filter(
      (m) =>
        m.organisation.kind !== "school" &&
        (m.roles.includes("admin") || m.roles.includes("educator")),
    )
    .map((m) => m.organisation);
}

function NewsForm({
  institutions,
  onPosted,
}: {
  institutions: OrganisationRef[];
  onPosted: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [status, setStatus] = useState<string | null>(null);
  const post = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const institution = text("institution") || String(institutions[0].id);
    try {
      await api(`/organisations/${institution}/news`, {
        method: "POST",
        body: {
          title: text("title"),
          text: text("text"),
          link: text("link") || null,
          happens_on: text("happens_on") || null,
          public_from: text("public_from") || null,
        },
      });
      formElement.reset();
      setError(null);
      setErrors({});
      setStatus(t("news.posted"));
      onPosted();
    } catch (e) {
      setError(errorMessage(e));
      setErrors(fieldTexts(e));
      setStatus(null);
    }
  };
  const field = (name: string) =>
    errors[name]
      ? { "aria-invalid": "true" as const, "aria-describedby": `news-error-${name}` }
      : {};
  const fieldError = (name: string) =>
    errors[name] && (
      <p id={`news-error-${name}`} class="field-error">
        {errors[name].join(" ")}
      </p>
    );
  return (
    <form class="stacked" onSubmit={post} aria-labelledby="news-form-heading">
      <h3 id="news-form-heading">{t("news.write")}</h3>
      <Alert message={error} />
      <Status message={status} />
      {institutions.length > 1 && (
        <>
          <label for="news-institution">{t("news.institution")}</label>
          <select id="news-institution" name="institution">
            {institutions.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </>
      )}
      <label for="news-title">{t("news.titleLabel")}</label>
      <input id="news-title" name="title" required maxLength={200} {...field("title")} />
      {fieldError("title")}
      <label for="news-text">{t("news.text")}</label>
      <textarea id="news-text" name="text" rows={4} required maxLength={5000} {...field("text")} />
      {fieldError("text")}
      <label for="news-link">{t("news.link")}</label>
      <input id="news-link" name="link" type="url" placeholder="https://" {...field("link")} />
      {fieldError("link")}
      <label for="news-date">{t("news.date")}</label>
      <input id="news-date" name="happens_on" type="date" {...field("happens_on")} />
      <label for="news-public">{t("news.publicFrom")}</label>
      <input
        id="news-public"
        name="public_from"
        type="date"
        aria-describedby="news-public-hint"
        {...field("public_from")}
      />
      <p id="news-public-hint" class="hint">
        {t("news.publicHint")}
      </p>
      <div class="actions">
        <button type="submit">{t("news.post")}</button>
      </div>
    </form>
  );
}

/** News of my partners and of my institutions, newest first, and the form to write some. */
export function PartnerNews() {
  const { me } = useSession();
  const writers = newsWriters(me ?? null);
  const { data: items, error: loadError, reload } = useResource<News[]>("/news?page_size=20");
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const remove = async (news: News) => {
    if (!confirm(t("news.deleteConfirm", { title: news.title }))) return;
    try {
      await api(`/news/${news.id}`, { method: "DELETE" });
      reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section class="card news" aria-labelledby="news-heading">
      <h2 id="news-heading">{t("news.title")}</h2>
      <Alert message={error} />
      {items && items.length === 0 && <p>{t("news.none")}</p>}
      {items?.map((news) => (
        <article key={news.id} aria-labelledby={`news-${news.id}`}>
          <h3 id={`news-${news.id}`}>{news.title}</h3>
          <p class="hint">
            {news.institution.name} · {formatDate(news.published_at, language())}
            {news.happens_on &&
              ` · ${t("news.on", { date: formatDate(news.happens_on, language()) })}`}
          </p>
          {/* The server renders the Markdown and sanitises it. */}
          <div dangerouslySetInnerHTML={{ __html: news.text_html }} />
          {news.link && (
            <p>
              <a href={news.link} rel="noopener noreferrer nofollow">
                {t("news.more")}
              </a>
            </p>
          )}
          {writers.some((o) => o.id === news.institution.id) && (
            <button type="button" class="button-quiet" onClick={() => remove(news)}>
              {t("news.delete")}
            </button>
          )}
        </article>
      ))}
      {writers.length > 0 && <NewsForm institutions={writers} onPosted={reload} />}
    </section>
  );
}
