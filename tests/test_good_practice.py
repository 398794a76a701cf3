"""Good practice made visible: both sides of a partnership share its learning offers and a
school year's reflection; the district's page shows them to the district's schools and
institutions while both consent, without student data, in a fixed number of queries."""

from datetime import timedelta

import pytest

from openparcours.database import local_today
from openparcours.extensions import db
from openparcours.partnerships import service as partnerships
from tests.factories import join
from tests.helpers import error_code, field_errors

YEAR = 2025
ANCHORING = {
    "year_group": 7,
    "subject": "Geschichte",
    "teaching_unit": "Industrialisierung im Ruhrgebiet",
    "media_competences": ["2.1"],
    "term": 2,
}


@pytest.fixture
def partners(make_organisation, make_user, make_client, make_trail, make_partnership):
    school = make_organisation("school", name="Gesamtschule Mitte", district="Bochum")
    museum = make_organisation("museum", name="Zechenmuseum", district="Bochum")
    trail = make_trail(
        museum,
        published=True,
        title="Unter Tage",
        subjects=["Geschichte"],
        grades=[7, 8],
        media_competences=["2.1", "4.1"],
    )
    partnership = make_partnership(
        school,
        museum,
        trails=[trail],
        anchoring=[ANCHORING | {"trail_id": trail.id, "offer": ""}],
        contacts_school=[{"name": "Frau Yılmaz", "email": "yilmaz@schule.example"}],
    )
    school_admin = make_user(roles={school: ["admin"]}, name="Frau Direktorin")
    teacher = make_user(roles={school: ["teacher"]})
    other_school = make_organisation("school", name="Realschule Süd", district="Bochum")
    return {
        "partnership": partnership,
        "trail": trail,
        "school": school,
        "museum": museum,
        "school_admin": make_client(school_admin),
        "museum_admin": make_client(make_user(roles={museum: ["admin"]})),
        "teacher": make_client(teacher),
        "other_teacher": make_client(make_user(roles={other_school: ["teacher"]})),
        "office": make_client(make_user(district="Bochum")),
        "office_elsewhere": make_client(make_user(district="Essen")),
        "url": f"/api/v1/partnerships/{partnership.id}/sharing",
    }


DISTRICT = "/api/v1/districts/Bochum/good-practice"


def reflect(client, partnership, year=YEAR, **texts):
    body = {"went_well": "Die Klasse 7b hat begeistert recherchiert.", "changes": "Mehr Zeit."}
    response = client.put(
        f"/api/v1/partnerships/{partnership.id}/plan/reflection?school_year={year}",
        body | texts,
    )
    assert response.status_code == 200, response.json
    return response


def share(client, url, what="offers", shared=True, **fields):
    return client.put(url, {"what": what, "shared": shared} | fields)


def test_one_sides_consent_shows_nothing_both_show_the_example(partners):
    answer = share(partners["school_admin"], partners["url"])
    assert answer.status_code == 200, answer.json
    offers = answer.json["items"][0]
    assert offers["what"] == "offers"
    assert offers["available"]
    assert offers["school"]["by"] == "Frau Direktorin"
    assert offers["institution"] is None
    assert not offers["shown"]
    assert answer.json["sides"] == ["school"]
    assert partners["other_teacher"].get(DISTRICT).json["examples"] == []

    answer = share(partners["museum_admin"], partners["url"])
    assert answer.json["items"][0]["shown"]
    examples = partners["other_teacher"].get(DISTRICT).json["examples"]
    assert len(examples) == 1
    example = examples[0]
    assert example["school"] | {"id": 0} == {
        "id": 0,
        "name": "Gesamtschule Mitte",
        "kind": "school",
        "kind_name": "Schule",
        "school_form": "gymnasium",
        "school_form_name": "Gymnasium",
        "municipality": "Bochum",
    }
    assert example["institution"]["kind_name"] == "Museum"
    assert example["offers"] == [
        {
            "title": "Unter Tage",
            "description": example["offers"][0]["description"],
            "subjects": ["Geschichte"],
            "year_groups": [7, 8],
            "media_competences": ["2.1", "4.1"],
        }
    ]
    assert example["anchoring"] == [ANCHORING | {"offer": "Unter Tage"}]
    assert example["reflections"] == []


def test_a_reflection_is_shared_by_both_and_withdrawn_at_once(partners):
    p = partners["partnership"]
    reflect(partners["teacher"], p)
    for client in ("school_admin", "museum_admin"):
        answer = share(partners[client], partners["url"], "reflection", school_year=YEAR)
        assert answer.status_code == 200, answer.json
    item = answer.json["items"][1]
    assert (item["what"], item["school_year"], item["shown"]) == ("reflection", YEAR, True)
    example = partners["teacher"].get(DISTRICT).json["examples"][0]
    # The offers stay with the partners: only the reflection is shared.
    assert example["offers"] == []
    assert example["anchoring"] == []
    assert example["reflections"] == [
        {
            "school_year": "2025/26",
            "went_well": "Die Klasse 7b hat begeistert recherchiert.",
            "changes": "Mehr Zeit.",
        }
    ]
    withdrawn = share(
        partners["museum_admin"], partners["url"], "reflection", False, school_year=YEAR
    )
    assert withdrawn.json["items"][1]["institution"] is None
    assert partners["teacher"].get(DISTRICT).json["examples"] == []


def test_withdrawing_the_offers_hides_them(partners):
    for client in ("school_admin", "museum_admin"):
        share(partners[client], partners["url"])
    assert partners["office"].get(DISTRICT).json["examples"]
    share(partners["school_admin"], partners["url"], shared=False)
    assert partners["office"].get(DISTRICT).json["examples"] == []


def test_a_changed_reflection_needs_both_consents_again(partners):
    p = partners["partnership"]
    reflect(partners["teacher"], p)
    for client in ("school_admin", "museum_admin"):
        share(partners[client], partners["url"], "reflection", school_year=YEAR)
    # The next review alone leaves the texts as shared.
    reflect(partners["teacher"], p, next_review_on=(local_today() + timedelta(days=30)).isoformat())
    assert partners["teacher"].get(DISTRICT).json["examples"]
    reflect(partners["teacher"], p, changes="Zwei Besuche statt einem.")
    assert partners["teacher"].get(DISTRICT).json["examples"] == []
    item = partners["teacher"].get(partners["url"]).json["items"][1]
    assert item["school"] is None
    assert item["institution"] is None


def test_a_signed_amendment_needs_both_consents_again(partners, make_user):
    for client in ("school_admin", "museum_admin"):
        share(partners[client], partners["url"])
    p = partners["partnership"]
    admins = [make_user(roles={side: ["admin"]}) for side in (p.school, p.institution)]
    amendment = partnerships.amend(admins[0], p)
    amendment.content = amendment.content | {"goals": "Mehr lernen"}
    partnerships.propose(admins[0], amendment)
    partnerships.sign(admins[0], amendment, p.school_id, signer_name="S", signer_role="L")
    # Signed by one side, the version in force is still shared.
    assert partners["teacher"].get(DISTRICT).json["examples"]
    partnerships.sign(admins[1], amendment, p.institution_id, signer_name="M", signer_role="L")
    assert partners["teacher"].get(DISTRICT).json["examples"] == []


def test_without_agreement_in_force_or_reflection_there_is_nothing_to_share(partners):
    for shared in (True, False):
        unwritten = share(
            partners["school_admin"], partners["url"], "reflection", shared, school_year=YEAR
        )
        assert unwritten.status_code == 404
    missing = share(partners["school_admin"], partners["url"], "reflection")
    assert missing.status_code == 422
    assert field_errors(missing) == {"school_year"}
    reflect(partners["teacher"], partners["partnership"], went_well="", changes="")
    empty = share(partners["school_admin"], partners["url"], "reflection", school_year=YEAR)
    assert empty.status_code == 409
    assert error_code(empty) == "nothing_to_share"

    for client in ("school_admin", "museum_admin"):
        share(partners[client], partners["url"])
    (version,) = partnerships.partnership_versions(partners["partnership"])
    version.ended_on = local_today()
    db.session.commit()
    # Ended: the example goes, and a new consent is refused.
    assert partners["teacher"].get(DISTRICT).json["examples"] == []
    share(partners["school_admin"], partners["url"], shared=False)
    again = share(partners["school_admin"], partners["url"])
    assert again.status_code == 409
    assert error_code(again) == "nothing_to_share"


def test_bad_input_changes_nothing(partners):
    for body in (
        {"what": "visits", "shared": True},
        {"what": "offers"},
        {"what": "offers", "shared": "ja"},
        {"what": "reflection", "shared": True, "school_year": "2025"},
        {"what": "offers", "shared": True, "side": "network"},
    ):
        answer = partners["school_admin"].put(partners["url"], body)
        assert answer.status_code == 422, body
    unknown = share(partners["school_admin"], "/api/v1/partnerships/999999/sharing")
    assert unknown.status_code == 404
    assert (
        partners["school_admin"]
        .put(partners["url"], data="{", content_type="application/json")
        .status_code
        == 400
    )
    items = partners["school_admin"].get(partners["url"]).json["items"]
    assert items[0]["school"] is None


def test_only_an_admin_consents_for_their_own_side(partners, make_user, make_client):
    answer = share(partners["teacher"], partners["url"])
    assert answer.status_code == 403
    wrong_side = share(partners["school_admin"], partners["url"], side="institution")
    assert wrong_side.status_code == 403
    # An admin of both sides says for which.
    both = make_client(
        make_user(roles={partners["school"]: ["admin"], partners["museum"]: ["admin"]})
    )
    unclear = share(both, partners["url"])
    assert unclear.status_code == 422
    assert field_errors(unclear) == {"side"}
    assert share(both, partners["url"], side="institution").json["items"][0]["institution"]
    assert partners["teacher"].get(partners["url"]).json["sides"] == []


def test_who_reads_the_districts_examples(partners, make_client, make_user, make_organisation):
    assert partners["office_elsewhere"].get(DISTRICT).status_code == 403
    assert partners["office"].get(DISTRICT).status_code == 200
    assert make_client().get(DISTRICT).status_code == 401
    assert make_client(make_user()).get(DISTRICT).status_code == 403  # no organisation
    elsewhere = make_organisation("archive", district="Essen")
    assert make_client(make_user(roles={elsewhere: ["educator"]})).get(DISTRICT).status_code == 200


def test_a_school_of_another_district_is_not_the_districts_example(
    partners, make_organisation, make_partnership, make_user, make_client
):
    essen = make_organisation("school", district="Essen")
    partnership = make_partnership(essen, partners["museum"])
    url = f"/api/v1/partnerships/{partnership.id}/sharing"
    for side in (essen, partners["museum"]):
        share(make_client(make_user(roles={side: ["admin"]})), url)
    assert partners["office"].get(DISTRICT).json["examples"] == []
    assert partners["office"].get("/api/v1/districts/Essen/good-practice").status_code == 403


KEYS = {
    "example": {"school", "institution", "offers", "anchoring", "reflections"},
    "school": {
        "id",
        "name",
        "kind",
        "kind_name",
        "school_form",
        "school_form_name",
        "municipality",
    },
    "institution": {"id", "name", "kind", "kind_name", "municipality"},
    "offer": {"title", "description", "subjects", "year_groups", "media_competences"},
    "anchoring": {"year_group", "subject", "teaching_unit", "offer", "media_competences", "term"},
    "reflection": {"school_year", "went_well", "changes"},
}


def test_no_student_data_nor_people_in_the_examples(partners, make_visit, make_client):
    p = partners["partnership"]
    visit = make_visit(partners["trail"], school_id=p.school_id, class_label="7c")
    assert join(make_client(), visit, "Die Kumpel").status_code == 201
    reflect(partners["teacher"], p)
    for client in ("school_admin", "museum_admin"):
        share(partners[client], partners["url"])
        share(partners[client], partners["url"], "reflection", school_year=YEAR)
    body = partners["other_teacher"].get(DISTRICT).json
    assert set(body) == {"district", "examples"}
    (example,) = body["examples"]
    assert set(example) == KEYS["example"]
    assert set(example["school"]) == KEYS["school"]
    assert set(example["institution"]) == KEYS["institution"]
    for name, rows in (
        ("offer", "offers"),
        ("anchoring", "anchoring"),
        ("reflection", "reflections"),
    ):
        assert example[rows]
        assert all(set(row) == KEYS[name] for row in example[rows])
    text = str(body)
    for secret in ("yilmaz", "Yılmaz", "Frau Direktorin", "Kumpel", "7c", "Unterschrift"):
        assert secret not in text


def test_a_fixed_number_of_queries(
    partners, count_queries, make_organisation, make_partnership, make_trail, make_user, make_client
):
    def queries() -> int:
        with count_queries() as statements:
            assert partners["office"].get(DISTRICT).status_code == 200
        return len(statements)

    def shared_partnership(n: int) -> None:
        school = make_organisation("school", district="Bochum")
        museum = make_organisation("library", district="Bochum")
        trail = make_trail(museum, published=True, subjects=["Deutsch"], grades=[n + 5])
        partnership = make_partnership(school, museum, trails=[trail])
        url = f"/api/v1/partnerships/{partnership.id}/sharing"
        reflect(make_client(make_user(roles={school: ["teacher"]})), partnership)
        for side in (school, museum):
            admin = make_client(make_user(roles={side: ["admin"]}))
            share(admin, url)
            share(admin, url, "reflection", school_year=YEAR)

    shared_partnership(0)
    before = queries()
    for n in range(1, 5):
        shared_partnership(n)
    assert queries() == before
    assert len(partners["office"].get(DISTRICT).json["examples"]) == 5


def test_who_consented_is_for_the_partners(partners):
    """The network office reads the examples, not who on each side consented."""
    share(partners["school_admin"], partners["url"])
    assert partners["teacher"].get(partners["url"]).status_code == 200
    assert partners["office"].get(partners["url"]).status_code == 403


def test_the_other_side_is_asked_to_consent(partners, make_user, make_client):
    from sqlalchemy import select

    from openparcours.notifications.models import Kind, Notification

    def told() -> list[tuple[int, dict]]:
        return [
            (n.user_id, n.params)
            for n in db.session.scalars(
                select(Notification).where(Notification.kind == Kind.practice_shared)
            )
        ]

    museum_admin = make_user(roles={partners["museum"]: ["admin"]})
    share(partners["school_admin"], partners["url"])
    share(partners["school_admin"], partners["url"])  # consented already: nobody is told again
    museum_admins = {user_id for user_id, _ in told()}
    assert museum_admin.id in museum_admins
    assert len(told()) == len(museum_admins)
    assert told()[0][1] == {
        "school": "Gesamtschule Mitte",
        "institution": "Zechenmuseum",
        "shared_by": "Gesamtschule Mitte",
    }
    # The second consent shows the example: nobody needs to be asked.
    share(make_client(museum_admin), partners["url"])
    assert len(told()) == len(museum_admins)
