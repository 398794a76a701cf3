"""The network office writes its district's Mustervereinbarung and publishes it; a school's
admin starts an agreement, reads the guiding questions and sees the required fields marked,
a proposal without them is refused field by field, and the print view names the template.
When the office publishes a new version, the partners' next amendment is offered it with its
changes, and they adopt it."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from openparcours.accounts.models import User
from openparcours.extensions import db
from openparcours.organisations.models import Organisation
from openparcours.partnerships import templates
from openparcours.partnerships.models import (
    AgreementState,
    AgreementTemplate,
    AgreementVersion,
    Partnership,
)
from openparcours.partnerships.service import partnership_versions
from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in
from tests.browser.test_partnerships import add_school_with_admin

DISTRICT_PAGE = "/partners/district/Kreis%20Recklinghausen"
SCHOOL_ADMIN = {"email": "leitung@grundschule-sued.example", "password": "schulleitung-sued-2026"}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


@pytest.fixture
def school_without_partner(live_server):
    """A school of the district with its admin; its partnership and the district's templates go
    after the journey (the live server is shared)."""
    with live_server.app.app_context():
        school = add_school_with_admin(
            "Grundschule Süd",
            SCHOOL_ADMIN,
            "Jana Schulleitung",
            slug="grundschule-sued",
            district="Kreis Recklinghausen",
        )
        db.session.commit()
        school_id = school.id
    yield
    with live_server.app.app_context():
        db.session.execute(delete(Partnership).where(Partnership.school_id == school_id))
        _remove_templates()
        db.session.commit()


def test_the_network_office_publishes_and_a_school_starts_from_it(
    page, live_server, school_without_partner, watch
):
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server.user("network_office"))
    page.goto(DISTRICT_PAGE)
    section = page.get_by_role("region", name="Mustervereinbarung", exact=True)
    expect(section.get_by_text("Noch keine Mustervereinbarung.")).to_be_visible()
    section.get_by_label("Titel").fill("Mustervereinbarung Kreis Recklinghausen")
    section.get_by_role("button", name="Anlegen").click()
    expect(section.get_by_role("status")).to_contain_text("Die Mustervereinbarung ist angelegt")

    draft = section.get_by_role("form", name="Entwurf der Fassung 1")
    goals = draft.get_by_role("group", name="Ziele", exact=True)
    goals.get_by_label("Einführung").fill("Was Schule und Museum gemeinsam erreichen wollen.")
    goals.get_by_label("Leitfragen (eine je Zeile)").fill(
        "Welche Kompetenzen sollen gestärkt werden?\nWoran merken Sie, dass es gelingt?"
    )
    draft.get_by_label("Ansprechperson der Einrichtung").check()
    draft.get_by_role("spinbutton", name="Besuche pro Schuljahr").fill("3")
    draft.get_by_role("button", name="Entwurf speichern").click()
    expect(section.get_by_role("status")).to_contain_text("Entwurf gespeichert.")
    assert accessibility_problems(page) == []
    draft.get_by_role("button", name="Veröffentlichen").click()
    expect(section.get_by_role("status")).to_contain_text("Fassung 1 ist veröffentlicht.")
    expect(section.get_by_text(re.compile(r"Fassung 1 · veröffentlicht am"))).to_be_visible()
    expect(section.get_by_role("button", name="Neue Fassung schreiben")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, SCHOOL_ADMIN)
    page.goto("/partners")
    page.get_by_label("mit", exact=True).select_option(label="Stadtmuseum Beispielstadt (Demo)")
    page.get_by_role("button", name="Vereinbarung entwerfen").click()
    expect(page).to_have_url(re.compile(r"/partners/partnerships/\d+$"))
    editor = page.locator("form.agreement-editor")
    goals = editor.get_by_role("group", name="Ziele", exact=True)
    expect(goals).to_contain_text("Leitfragen der Mustervereinbarung:")
    expect(goals.get_by_role("listitem")).to_have_text(
        ["Welche Kompetenzen sollen gestärkt werden?", "Woran merken Sie, dass es gelingt?"]
    )
    expect(editor.get_by_label("Besuche pro Schuljahr")).to_have_value("3")  # suggested
    contacts = editor.get_by_label(re.compile("^Ansprechpersonen der Einrichtung"))
    expect(contacts).to_be_visible()
    expect(editor.locator("label[for=contacts_institution]")).to_contain_text("(Pflichtangabe)")
    expect(editor.locator("label[for=contacts_school]")).not_to_contain_text("Pflichtangabe")
    assert accessibility_problems(page) == []

    editor.get_by_label(re.compile("^Ziele der Zusammenarbeit")).fill(
        "Die Kinder lernen das Museum kennen."
    )
    editor.get_by_label("Beginn").fill("2026-08-01")
    editor.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("status").filter(has_text="Entwurf gespeichert.")).to_be_visible()
    editor.get_by_role("button", name="Zur Unterschrift vorlegen").click()
    expect(editor.get_by_role("alert").first).to_contain_text(
        "Die Mustervereinbarung verlangt noch Angaben"
    )
    expect(contacts).to_have_attribute("aria-invalid", "true")
    expect(editor.locator("#error-content\\.contacts_institution")).to_have_text(
        "Die Mustervereinbarung verlangt diese Angabe."
    )
    page.get_by_role("link", name="Druckansicht").click()
    expect(
        page.get_by_text(
            "Nach der Mustervereinbarung »Mustervereinbarung Kreis Recklinghausen«, Fassung 1"
        )
    ).to_be_visible()
    with live_server.app.app_context():
        school = db.session.scalars(
            select(Organisation).where(Organisation.slug == "grundschule-sued")
        ).one()
        partnership = db.session.scalars(
            select(Partnership).where(Partnership.school_id == school.id)
        ).one()
        assert [v.state.value for v in partnership_versions(partnership)] == ["draft"]


def _remove_templates() -> None:
    for template in db.session.scalars(select(AgreementTemplate)):
        db.session.delete(template)


@pytest.fixture
def demo_agreement_on_old_version(live_server):
    """The demo's agreement written from version 1 of the district's Mustervereinbarung, and
    version 2 published since; the amendment, the link and the templates go after the journey
    (the live server is shared)."""
    partnership_id = live_server.demo["partnerships"][0]["id"]
    office_email = live_server.user("network_office")["email"]
    with live_server.app.app_context():
        office = db.session.scalars(select(User).where(User.email == office_email)).one()
        template = templates.create_template(
            office, district="Kreis Recklinghausen", area="", title="Muster Recklinghausen"
        ).template
        first = template.versions[0]
        goals = {"introduction": "", "questions": ["Welche Kompetenzen sollen gestärkt werden?"]}
        templates.update_template_version(
            office, first, sections={"goals": goals}, required=[], suggestions={}
        )
        templates.publish_template_version(office, first)
        for version in partnership_versions(db.session.get(Partnership, partnership_id)):
            version.template_version_id = first.id
        second = templates.new_draft(office, template)
        templates.update_template_version(
            office,
            second,
            sections={"goals": {"introduction": "", "questions": ["Wer profitiert?"]}},
            required=["review_on"],
            suggestions={},
        )
        templates.publish_template_version(office, second)
    yield partnership_id
    with live_server.app.app_context():
        db.session.execute(
            delete(AgreementVersion).where(
                AgreementVersion.partnership_id == partnership_id,
                AgreementVersion.state != AgreementState.signed,
            )
        )
        for version in partnership_versions(db.session.get(Partnership, partnership_id)):
            version.template_version_id = None
        _remove_templates()
        db.session.commit()


def test_an_amendment_is_offered_the_new_version_and_adopts_it(
    page, live_server, demo_agreement_on_old_version, watch
):
    log_in(page, live_server.user("museum_admin"))
    page.goto(f"/partners/partnerships/{demo_agreement_on_old_version}")
    expect(
        page.get_by_text("Nach der Mustervereinbarung »Muster Recklinghausen«, Fassung 1")
    ).to_be_visible()
    page.get_by_role("button", name="Änderung entwerfen").click()
    offer = page.get_by_role("region", name="Neue Fassung der Mustervereinbarung")
    expect(offer).to_contain_text("Für »Muster Recklinghausen« ist die Fassung 2 erschienen.")
    expect(offer.get_by_role("listitem")).to_have_text(
        [
            "Ziele: neue Leitfrage „Wer profitiert?“",
            "Ziele: Leitfrage „Welche Kompetenzen sollen gestärkt werden?“ entfällt",
            "Neue Pflichtangabe: Termin der Überprüfung",
        ]
    )
    editor = page.locator("form.agreement-editor")
    expect(editor.get_by_role("group", name="Ziele", exact=True)).to_contain_text(
        "Welche Kompetenzen sollen gestärkt werden?"
    )
    assert accessibility_problems(page) == []
    # What the admin typed and has not saved yet stays in the form.
    editor.get_by_label(re.compile("^Ziele der Zusammenarbeit")).fill("Noch nicht gespeichert.")
    editor.get_by_label(re.compile("^Fächer")).fill("Geschichte, Kunst")
    offer.get_by_role("button", name="Neue Fassung übernehmen").click()
    expect(page.get_by_role("status").filter(has_text="folgt nun der Fassung 2")).to_be_visible()
    expect(offer).to_be_hidden()
    expect(editor.get_by_role("group", name="Ziele", exact=True)).to_contain_text("Wer profitiert?")
    expect(editor.locator("label[for=review_on]")).to_contain_text("(Pflichtangabe)")
    expect(editor.get_by_label(re.compile("^Ziele der Zusammenarbeit"))).to_have_value(
        "Noch nicht gespeichert."
    )
    expect(editor.get_by_label(re.compile("^Fächer"))).to_have_value("Geschichte, Kunst")
