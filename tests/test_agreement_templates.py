"""Mustervereinbarungen: a network office writes and publishes its district's, a site admin the
state's; new agreements start from them, their required fields hold back a proposal, a newer
version is offered at the next amendment, and the report pack counts agreements per version."""

import io

import pypdfium2
import pytest
from openpyxl import load_workbook

from openparcours.extensions import db
from openparcours.partnerships.models import AgreementTemplateVersion, AgreementVersion
from tests.test_partnerships import CONTENT, sign, write

SECTIONS = {
    "goals": {
        "introduction": "Was wollen Schule und Einrichtung gemeinsam erreichen?",
        "questions": ["Welche Kompetenzen sollen gestärkt werden?"],
    },
    "contacts": {"introduction": "", "questions": ["Wer ist auf beiden Seiten ansprechbar?"]},
}
REQUIRED = ["contacts_school", "contacts_institution", "learning_offer", "review_on"]
SUGGESTIONS = {"visits_per_year": 2, "booking_privilege": True, "costs": "Eintritt frei."}


@pytest.fixture
def bochum(make_organisation, make_user, make_client, make_trail):
    """A museum and a school in Bochum with their admins, Bochum's network office, another
    district's office and a site admin."""
    museum = make_organisation("museum", name="Stadtmuseum Bochum", district="Bochum")
    school = make_organisation("school", name="Gesamtschule Mitte", district="Bochum")
    return {
        "museum": museum,
        "school": school,
        "trail": make_trail(museum, published=True, title="Unter Tage"),
        "museum_admin": make_client(make_user(roles={museum: ["admin"]})),
        "school_admin": make_client(make_user(roles={school: ["admin", "teacher"]})),
        "office": make_client(make_user(district="Bochum", name="Bildungsbüro Bochum")),
        "essen": make_client(make_user(district="Essen")),
        "site_admin": make_client(make_user(site_admin=True)),
    }


def publish(client, district="Bochum", title="Mustervereinbarung Bochum", **version) -> dict:
    """A template with its first version published; the version."""
    created = client.post(
        "/api/v1/agreement-templates", {"district": district, "title": title, "area": ""}
    )
    assert created.status_code == 201, created.json
    draft = created.json["draft"]
    body = {"sections": SECTIONS, "required": REQUIRED, "suggestions": SUGGESTIONS} | version
    written = client.put(f"/api/v1/agreement-template-versions/{draft['id']}", body)
    assert written.status_code == 200, written.json
    published = client.post(f"/api/v1/agreement-template-versions/{draft['id']}/publish")
    assert published.status_code == 200, published.json
    return published.json


def start(bochum) -> dict:
    response = bochum["school_admin"].post(
        "/api/v1/partnerships",
        {"school_id": bochum["school"].id, "institution_id": bochum["museum"].id},
    )
    assert response.status_code == 201, response.json
    return response.json


def test_a_new_agreement_starts_from_the_districts_template(bochum):
    version = publish(bochum["office"])
    assert version["number"] == 1
    assert version["published_by"] == "Bildungsbüro Bochum"
    assert version["required"] == [
        "learning_offer",
        "contacts_school",
        "contacts_institution",
        "review_on",
    ]
    draft = start(bochum)
    assert draft["template"]["id"] == version["id"]
    assert draft["template"]["template"]["title"] == "Mustervereinbarung Bochum"
    assert draft["template"]["sections"]["goals"]["questions"] == [
        "Welche Kompetenzen sollen gestärkt werden?"
    ]
    content = draft["content"]
    assert (content["visits_per_year"], content["booking_privilege"], content["costs"]) == (
        2,
        True,
        "Eintritt frei.",
    )
    assert content["goals"] == ""


def test_without_a_district_template_the_states_applies(bochum):
    publish(bochum["site_admin"], district=None, title="Muster NRW")
    assert start(bochum)["template"]["template"]["title"] == "Muster NRW"


def test_the_districts_template_comes_before_the_states(bochum):
    publish(bochum["site_admin"], district=None, title="Muster NRW")
    publish(bochum["office"])
    draft = start(bochum)
    assert draft["template"]["template"]["title"] == "Mustervereinbarung Bochum"
    partnership_id = draft["partnership"]["id"]
    listed = bochum["school_admin"].get(f"/api/v1/partnerships/{partnership_id}/templates").json
    assert [t["title"] for t in listed] == ["Mustervereinbarung Bochum", "Muster NRW"]
    assert all(t["draft"] is None for t in listed)


def test_no_template_no_prefill(bochum):
    draft = start(bochum)
    assert draft["template"] is None
    assert draft["content"]["visits_per_year"] is None


def test_a_draft_template_is_not_used(bochum):
    created = bochum["office"].post(
        "/api/v1/agreement-templates", {"district": "Bochum", "title": "Noch nicht"}
    )
    assert created.status_code == 201
    assert start(bochum)["template"] is None


def test_propose_refuses_while_a_required_field_is_missing(bochum):
    publish(bochum["office"])
    draft = start(bochum)
    incomplete = {**CONTENT, "contacts_institution": []}
    assert write(bochum["school_admin"], draft["id"], content=incomplete).status_code == 200
    refused = bochum["school_admin"].post(f"/api/v1/agreements/{draft['id']}/propose")
    assert refused.status_code == 422
    assert refused.json["code"] == "template_requirements"
    assert refused.json["fields"] == {
        "trail_ids": [{"code": "required_by_template"}],
        "content.contacts_institution": [{"code": "required_by_template"}],
    }
    assert bochum["school_admin"].get(f"/api/v1/agreements/{draft['id']}").json["status"] == (
        "draft"
    )
    # An anchoring row with an offer in words is a learning offer too.
    row = {"year_group": 7, "subject": "Geschichte", "teaching_unit": "Industrialisierung"}
    complete = {**CONTENT, "anchoring": [row | {"offer": "Führung unter Tage"}]}
    assert write(bochum["school_admin"], draft["id"], content=complete).status_code == 200
    proposed = bochum["school_admin"].post(f"/api/v1/agreements/{draft['id']}/propose")
    assert proposed.status_code == 200, proposed.json


def test_the_review_date_when_required(bochum):
    publish(bochum["office"], required=["review_on"])
    draft = start(bochum)
    write(bochum["school_admin"], draft["id"], review_on=None)
    refused = bochum["school_admin"].post(f"/api/v1/agreements/{draft['id']}/propose")
    assert refused.json["fields"] == {"review_on": [{"code": "required_by_template"}]}


def sign_both(bochum, agreement_id):
    assert bochum["school_admin"].post(
        f"/api/v1/agreements/{agreement_id}/propose"
    ).status_code == (200)
    sign(bochum["school_admin"], agreement_id, "Ahmet Şahin", "Schulleiter")
    assert sign(bochum["museum_admin"], agreement_id, "Maria Weber", "Leitung").status_code == 201


def test_a_new_version_is_offered_at_the_amendment(bochum):
    first = publish(bochum["office"])
    draft = start(bochum)
    assert write(
        bochum["museum_admin"], draft["id"], trail_ids=[bochum["trail"].id]
    ).status_code == (200)
    sign_both(bochum, draft["id"])
    template_id = first["template"]["id"]

    new = bochum["office"].post(f"/api/v1/agreement-templates/{template_id}/versions")
    assert new.status_code == 201
    assert new.json["number"] == 2
    assert new.json["sections"] == first["sections"]  # a copy of the published one
    again = bochum["office"].post(f"/api/v1/agreement-templates/{template_id}/versions")
    assert (again.status_code, again.json["code"]) == (409, "template_draft_open")
    sections = {
        **SECTIONS,
        "goals": {"introduction": SECTIONS["goals"]["introduction"], "questions": ["Wozu?"]},
    }
    body = {
        "sections": sections,
        "required": [*REQUIRED, "anchoring"],
        "suggestions": SUGGESTIONS | {"visits_per_year": 3},
    }
    second_id = new.json["id"]
    assert (
        bochum["office"].put(f"/api/v1/agreement-template-versions/{second_id}", body).status_code
        == 200
    )
    partnership_id = draft["partnership"]["id"]
    detail = bochum["school_admin"].get(f"/api/v1/partnerships/{partnership_id}").json
    assert detail["template_update"] is None  # no draft, and version 2 is not published

    assert (
        bochum["office"]
        .post(f"/api/v1/agreement-template-versions/{second_id}/publish")
        .status_code
        == 200
    )
    amendment = bochum["school_admin"].post(f"/api/v1/partnerships/{partnership_id}/agreements")
    assert amendment.json["template"]["number"] == 1  # the draft keeps the old one
    detail = bochum["school_admin"].get(f"/api/v1/partnerships/{partnership_id}").json
    update = detail["template_update"]
    assert update["version"]["number"] == 2
    assert update["differences"] == [
        {"change": "question_added", "name": "goals", "before": None, "after": "Wozu?"},
        {
            "change": "question_removed",
            "name": "goals",
            "before": "Welche Kompetenzen sollen gestärkt werden?",
            "after": None,
        },
        {"change": "required_added", "name": "anchoring", "before": None, "after": None},
        {"change": "suggestion_changed", "name": "visits_per_year", "before": 2, "after": 3},
    ]

    adopted = bochum["museum_admin"].put(
        f"/api/v1/agreements/{amendment.json['id']}/template",
        {"template_version_id": second_id},
    )
    assert adopted.status_code == 200, adopted.json
    assert adopted.json["template"]["number"] == 2
    assert adopted.json["content"] == amendment.json["content"]  # what they wrote stays
    detail = bochum["school_admin"].get(f"/api/v1/partnerships/{partnership_id}").json
    assert detail["template_update"] is None
    # Now the anchoring is required.
    refused = bochum["school_admin"].post(f"/api/v1/agreements/{amendment.json['id']}/propose")
    assert refused.json["fields"] == {"content.anchoring": [{"code": "required_by_template"}]}


def test_a_draft_begun_before_the_template_is_offered_it(bochum):
    draft = start(bochum)
    partnership_id = draft["partnership"]["id"]
    detail = bochum["school_admin"].get(f"/api/v1/partnerships/{partnership_id}").json
    assert detail["template_update"] is None
    version = publish(bochum["office"], required=["review_on"])
    update = (
        bochum["school_admin"].get(f"/api/v1/partnerships/{partnership_id}").json["template_update"]
    )
    assert update["version"]["id"] == version["id"]
    assert {"change": "required_added", "name": "review_on", "before": None, "after": None} in (
        update["differences"]
    )
    assert {
        "change": "question_added",
        "name": "goals",
        "before": None,
        "after": "Welche Kompetenzen sollen gestärkt werden?",
    } in update["differences"]
    adopted = bochum["school_admin"].put(
        f"/api/v1/agreements/{draft['id']}/template", {"template_version_id": version["id"]}
    )
    assert adopted.json["template"]["id"] == version["id"]
    assert adopted.json["content"]["visits_per_year"] is None  # the text stays as written


def test_a_quarters_template_is_chosen_for_the_draft(bochum):
    publish(bochum["office"])
    created = (
        bochum["office"]
        .post(
            "/api/v1/agreement-templates",
            {"district": "Bochum", "area": "Wattenscheid", "title": "Muster Wattenscheid"},
        )
        .json
    )
    version_id = created["draft"]["id"]
    assert bochum["office"].post(
        f"/api/v1/agreement-template-versions/{version_id}/publish"
    ).status_code == (200)
    draft = start(bochum)
    assert draft["template"]["template"]["title"] == "Mustervereinbarung Bochum"  # the district's
    listed = bochum["school_admin"].get(
        f"/api/v1/partnerships/{draft['partnership']['id']}/templates"
    )
    assert [(t["title"], t["area"]) for t in listed.json] == [
        ("Mustervereinbarung Bochum", ""),
        ("Muster Wattenscheid", "Wattenscheid"),
    ]
    chosen = bochum["school_admin"].put(
        f"/api/v1/agreements/{draft['id']}/template", {"template_version_id": version_id}
    )
    assert chosen.json["template"]["template"]["area"] == "Wattenscheid"


def test_only_a_published_applicable_version_is_adopted(bochum):
    essen = publish(bochum["site_admin"], district="Essen", title="Muster Essen")
    draft = start(bochum)
    refused = bochum["school_admin"].put(
        f"/api/v1/agreements/{draft['id']}/template", {"template_version_id": essen["id"]}
    )
    assert refused.status_code == 422
    assert list(refused.json["fields"]) == ["template_version_id"]
    unpublished = bochum["office"].post(
        "/api/v1/agreement-templates", {"district": "Bochum", "title": "Entwurf"}
    )
    refused = bochum["school_admin"].put(
        f"/api/v1/agreements/{draft['id']}/template",
        {"template_version_id": unpublished.json["draft"]["id"]},
    )
    assert refused.status_code == 422
    unknown = bochum["school_admin"].put(
        f"/api/v1/agreements/{draft['id']}/template", {"template_version_id": 99999}
    )
    assert unknown.status_code == 422
    assert bochum["school_admin"].get(f"/api/v1/agreements/{draft['id']}").json["template"] is None


def test_a_published_version_never_changes(bochum):
    version = publish(bochum["office"])
    url = f"/api/v1/agreement-template-versions/{version['id']}"
    changed = bochum["office"].put(url, {"sections": {}, "required": [], "suggestions": {}})
    assert (changed.status_code, changed.json["code"]) == (409, "template_published")
    again = bochum["office"].post(f"{url}/publish")
    assert (again.status_code, again.json["code"]) == (409, "template_published")
    deleted = bochum["office"].delete(url)
    assert (deleted.status_code, deleted.json["code"]) == (409, "template_published")
    stored = db.session.get(AgreementTemplateVersion, version["id"])
    db.session.refresh(stored)
    assert stored.required == version["required"]
    assert bochum["museum_admin"].get(url).json == version


def test_the_network_office_edits_its_districts_templates_only(bochum):
    essen = bochum["essen"].post(
        "/api/v1/agreement-templates", {"district": "Bochum", "title": "X"}
    )
    assert essen.status_code == 403
    state = bochum["office"].post("/api/v1/agreement-templates", {"district": None, "title": "X"})
    assert state.status_code == 403
    version = publish(bochum["office"])
    template_id = version["template"]["id"]
    for response in (
        bochum["essen"].post(f"/api/v1/agreement-templates/{template_id}/versions"),
        bochum["essen"].patch(f"/api/v1/agreement-templates/{template_id}", {"title": "Y"}),
        bochum["museum_admin"].post(f"/api/v1/agreement-templates/{template_id}/versions"),
    ):
        assert response.status_code == 403
    draft = bochum["office"].post(f"/api/v1/agreement-templates/{template_id}/versions").json
    # Another district's office does not even see the draft.
    hidden = bochum["essen"].get(f"/api/v1/agreement-template-versions/{draft['id']}")
    assert hidden.status_code == 404
    listed = bochum["essen"].get("/api/v1/agreement-templates?district=Bochum").json
    assert [(t["title"], t["draft"]) for t in listed] == [("Mustervereinbarung Bochum", None)]
    mine = bochum["office"].get("/api/v1/agreement-templates?district=Bochum").json
    assert mine[0]["draft"]["id"] == draft["id"]
    assert [v["number"] for v in mine[0]["published"]] == [1]
    assert (
        bochum["site_admin"]
        .put(
            f"/api/v1/agreement-template-versions/{draft['id']}",
            {"sections": {}, "required": [], "suggestions": {}},
        )
        .status_code
        == 200
    )


def test_bad_input_changes_nothing(bochum):
    version = (
        bochum["office"]
        .post("/api/v1/agreement-templates", {"district": "Bochum", "title": "Muster"})
        .json["draft"]
    )
    url = f"/api/v1/agreement-template-versions/{version['id']}"
    for body in (
        {"required": ["nonsense"]},
        {"sections": {"unknown": {"questions": []}}},
        {"sections": {"goals": {"questions": ["x" * 301]}}},
        {"suggestions": {"visits_per_year": -1}},
    ):
        assert bochum["office"].put(url, body).status_code == 422, body
    assert bochum["office"].get(url).json["required"] == []
    assert bochum["office"].post("/api/v1/agreement-templates", {"title": ""}).status_code == 422


def test_dropping_the_only_draft_drops_the_template(bochum):
    created = (
        bochum["office"]
        .post("/api/v1/agreement-templates", {"district": "Bochum", "title": "Verworfen"})
        .json
    )
    assert bochum["office"].delete(
        f"/api/v1/agreement-template-versions/{created['draft']['id']}"
    ).status_code == (204)
    assert bochum["office"].get(f"/api/v1/agreement-templates/{created['id']}").status_code == 404


def test_print_names_the_template(bochum):
    publish(bochum["office"])
    draft = start(bochum)
    pdf = bochum["school_admin"].get(f"/api/v1/agreements/{draft['id']}/agreement.pdf")
    document = pypdfium2.PdfDocument(pdf.data)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "Nach der Mustervereinbarung »Mustervereinbarung Bochum«, Fassung 1" in text


def test_report_pack_counts_agreements_per_template_version(
    bochum, make_organisation, make_partnership, count_queries
):
    first = publish(bochum["office"])
    url = "/api/v1/districts/Bochum/report-pack"

    def pack() -> tuple[list, int]:
        with count_queries() as statements:
            response = bochum["office"].get(f"{url}.xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data))["Nach Mustervereinbarung"]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        return rows[rows.index(["Mustervereinbarung", "Fassung", "Vereinbarungen"]) + 1 :], len(
            statements
        )

    make_partnership(bochum["school"], make_organisation("library", district="Bochum"))
    rows, before = pack()
    assert rows == [["ohne Vorlage", None, 1]]
    for _ in range(3):
        make_partnership(make_organisation("school", district="Bochum"), bochum["museum"])
    versions = db.session.scalars(db.select(AgreementVersion).order_by(AgreementVersion.id)).all()
    for version in versions[1:]:
        version.template_version_id = first["id"]
    db.session.commit()
    rows, after = pack()
    assert rows == [["Mustervereinbarung Bochum", 1, 3], ["ohne Vorlage", None, 1]]
    assert after == before
    pdf = bochum["office"].get(f"{url}.pdf")
    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf.data))
    assert "8. Vereinbarungen nach Mustervereinbarung" in text
    assert "ohne Vorlage" in text
