/** A named contact of my side leaves: an admin of the side names a member as successor, who
 * takes the contact's place in the agreement and reads the thread with its history. */
import "../staff-forms.css";
import { useState } from "preact/hooks";
import { api, type OrganisationRef, type Schema } from "../api";
import { Alert, errorMessage, Status } from "../components";
import { useResource } from "../hooks";
import { t } from "../i18n";
import type { Contact } from "./types";

type Member = Schema<"Member">;

export function Handover({
  partnershipId,
  side,
  contacts,
  onChange,
}: {
  partnershipId: number;
  side: OrganisationRef;
  contacts: Contact[];
  onChange: () => void;
}) {
  const members =
    useResource<Member[]>(`/organisations/${side.id}/members?page_size=200`).data ?? [];
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const named = contacts.filter((c) => c.email);
  const prefix = `handover-${side.id}`;
  if (named.length === 0) return null;
  const handOver = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const role = String(form.get("role") ?? "").trim();
    try {
      const done = await api<Schema<"Handover">>(`/partnerships/${partnershipId}/handovers`, {
        method: "POST",
        body: {
          organisation_id: side.id,
          predecessor_email: String(form.get("predecessor")),
          successor_id: Number(form.get("successor")),
          role: role || null,
        },
      });
      setError(null);
      setStatus(t("handover.done", { from: done.predecessor.name, to: done.successor.name }));
      onChange();
    } catch (e) {
      setError(errorMessage(e));
      setStatus(null);
    }
  };
  return (
    <form class="inline-form" onSubmit={handOver} aria-labelledby={`${prefix}-heading`}>
      <h3 id={`${prefix}-heading`}>{t("handover.title", { side: side.name })}</h3>
      <Alert message={error} />
      <Status message={status} />
      <label for={`${prefix}-predecessor`}>{t("handover.predecessor")}</label>
      <select id={`${prefix}-predecessor`} name="predecessor" required>
        {named.map((c) => (
          <option key={c.email} value={c.email ?? ""}>
            {c.name}
          </option>
        ))}
      </select>
      <label for={`${prefix}-successor`}>{t("handover.successor")}</label>
      <select id={`${prefix}-successor`} name="successor" required>
        {members.map((m) => (
          <option key={m.user.id} value={m.user.id}>
            {m.user.display_name}
          </option>
        ))}
      </select>
      <label for={`${prefix}-role`}>{t("handover.role")}</label>
      <input id={`${prefix}-role`} name="role" maxLength={120} />
      <button type="submit">{t("handover.button")}</button>
    </form>
  );
}
