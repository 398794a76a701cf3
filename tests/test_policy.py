"""The policy module answers every permission question; here for every role."""

import pytest

from server import policy
from server.errors import Forbidden, NotAuthenticated

ROLES = ["anonymous", "museum admin", "educator", "partner teacher", "other teacher",
         "admin elsewhere", "network office", "site admin"]  # fmt: skip


@pytest.fixture
def world(make_organisation, make_user, make_trail, make_visit, make_partnership):
    museum, other_museum = make_organisation("museum"), make_organisation("museum")
    partner_school, other_school = make_organisation("school"), make_organisation("school")
    partnership = make_partnership(partner_school, museum)
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
    offered = make_trail(museum, published=True)
    objects = {
        "museum": museum,
        "draft trail": make_trail(museum),
        "offered trail": offered,
        "public trail": make_trail(museum, published=True, visibility="public"),
        "visit": make_visit(
            offered, opened_by_id=people["partner teacher"].id, school_id=partner_school.id
        ),
        "partnership": partnership,
        "Bochum": "Bochum",  # the district of every organisation here
    }
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
