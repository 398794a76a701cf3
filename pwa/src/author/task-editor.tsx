/** The editor of one task: the fields every task has, and the definition of its type. */
import { useState } from "preact/hooks";
import { api } from "../api";
import { errorMessage, fieldTexts } from "../components";
import { type MessageKey, t } from "../i18n";
import { blankTask, nextId, TASK_TYPES, type Task, type TaskType } from "./types";

type Option = { id: string; text: string; correct?: boolean };

function ListEditor({
  field,
  items,
  onChange,
  label,
  marker,
  numeric = false,
  movable = false,
}: {
  /** The definition's field, for the publish check's problems to lead to. */
  field: string;
  items: Option[];
  onChange: (items: Option[]) => void;
  label: string;
  marker?: (item: Option, index: number) => preact.JSX.Element;
  numeric?: boolean;
  movable?: boolean;
}) {
  const update = (index: number, change: Partial<Option>) =>
    onChange(items.map((item, i) => (i === index ? { ...item, ...change } : item)));
  const move = (index: number, by: number) => {
    const next = items.slice();
    [next[index], next[index + by]] = [next[index + by], next[index]];
    onChange(next);
  };
  return (
    <fieldset class="list-editor" data-field={field}>
      <legend>{label}</legend>
      <ol>
        {items.map((item, index) => (
          <li key={item.id}>
            {marker?.(item, index)}
            <input
              aria-label={`${label} ${index + 1}`}
              value={item.text}
              maxLength={500}
              onInput={(e) => update(index, { text: (e.target as HTMLInputElement).value })}
            />
            {movable && (
              <>
                <button
                  type="button"
                  class="button-quiet icon"
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                  aria-label={t("author.moveUp")}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="button-quiet icon"
                  disabled={index === items.length - 1}
                  onClick={() => move(index, 1)}
                  aria-label={t("author.moveDown")}
                >
                  ↓
                </button>
              </>
            )}
            <button
              type="button"
              class="button-quiet icon"
              onClick={() => onChange(items.filter((_, i) => i !== index))}
              aria-label={`${t("author.remove")}: ${label} ${index + 1}`}
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        class="button-quiet"
        disabled={items.length >= 12}
        onClick={() => onChange([...items, { id: nextId(items, numeric), text: "" }])}
      >
        {t("author.addEntry")}
      </button>
    </fieldset>
  );
}

function DefinitionEditor({
  task,
  set,
  uid,
}: {
  task: Task;
  set: (definition: Record<string, unknown>) => void;
  uid: string;
}) {
  // biome-ignore lint/suspicious/noExplicitAny: the API types a definition per task type only on the server; each case reads its own type's fields
  const d = task.definition as Record<string, any>;
  const patch = (change: Record<string, unknown>) => set({ ...d, ...change });
  switch (task.type) {
    case "single_choice":
      return (
        <ListEditor
          field="options"
          label={t("author.options")}
          items={d.options}
          onChange={(options) => patch({ options })}
          marker={(item) => (
            <label class="inline">
              <input
                type="radio"
                name={`${uid}-correct`}
                checked={d.correct === item.id}
                onChange={() => patch({ correct: item.id })}
              />
              <span class="visually-hidden">{t("author.correct")}</span>
            </label>
          )}
        />
      );
    case "multiple_choice":
      return (
        <ListEditor
          field="options"
          label={t("author.options")}
          items={d.options}
          onChange={(options) => patch({ options: options.map((o) => ({ correct: false, ...o })) })}
          marker={(item, index) => (
            <label class="inline">
              <input
                type="checkbox"
                checked={!!item.correct}
                onChange={(e) =>
                  patch({
                    options: d.options.map((o: Option, i: number) =>
                      i === index ? { ...o, correct: (e.target as HTMLInputElement).checked } : o,
                    ),
                  })
                }
              />
              <span class="visually-hidden">{t("author.correct")}</span>
            </label>
          )}
        />
      );
    case "free_text":
      return (
        <>
          <ListEditor
            field="accepted"
            label={t("author.accepted")}
            items={(d.accepted as string[]).map((text, i) => ({ id: String(i), text }))}
            onChange={(items) => patch({ accepted: items.map((i) => i.text) })}
            numeric
          />
          <label class="inline">
            <input
              type="checkbox"
              checked={d.typo_tolerance}
              onChange={(e) => patch({ typo_tolerance: (e.target as HTMLInputElement).checked })}
            />
            {t("author.typoTolerance")}
          </label>
        </>
      );
    case "number":
      return (
        <div class="field-row">
          <label>
            {t("author.value")}
            <input
              type="number"
              step="any"
              data-field="value"
              value={d.value ?? ""}
              onInput={(e) =>
                patch({
                  value:
                    (e.target as HTMLInputElement).value === ""
                      ? null
                      : Number((e.target as HTMLInputElement).value),
                })
              }
            />
          </label>
          <label>
            {t("author.tolerance")}
            <input
              type="number"
              step="any"
              min="0"
              value={d.tolerance}
              onInput={(e) => patch({ tolerance: Number((e.target as HTMLInputElement).value) })}
            />
          </label>
          <label>
            {t("author.toleranceKind")}
            <select
              value={d.tolerance_kind}
              onChange={(e) => patch({ tolerance_kind: (e.target as HTMLSelectElement).value })}
            >
              <option value="absolute">{t("author.absolute")}</option>
              <option value="relative">{t("author.relative")}</option>
            </select>
          </label>
          <label>
            {t("author.unit")}
            <input
              value={d.unit ?? ""}
              maxLength={20}
              onInput={(e) => patch({ unit: (e.target as HTMLInputElement).value || null })}
            />
          </label>
        </div>
      );
    case "ordering":
      return (
        <ListEditor
          field="items"
          label={t("author.itemsInOrder")}
          items={d.items}
          onChange={(items) => patch({ items })}
          numeric
          movable
        />
      );
    case "photo":
      return (
        <label class="inline">
          <input
            type="checkbox"
            checked={d.must_be_live}
            onChange={(e) => patch({ must_be_live: (e.target as HTMLInputElement).checked })}
          />
          {t("author.mustBeLive")}
        </label>
      );
    case "survey":
      return (
        <>
          <label>
            {t("author.surveyMode")}
            <select
              value={d.mode}
              onChange={(e) => patch({ mode: (e.target as HTMLSelectElement).value })}
            >
              <option value="scale">{t("author.scale")}</option>
              <option value="choices">{t("author.choices")}</option>
            </select>
          </label>
          {d.mode === "scale" ? (
            <div class="field-row">
              {(["min", "max"] as const).map((end) => (
                <label key={end}>
                  {t(end === "min" ? "author.scaleMin" : "author.scaleMax")}
                  <input
                    type="number"
                    step="1"
                    value={d.scale[end]}
                    onInput={(e) =>
                      patch({
                        scale: { ...d.scale, [end]: Number((e.target as HTMLInputElement).value) },
                      })
                    }
                  />
                </label>
              ))}
              {(["min_label", "max_label"] as const).map((end) => (
                <label key={end}>
                  {t(end === "min_label" ? "author.scaleMinLabel" : "author.scaleMaxLabel")}
                  <input
                    value={d.scale[end]}
                    maxLength={60}
                    onInput={(e) =>
                      patch({ scale: { ...d.scale, [end]: (e.target as HTMLInputElement).value } })
                    }
                  />
                </label>
              ))}
            </div>
          ) : (
            <>
              <ListEditor
                field="choices"
                label={t("author.choices")}
                items={d.choices}
                onChange={(choices) => patch({ choices })}
              />
              <label class="inline">
                <input
                  type="checkbox"
                  checked={d.multiple}
                  onChange={(e) => patch({ multiple: (e.target as HTMLInputElement).checked })}
                />
                {t("author.multiple")}
              </label>
            </>
          )}
        </>
      );
  }
}

export function TaskEditor({
  stationId,
  task: initial,
  index,
  onSaved,
  onDeleted,
}: {
  stationId: number;
  task: Task;
  index: number;
  onSaved: (task: Task) => void;
  onDeleted: () => void;
}) {
  const [task, setTask] = useState<Task>(initial);
  const [errors, setErrors] = useState<[string, string][]>([]);
  const [saved, setSaved] = useState(false);
  const uid = `task-${stationId}-${initial.id ?? "new"}-${index}`;
  const set = (change: Partial<Task>) => {
    setSaved(false);
    setTask({ ...task, ...change });
  };
  const fieldError = (field: string) =>
    errors
      .filter(([path]) => path === field || path.startsWith(`${field}.`))
      .map(([, m]) => m)
      .join(" ");

  const save = async (event: Event) => {
    event.preventDefault();
    setErrors([]);
    const { id: _id, clientKey: _key, ...body } = task;
    try {
      const stored = task.id
        ? await api<Task>(`/tasks/${task.id}`, { method: "PUT", body })
        : await api<Task>(`/stations/${stationId}/tasks`, { method: "POST", body });
      setTask(stored);
      setSaved(true);
      onSaved({ ...stored, clientKey: initial.clientKey });
    } catch (error) {
      const fields = Object.entries(fieldTexts(error)).flatMap(([path, texts]) =>
        texts.map((text): [string, string] => [path, text]),
      );
      setErrors(fields.length ? fields : [["", errorMessage(error)]]);
    }
  };

  const remove = async () => {
    if (!confirm(t("author.confirmDeleteTask"))) return;
    try {
      if (task.id) await api(`/tasks/${task.id}`, { method: "DELETE" });
      onDeleted();
    } catch (error) {
      setErrors([["", errorMessage(error)]]);
    }
  };

  const input = (field: "points" | "max_attempts", min: number, max: number) => (
    <label>
      {t(`author.${field === "points" ? "points" : "maxAttempts"}` as MessageKey)}
      <input
        type="number"
        min={min}
        max={max}
        step="1"
        value={task[field]}
        aria-invalid={fieldError(field) ? "true" : undefined}
        onInput={(e) => set({ [field]: Number((e.target as HTMLInputElement).value) })}
      />
    </label>
  );

  return (
    <form class="task-editor" onSubmit={save} aria-labelledby={`${uid}-title`}>
      <h4 id={`${uid}-title`}>
        {t("author.task", { number: index + 1 })}: {t(`task.${task.type}` as MessageKey)}
      </h4>
      {errors.length > 0 && (
        <ul class="alert" role="alert">
          {errors.map(([path, message]) => (
            <li key={path + message}>{message}</li>
          ))}
        </ul>
      )}
      <label>
        {t("author.taskType")}
        <select
          value={task.type}
          onChange={(e) =>
            setTask({
              ...blankTask((e.target as HTMLSelectElement).value as TaskType),
              id: task.id,
              clientKey: task.clientKey,
              prompt: task.prompt,
            })
          }
        >
          {TASK_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`task.${type}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("author.prompt")}
        <textarea
          rows={2}
          maxLength={2000}
          data-field="prompt"
          value={task.prompt}
          aria-invalid={fieldError("prompt") ? "true" : undefined}
          onInput={(e) => set({ prompt: (e.target as HTMLTextAreaElement).value })}
        />
      </label>
      <DefinitionEditor task={task} set={(definition) => set({ definition })} uid={uid} />
      <div class="field-row">
        {input("points", 0, 1000)}
        {input("max_attempts", 1, 5)}
      </div>
      <fieldset class="list-editor">
        <legend>{t("author.hints")}</legend>
        {task.hints.map((hint, i) => (
          <div class="field-row" key={i}>
            <label class="grow">
              {t("author.hint", { number: i + 1 })}
              <input
                value={hint.text}
                maxLength={500}
                onInput={(e) =>
                  set({
                    hints: task.hints.map((h, j) =>
                      j === i ? { ...h, text: (e.target as HTMLInputElement).value } : h,
                    ),
                  })
                }
              />
            </label>
            <label>
              {t("author.hintCost")}
              <input
                type="number"
                min="0"
                step="1"
                value={hint.cost}
                onInput={(e) =>
                  set({
                    hints: task.hints.map((h, j) =>
                      j === i ? { ...h, cost: Number((e.target as HTMLInputElement).value) } : h,
                    ),
                  })
                }
              />
            </label>
            <button
              type="button"
              class="button-quiet icon"
              aria-label={`${t("author.remove")}: ${t("author.hint", { number: i + 1 })}`}
              onClick={() => set({ hints: task.hints.filter((_, j) => j !== i) })}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          class="button-quiet"
          disabled={task.hints.length >= 3}
          onClick={() => set({ hints: [...task.hints, { text: "", cost: 1 }] })}
        >
          {t("author.addHint")}
        </button>
      </fieldset>
      <div class="field-row">
        <label class="grow">
          {t("author.feedbackCorrect")}
          <input
            value={task.feedback_correct ?? ""}
            maxLength={500}
            onInput={(e) => set({ feedback_correct: (e.target as HTMLInputElement).value || null })}
          />
        </label>
        <label class="grow">
          {t("author.feedbackWrong")}
          <input
            value={task.feedback_wrong ?? ""}
            maxLength={500}
            onInput={(e) => set({ feedback_wrong: (e.target as HTMLInputElement).value || null })}
          />
        </label>
      </div>
      <div class="actions">
        <button type="submit" class="button">
          {t("author.saveTask")}
        </button>
        <button type="button" class="button-danger" onClick={remove}>
          {t("author.deleteTask")}
        </button>
        {saved && <span role="status">{t("author.saved")}</span>}
      </div>
    </form>
  );
}
