import { t } from "../i18n";
import { Page } from "../page";

export function NotFoundPage() {
  return (
    <Page title={t("notFound.title")}>
      <p>
        <a href="/">{t("notFound.text")}</a>
      </p>
    </Page>
  );
}
