/** The teacher's messages to the phones, from the live board: to every team or one; each
 * message says which teams have not read it yet. */
import { useEffect, useState } from "preact/hooks";
import { api, type Schema } from "../api";
import { Alert, errorMessage, fieldTexts } from "../components";
import { formatTime } from "../format";
import { useResource } from "../hooks";
import { language, t } from "../i18n";

type VisitMessage = Schema<"VisitMessage">;
type LiveTeam = Schema<"LiveTeam">;

const MAX_LENGTH = 200;
const SUGGESTIONS = ["teach.messageSuggestion.meet", "teach.messageSuggestion.time"] as const;

export function VisitMessages({
  visitId,
  teams,
  updated,
}: {
  visitId: number;
  teams: LiveTeam[];
  /** When the live board last changed: a team may have read a message. */
  updated: Date | null;
}) {
  const path = `/visits/${visitId}/messages`;
  const { data: messages, reload, setData } = useResource<VisitMessage[]>(path);
  const [text, setText] = useState("");
  const [teamId, setTeamId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => reload(), [updated?.getTime()]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const sent = await api<VisitMessage>(path, {
        method: "POST",
        body: { text, team_id: teamId ? Number(teamId) : null },
      });
      setData([sent, ...(messages ?? [])]);
      setText("");
      setError(null);
      setProblems({});
    } catch (e) {
      // What the teacher wrote stays in the field, to send again.
      setError(errorMessage(e));
      setProblems(fieldTexts(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="messages-heading">
      <h3 id="messages-heading">{t("teach.messagesTitle")}</h3>
      <form class="stack" onSubmit={submit}>
        <Alert message={error} />
        <label for="message-text">{t("teach.messageText")}</label>
        <textarea
          id="message-text"
          rows={2}
          maxLength={MAX_LENGTH}
          required
          value={text}
          aria-describedby="message-text-hint"
          aria-invalid={problems.text ? true : undefined}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
        <p id="message-text-hint" class="hint">
          {problems.text?.join(" ") ??
            t("teach.messageLength", { count: text.length, max: MAX_LENGTH })}
        </p>
        <div class="actions">
          {SUGGESTIONS.map((key) => (
            <button key={key} type="button" class="button-quiet" onClick={() => setText(t(key))}>
              {t(key)}
            </button>
          ))}
        </div>
        <label for="message-team">{t("teach.messageTo")}</label>
        <select
          id="message-team"
          value={teamId}
          onChange={(e) => setTeamId((e.target as HTMLSelectElement).value)}
        >
          <option value="">{t("teach.messageToAll")}</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
        <button type="submit" class="button" disabled={busy}>
          {t("teach.messageSend")}
        </button>
      </form>
      {messages && messages.length > 0 && (
        <ol class="sent-messages" reversed>
          {messages.map((message) => (
            <li key={message.id}>
              <p>
                <time dateTime={message.sent_at}>{formatTime(message.sent_at, language())}</time> ·{" "}
                {message.team ? message.team.name : t("teach.messageToAll")}:{" "}
                <strong>{message.text}</strong>
              </p>
              <p class="hint">
                {message.unread.length
                  ? t("teach.messageUnread", {
                      teams: message.unread.map((team) => team.name).join(", "),
                    })
                  : t("teach.messageReadByAll")}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
