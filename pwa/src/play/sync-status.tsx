/** What the phone has sent and what the server refused: on every screen of the game. */
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";
import {
  type Bundle,
  localScore,
  type Progress,
  type Refusal,
  sync,
  type TeacherMessage,
} from "./game";
import { refusalText } from "./messages";

export function useSync(): {
  unsent: number;
  serverScore: number | null;
  refusals: Refusal[];
  messages: TeacherMessage[];
  messagesRead: number;
} {
  const [, rerender] = useState(0);
  useEffect(() => {
    const update = () => rerender((n) => n + 1);
    const unsubscribe = sync.subscribe(update);
    update(); // a sync may have answered between the first render and this subscription
    return unsubscribe;
  }, []);
  return {
    unsent: sync.unsent,
    serverScore: sync.serverScore,
    refusals: sync.refusals,
    messages: sync.messages,
    messagesRead: sync.messagesRead,
  };
}

const REFUSED_KINDS = {
  checkin: "play.refusedCheckin",
  answer: "play.refusedAnswer",
  hint: "play.refusedHint",
} as const;

/** What the server refused for good and the phone dropped: shown until the team has read it. */
export function Refusals() {
  const { refusals } = useSync();
  if (!refusals.length) return null;
  return (
    <div class="alert refusals" role="alert">
      <strong>{t("play.refusedTitle")}</strong>
      <ul>
        {refusals.map((r) => (
          <li key={`${r.type}-${r.code}`}>
            {t("play.refusedCount", {
              what: t(REFUSED_KINDS[r.type]),
              count: r.count,
              why: t(refusalText(r.code)),
            })}
          </li>
        ))}
      </ul>
      <button type="button" class="button-quiet" onClick={() => void sync.dismissRefusals()}>
        {t("play.refusedOk")}
      </button>
    </div>
  );
}

export function Score({ bundle, progress }: { bundle: Bundle; progress: Progress }) {
  const { unsent, serverScore } = useSync();
  const points = unsent === 0 && serverScore !== null ? serverScore : localScore(progress);
  return (
    <>
      <p class="score-bar">
        {bundle.visit.show_points && <strong>{t("play.points", { points })}</strong>}
        {bundle.visit.share_positions && (
          <small class="shared-position">{t("play.positionShared")}</small>
        )}
        <span class={unsent ? "badge-unsent" : "badge-sent"} role="status">
          {unsent ? t("play.unsent", { count: unsent }) : t("play.allSent")}
        </span>
      </p>
      <Refusals />
    </>
  );
}
