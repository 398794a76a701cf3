"""A partnership's annual plan: both sides add and change items, look back on the school
year and set the next review, which the agreement in force takes; the plan prints on A4."""

from datetime import timedelta

import pypdfium2
import pytest

from openparcours.database import local_today
from openparcours.extensions import db
from openparcours.partnerships.models import AgreementVersion
from openparcours.partnerships.reports import current_school_year
from tests.helpers import error_code, field_errors


@pytest.fixture
def partners(make_organisation, make_user, make_client, make_trail, make_partnership):
    school = make_organisation("school", name="Gesamtschule Mitte")
    museum = make_organisation("museum", name="Zechenmuseum")
    trail = make_trail(museum, published=True, title="Unter Tage")
    partnership = make_partnership(school, museum, trails=[trail])
    return {
        "partnership": partnership,
        "trail": trail,
        "museum": museum,
        "school": school,
        "teacher": make_client(make_user(roles={school: ["teacher"]})),
        "educator": make_client(make_user(roles={museum: ["educator"]})),
        "url": f"/api/v1/partnerships/{partnership.id}/plan",
    }


ITEM = {
    "title": "Besuch im Zechenmuseum mit Parcours",
    "month": 3,
    "year_group": 7,
    "class_label": "7b",
    "responsible_school": "Frau Yılmaz",
    "responsible_institution": "Herr Vermittler",
}


def test_both_sides_plan_items_and_change_their_status(partners):
    added = partners["teacher"].post(partners["url"], ITEM | {"trail_id": partners["trail"].id})
    assert added.status_code == 201, added.json
    assert added.json["status"] == "planned"
    assert added.json["trail_title"] == "Unter Tage"
    partners["educator"].post(partners["url"], {"title": "Fortbildung für Lehrkräfte", "term": 1})
    changed = partners["educator"].patch(
        f"/api/v1/plan-items/{added.json['id']}", {"status": "agreed"}
    )
    assert changed.status_code == 200
    assert changed.json["status"] == "agreed"
    plan = partners["teacher"].get(partners["url"]).json
    assert plan["school_year"].startswith(str(current_school_year()))
    # By month first; items with only a term after them.
    assert [item["title"] for item in plan["items"]] == [
        ITEM["title"],
        "Fortbildung für Lehrkräfte",
    ]
    assert plan["reflection"] is None
    other_year = partners["teacher"].get(
        f"{partners['url']}?school_year={current_school_year() + 1}"
    )
    assert other_year.json["items"] == []
    assert partners["teacher"].delete(f"/api/v1/plan-items/{added.json['id']}").status_code == 204
    assert len(partners["teacher"].get(partners["url"]).json["items"]) == 1


def test_an_item_links_only_to_the_partners_offers_and_visits(
    partners, make_trail, make_visit, make_organisation
):
    stranger = make_trail(make_organisation("museum"), published=True)
    refused = partners["teacher"].post(partners["url"], ITEM | {"trail_id": stranger.id})
    assert refused.status_code == 422
    assert field_errors(refused) == {"trail_id"}
    other_visit = make_visit(stranger)
    refused = partners["teacher"].post(partners["url"], ITEM | {"visit_id": other_visit.id})
    assert field_errors(refused) == {"visit_id"}
    own = make_visit(partners["trail"], school_id=partners["school"].id)
    linked = partners["teacher"].post(partners["url"], ITEM | {"visit_id": own.id})
    assert linked.status_code == 201
    assert linked.json["visit_date"]
    for bad in ({"month": 13}, {"term": 3}, {"title": ""}, {"status": "maybe"}):
        assert partners["teacher"].post(partners["url"], ITEM | bad).status_code == 422


def test_the_reflection_sets_the_agreements_next_review(partners):
    next_review = local_today() + timedelta(days=200)
    url = f"{partners['url']}/reflection"
    saved = partners["educator"].put(
        url,
        {
            "went_well": "Die 7b hat begeistert geforscht.",
            "changes": "Mehr Zeit für Station 3.",
            "next_review_on": next_review.isoformat(),
        },
    )
    assert saved.status_code == 200, saved.json
    db.session.expire_all()
    assert db.session.query(AgreementVersion).one().review_on == next_review
    plan = partners["teacher"].get(partners["url"]).json
    assert plan["reflection"]["went_well"] == "Die 7b hat begeistert geforscht."
    # Saving again changes the one reflection of the year.
    partners["teacher"].put(url, {"went_well": "Gut.", "changes": "", "next_review_on": None})
    assert partners["teacher"].get(partners["url"]).json["reflection"]["went_well"] == "Gut."
    past = partners["teacher"].put(url, {"next_review_on": local_today().isoformat()})
    assert past.status_code == 422


def test_the_plan_prints_for_the_schulkonferenz(partners):
    partners["teacher"].post(partners["url"], ITEM | {"trail_id": partners["trail"].id})
    partners["teacher"].put(f"{partners['url']}/reflection", {"went_well": "Viel gelernt."})
    response = partners["teacher"].get(
        f"/api/v1/partnerships/{partners['partnership'].id}/plan.pdf"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    pdf = pypdfium2.PdfDocument(response.data)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    for expected in (
        "Jahresplanung",
        "Gesamtschule Mitte und Zechenmuseum",
        "März",
        "Jahrgang 7, 7b",
        "Schule: Frau Yılmaz",
        "geplant",
        "Angebot: Unter Tage",
        "Viel gelernt.",
    ):
        assert expected in text, expected


def test_the_plan_is_the_partners_own(partners, make_client, make_user, make_organisation):
    url = partners["url"]
    office = make_client(make_user(district="Bochum"))  # reads the partnership's counts
    assert office.get(url).status_code == 403
    assert error_code(office.post(url, ITEM)) == "forbidden"
    outsider = make_client(make_user(roles={make_organisation("school"): ["admin"]}))
    assert outsider.get(url).status_code == 403
    assert make_client().get(url).status_code == 401
    assert make_client(make_user(site_admin=True)).get(url).status_code == 200
