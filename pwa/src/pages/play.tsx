import { Page } from "../components";
import { t } from "../i18n";

export function PlayPage() {
  return (
    <Page title={t("play.title")}>
      <div class="card card-primary">
        <p class="lead">{t("play.intro")}</p>
        <p>{t("play.noAccount")}</p>
        <p>{t("play.offline")}</p>
      </div>
    </Page>
  );
}
