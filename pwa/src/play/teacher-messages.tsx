/** The teacher's messages on the phone: a new one covers the game until the team taps
 * "Verstanden"; all of them stay in a list on the overview. */
import { useEffect, useRef } from "preact/hooks";
import { formatTime } from "../format";
import { language, t } from "../i18n";
import { sync } from "./game";
import { useSync } from "./sync-status";

/** The newest message the phone has rung for: each rings once, on whichever screen. */
let rungFor = 0;

/** A short double beep and a buzz where the phone allows (a muted phone stays silent). */
function ring(): void {
  navigator.vibrate?.([200, 100, 200]);
  try {
    const audio = new AudioContext();
    for (const start of [0, 0.25]) {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.2, audio.currentTime + start);
      volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.2);
      tone.connect(volume).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.2);
    }
    window.setTimeout(() => void audio.close(), 1000);
  } catch {
    // No sound on this phone: the message still shows.
  }
}

export function UnreadMessages() {
  const { messages, messagesRead } = useSync();
  const unread = messages.filter((m) => m.id > messagesRead);
  const newest = unread.at(-1)?.id ?? 0;
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!newest) return;
    button.current?.focus();
    if (newest > rungFor) {
      rungFor = newest;
      ring();
    }
  }, [newest]);
  if (!unread.length) return null;
  return (
    <div
      class="teacher-message"
      role="alertdialog"
      aria-labelledby="teacher-message-title"
      aria-describedby="teacher-message-texts"
    >
      <h2 id="teacher-message-title">{t("play.messageTitle")}</h2>
      <ul id="teacher-message-texts">
        {unread.map((m) => (
          <li key={m.id}>
            <p class="teacher-message-text">{m.text}</p>
            <small>
              {m.to_team ? t("play.messageToTeam") : t("play.messageToAll")} ·{" "}
              {formatTime(m.sent_at, language())}
            </small>
          </li>
        ))}
      </ul>
      <button
        ref={button}
        type="button"
        class="button button-large"
        onClick={() => void sync.markMessagesRead()}
      >
        {t("play.messageRead")}
      </button>
    </div>
  );
}

/** Every message of the visit so far, the latest first, for a team that wants to read again. */
export function MessageList() {
  const { messages } = useSync();
  if (!messages.length) return null;
  return (
    <details class="message-list">
      <summary>{t("play.messages", { count: messages.length })}</summary>
      <ul>
        {[...messages].reverse().map((m) => (
          <li key={m.id}>
            <time dateTime={m.sent_at}>{formatTime(m.sent_at, language())}</time> {m.text}
          </li>
        ))}
      </ul>
    </details>
  );
}
