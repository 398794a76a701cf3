import { useState } from "preact/hooks";
import "../staff-forms.css";
import "./author.css";
import "../staff-messages";
import "./messages";
import "../teach/results-messages";
import { ApiError, api, type Schema } from "../api";
import { Alert, errorMessage, Page, RequireLogin, Status, TableScroll } from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";
import { TagLine } from "./competence-tags";
import { type Problem, problemsByPath, problemText } from "./problems";
import type { Trail, TrailSummary } from "./types";

/** What an import said: the problems that refused the file, or the notes on a trail it made. */
interface ImportReport {
  trail: Schema<"ImportedTrail"> | null;
  problems: Problem[];
}

export function statusText(trail: TrailSummary): string {
  if (!trail.latest_version) return t("author.draft");
  const published = t("author.published", { number: trail.latest_version.number });
  return trail.unpublished_changes ? `${published} · ${t("author.changed")}` : published;
}

export default function AuthorListPage() {
  const { me } = useSession();
  const institutions = (me?.memberships ?? [])
    .filter(
      (m) =>
        m.organisation.kind !== "school" &&
        (m.roles.includes("educator") || m.roles.includes("admin")),
    )
    .map((m) => m.organisation);
  const [archived, setArchived] = useState(false);
  const {
    data: trails,
    error: loadError,
    reload: load,
  } = useResource<TrailSummary[]>(me ? `/trails?page_size=200&archived=${archived}` : null);
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? loadError;
  const [status, setStatus] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const organisationField = (id: string) =>
    institutions.length > 1 && (
      <>
        <label for={id}>{t("author.institution")}</label>
        <select id={id} name="organisation_id">
          {institutions.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </>
    );
  const organisationOf = (form: FormData) =>
    Number(form.get("organisation_id") ?? institutions[0]?.id);

  const create = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      const trail = await api<Trail>("/trails", {
        method: "POST",
        body: { title: form.get("title"), organisation_id: organisationOf(form) },
      });
      navigate(`/author/trails/${trail.id}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const importFile = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const upload = new FormData();
    upload.append("file", form.get("file") as File);
    setReport(null);
    setError(null);
    try {
      const trail = await api<Schema<"ImportedTrail">>(
        `/organisations/${organisationOf(form)}/trails/import`,
        { form: upload },
      );
      // Notes (a station named for want of a name) are read here before the editor opens.
      if (trail.warnings.length) setReport({ trail, problems: trail.warnings });
      else navigate(`/author/trails/${trail.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === "invalid_trail")
        setReport({ trail: null, problems: problemsByPath(e.errors) });
      else setError(errorMessage(e));
    }
  };

  const act = async (trail: TrailSummary, action: "duplicate" | "archive" | "restore") => {
    setError(null);
    try {
      if (action === "duplicate") {
        const copy = await api<Trail>(`/trails/${trail.id}/duplicate`, { method: "POST" });
        setStatus(t("author.duplicated", { title: copy.title }));
      } else {
        await api(`/trails/${trail.id}`, {
          method: "PATCH",
          body: { archived: action === "archive" },
        });
        setStatus(
          t(action === "archive" ? "author.archivedDone" : "author.restored", {
            title: trail.title,
          }),
        );
      }
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <RequireLogin>
      <Page title={t("author.title")}>
        <Alert message={error} />
        <Status message={status} />
        <div class="toolbar">
          <label class="inline">
            <input
              type="checkbox"
              checked={archived}
              onChange={(e) => setArchived((e.target as HTMLInputElement).checked)}
            />
            {t("author.showArchived")}
          </label>
        </div>
        {trails === null ? (
          <p>{t("app.loading")}</p>
        ) : trails.length === 0 ? (
          <div class="empty">
            <p>
              <strong>{t("author.empty")}</strong>
            </p>
            <p>{t("author.emptyHint")}</p>
          </div>
        ) : (
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("author.trail")}</th>
                  <th scope="col">{t("author.status")}</th>
                  <th scope="col">{t("author.stations")}</th>
                  <th scope="col">{t("author.lastChange")}</th>
                  <th scope="col">{t("partners.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {trails.map((trail) => (
                  <tr key={trail.id}>
                    <th scope="row">
                      <a href={`/author/trails/${trail.id}`}>{trail.title}</a>
                      {institutions.length > 1 && (
                        <>
                          <br />
                          <small>{trail.organisation.name}</small>
                        </>
                      )}
                      <TagLine
                        subjects={trail.subjects}
                        grades={trail.grades}
                        mediaCompetences={trail.media_competences}
                      />
                    </th>
                    <td>{statusText(trail)}</td>
                    <td>{trail.station_count}</td>
                    <td>{formatDate(trail.updated_at, language())}</td>
                    <td class="actions">
                      {trail.latest_version && (
                        <a class="button-quiet" href={`/author/trails/${trail.id}/statistics`}>
                          {t("results.statistics")}
                        </a>
                      )}
                      <button
                        type="button"
                        class="button-quiet"
                        onClick={() => act(trail, "duplicate")}
                      >
                        {t("author.duplicate")}
                      </button>
                      <button
                        type="button"
                        class="button-quiet"
                        onClick={() => act(trail, trail.archived ? "restore" : "archive")}
                      >
                        {trail.archived ? t("author.restore") : t("author.archive")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {institutions.length > 0 && (
          <div class="cards">
            <form class="form card" onSubmit={create}>
              <h2>{t("author.new")}</h2>
              {organisationField("new-organisation")}
              <label for="new-title">{t("author.fieldTitle")}</label>
              <input id="new-title" name="title" required maxLength={200} />
              <button type="submit" class="button">
                {t("author.create")}
              </button>
            </form>
            <form class="form card" onSubmit={importFile}>
              <h2>{t("author.import")}</h2>
              <p>{t("author.importHint")}</p>
              {organisationField("import-organisation")}
              <label for="import-file">{t("author.importFile")}</label>
              <input
                id="import-file"
                name="file"
                type="file"
                accept=".zip,.geojson,.json,.umap,application/zip,application/geo+json"
                required
              />
              <button type="submit" class="button-quiet">
                {t("author.importSubmit")}
              </button>
              {report && (
                <div
                  role={report.trail ? "status" : "alert"}
                  class={report.trail ? "status" : "alert"}
                >
                  <p>
                    {report.trail
                      ? t("author.importWarningsFor", { title: report.trail.title })
                      : t("author.importFailed")}
                  </p>
                  <ul class="problems">
                    {report.problems.map((p) => (
                      <li key={p.path + p.code}>{problemText(p)}</li>
                    ))}
                  </ul>
                  {report.trail && (
                    <a class="button" href={`/author/trails/${report.trail.id}`}>
                      {report.trail.title}
                    </a>
                  )}
                </div>
              )}
            </form>
          </div>
        )}
      </Page>
    </RequireLogin>
  );
}
