"""The policy module answers every permission question; here for every role."""

import pytest

from server import policy
from server.errors import Forbidden, NotAuthenticated


@pytest.fixture
def people(make_organisation, make_user):
    museum, other_museum = make_organisation("museum"), make_organisation("museum")
    school = make_organisation("school")
    return {
        "museum": museum,
        "anonymous": None,
        "museum admin": make_user(roles={museum: ["admin"]}),
        "educator": make_user(roles={museum: ["educator"]}),
        "teacher": make_user(roles={school: ["teacher"]}),
        "admin elsewhere": make_user(roles={other_museum: ["admin"]}),
        "network office": make_user(district="Bochum"),
        "site admin": make_user(site_admin=True),
    }


EXPECTED = {
    # action: roles allowed on the museum
    "organisation.edit": {"museum admin", "site admin"},
    "organisation.manage_members": {"museum admin", "site admin"},
    "organisation.invite": {"museum admin", "site admin"},
    "organisation.view_members": {"museum admin", "educator", "site admin"},
    "organisation.create": {"site admin"},
    "account.use": {
        "museum admin",
        "educator",
        "teacher",
        "admin elsewhere",
        "network office",
        "site admin",
    },
}


def test_every_rule_is_in_the_matrix():
    assert set(policy.RULES) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_matrix(people, action):
    museum = people["museum"]
    for name, user in people.items():
        if name == "museum":
            continue
        assert policy.can(user, action, museum) == (name in EXPECTED[action]), (name, action)


def test_require_tells_anonymous_from_forbidden(people):
    with pytest.raises(NotAuthenticated):
        policy.require(None, "organisation.edit", people["museum"])
    with pytest.raises(Forbidden):
        policy.require(people["educator"], "organisation.edit", people["museum"])
