import { Page } from "../components";
import "./home-messages";
import { areasOf } from "../areas";
import { type MessageKey, t } from "../i18n";
import { PartnerNews } from "../partnerships/news";
import { useSession } from "../session";

export default function HomePage() {
  const { me } = useSession();
  const areas = areasOf(me ?? null);
  return (
    <Page title={t("home.title")}>
      <div class="cards">
        <section class="card card-primary" aria-labelledby="students">
          <h2 id="students">{t("home.students")}</h2>
          <p>{t("home.joinHint")}</p>
          <a class="button button-large" href="/play">
            {t("home.join")}
          </a>
        </section>
        <section class="card" aria-labelledby="staff">
          <h2 id="staff">{t("home.staff")}</h2>
          <p>{t("home.staffHint")}</p>
          {me ? (
            <>
              <h3>{t("home.yourAreas")}</h3>
              <ul class="link-list">
                {areas.map((area) => (
                  <li key={area}>
                    <a href={`/${area}`}>{t(`nav.${area}` as MessageKey)}</a>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <a class="button" href="/login">
              {t("nav.login")}
            </a>
          )}
        </section>
        <section class="card" aria-labelledby="offers">
          <h2 id="offers">{t("home.offers")}</h2>
          <p>{t("home.offersHint")}</p>
          <a class="button" href="/catalogue">
            {t("home.offersLink")}
          </a>
        </section>
      </div>
      {me && <PartnerNews />}
    </Page>
  );
}
