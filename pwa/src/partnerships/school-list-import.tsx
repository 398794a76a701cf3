/** Importing the state's school list (schuldaten.csv of the Schulgrunddaten NRW): a check
 * first if wanted, then the counts and every row left out with its line. */
import { useState } from "preact/hooks";
import { ApiError, api, type Schema } from "../api";
import { Alert, errorMessage, Status } from "../components";
import { formatNumber } from "../format";
import { language, type MessageKey, t } from "../i18n";

type Report = Schema<"ImportReport">;
type Problem = { line: number; code: string; params?: Record<string, unknown> };

function problemText(problem: Problem): string {
  const params = Object.fromEntries(
    Object.entries(problem.params ?? {}).map(([key, value]) => [key, String(value)]),
  );
  const key = `schoolList.problem.${problem.code}` as MessageKey;
  const text = t(key, params);
  return t("schoolList.line", {
    line: problem.line,
    text: text === key ? problem.code : text,
  });
}

/** The problems of a refused file: by line, as the server's `errors` name them. */
function refusedProblems(error: unknown): Problem[] {
  if (!(error instanceof ApiError) || error.code !== "invalid_school_list") return [];
  return Object.values(error.errors as unknown as Record<string, Problem[]>).flat();
}

export function SchoolListImport({ onImported }: { onImported: () => void }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const file = form.get("file");
    if (!(file instanceof File) || !file.size) {
      setError(t("schoolList.chooseFile"));
      return;
    }
    const body = new FormData();
    body.append("file", file);
    setBusy(true);
    setError(null);
    setRefused([]);
    setReport(null);
    try {
      const check = form.get("check") ? "?check=true" : "";
      const answer = await api<Report>(`/registry/schools/import${check}`, { form: body });
      setReport(answer);
      if (answer.saved) onImported();
    } catch (caught) {
      setError(errorMessage(caught));
      setRefused(refusedProblems(caught));
    } finally {
      setBusy(false);
    }
  };

  const number = (value: number) => formatNumber(value, language());
  return (
    <section class="card" aria-labelledby="school-list-heading">
      <h2 id="school-list-heading">{t("schoolList.title")}</h2>
      <p>{t("schoolList.intro")}</p>
      <form onSubmit={submit}>
        <label for="school-list-file">{t("schoolList.file")}</label>
        <input id="school-list-file" name="file" type="file" accept=".csv,text/csv" required />
        <label class="inline">
          <input type="checkbox" name="check" value="1" /> {t("schoolList.checkOnly")}
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t("schoolList.busy") : t("schoolList.submit")}
        </button>
      </form>
      <Alert message={error} />
      {refused.length > 0 && (
        <ul>
          {refused.map((problem) => (
            <li key={`${problem.line}-${problem.code}`}>{problemText(problem)}</li>
          ))}
        </ul>
      )}
      <Status
        message={
          report &&
          t(report.saved ? "schoolList.done" : "schoolList.checked", {
            created: number(report.created),
            updated: number(report.updated),
            unchanged: number(report.unchanged),
            other: number(report.other_districts),
            left: number(report.problems.length),
          })
        }
      />
      {report && report.problems.length > 0 && (
        <>
          <h3>{t("schoolList.leftOut")}</h3>
          <ul>
            {report.problems.map((problem) => (
              <li key={`${problem.line}-${problem.code}`}>{problemText(problem)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
