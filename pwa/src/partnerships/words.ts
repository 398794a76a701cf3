/** The German (or English) words for the server's keys of organisations: never a slug on
 * screen. */
import { type MessageKey, t } from "../i18n";

export const kindText = (kind: string) => t(`catalogue.kind.${kind}` as MessageKey);

export const schoolFormText = (form: string) => t(`schoolForm.${form}` as MessageKey);
