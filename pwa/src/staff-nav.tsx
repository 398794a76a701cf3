/** The staff's links in the header: the areas they use, their notifications with the unread
 * count, their account. `areas` are the header's (the last user's while the server is asked). */
import { t } from "./i18n";
import NotificationsLink from "./notifications/nav-link";
import { type Params, useLocation } from "./router";
import { useSession } from "./session";

export default function StaffNav({ params }: { params: Params }) {
  const { me } = useSession();
  const path = useLocation().split("?")[0];
  const areas = params.areas.split(",");
  const link = (href: string, label: string) => (
    <li>
      <a
        href={href}
        aria-current={path === href || path.startsWith(`${href}/`) ? "page" : undefined}
      >
        {label}
      </a>
    </li>
  );
  return (
    <ul>
      {areas.includes("author") && link("/author", t("nav.author"))}
      {areas.includes("teach") && link("/teach", t("nav.teach"))}
      {areas.includes("partners") && link("/partners", t("nav.partners"))}
      {me && <NotificationsLink />}
      {link("/account", t("nav.account"))}
    </ul>
  );
}
