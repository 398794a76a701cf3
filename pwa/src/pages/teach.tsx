import { Page, RequireLogin } from "../components";
import "../staff-messages";
import { t } from "../i18n";
import { Memberships } from "./memberships";

export default function TeachPage() {
  return (
    <RequireLogin>
      <Page title={t("teach.title")}>
        <div class="empty">
          <p><strong>{t("teach.empty")}</strong></p>
          <p>{t("teach.emptyHint")}</p>
        </div>
        <Memberships />
      </Page>
    </RequireLogin>
  );
}
