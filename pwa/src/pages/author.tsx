import { Page, RequireLogin } from "../components";
import { t } from "../i18n";
import { Memberships } from "./memberships";

export default function AuthorPage() {
  return (
    <RequireLogin>
      <Page title={t("author.title")}>
        <div class="empty">
          <p><strong>{t("author.empty")}</strong></p>
          <p>{t("author.emptyHint")}</p>
        </div>
        <Memberships />
      </Page>
    </RequireLogin>
  );
}
