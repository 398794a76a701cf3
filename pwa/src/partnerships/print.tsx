import "../staff-messages";
import "./messages";
import "./partnerships.css";
import { useEffect } from "preact/hooks";
import { Alert, Page, RequireLogin } from "../components";
import { useResource } from "../hooks";
import { t } from "../i18n";
import type { Params } from "../router";
import { AgreementText, statusText } from "./agreement-text";
import type { Agreement } from "./types";

/** The agreement as a document: printed from the browser (Strg+P) or downloaded as PDF. */
export default function PrintPage({ params }: { params: Params }) {
  const { data: agreement, error } = useResource<Agreement>(`/agreements/${params.id}`);
  useEffect(() => {
    document.body.classList.add("print-mode");
    return () => document.body.classList.remove("print-mode");
  }, []);
  const print = () => window.print();
  return (
    <RequireLogin>
      <Page title={t("pship.agreement")}>
        <Alert message={error} />
        {agreement && (
          <>
            <p class="no-print actions">
              <a href={`/partners/partnerships/${agreement.partnership.id}`}>
                ← {t("pship.title")}
              </a>
              <button type="button" onClick={print}>
                {t("pship.print")}
              </button>
              <a
                class="button-quiet"
                href={`/api/v1/agreements/${agreement.id}/agreement.pdf`}
                download
              >
                {t("pship.pdf")}
              </a>
            </p>
            <div class="document">
              <p class="document-kind">
                {t("pship.version", { number: agreement.number })} · {statusText(agreement)}
              </p>
              <AgreementText agreement={agreement} />
            </div>
          </>
        )}
      </Page>
    </RequireLogin>
  );
}
