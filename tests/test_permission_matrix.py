"""Every operation of the OpenAPI document against every role: allowed (any answer but 401 and
403) or denied (401 or 403), and never a 5xx. An operation missing here fails the test, so a
new endpoint cannot go without its row.

Each operation gets a world of its own; the roles try it from the least to the most
privileged, so what an allowed role changes (a deleted member, an ended agreement) cannot turn
a denial into something else.
"""

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from openparcours.demo import SCHOOL_LIST
from openparcours.extensions import db
from openparcours.forum import service as forum
from openparcours.media import service as media_service
from openparcours.notifications.models import Notification
from openparcours.organisations.models import Role
from openparcours.organisations.service import create_invite
from openparcours.partnerships import service as partnerships
from openparcours.partnerships import templates
from openparcours.planning.models import PlanItem
from openparcours.visits.models import Event, Team
from tests.factories import PASSWORD, TODAY, join, pdf, png, single_choice_task

ROLES = [
    "anonymous",
    "team A",
    "team B",
    "network office elsewhere",
    "educator B",
    "teacher B",
    "teacher A",
    "educator A",
    "org admin",
    "site admin",
]
STAFF = {r for r in ROLES if r not in ("anonymous", "team A", "team B")}
EVERYONE = set(ROLES)
TEAMS = {"team A", "team B"}
AUTHORS = {"educator A", "org admin", "site admin"}  # of museum A's trails
VISIT_A = {"teacher A", "site admin"}  # who manages visit A
SIDES = {"teacher A", "educator A", "org admin", "site admin"}  # read partnership A
ADMINS = {"org admin", "site admin"}
THREAD = {"teacher A", "educator A", "org admin"}  # partnership A's admins and named contacts

EXPECTED = {
    ("GET", "/health"): EVERYONE,
    ("GET", "/settings"): EVERYONE,
    ("POST", "/auth/login"): EVERYONE,
    ("POST", "/auth/logout"): EVERYONE,
    ("GET", "/me"): STAFF,
    ("PATCH", "/me"): STAFF,
    ("POST", "/me/password"): STAFF,
    ("POST", "/me/email"): STAFF,
    ("POST", "/auth/email-change/{token}"): EVERYONE,
    ("POST", "/auth/password-reset"): EVERYONE,
    ("POST", "/auth/password-reset/{token}"): EVERYONE,
    ("GET", "/notifications"): STAFF,
    ("GET", "/notifications/unread"): STAFF,
    ("POST", "/notifications/read"): STAFF,
    # Told that school A signed: each notification is its user's alone.
    ("POST", "/notifications/{notification_id}/read"): {"org admin"},
    ("GET", "/me/notification-preferences"): STAFF,
    ("PUT", "/me/notification-preferences"): STAFF,
    ("GET", "/organisations"): EVERYONE,
    ("POST", "/organisations"): {"site admin"},
    ("GET", "/organisations/{organisation_id}"): EVERYONE,
    ("PATCH", "/organisations/{organisation_id}"): ADMINS,
    ("GET", "/organisations/{organisation_id}/members"): AUTHORS,
    ("PUT", "/organisations/{organisation_id}/members/{user_id}"): ADMINS,
    ("DELETE", "/organisations/{organisation_id}/members/{user_id}"): ADMINS,
    ("GET", "/organisations/{organisation_id}/invites"): ADMINS,
    ("POST", "/organisations/{organisation_id}/invites"): ADMINS,
    ("DELETE", "/organisations/{organisation_id}/invites/{invite_id}"): ADMINS,
    ("POST", "/organisations/{organisation_id}/invites/{invite_id}/resend"): ADMINS,
    ("POST", "/invites/preview"): EVERYONE,
    ("POST", "/invites/accept"): EVERYONE,
    ("GET", "/partnerships"): STAFF,
    ("POST", "/partnerships"): ADMINS,
    ("GET", "/partnerships/{partnership_id}"): SIDES,
    ("POST", "/partnerships/{partnership_id}/agreements"): ADMINS,
    ("GET", "/partnerships/{partnership_id}/report"): SIDES,
    ("GET", "/partnerships/{partnership_id}/report.pdf"): SIDES,
    ("GET", "/partnerships/{partnership_id}/report.xlsx"): SIDES,
    ("GET", "/partnerships/{partnership_id}/plan"): SIDES,
    ("POST", "/partnerships/{partnership_id}/plan"): SIDES,
    ("GET", "/partnerships/{partnership_id}/plan.pdf"): SIDES,
    ("PUT", "/partnerships/{partnership_id}/plan/reflection"): SIDES,
    ("PATCH", "/plan-items/{item_id}"): SIDES,
    ("GET", "/partnerships/{partnership_id}/sharing"): SIDES,
    # Consent to share as good practice: an admin for their side, as they sign for it.
    ("PUT", "/partnerships/{partnership_id}/sharing"): {"org admin"},
    # For the staff of schools and institutions, and the district's own network office.
    ("GET", "/districts/{district}/good-practice"): STAFF - {"network office elsewhere"},
    ("DELETE", "/plan-items/{item_id}"): SIDES,
    ("GET", "/agreements/{agreement_id}"): SIDES,
    ("PUT", "/agreements/{agreement_id}"): ADMINS,
    ("POST", "/agreements/{agreement_id}/propose"): ADMINS,
    ("POST", "/agreements/{agreement_id}/withdraw"): ADMINS,
    ("POST", "/agreements/{agreement_id}/signatures"): {"org admin"},
    ("POST", "/agreements/{agreement_id}/end"): ADMINS,
    ("GET", "/agreements/{agreement_id}/diff"): SIDES,
    ("GET", "/agreements/{agreement_id}/agreement.pdf"): SIDES,
    ("GET", "/trails/{trail_id}/agreements"): AUTHORS,
    ("PUT", "/agreements/{agreement_id}/template"): ADMINS,
    ("GET", "/partnerships/{partnership_id}/templates"): SIDES,
    # Bochum's Mustervereinbarung: its network office and site admins write it, staff read it.
    ("GET", "/agreement-templates"): STAFF,
    ("POST", "/agreement-templates"): {"site admin"},
    ("GET", "/agreement-templates/{template_id}"): STAFF,
    ("PATCH", "/agreement-templates/{template_id}"): {"site admin"},
    ("POST", "/agreement-templates/{template_id}/versions"): {"site admin"},
    # Its draft: unknown (404) to those who may not edit it.
    ("GET", "/agreement-template-versions/{version_id}"): STAFF,
    ("PUT", "/agreement-template-versions/{version_id}"): {"site admin"},
    ("DELETE", "/agreement-template-versions/{version_id}"): {"site admin"},
    ("POST", "/agreement-template-versions/{version_id}/publish"): {"site admin"},
    ("GET", "/districts/{district}/overview"): {"site admin"},
    ("GET", "/districts/{district}/coverage"): {"site admin"},
    ("GET", "/districts/{district}/report-pack.pdf"): {"site admin"},
    ("GET", "/districts/{district}/report-pack.xlsx"): {"site admin"},
    ("GET", "/partnerships/{partnership_id}/messages"): THREAD,
    ("POST", "/partnerships/{partnership_id}/messages"): THREAD,
    ("PATCH", "/messages/{message_id}"): {"teacher A"},  # its author
    ("POST", "/messages/{message_id}/attachments"): {"teacher A"},
    ("GET", "/attachments/{attachment_id}"): THREAD,
    # An admin of the side in person: the museum's, whose contact (educator A) leaves.
    ("POST", "/partnerships/{partnership_id}/handovers"): {"org admin"},
    ("GET", "/news"): STAFF,
    ("GET", "/organisations/{organisation_id}/news"): EVERYONE,
    ("POST", "/organisations/{organisation_id}/news"): AUTHORS,
    ("DELETE", "/news/{news_id}"): AUTHORS,
    ("GET", "/trails"): STAFF,
    ("POST", "/trails"): AUTHORS,
    ("GET", "/trails/offered"): STAFF,
    ("GET", "/organisations/{organisation_id}/offers"): EVERYONE,
    ("GET", "/trails/{trail_id}"): AUTHORS | {"teacher A"},
    ("PATCH", "/trails/{trail_id}"): AUTHORS,
    ("POST", "/trails/{trail_id}/duplicate"): AUTHORS,
    ("POST", "/trails/{trail_id}/stations"): AUTHORS,
    ("PUT", "/trails/{trail_id}/stations"): AUTHORS,
    ("PATCH", "/stations/{station_id}"): AUTHORS,
    ("DELETE", "/stations/{station_id}"): AUTHORS,
    ("POST", "/stations/{station_id}/tasks"): AUTHORS,
    ("PUT", "/stations/{station_id}/tasks"): AUTHORS,
    ("PUT", "/tasks/{task_id}"): AUTHORS,
    ("DELETE", "/tasks/{task_id}"): AUTHORS,
    ("GET", "/trails/{trail_id}/publish-check"): AUTHORS,
    # A partner school's staff may read the published trail they are offered.
    ("GET", "/trails/{trail_id}/versions"): AUTHORS | {"teacher A"},
    ("POST", "/trails/{trail_id}/versions"): AUTHORS,
    ("GET", "/trails/{trail_id}/versions/{number}"): AUTHORS | {"teacher A"},
    ("GET", "/trails/{trail_id}/posters.pdf"): AUTHORS,
    ("GET", "/stations/{station_id}/qr.{image_format}"): AUTHORS,
    ("POST", "/organisations/{organisation_id}/trails/import"): AUTHORS,
    ("GET", "/trails/{trail_id}/export.zip"): AUTHORS,
    ("GET", "/trails/{trail_id}/stations.geojson"): AUTHORS | {"teacher A"},
    ("POST", "/markdown"): STAFF,
    ("GET", "/trails/{trail_id}/preview"): AUTHORS,
    ("POST", "/organisations/{organisation_id}/media"): AUTHORS,
    ("GET", "/photos/{media_id}"): VISIT_A | {"team A"},
    ("GET", "/visits"): STAFF,
    ("POST", "/visits"): AUTHORS | {"teacher A", "teacher B"},
    ("GET", "/visits/{visit_id}"): VISIT_A,
    ("PATCH", "/visits/{visit_id}"): VISIT_A,
    ("DELETE", "/visits/{visit_id}/data"): VISIT_A,
    ("GET", "/visits/{visit_id}/live"): VISIT_A,
    ("GET", "/visits/{visit_id}/messages"): VISIT_A,
    ("POST", "/visits/{visit_id}/messages"): VISIT_A,
    ("GET", "/visits/{visit_id}/qr.png"): VISIT_A,
    ("GET", "/visits/{visit_id}/results"): VISIT_A,
    ("GET", "/visits/{visit_id}/teams/{team_id}/timeline"): VISIT_A,
    ("PUT", "/visits/{visit_id}/answers/{event_id}/grade"): VISIT_A,
    ("GET", "/visits/{visit_id}/results.csv"): VISIT_A,
    ("GET", "/visits/{visit_id}/results.xlsx"): VISIT_A,
    ("GET", "/visits/{visit_id}/photos.zip"): VISIT_A,
    ("GET", "/visits/{visit_id}/certificates.pdf"): VISIT_A,
    ("GET", "/visits/{visit_id}/parents-letter.pdf"): VISIT_A,
    ("PUT", "/visits/{visit_id}/answers/{event_id}/souvenir"): VISIT_A,
    # A souvenir page is for whoever has its address.
    ("GET", "/souvenirs/{souvenir_token}"): EVERYONE,
    ("GET", "/souvenirs/{souvenir_token}/photos/{event_id}"): EVERYONE,
    ("GET", "/trails/{trail_id}/statistics"): AUTHORS,
    ("GET", "/catalogue/trails"): EVERYONE,
    ("GET", "/catalogue/filters"): EVERYONE,
    ("GET", "/catalogue/institutions.geojson"): EVERYONE,
    ("POST", "/play/join"): EVERYONE,
    ("GET", "/play/bundle"): TEAMS,
    ("POST", "/play/sync"): TEAMS,
    ("POST", "/play/media"): TEAMS,
    ("GET", "/play/ranking"): TEAMS,
    ("GET", "/mail/failed"): {"site admin"},
    ("GET", "/registry/schools"): STAFF,
    ("POST", "/registry/schools/import"): {"network office elsewhere", "site admin"},
    ("GET", "/registry/tables"): EVERYONE,
    ("GET", "/curriculum/tables"): EVERYONE,
    # The world's organisation is museum A, which has no Lernweg: a school's only.
    ("GET", "/organisations/{organisation_id}/lernweg"): set(),
    ("GET", "/organisations/{organisation_id}/lernweg.pdf"): set(),
    ("GET", "/organisations/{organisation_id}/lernweg.xlsx"): set(),
}


@pytest.fixture
def make_world(client, make_organisation, make_user, make_trail, make_visit):
    """Museums A and B, school A (partner of A, with a signed agreement) and school B; a
    partners-only and a public trail of A; visit A of school A with a team that answered,
    visit B of school B; one user per role."""

    def make() -> dict:
        museum, other_museum = make_organisation("museum"), make_organisation("museum")
        school, other_school = make_organisation("school"), make_organisation("school")
        users = {
            "network office elsewhere": make_user(district="Essen"),
            "educator B": make_user(roles={other_museum: ["educator"]}),
            "teacher B": make_user(roles={other_school: ["teacher"]}),
            "teacher A": make_user(roles={school: ["teacher"]}),
            "educator A": make_user(roles={museum: ["educator"]}),
            "org admin": make_user(roles={museum: ["admin"]}),
            "site admin": make_user(site_admin=True),
        }
        school_admin = make_user(roles={school: ["admin"]})
        trail = make_trail(museum, published=True)
        public = make_trail(museum, published=True, visibility="public")
        draft = partnerships.start_partnership(users["org admin"], school, museum)
        partnerships.update_draft(
            users["org admin"],
            draft,
            content={
                "goals": "Lernen",
                "contacts_school": [{"name": "A", "email": users["teacher A"].email}],
                "contacts_institution": [{"name": "E", "email": users["educator A"].email}],
            },
            trail_ids=[trail.id],
            starts_on=TODAY - timedelta(days=1),
            ends_on=None,
            review_on=None,
        )
        partnerships.propose(users["org admin"], draft)
        for admin, side in ((school_admin, school), (users["org admin"], museum)):
            partnerships.sign(admin, draft, side.id, signer_name="N", signer_role="R")
        visit = make_visit(
            trail, opened_by_id=users["teacher A"].id, school_id=school.id, souvenirs=True
        )
        other_visit = make_visit(
            public, opened_by_id=users["teacher B"].id, school_id=other_school.id
        )
        tokens = {}
        for role, v in (("team A", visit), ("team B", other_visit)):
            tokens[role] = join(client, v, role).json["token"]
        station = trail.stations[0]
        answer = Event(
            event_id=str(uuid.uuid4()),
            visit_id=visit.id,
            type="answer",
            team_id=db.session.query(Team.id).filter_by(visit_id=visit.id).scalar(),
            station_id=station.id,
            task_id=station.tasks[0].id,
            answer="b",
            client_at=datetime.now(UTC),
            correct=True,
            credit=1,
            points=10,
        )
        db.session.add(answer)
        photo = media_service.store_media(png(), None, None, team_id=answer.team_id)
        message = forum.post_message(users["teacher A"], draft.partnership, "Hallo")
        file = forum.attach(users["teacher A"], message, "Plan.pdf", pdf())
        news = forum.post_news(
            users["org admin"],
            museum,
            title="Neu",
            text="Neu",
            link=None,
            happens_on=None,
            public_from=None,
        )
        invite, invite_token = create_invite(users["org admin"], museum, Role.educator)
        plan_item = PlanItem(partnership_id=draft.partnership_id, school_year=2026, title="Besuch")
        db.session.add(plan_item)
        template = templates.create_template(
            users["site admin"], district="Bochum", area="", title="Muster"
        ).template
        templates.publish_template_version(users["site admin"], template.versions[0])
        template_draft = templates.new_draft(users["site admin"], template)
        probe = make_user()
        db.session.commit()
        told = db.session.scalars(
            select(Notification.id).where(Notification.user_id == users["org admin"].id)
        ).first()
        ids = {
            "organisation_id": museum.id,
            "user_id": users["educator A"].id,
            "invite_id": invite.id,
            "token": invite_token,
            "partnership_id": draft.partnership_id,
            "agreement_id": draft.id,
            "district": "Bochum",
            "trail_id": trail.id,
            "station_id": station.id,
            "task_id": station.tasks[0].id,
            "number": 1,
            "image_format": "png",
            "visit_id": visit.id,
            "team_id": answer.team_id,
            "souvenir_token": db.session.get(Team, answer.team_id).souvenir_token,
            "event_id": answer.id,
            "media_id": photo.id,
            "notification_id": told,
            "message_id": message.id,
            "attachment_id": file.id,
            "news_id": news.id,
            "item_id": plan_item.id,
            "template_id": template.id,
            "version_id": template_draft.id,
        }
        return {
            "users": users,
            "tokens": tokens,
            "ids": ids,
            "probe": probe,
            "public": public,
            "school_b": other_school,
            "visit_code": visit.join_code,
            "museum_member": users["org admin"],
            "educator_email": users["educator A"].email,
        }

    return make


def request_for(method: str, path: str, world: dict) -> dict:
    """What to send so that validation passes and the permission check decides."""
    ids = world["ids"]
    now = datetime.now(UTC)
    bodies = {
        ("POST", "/auth/login"): {"email": world["probe"].email, "password": PASSWORD},
        ("POST", "/me/password"): {"current_password": PASSWORD, "new_password": "x" * 12},
        ("PATCH", "/me"): {"language": "en"},
        ("POST", "/me/email"): {"new_email": "neu@example.org", "password": PASSWORD},
        ("POST", "/auth/password-reset"): {"email": world["probe"].email},
        ("POST", "/auth/password-reset/{token}"): {"new_password": "x" * 12},
        ("PUT", "/me/notification-preferences"): {
            "preferences": [{"kind": "forum_message", "delivery": "in_app"}]
        },
        ("POST", "/organisations"): {"name": "Neu", "kind": "museum"},
        ("PATCH", "/organisations/{organisation_id}"): {"description": "Neu"},
        ("PUT", "/organisations/{organisation_id}/members/{user_id}"): {"roles": ["educator"]},
        ("POST", "/organisations/{organisation_id}/invites"): {"role": "educator"},
        ("POST", "/invites/preview"): {"token": ids["token"]},
        ("POST", "/invites/accept"): {"token": ids["token"]},
        ("POST", "/partnerships"): {
            "school_id": world["school_b"].id,
            "institution_id": ids["organisation_id"],
        },
        ("PUT", "/agreements/{agreement_id}"): {"content": {"goals": "Neu"}},
        ("POST", "/agreements/{agreement_id}/signatures"): {"signer_name": "N", "signer_role": "R"},
        ("POST", "/agreements/{agreement_id}/end"): {"ended_on": TODAY.isoformat()},
        ("POST", "/trails"): {"organisation_id": ids["organisation_id"], "title": "Neu"},
        ("PATCH", "/trails/{trail_id}"): {"title": "Neu"},
        ("POST", "/trails/{trail_id}/stations"): {"title": "Neu"},
        ("PUT", "/trails/{trail_id}/stations"): {"station_ids": [ids["station_id"]]},
        ("PATCH", "/stations/{station_id}"): {"title": "Neu"},
        ("POST", "/stations/{station_id}/tasks"): single_choice_task(),
        ("PUT", "/stations/{station_id}/tasks"): {"task_ids": [ids["task_id"]]},
        ("PUT", "/tasks/{task_id}"): single_choice_task(),
        ("POST", "/markdown"): {"markdown": "*Neu*"},
        ("POST", "/visits"): {
            "trail_id": world["public"].id,
            "class_label": "7b",
            "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat(),
        },
        ("PATCH", "/visits/{visit_id}"): {"closed": True},
        ("POST", "/visits/{visit_id}/messages"): {"text": "In 10 Minuten am Eingang!"},
        ("PUT", "/visits/{visit_id}/answers/{event_id}/grade"): {"accepted": True},
        ("PUT", "/visits/{visit_id}/answers/{event_id}/souvenir"): {"approved": True},
        ("POST", "/play/join"): {"code": world["visit_code"], "team_name": "Neu"},
        ("POST", "/play/sync"): {"events": []},
        ("POST", "/partnerships/{partnership_id}/messages"): {"body": "Hallo"},
        ("PATCH", "/messages/{message_id}"): {"body": "Hallo!"},
        ("POST", "/partnerships/{partnership_id}/handovers"): {
            "organisation_id": ids["organisation_id"],
            "predecessor_email": world["educator_email"],
            "successor_id": world["museum_member"].id,
        },
        ("POST", "/organisations/{organisation_id}/news"): {"title": "Neu", "text": "Neu"},
        ("POST", "/partnerships/{partnership_id}/plan"): {"title": "Neu"},
        ("PUT", "/partnerships/{partnership_id}/plan/reflection"): {"went_well": "Gut"},
        ("PATCH", "/plan-items/{item_id}"): {"status": "agreed"},
        ("PUT", "/agreements/{agreement_id}/template"): {"template_version_id": ids["version_id"]},
        ("POST", "/agreement-templates"): {"district": "Bochum", "title": "Neu"},
        ("PATCH", "/agreement-templates/{template_id}"): {"title": "Neu"},
        ("PUT", "/agreement-template-versions/{version_id}"): {},
        ("PUT", "/partnerships/{partnership_id}/sharing"): {"what": "offers", "shared": True},
    }
    files = {
        ("POST", "/organisations/{organisation_id}/trails/import"): ("trail.geojson", b"{}"),
        ("POST", "/organisations/{organisation_id}/media"): ("bild.png", png()),
        ("POST", "/play/media"): ("foto.png", png()),
        ("POST", "/messages/{message_id}/attachments"): ("plan.pdf", pdf()),
        ("POST", "/registry/schools/import"): ("schuldaten.csv", SCHOOL_LIST.read_bytes()),
    }
    query = {("GET", "/agreements/{agreement_id}/diff"): f"?from={ids['agreement_id']}"}
    url = "/api/v1" + path.format(**ids) + query.get((method, path), "")
    if (method, path) in files:
        name, data = files[method, path]
        return {
            "url": url,
            "data": {"file": (io.BytesIO(data), name)},
            "content_type": "multipart/form-data",
        }
    return {"url": url, "json": bodies.get((method, path))}


def operations(client) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").json
    return [
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_is_in_the_matrix(client):
    assert set(operations(client)) == set(EXPECTED)


def test_the_matrix(client, make_client, make_world):
    wrong = []
    for method, path in operations(client):
        world = make_world()
        allowed = set()
        for role in ROLES:
            user = world["users"].get(role)
            api = make_client(user)
            headers = {}
            if role in world["tokens"]:
                headers["Authorization"] = f"Bearer {world['tokens'][role]}"
            sent = request_for(method, path, world)
            response = api.request(method, sent.pop("url"), headers=headers, **sent)
            assert response.status_code < 500, (method, path, role, response.json)
            if response.status_code not in (401, 403):
                allowed.add(role)
        if allowed != EXPECTED[method, path]:
            wrong.append(
                f"{method} {path}: also {sorted(allowed - EXPECTED[method, path])}, "
                f"not {sorted(EXPECTED[method, path] - allowed)}"
            )
    assert wrong == [], "\n".join(wrong)
