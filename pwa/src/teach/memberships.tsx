import { RoleList } from "../components";
import { t } from "../i18n";
import { useSession } from "../session";

/** The organisations the user works for, with their roles: context on the area pages. */
export function Memberships() {
  const { me } = useSession();
  if (!me?.memberships.length) return null;
  return (
    <section aria-labelledby="memberships" class="memberships">
      <h2 id="memberships">{t("org.yourRoles")}</h2>
      <ul>
        {me.memberships.map(({ organisation, roles }) => (
          <li key={organisation.id}>
            <strong>{organisation.name}</strong> – <RoleList roles={roles} />
          </li>
        ))}
      </ul>
    </section>
  );
}
