/** A station as students see it: its text, pictures and sounds, then its tasks one by one,
 * each with hints and instant feedback. Used by the play area and the editor's preview. */
import { useState } from "preact/hooks";
import "./play.css";
import { ApiError, type Schema } from "../api";
import { t } from "../i18n";
import { useLeaveGuard } from "../router";
import { type Answer, check, normalise, parseNumber, pointsAwarded, type TaskSpec } from "./check";
import { refusalText } from "./messages";

export type StationSpec = Schema<"BundleStation">;

export interface TaskResult {
  taskId: number;
  answer: Answer;
  attempt: number;
  hintsUsed: number;
  points: number;
  done: boolean;
}

/** Turns a photo into an answer: uploaded ({media_id}) or kept on the phone ({photo_key}). */
type Upload = (file: File) => Promise<Answer>;

function AnswerInput({
  task,
  value,
  onChange,
  uid,
  upload,
  onBusy,
  onRefused,
}: {
  task: TaskSpec;
  value: Answer;
  onChange: (answer: Answer) => void;
  uid: string;
  upload?: Upload;
  onBusy?: (busy: boolean) => void;
  onRefused?: (code: string) => void;
}) {
  switch (task.type) {
    case "single_choice":
    case "multiple_choice": {
      const multiple = task.type === "multiple_choice";
      const picked = new Set(multiple ? ((value as string[]) ?? []) : [value as string]);
      return (
        <div class="choices">
          {task.options!.map((option) => (
            <label key={option.id} class="choice">
              <input
                type={multiple ? "checkbox" : "radio"}
                name={uid}
                checked={picked.has(option.id)}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  if (!multiple) onChange(option.id);
                  else
                    onChange(
                      on
                        ? ([...picked, option.id].filter(Boolean) as string[])
                        : [...picked].filter((id) => id !== option.id),
                    );
                }}
              />
              <span>{option.text}</span>
            </label>
          ))}
        </div>
      );
    }
    case "free_text":
    case "number":
      return (
        <label class="answer-field">
          <span>{t("play.yourAnswer")}</span>
          <span class="with-unit">
            <input
              id={`${uid}-input`}
              inputMode={task.type === "number" ? "decimal" : "text"}
              autocomplete="off"
              autocapitalize="off"
              value={(value as string) ?? ""}
              maxLength={task.type === "number" ? 100 : 2000}
              onInput={(e) => onChange((e.target as HTMLInputElement).value)}
            />
            {task.unit && <span>{task.unit}</span>}
          </span>
        </label>
      );
    case "ordering": {
      const order = (value as string[]) ?? task.items!.map((item) => item.id);
      const text = new Map(task.items!.map((item) => [item.id, item.text]));
      const move = (index: number, by: number) => {
        const next = order.slice();
        [next[index], next[index + by]] = [next[index + by], next[index]];
        onChange(next);
      };
      return (
        <ol class="ordering">
          {order.map((id, index) => (
            <li key={id}>
              <span>{text.get(id)}</span>
              <button
                type="button"
                class="button-quiet icon"
                disabled={index === 0}
                aria-label={`${text.get(id)}: ${t("play.moveUp")}`}
                onClick={() => move(index, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                class="button-quiet icon"
                disabled={index === order.length - 1}
                aria-label={`${text.get(id)}: ${t("play.moveDown")}`}
                onClick={() => move(index, 1)}
              >
                ↓
              </button>
            </li>
          ))}
        </ol>
      );
    }
    case "photo":
      return (
        <label class="answer-field">
          <span>{task.must_be_live ? t("play.takePhoto") : t("play.choosePhoto")}</span>
          <input
            type="file"
            accept="image/*"
            capture={task.must_be_live ? "environment" : undefined}
            onChange={async (e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (!file) return onChange(null);
              // The preview keeps photos on the phone; playing uploads them for the teacher.
              // Until that is done the answer cannot be sent, so "Antworten" waits.
              onBusy?.(true);
              try {
                onChange(upload ? await upload(file) : { media_id: 0 });
              } catch (error) {
                // The server refused the photo for good (too large, the team's photos used up).
                onChange(null);
                onRefused?.(error instanceof ApiError ? error.code : "other");
              } finally {
                onBusy?.(false);
              }
            }}
          />
        </label>
      );
    case "survey":
      if (task.mode === "scale") {
        const { min, max, min_label, max_label } = task.scale!;
        return (
          <div class="scale">
            <span aria-hidden="true">{min_label}</span>
            {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
              <label key={n} class="scale-point">
                <input type="radio" name={uid} checked={value === n} onChange={() => onChange(n)} />
                <span>
                  {n === min && min_label
                    ? `${n} (${min_label})`
                    : n === max && max_label
                      ? `${n} (${max_label})`
                      : n}
                </span>
              </label>
            ))}
            <span aria-hidden="true">{max_label}</span>
          </div>
        );
      }
      return (
        <AnswerInput
          task={{
            ...task,
            type: task.multiple ? "multiple_choice" : "single_choice",
            options: task.choices,
          }}
          value={value}
          onChange={onChange}
          uid={uid}
          upload={upload}
        />
      );
  }
}

export interface TaskHooks {
  /** Called with every answer (the play area records it in the outbox). */
  onResult?: (result: TaskResult) => void;
  onHint?: (task: TaskSpec) => void;
  upload?: Upload;
  /** What the team did before a reload. */
  previous?: Record<number, TaskResult>;
}

/** Answers chosen or typed and not yet sent, by task: the back button leaves without asking,
 * and coming back finds them as they were. */
const drafts = new Map<number, Answer>();

export function TaskView({
  task,
  number,
  count,
  onResult,
  onHint,
  upload,
  previous,
}: { task: TaskSpec; number: number; count: number } & TaskHooks) {
  const uid = `task-${task.id}`;
  const before = previous?.[task.id];
  const recorded = onResult !== undefined;
  const [answer, setAnswer] = useState<Answer>(
    (recorded ? drafts.get(task.id) : undefined) ??
      before?.answer ??
      (task.type === "ordering" ? task.items!.map((item) => item.id) : null),
  );
  const [attempt, setAttempt] = useState(before?.attempt ?? 0);
  const [hintsUsed, setHintsUsed] = useState(before?.hintsUsed ?? 0);
  const [feedback, setFeedback] = useState<{
    text: string;
    tone: "right" | "wrong" | "info";
  } | null>(
    before?.done ? { text: t("play.finishedTask", { points: before.points }), tone: "info" } : null,
  );
  const [done, setDone] = useState(before?.done ?? false);
  const [busy, setBusy] = useState(false);
  // An answer chosen or typed but not yet sent: leaving the station asks first (in the game;
  // the editor's preview records nothing).
  const [unsent, setUnsent] = useState(recorded && drafts.has(task.id));
  useLeaveGuard(unsent && !done && recorded, t("play.leaveUnanswered"));

  const submit = (event: Event) => {
    event.preventDefault();
    if (
      answer === null ||
      (Array.isArray(answer) && answer.length === 0 && task.type !== "ordering")
    ) {
      setFeedback({ text: t("play.chooseOne"), tone: "info" });
      return;
    }
    // Nothing to compare (blank, only punctuation): the server would refuse it; no try is used.
    if (task.type === "free_text" && normalise(String(answer)) === "") {
      setFeedback({ text: t("play.writeSomething"), tone: "info" });
      return;
    }
    if (task.type === "number" && parseNumber(String(answer), task.unit) === null) {
      setFeedback({ text: t("play.notANumber"), tone: "info" });
      return;
    }
    const tries = attempt + 1;
    const verdict = check(task, answer);
    const last = tries >= task.max_attempts;
    const points = pointsAwarded(task, verdict.credit, tries, hintsUsed);
    let finished = true;
    if (verdict.correct === null) {
      setFeedback({
        text: task.type === "photo" ? t("play.photoSaved") : t("play.thanks", { points }),
        tone: "info",
      });
    } else if (verdict.correct) {
      setFeedback({
        text: `${t("play.right", { points })} ${task.feedback_correct ?? ""}`.trim(),
        tone: "right",
      });
    } else if (!last) {
      finished = false;
      setFeedback({
        text: `${t("play.wrongRetry", { count: task.max_attempts - tries })} ${task.feedback_wrong ?? ""}`.trim(),
        tone: "wrong",
      });
    } else if (verdict.credit > 0) {
      setFeedback({ text: t("play.partly", { points }), tone: "info" });
    } else {
      setFeedback({
        text: `${t("play.wrongDone")} ${task.feedback_wrong ?? ""}`.trim(),
        tone: "wrong",
      });
    }
    setAttempt(tries);
    setDone(finished);
    setUnsent(false);
    drafts.delete(task.id);
    onResult?.({
      taskId: task.id,
      answer,
      attempt: tries,
      hintsUsed,
      points: finished ? points : 0,
      done: finished,
    });
  };

  return (
    <form class="task-view" onSubmit={submit} aria-labelledby={`${uid}-prompt`}>
      <p class="task-count">{t("play.task", { number, count })}</p>
      <h3 id={`${uid}-prompt`}>{task.prompt}</h3>
      <fieldset disabled={done}>
        <legend class="visually-hidden">{task.prompt}</legend>
        <AnswerInput
          task={task}
          value={answer}
          onChange={(next) => {
            setAnswer(next);
            setUnsent(true);
            if (recorded) drafts.set(task.id, next);
          }}
          uid={uid}
          upload={upload}
          onBusy={setBusy}
          onRefused={(code) => setFeedback({ text: t(refusalText(code)), tone: "wrong" })}
        />
      </fieldset>
      {task.hints.slice(0, hintsUsed).map((hint, i) => (
        <p key={i} class="hint-text">
          <strong>{t("play.hintNumber", { number: i + 1 })}:</strong> {hint.text}
        </p>
      ))}
      <div class="actions">
        {!done && (
          <button type="submit" class="button button-large" disabled={busy}>
            {busy ? t("play.photoBusy") : t("play.answer")}
          </button>
        )}
        {!done && hintsUsed < task.hints.length && (
          <button
            type="button"
            class="button-quiet"
            onClick={() => {
              setHintsUsed(hintsUsed + 1);
              onHint?.(task);
            }}
          >
            {t("play.hint", { cost: task.hints[hintsUsed].cost })}
          </button>
        )}
      </div>
      <p
        role="status"
        aria-live="polite"
        class={feedback ? `feedback feedback-${feedback.tone}` : "visually-hidden"}
      >
        {feedback?.text ?? ""}
      </p>
    </form>
  );
}

/** "Vorlesen": the browser reads the station's text, where it can speak. */
function ReadAloud({ station }: { station: StationSpec }) {
  const [speaking, setSpeaking] = useState(false);
  if (!("speechSynthesis" in window)) return null;
  const toggle = () => {
    speechSynthesis.cancel();
    if (speaking) return setSpeaking(false);
    const text =
      new DOMParser().parseFromString(station.content_html, "text/html").body.textContent ?? "";
    const utterance = new SpeechSynthesisUtterance(`${station.title}. ${text}`);
    utterance.lang = document.documentElement.lang === "en" ? "en-GB" : "de-DE";
    utterance.onend = () => setSpeaking(false);
    speechSynthesis.speak(utterance);
    setSpeaking(true);
  };
  return (
    <button type="button" class="button-quiet" aria-pressed={speaking} onClick={toggle}>
      {speaking ? t("play.stopReading") : t("play.readAloud")}
    </button>
  );
}

export function StationView({ station, ...hooks }: { station: StationSpec } & TaskHooks) {
  return (
    <article class="station-view" aria-labelledby={`station-${station.id}`}>
      <h2 id={`station-${station.id}`}>{station.title}</h2>
      <ReadAloud station={station} />
      {/* Sanitised on the server (an allow-list of tags, no attributes but links). */}
      <div class="station-text" dangerouslySetInnerHTML={{ __html: station.content_html }} />
      {station.media.map((item) =>
        item.kind === "image" ? (
          <img key={item.url} src={item.url} alt={item.alt} loading="lazy" />
        ) : (
          <figure key={item.url}>
            {/* biome-ignore lint/a11y/useMediaCaption: authors upload sound without captions; the figcaption is its required text alternative */}
            <audio controls preload="none" src={item.url} />
            <figcaption>{item.alt}</figcaption>
          </figure>
        ),
      )}
      {station.tasks.map((task, i) => (
        <TaskView
          key={task.id}
          task={task}
          number={i + 1}
          count={station.tasks.length}
          {...hooks}
        />
      ))}
    </article>
  );
}
