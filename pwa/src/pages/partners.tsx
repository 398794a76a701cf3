import { useState } from "preact/hooks";
import "../staff-messages";
import "./account-messages";
import { api, type OrganisationRef, type Role, type Schema } from "../api";
import {
  Alert,
  errorMessage,
  Page,
  RequireLogin,
  RoleList,
  Status,
  TableScroll,
} from "../components";
import { formatDate } from "../format";
import { useResource } from "../hooks";
import { language, type MessageKey, t } from "../i18n";
import { GoodPracticeLinks } from "../partnerships/good-practice";
import { PartnershipList } from "../partnerships/list";
import { ProfileForm } from "../partnerships/profile";
import { useSession } from "../session";

const ROLES: Role[] = ["admin", "educator", "teacher"];

type Member = Schema<"Member">;
type Invite = Schema<"Invite">;

function MemberRow({
  organisation,
  member,
  onChange,
}: {
  organisation: OrganisationRef;
  member: Member;
  onChange: (message: string | null, error: string | null) => void;
}) {
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const name = member.user.display_name;
  const save = async () => {
    try {
      await api(`/organisations/${organisation.id}/members/${member.user.id}`, {
        method: "PUT",
        body: { roles },
      });
      onChange(t("partners.saved", { name }), null);
    } catch (error) {
      setRoles(member.roles);
      onChange(null, errorMessage(error));
    }
  };
  const remove = async () => {
    if (!confirm(t("partners.removeConfirm", { name, organisation: organisation.name }))) return;
    try {
      await api(`/organisations/${organisation.id}/members/${member.user.id}`, {
        method: "DELETE",
      });
      onChange(t("partners.removed", { name }), null);
    } catch (error) {
      onChange(null, errorMessage(error));
    }
  };
  const toggle = (role: Role, on: boolean) =>
    setRoles(on ? [...roles, role] : roles.filter((r) => r !== role));
  return (
    <tr>
      <th scope="row">
        {name}
        <br />
        <small>{member.user.email}</small>
        {member.email_failing && (
          <>
            <br />
            <strong class="field-error">{t("mail.failing")}</strong>
          </>
        )}
      </th>
      <td>
        <fieldset class="checks">
          <legend class="visually-hidden">
            {t("partners.roles")}: {name}
          </legend>
          {ROLES.map((role) => (
            <label key={role}>
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(e) => toggle(role, (e.target as HTMLInputElement).checked)}
              />
              {t(`role.${role}` as MessageKey)}
            </label>
          ))}
        </fieldset>
      </td>
      <td class="actions">
        <button type="button" class="button-quiet" onClick={save} disabled={!roles.length}>
          {t("partners.save")}
        </button>
        <button type="button" class="button-danger" onClick={remove}>
          {t("partners.remove")}
        </button>
      </td>
    </tr>
  );
}

function OrganisationAdmin({ organisation }: { organisation: OrganisationRef }) {
  const memberList = useResource<Member[]>(
    `/organisations/${organisation.id}/members?page_size=200`,
  );
  const inviteList = useResource<Invite[]>(
    `/organisations/${organisation.id}/invites?page_size=200`,
  );
  const members = memberList.data ?? [];
  const invites = inviteList.data ?? [];
  const [created, setCreated] = useState<Schema<"CreatedInvite"> | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? memberList.error ?? inviteList.error;
  const load = () => {
    memberList.reload();
    inviteList.reload();
  };

  const report = (message: string | null, problem: string | null) => {
    setStatus(message);
    setError(problem);
    load();
  };

  const invite = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const email = String(form.get("email") ?? "").trim();
    try {
      const made = await api<Schema<"CreatedInvite">>(`/organisations/${organisation.id}/invites`, {
        method: "POST",
        body: { role: form.get("role"), email: email || null },
      });
      // An invitation to an address went there by mail; a link without one is shown to copy.
      setCreated(made.url ? made : null);
      (event.target as HTMLFormElement).reset();
      report(
        made.email
          ? t("partners.inviteSent", {
              email: made.email,
              date: formatDate(made.expires_at, language()),
            })
          : null,
        null,
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const revoke = async (id: number) => {
    try {
      await api(`/organisations/${organisation.id}/invites/${id}`, { method: "DELETE" });
      report(null, null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const resend = async (invite: Invite) => {
    try {
      await api(`/organisations/${organisation.id}/invites/${invite.id}/resend`, {
        method: "POST",
      });
      report(t("partners.resent", { email: invite.email ?? "" }), null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setStatus(t("partners.copied"));
    } catch {
      // Clipboard blocked: the link is selectable in the field.
    }
  };

  const headingId = `org-${organisation.id}`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{organisation.name}</h2>
      <Alert message={error} />
      <Status message={status} />
      <details>
        <summary>{t("profile.edit")}</summary>
        <ProfileForm organisationId={organisation.id} />
      </details>
      <h3>{t("partners.members")}</h3>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("partners.member")}</th>
              <th scope="col">{t("partners.roles")}</th>
              <th scope="col">{t("partners.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <MemberRow
                key={`${member.user.id}:${member.roles.join()}`}
                organisation={organisation}
                member={member}
                onChange={report}
              />
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h3>{t("partners.invites")}</h3>
      {invites.length === 0 ? (
        <p>{t("partners.noInvites")}</p>
      ) : (
        <ul class="link-list">
          {invites.map((i) => (
            <li key={i.id}>
              <RoleList roles={[i.role]} /> – {i.email ?? t("partners.anyone")} –{" "}
              {t("partners.expires", { date: formatDate(i.expires_at, language()) })}{" "}
              {i.email && (
                <button type="button" class="button-quiet" onClick={() => resend(i)}>
                  {t("partners.resend")}
                </button>
              )}{" "}
              <button type="button" class="button-quiet" onClick={() => revoke(i.id)}>
                {t("partners.revoke")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="form" onSubmit={invite}>
        <h3>{t("partners.invite")}</h3>
        <label for={`${headingId}-role`}>{t("partners.inviteRole")}</label>
        <select id={`${headingId}-role`} name="role">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`role.${role}` as MessageKey)}
            </option>
          ))}
        </select>
        <label for={`${headingId}-email`}>{t("partners.inviteEmail")}</label>
        <input id={`${headingId}-email`} name="email" type="email" autocomplete="off" />
        <button type="submit" class="button">
          {t("partners.inviteCreate")}
        </button>
      </form>
      {created?.url && (
        <div class="created-link">
          <label for={`${headingId}-link`}>
            {t("partners.inviteLink", { date: formatDate(created.expires_at, language()) })}
          </label>
          <input
            id={`${headingId}-link`}
            readOnly
            value={created.url}
            onFocus={(e) => (e.target as HTMLInputElement).select()}
          />
          <button type="button" class="button-quiet" onClick={() => copy(created.url!)}>
            {t("partners.copy")}
          </button>
        </div>
      )}
    </section>
  );
}

export default function PartnersPage() {
  const { me } = useSession();
  const administered = (me?.memberships ?? [])
    .filter((m) => m.roles.includes("admin"))
    .map((m) => m.organisation);
  return (
    <RequireLogin>
      <Page title={t("partners.title")}>
        {me?.network_office_district && (
          <p>
            <a
              class="button"
              href={`/partners/district/${encodeURIComponent(me.network_office_district)}`}
            >
              {t("partners.networkOffice", { district: me.network_office_district })}
            </a>
          </p>
        )}
        {(me?.memberships ?? [])
          .filter((m) => m.organisation.kind === "school")
          .map((m) => (
            <p key={m.organisation.id}>
              <a class="button" href={`/partners/lernweg/${m.organisation.id}`}>
                {t("partners.lernweg", { school: m.organisation.name })}
              </a>
            </p>
          ))}
        <GoodPracticeLinks />
        {me && <PartnershipList administered={administered} />}
        {administered.length === 0 && <p>{t("partners.none")}</p>}
        {administered.map((organisation) => (
          <OrganisationAdmin key={organisation.id} organisation={organisation} />
        ))}
      </Page>
    </RequireLogin>
  );
}
