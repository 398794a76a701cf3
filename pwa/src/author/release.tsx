/** A station's release rule in the editor: when it opens for a team (openparcours/trails/
 * release.py), worded for the station list and chosen in the station's form. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Schema } from "../api";
import { t } from "../i18n";
import { FieldProblems, problemsUnder } from "./competence-tags";
import type { Station } from "./types";

export type ReleaseRule = Schema<"ReleaseRule">;
/** The choices of the form: "after" is one station or several of a group. */
type Mode = "none" | "one" | "many" | "clock" | "after_join";
const MODES: Mode[] = ["none", "one", "many", "clock", "after_join"];

function modeOf(rule: ReleaseRule | null): Mode {
  if (rule === null) return "none";
  if (rule.kind === "after")
    return (rule.station_ids ?? []).length === 1 && (rule.count ?? 1) === 1 ? "one" : "many";
  return rule.kind;
}

/** The rule in a few words ("nach Station 2", "ab 10:30 Uhr"); a station without a rule of its
 * own in a fixed order opens after the one before. */
export function releaseText(
  rule: ReleaseRule | null,
  stations: Station[],
  index: number,
  fixedOrder: boolean,
): string {
  if (rule === null)
    return t(fixedOrder && index > 0 ? "author.rule.previous" : "author.rule.none");
  if (rule.kind === "clock")
    return rule.time ? t("author.rule.clock", { time: rule.time }) : t("author.rule.incomplete");
  if (rule.kind === "after_join")
    return rule.minutes
      ? t("author.rule.after_join", { minutes: rule.minutes })
      : t("author.rule.incomplete");
  const numbers = (rule.station_ids ?? []).map((id) => stations.findIndex((s) => s.id === id) + 1);
  if (!numbers.length) return t("author.rule.incomplete");
  if (numbers.includes(0)) return t("author.rule.deleted");
  const count = rule.count ?? 1;
  if (numbers.length === 1 && count === 1) return t("author.rule.one", { number: numbers[0] });
  const listed = numbers.sort((a, b) => a - b).join(", ");
  if (count === numbers.length) return t("author.rule.all", { numbers: listed });
  if (count === 1) return t("author.rule.any", { numbers: listed });
  return t("author.rule.many", { count, numbers: listed });
}

/** The form's fields of the rule, collapsed under a summary that names it. The server's
 * problems come nested under `release`; the publish check leads here by `data-field`. */
export function ReleaseField({
  rule,
  stations,
  index,
  fixedOrder,
  errors,
  onChange,
}: {
  rule: ReleaseRule | null;
  stations: Station[];
  /** This station's, counted from 0. */
  index: number;
  fixedOrder: boolean;
  /** The form's field problems, by dotted path. */
  errors: Record<string, string[]>;
  onChange: (rule: ReleaseRule | null) => void;
}) {
  const [mode, setMode] = useState<Mode>(modeOf(rule));
  const details = useRef<HTMLDetailsElement>(null);
  const own = stations[index];
  const others = stations
    .map((station, i) => ({ station, number: i + 1 }))
    .filter(({ station }) => station.id !== own?.id);
  const waited = rule?.kind === "after" ? (rule.station_ids ?? []) : [];
  const problems = {
    kind: [...(errors.release ?? []), ...problemsUnder(errors, "release.kind")],
    stations: problemsUnder(errors, "release.station_ids"),
    count: problemsUnder(errors, "release.count"),
    time: problemsUnder(errors, "release.time"),
    minutes: problemsUnder(errors, "release.minutes"),
  };
  const invalid = Object.values(problems).some((found) => found.length);
  // A problem the server found is shown where it is: the fields open.
  useEffect(() => {
    if (invalid && details.current) details.current.open = true;
  }, [invalid]);

  const choose = (next: Mode) => {
    setMode(next);
    // The stations waited for so far, else the one before (else the first other).
    const before = others.find(({ number }) => number === index) ?? others[0];
    const start = waited.length ? waited : before ? [before.station.id] : [];
    const rules: Record<Mode, ReleaseRule | null> = {
      none: null,
      one: { kind: "after", station_ids: start.slice(0, 1), count: 1 },
      many: { kind: "after", station_ids: start, count: 1 },
      clock: { kind: "clock", time: "" },
      after_join: { kind: "after_join" },
    };
    onChange(rules[next]);
  };
  const toggle = (id: number, on: boolean) => {
    const ids = on ? [...waited, id] : waited.filter((x) => x !== id);
    const count = Math.max(1, Math.min(rule?.count ?? 1, ids.length));
    onChange({ kind: "after", station_ids: ids, count });
  };
  const describedBy = (id: string, found: string[], hint?: string) =>
    [hint, found.length ? `${id}-error` : undefined].filter(Boolean).join(" ") || undefined;
  const shown = (found: string[]) => (found.length ? "true" : undefined);

  return (
    <details
      class="tag-picker release"
      ref={details}
      data-field="release"
      // A field left empty is shown when the form is sent, even folded away.
      onInvalidCapture={(e) => {
        e.currentTarget.open = true;
      }}
    >
      <summary>
        {t("author.releaseSummary", {
          rule: releaseText(rule, stations, index, fixedOrder),
        })}
      </summary>
      <fieldset aria-describedby={fixedOrder ? "release-hint release-fixed-hint" : "release-hint"}>
        <legend class="visually-hidden">{t("author.release")}</legend>
        <p id="release-hint" class="hint">
          {t("author.releaseHint")}
        </p>
        {fixedOrder && (
          <p id="release-fixed-hint" class="hint">
            {t("author.releaseFixedHint")}
          </p>
        )}
        <label for="release-kind">{t("author.releaseKind")}</label>
        <select
          id="release-kind"
          value={mode}
          aria-invalid={shown(problems.kind)}
          aria-describedby={describedBy("release-kind", problems.kind)}
          onChange={(e) => choose((e.target as HTMLSelectElement).value as Mode)}
        >
          {MODES.filter((m) => others.length || (m !== "one" && m !== "many")).map((m) => (
            <option key={m} value={m}>
              {t(
                m === "none" && fixedOrder && index > 0
                  ? "author.release.previous"
                  : `author.release.${m}`,
              )}
            </option>
          ))}
        </select>
        <FieldProblems id="release-kind-error" problems={problems.kind} />
        {!others.length && <p class="hint">{t("author.releaseNoOthers")}</p>}
        {mode === "one" && (
          <>
            <label for="release-station">{t("author.releaseStation")}</label>
            <select
              id="release-station"
              value={waited[0] ?? ""}
              aria-invalid={shown(problems.stations)}
              aria-describedby={describedBy("release-station", problems.stations)}
              onChange={(e) =>
                onChange({
                  kind: "after",
                  station_ids: [Number((e.target as HTMLSelectElement).value)],
                  count: 1,
                })
              }
            >
              {others.map(({ station, number }) => (
                <option key={station.id} value={station.id}>
                  {t("author.stationOption", { number, title: station.title })}
                </option>
              ))}
            </select>
            <FieldProblems id="release-station-error" problems={problems.stations} />
          </>
        )}
        {mode === "many" && (
          <>
            <fieldset
              class="checks"
              aria-invalid={shown(problems.stations)}
              aria-describedby={describedBy("release-stations", problems.stations)}
            >
              <legend>{t("author.releaseStations")}</legend>
              {others.map(({ station, number }, i) => (
                <label key={station.id} class="inline">
                  <input
                    type="checkbox"
                    // None ticked: the form says so before it is sent.
                    ref={(box) =>
                      box?.setCustomValidity(
                        i === 0 && !waited.length ? t("author.releaseStationsNeeded") : "",
                      )
                    }
                    checked={waited.includes(station.id)}
                    onChange={(e) => toggle(station.id, (e.target as HTMLInputElement).checked)}
                  />
                  {t("author.stationOption", { number, title: station.title })}
                </label>
              ))}
            </fieldset>
            <FieldProblems id="release-stations-error" problems={problems.stations} />
            <label for="release-count">{t("author.releaseCount")}</label>
            <input
              id="release-count"
              type="number"
              required
              min="1"
              max={Math.max(1, waited.length)}
              step="1"
              value={rule?.kind === "after" ? (rule.count ?? 1) : 1}
              aria-invalid={shown(problems.count)}
              aria-describedby={describedBy("release-count", problems.count, "release-count-hint")}
              onInput={(e) =>
                onChange({
                  kind: "after",
                  station_ids: waited,
                  count: Number((e.target as HTMLInputElement).value),
                })
              }
            />
            <p id="release-count-hint" class="hint">
              {t("author.releaseCountHint")}
            </p>
            <FieldProblems id="release-count-error" problems={problems.count} />
          </>
        )}
        {mode === "clock" && (
          <>
            <label for="release-time">{t("author.releaseTime")}</label>
            <input
              id="release-time"
              type="time"
              required
              value={rule?.kind === "clock" ? (rule.time ?? "") : ""}
              aria-invalid={shown(problems.time)}
              aria-describedby={describedBy("release-time", problems.time)}
              onInput={(e) =>
                onChange({ kind: "clock", time: (e.target as HTMLInputElement).value })
              }
            />
            <FieldProblems id="release-time-error" problems={problems.time} />
          </>
        )}
        {mode === "after_join" && (
          <>
            <label for="release-minutes">{t("author.releaseMinutes")}</label>
            <input
              id="release-minutes"
              type="number"
              required
              min="1"
              max="600"
              step="1"
              value={rule?.kind === "after_join" ? (rule.minutes ?? "") : ""}
              aria-invalid={shown(problems.minutes)}
              aria-describedby={describedBy(
                "release-minutes",
                problems.minutes,
                "release-minutes-hint",
              )}
              onInput={(e) => {
                const value = (e.target as HTMLInputElement).value;
                onChange({ kind: "after_join", minutes: value === "" ? undefined : Number(value) });
              }}
            />
            <p id="release-minutes-hint" class="hint">
              {t("author.releaseMinutesHint")}
            </p>
            <FieldProblems id="release-minutes-error" problems={problems.minutes} />
          </>
        )}
      </fieldset>
    </details>
  );
}
