"""The policy module answers every permission question; here for every role."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from openparcours import policy
from openparcours.database import local_today, utcnow
from openparcours.errors import Forbidden, NotAuthenticated
from openparcours.extensions import db
from openparcours.forum import service as forum
from openparcours.forum.models import News
from openparcours.notifications.models import Kind, Notification
from openparcours.notifications.service import notify
from openparcours.organisations.models import Membership, Organisation
from openparcours.partnerships.models import Partnership
from openparcours.partnerships.service import find_or_create_partnership, partnership_versions
from openparcours.policy import SCOPES
from openparcours.trails.models import Trail
from openparcours.visits.models import Visit

ROLES = [
    "anonymous",
    "museum admin",
    "educator",
    "partner teacher",
    "other teacher",
    "admin elsewhere",
    "network office",
    "site admin",
]


def make_news(institution, **fields) -> News:
    news = News(institution=institution, title="Neu", text="Neu", **fields)
    db.session.add(news)
    db.session.commit()
    return news


@pytest.fixture
def world(make_organisation, make_user, make_trail, make_visit, make_partnership):
    museum, other_museum = make_organisation("museum"), make_organisation("museum")
    partner_school, other_school = make_organisation("school"), make_organisation("school")
    people = {
        "anonymous": None,
        "museum admin": make_user(roles={museum: ["admin"]}),
        "educator": make_user(roles={museum: ["educator"]}),
        "partner teacher": make_user(roles={partner_school: ["teacher"]}),
        "other teacher": make_user(roles={other_school: ["teacher"]}),
        "admin elsewhere": make_user(roles={other_museum: ["admin"]}),
        "network office": make_user(district="Bochum"),
        "site admin": make_user(site_admin=True),
    }
    # The partner teacher is the school's named contact.
    contact = {"name": "Kontakt", "email": people["partner teacher"].email}
    partnership = make_partnership(partner_school, museum, contacts_school=[contact])
    offered = make_trail(museum, published=True)
    objects = {
        "museum": museum,
        "partner school": partner_school,
        "draft trail": make_trail(museum),
        "offered trail": offered,
        "public trail": make_trail(museum, published=True, visibility="public"),
        "visit": make_visit(
            offered, opened_by_id=people["partner teacher"].id, school_id=partner_school.id
        ),
        "partnership": partnership,
        "Bochum": "Bochum",  # the district of every organisation here
        "Essen": "Essen",
        "notification": notify(
            [people["museum admin"]], Kind.partner_news, params={}, link="/partners"
        )[0],
        "message": forum.post_message(people["partner teacher"], partnership, "Hallo"),
        "news": make_news(museum),
        "public news": make_news(museum, public_from=local_today()),
    }
    db.session.commit()
    return people, objects


STAFF = set(ROLES) - {"anonymous"}
AUTHORS = {"museum admin", "educator", "site admin"}
EXPECTED = {
    # (action, object): who may
    ("account.use", None): STAFF,
    ("organisation.create", None): {"site admin"},
    ("organisation.edit", "museum"): {"museum admin", "site admin"},
    ("organisation.classify", None): {"site admin"},
    ("organisation.manage_members", "museum"): {"museum admin", "site admin"},
    ("organisation.invite", "museum"): {"museum admin", "site admin"},
    ("organisation.view_members", "museum"): AUTHORS,
    ("trail.create", "museum"): AUTHORS,
    ("media.upload", "museum"): AUTHORS,
    ("trail.edit", "draft trail"): AUTHORS,
    ("trail.edit", "public trail"): AUTHORS,
    ("trail.offered", "draft trail"): set(),
    ("trail.offered", "offered trail"): {"partner teacher"},
    ("trail.offered", "public trail"): set(ROLES),
    ("trail.view", "draft trail"): AUTHORS,
    ("trail.view", "offered trail"): AUTHORS | {"partner teacher"},
    ("trail.view", "public trail"): set(ROLES),
    ("visit.open", "draft trail"): AUTHORS,
    ("visit.open", "offered trail"): AUTHORS | {"partner teacher"},
    ("visit.open", "public trail"): AUTHORS | {"partner teacher", "other teacher"},
    ("visit.manage", "visit"): {"partner teacher", "site admin"},
    ("partnership.create", "museum"): {"museum admin", "site admin"},
    ("partnership.view", "partnership"): {
        "museum admin",
        "educator",
        "partner teacher",
        "network office",
        "site admin",
    },
    ("agreement.edit", "partnership"): {"museum admin", "site admin"},
    ("agreement.sign", "museum"): {"museum admin"},  # a site admin signs for no one
    ("district.view", "Bochum"): {"network office", "site admin"},
    ("template.edit", "Bochum"): {"network office", "site admin"},
    ("template.edit", None): {"site admin"},  # the state's
    ("template.view", None): STAFF,
    ("mail.view_failed", None): {"site admin"},
    ("registry.view", None): STAFF,
    ("registry.import", None): {"network office", "site admin"},
    ("lernweg.view", "partner school"): {"partner teacher", "site admin"},
    ("lernweg.view", "museum"): set(),
    # Both sides' staff: not the network office, which reads the partnership's counts.
    ("plan.view", "partnership"): {"museum admin", "educator", "partner teacher", "site admin"},
    ("plan.edit", "partnership"): {"museum admin", "educator", "partner teacher", "site admin"},
    ("notification.read", "notification"): {"museum admin"},  # not even a site admin
    ("practice.share", "museum"): {"museum admin"},  # for their side: not even a site admin
    ("practice.share", "partner school"): set(),
    ("practice.consents", "partnership"): {
        "museum admin",
        "educator",
        "partner teacher",
        "site admin",
    },
    # Any organisation's staff: the network office for its own district only.
    ("practice.view", "Bochum"): STAFF,
    ("practice.view", "Essen"): STAFF - {"network office"},
    ("contact.hand_over", "museum"): {"museum admin"},
    # The admins of both sides and the named contacts: not the network office nor a site admin.
    ("thread.read", "partnership"): {"museum admin", "partner teacher"},
    ("thread.post", "partnership"): {"museum admin", "partner teacher"},
    ("message.edit", "message"): {"partner teacher"},
    ("news.post", "museum"): AUTHORS,
    ("news.delete", "news"): AUTHORS,
    ("news.read_early", "news"): AUTHORS | {"partner teacher"},
    ("news.view", "news"): AUTHORS | {"partner teacher"},
    ("news.view", "public news"): set(ROLES),
}


def test_every_rule_is_in_the_matrix():
    assert {action for action, _ in EXPECTED} == set(policy.RULES)


@pytest.mark.parametrize(("action", "target"), sorted(EXPECTED, key=str))
def test_matrix(world, action, target):
    people, objects = world
    obj = objects.get(target)
    allowed = {name for name, user in people.items() if policy.can(user, action, obj)}
    assert allowed == EXPECTED[(action, target)]


def test_require_tells_anonymous_from_forbidden(world):
    people, objects = world
    with pytest.raises(NotAuthenticated):
        policy.require(None, "organisation.edit", objects["museum"])
    with pytest.raises(Forbidden):
        policy.require(people["educator"], "organisation.edit", objects["museum"])


# --- Scopes: the lists the rules imply ------------------------------------------------------

SCOPED_MODELS = {
    "trail.edit": Trail,
    "trail.offered": Trail,
    "trail.view": Trail,
    "visit.manage": Visit,
    "partnership.view": Partnership,
    "notification.read": Notification,
    "news.read_early": News,
    "news.view": News,
}


@pytest.fixture
def town(make_organisation, make_user, make_trail, make_visit, make_partnership):
    """Two museums and a school's trail; schools whose agreement with the museum is in force,
    starts next month, ended yesterday, is a draft, or that have none, one of them in another
    district; their staff (a teacher of two schools, a member who left), network offices in
    and out of the district, the site admin; trails in every state and visits of every home."""
    today = local_today()
    museum, other_museum = make_organisation("museum"), make_organisation("library")
    partner, starting, ended = (make_organisation("school") for _ in range(3))
    drafting, unrelated = make_organisation("school"), make_organisation("school")
    essen = make_organisation("school", district="Essen")
    for school in (partner, starting, ended, essen):
        make_partnership(school, museum)
    make_partnership(drafting, museum, signed=False)
    make_partnership(partner, other_museum)
    for school, field, day in (
        (starting, "starts_on", today + timedelta(days=30)),
        (ended, "ended_on", today - timedelta(days=1)),
    ):
        (version,) = partnership_versions(find_or_create_partnership(school, museum))
        setattr(version, field, day)
    people = {
        "anonymous": None,
        "site admin": make_user(site_admin=True),
        "museum admin": make_user(roles={museum: ["admin"]}),
        "educator": make_user(roles={museum: ["educator"]}),
        "librarian": make_user(roles={other_museum: ["admin", "educator"]}),
        "partner school admin": make_user(roles={partner: ["admin"]}),
        "partner teacher": make_user(roles={partner: ["teacher"]}),
        "teacher of two schools": make_user(roles={unrelated: ["teacher"], partner: ["teacher"]}),
        "teacher, starting school": make_user(roles={starting: ["teacher"]}),
        "teacher, ended school": make_user(roles={ended: ["teacher"]}),
        "teacher, drafting school": make_user(roles={drafting: ["teacher"]}),
        "teacher, Essen": make_user(roles={essen: ["teacher"]}),
        "former teacher": make_user(roles={partner: ["teacher"]}),
        "former educator": make_user(roles={museum: ["educator"]}),
        "network office Bochum": make_user(district="Bochum"),
        "network office Essen": make_user(district="Essen"),
        "network office Dortmund": make_user(district="Dortmund"),
    }
    trails = {
        "draft": make_trail(museum),
        "partners only": make_trail(museum, published=True),
        "public": make_trail(museum, published=True, visibility="public"),
        "archived": make_trail(museum, published=True, archived_at=utcnow()),
        "library's partners only": make_trail(other_museum, published=True),
        "library's public": make_trail(other_museum, published=True, visibility="public"),
        "library's draft": make_trail(other_museum, visibility="public"),
        "a school's": make_trail(partner, published=True),
    }

    def visit(trail: str, opener: str, school=None):
        return make_visit(
            trails[trail], opened_by_id=people[opener].id, school_id=school.id if school else None
        )

    visits = {
        "partner class": visit("partners only", "partner teacher", partner),
        "left teacher's class": visit("partners only", "former teacher", partner),
        "second school's class": visit("public", "teacher of two schools", unrelated),
        "museum's own group": visit("partners only", "educator"),
        "left educator's group": visit("partners only", "former educator"),
        "Essen class": visit("public", "teacher, Essen", essen),
    }
    for told in (["museum admin", "educator"], ["museum admin"], ["partner teacher"]):
        notify([people[name] for name in told], Kind.partner_news, params={}, link="/partners")
    for institution in (museum, other_museum):
        make_news(institution)
        make_news(institution, public_from=today)
        make_news(institution, public_from=today + timedelta(days=7))
    for former in ("former teacher", "former educator"):
        db.session.execute(delete(Membership).where(Membership.user_id == people[former].id))
    db.session.commit()
    db.session.expire_all()
    return {"people": people, "trails": trails, "visits": visits}


@pytest.mark.parametrize("action", SCOPES)
def test_a_scope_lists_exactly_what_its_rule_allows(town, action):
    model = SCOPED_MODELS[action]
    rows = db.session.scalars(select(model)).all()
    answers = set()
    for name, user in town["people"].items():
        listed = set(db.session.scalars(select(model.id).where(policy.scope(user, action))))
        allowed = {row.id for row in rows if policy.can(user, action, row)}
        assert listed == allowed, name
        answers.add(frozenset(allowed))
    assert len(answers) >= 3  # the town tells roles apart: this compares something


def test_every_scope_has_its_model():
    assert set(SCOPES) == set(SCOPED_MODELS)


def test_the_admins_of_an_organisation_are_who_signs_for_it(town):
    """Who hears that an agreement waits for a side's signature: who may give it."""
    users = [user for user in town["people"].values() if user is not None]
    for organisation in db.session.scalars(select(Organisation)):
        listed = set(db.session.scalars(policy.admins_of(organisation)))
        assert listed == {u for u in users if policy.can(u, "agreement.sign", organisation)}


# --- Edge cases -------------------------------------------------------------------------------

EDGE_CASES = [
    # (who, action, what, may)
    ("former teacher", "visit.manage", "left teacher's class", False),
    ("partner school admin", "visit.manage", "left teacher's class", True),
    ("former educator", "visit.manage", "left educator's group", False),
    ("museum admin", "visit.manage", "museum's own group", False),  # opened by the educator
    ("teacher of two schools", "trail.view", "partners only", True),
    ("teacher of two schools", "visit.open", "partners only", True),
    ("teacher of two schools", "visit.manage", "second school's class", True),
    ("teacher, starting school", "trail.view", "partners only", True),  # signed, starts later
    ("teacher, ended school", "trail.view", "partners only", False),  # ended yesterday
    ("teacher, ended school", "visit.open", "partners only", False),
    ("teacher, ended school", "visit.open", "public", True),
    ("teacher, drafting school", "trail.view", "partners only", False),
    ("educator", "trail.view", "archived", True),
    ("partner teacher", "trail.view", "archived", False),
    ("partner teacher", "trail.view", "library's partners only", True),
    ("librarian", "trail.edit", "partners only", False),
    ("partner school admin", "trail.edit", "a school's", False),  # schools author no trails
    ("site admin", "trail.edit", "a school's", True),
    ("site admin", "visit.manage", "Essen class", True),
    ("network office Essen", "visit.manage", "Essen class", False),  # never student data
]


def test_edge_cases(town):
    def answer(who: str, action: str, what: str) -> bool:
        objects = town["visits" if action == "visit.manage" else "trails"]
        return policy.can(town["people"][who], action, objects[what])

    assert [case for case in EDGE_CASES if answer(*case[:3]) is not case[3]] == []


def test_the_network_office_reads_the_partnerships_of_its_district(town):
    """Of either side's district: the museum's in Bochum, the Essen school's partnership with it
    in Essen too; another district's office reads none."""

    def read_by(office: str) -> set[str]:
        user = town["people"][f"network office {office}"]
        partnerships = db.session.scalars(select(Partnership)).all()
        return {p.school.district for p in partnerships if policy.can(user, "partnership.view", p)}

    assert read_by("Bochum") == {"Bochum", "Essen"}
    assert read_by("Essen") == {"Essen"}
    assert read_by("Dortmund") == set()
