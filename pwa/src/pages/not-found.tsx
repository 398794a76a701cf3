import { Page } from "../page";
import { t } from "../i18n";

export function NotFoundPage() {
  return (
    <Page title={t("notFound.title")}>
      <p>
        <a href="/">{t("notFound.text")}</a>
      </p>
    </Page>
  );
}
