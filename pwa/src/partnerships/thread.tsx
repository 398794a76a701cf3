/** A partnership's thread: the messages of both sides, newest last, and the form to write one.
 * The admins of both sides and the agreement's named contacts read it (the server decides). */
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, type Schema, send } from "../api";
import { Alert, errorMessage, Status } from "../components";
import { formatDate, formatNumber, formatTime } from "../format";
import { language, t } from "../i18n";
import { useSession } from "../session";

type Message = Schema<"Message">;

const PAGE_SIZE = 50;
const EDIT_MINUTES = 15;
// New messages of the other side show up while the page is open.
const REFRESH_SECONDS = 30;

function when(iso: string): string {
  return `${formatDate(iso, language())}, ${formatTime(iso, language())}`;
}

function size(bytes: number): string {
  return bytes < 2 ** 20
    ? `${formatNumber(Math.max(1, Math.round(bytes / 1024)), language())} KB`
    : `${formatNumber(Math.round((bytes / 2 ** 20) * 10) / 10, language())} MB`;
}

/** Files one after the other, each checked by the server; the first refusal stops. */
async function attach(messageId: number, files: File[]): Promise<void> {
  for (const file of files) {
    const form = new FormData();
    form.append("file", file);
    await api(`/messages/${messageId}/attachments`, { form });
  }
}

function MessageItem({ message, onChange }: { message: Message; onChange: () => void }) {
  const { me } = useSession();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = message.author_id === me?.id;
  const recent = Date.now() - new Date(message.created_at).getTime() < EDIT_MINUTES * 60_000;
  const headingId = `message-${message.id}`;
  const save = async (event: Event) => {
    event.preventDefault();
    const body = String(new FormData(event.currentTarget as HTMLFormElement).get("body") ?? "");
    try {
      await api(`/messages/${message.id}`, { method: "PATCH", body: { body } });
      setEditing(false);
      setError(null);
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <li>
      <article class="message" aria-labelledby={headingId}>
        <header>
          <h3 id={headingId} class="message-author">
            {message.author_name} · {message.organisation.name}
          </h3>
          <time dateTime={message.created_at}>{when(message.created_at)}</time>
          {message.edited_at && <span class="hint"> · {t("thread.edited")}</span>}
        </header>
        <Alert message={error} />
        {editing ? (
          <form class="stacked" onSubmit={save}>
            <label for={`edit-${message.id}`}>{t("thread.editLabel")}</label>
            <textarea
              id={`edit-${message.id}`}
              name="body"
              rows={4}
              maxLength={10000}
              required
              defaultValue={message.body}
            />
            <div class="actions">
              <button type="submit">{t("thread.save")}</button>
              <button type="button" class="button-quiet" onClick={() => setEditing(false)}>
                {t("thread.cancel")}
              </button>
            </div>
          </form>
        ) : (
          // The server renders the Markdown and sanitises it.
          <div class="message-body" dangerouslySetInnerHTML={{ __html: message.body_html }} />
        )}
        {message.attachments.length > 0 && (
          <ul class="attachments" aria-label={t("thread.attachments")}>
            {message.attachments.map((file) => (
              <li key={file.id}>
                <a href={file.url} download={file.filename}>
                  {file.filename}
                </a>{" "}
                <span class="hint">({size(file.size)})</span>
              </li>
            ))}
          </ul>
        )}
        {mine && recent && !editing && (
          <button type="button" class="button-quiet" onClick={() => setEditing(true)}>
            {t("thread.edit")}
          </button>
        )}
      </article>
    </li>
  );
}

function Writing({ partnershipId, onSent }: { partnershipId: number; onSent: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const write = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const files = form.getAll("files").filter((f): f is File => f instanceof File && f.size > 0);
    setSending(true);
    try {
      const message = await api<Message>(`/partnerships/${partnershipId}/messages`, {
        method: "POST",
        body: { body: String(form.get("body") ?? "") },
      });
      formElement.reset();
      try {
        await attach(message.id, files);
        setError(null);
      } catch (e) {
        setError(t("thread.fileRefused", { reason: errorMessage(e) }));
      }
      setStatus(t("thread.sent"));
      onSent();
    } catch (e) {
      setError(errorMessage(e));
      setStatus(null);
    } finally {
      setSending(false);
    }
  };
  return (
    <form class="stacked" onSubmit={write} aria-labelledby="write-heading">
      <h3 id="write-heading">{t("thread.write")}</h3>
      <Alert message={error} />
      <Status message={status} />
      <label for="message-body">{t("thread.body")}</label>
      <textarea
        id="message-body"
        name="body"
        rows={4}
        maxLength={10000}
        required
        aria-describedby="message-hint"
      />
      <p id="message-hint" class="hint">
        {t("thread.bodyHint")}
      </p>
      <label for="message-files">{t("thread.files")}</label>
      <input
        id="message-files"
        name="files"
        type="file"
        multiple
        accept="application/pdf,image/jpeg,image/png,image/webp,image/gif"
      />
      <div class="actions">
        <button type="submit" disabled={sending}>
          {t("thread.send")}
        </button>
      </div>
    </form>
  );
}

/** The newest page of the thread, or an older one; the server counts them all. */
async function page(partnershipId: number, number: number) {
  const path = `/partnerships/${partnershipId}/messages?page=${number}&page_size=${PAGE_SIZE}`;
  const response = await send(path);
  const pagination = JSON.parse(response.headers.get("X-Pagination") ?? "{}");
  return { messages: (await response.json()) as Message[], total: Number(pagination.total ?? 0) };
}

/** The thread of one partnership, or why it is not shown. */
export function Thread({ partnershipId }: { partnershipId: number }) {
  const [newest, setNewest] = useState<Message[] | null>(null);
  const [older, setOlder] = useState<Message[]>([]);
  const [total, setTotal] = useState(0);
  const [closed, setClosed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const reload = () => setAsked((n) => n + 1);
  const failed = (caught: unknown) => {
    if (caught instanceof ApiError && caught.status === 403) setClosed(true);
    else setError(errorMessage(caught));
  };
  useEffect(() => {
    let current = true;
    page(partnershipId, 1).then(
      (answer) => {
        if (!current) return;
        setNewest(answer.messages);
        setTotal(answer.total);
        setError(null);
      },
      (caught: unknown) => current && failed(caught),
    );
    return () => {
      current = false;
    };
  }, [partnershipId, asked]);
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_SECONDS * 1000);
    return () => window.clearInterval(timer);
  }, []);
  // Newest last, as a conversation reads; a message that moved to an older page shows once.
  const shown = newest
    ? [...newest, ...older.filter((o) => !newest.some((n) => n.id === o.id))]
    : [];
  const messages = shown.sort((a, b) => a.id - b.id);
  const loadOlder = () =>
    page(partnershipId, Math.floor(messages.length / PAGE_SIZE) + 1).then(
      (answer) => setOlder([...older, ...answer.messages]),
      failed,
    );
  return (
    <section class="card" aria-labelledby="thread-heading">
      <h2 id="thread-heading">{t("thread.title")}</h2>
      {closed ? (
        <p>{t("thread.closed")}</p>
      ) : (
        <>
          <Alert message={error} />
          {total > messages.length && (
            <button type="button" class="button-quiet" onClick={loadOlder}>
              {t("thread.older", { count: total - messages.length })}
            </button>
          )}
          {newest && messages.length === 0 && <p>{t("thread.none")}</p>}
          {messages.length > 0 && (
            <ol class="thread" aria-labelledby="thread-heading">
              {messages.map((message) => (
                <MessageItem key={message.id} message={message} onChange={reload} />
              ))}
            </ol>
          )}
          {newest && <Writing partnershipId={partnershipId} onSent={reload} />}
        </>
      )}
    </section>
  );
}
