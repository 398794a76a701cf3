import { useState } from "preact/hooks";
import { api } from "../api";
import { Alert, errorMessage } from "../components";
import { formatDate } from "../format";
import { language, t } from "../i18n";
import type { VisitInfo } from "./teach";

/** What parents see on a souvenir page, for the teacher who turns them on. */
export function SouvenirNote({ id, deletesAt }: { id: string; deletesAt?: string }) {
  return (
    <div class="hint" id={id}>
      <p>{t("souvenirs.note")}</p>
      <p>
        {deletesAt
          ? t("souvenirs.noteGoneOn", { date: formatDate(deletesAt, language()) })
          : t("souvenirs.noteGone")}
      </p>
    </div>
  );
}

/** Turn a visit's souvenir pages on or off; the letters to parents to print. */
export function SouvenirSettings({
  visit,
  onChange,
}: {
  visit: VisitInfo;
  onChange: (visit: VisitInfo) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const toggle = async (souvenirs: boolean) => {
    try {
      onChange(
        await api<VisitInfo>(`/visits/${visit.id}`, { method: "PATCH", body: { souvenirs } }),
      );
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const base = `/api/v1/visits/${visit.id}`;
  return (
    <section class="card" aria-labelledby="souvenirs-heading">
      <h2 id="souvenirs-heading">{t("souvenirs.title")}</h2>
      <Alert message={error} />
      <label class="inline">
        <input
          type="checkbox"
          checked={visit.souvenirs}
          aria-describedby="souvenirs-note"
          onChange={(e) => toggle(e.currentTarget.checked)}
        />
        {t("souvenirs.enable")}
      </label>
      <SouvenirNote id="souvenirs-note" deletesAt={visit.deletes_data_at} />
      {visit.souvenirs && (
        <div class="actions">
          <a class="button" href={`/teach/visits/${visit.id}/results`}>
            {t("souvenirs.approveThere")}
          </a>
          <a class="button-quiet" href={`${base}/parents-letter.pdf?lang=de`} download>
            {t("souvenirs.letters")}
          </a>
        </div>
      )}
    </section>
  );
}

/** The teacher shows one photo or text answer on its team's souvenir page, or no longer. */
export function SouvenirApproval({
  visitId,
  eventId,
  team,
  approved,
  onSaved,
}: {
  visitId: number;
  eventId: number;
  team: string;
  approved: boolean;
  onSaved: (message: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const save = async (on: boolean) => {
    try {
      await api(`/visits/${visitId}/answers/${eventId}/souvenir`, {
        method: "PUT",
        body: { approved: on },
      });
      setError(null);
      onSaved(t(on ? "souvenirs.approved" : "souvenirs.withdrawn", { team }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <label class="inline souvenir-approval">
        <input type="checkbox" checked={approved} onChange={(e) => save(e.currentTarget.checked)} />
        {t("souvenirs.approve")}
        <span class="visually-hidden"> ({team})</span>
      </label>
      <Alert message={error} />
    </>
  );
}
