"""An educator gives stations release rules in the editor: after another station, from a clock
time, after one of a group; they are kept and shown on the station list; a cycle and a rule
waiting for a deleted station are named by the publish check and by the rule's fields."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_problems
from tests.browser.journeys import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


def test_educator_sets_release_rules_and_sees_a_cycle_named(page, live_server, watch):
    log_in(page, live_server.user("educator"))
    # The list of trails comes in above the forms and moves them down: wait for it first.
    expect(page.get_by_role("table")).to_be_visible()
    page.get_by_label("Titel").fill("Freigaben im Stadtmuseum")
    page.get_by_role("button", name="Parcours anlegen").click()
    expect(page).to_have_url(re.compile(r"/author/trails/\d+$"))
    form = page.locator(".station-form")
    for number in (1, 2, 3):
        page.get_by_role("button", name="Station hinzufügen").click()
        expect(form.locator("#station-heading")).to_have_text(f"Station {number}: Station {number}")
    release = form.locator("details.release")
    stations = page.locator(".station-list li")

    # Station 3, in the trail's fixed order, opens after the one before unless told otherwise.
    expect(release.locator("summary")).to_have_text("Freigabe: nach der Station davor")
    release.locator("summary").click()
    expect(release.get_by_text("Feste Reihenfolge: Ohne eigene Freigabe")).to_be_visible()
    kind = release.get_by_label("Die Station öffnet")
    expect(kind.locator("option").first).to_have_text("Nach der Station davor (feste Reihenfolge)")
    assert accessibility_problems(page) == []
    kind.select_option(label="Nach einer anderen Station")
    release.get_by_label("Station", exact=True).select_option(label="Station 1: Station 1")
    expect(release.locator("summary")).to_have_text("Freigabe: nach Station 1")
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")

    # Station 2 from a clock time.
    page.get_by_role("button", name=re.compile("^2 Station 2")).click()
    expect(form.locator("#station-heading")).to_have_text("Station 2: Station 2")
    release.locator("summary").click()
    kind.select_option(label="Ab einer Uhrzeit")
    # Sent without a time, folded away: the form unfolds and asks for it.
    release.locator("summary").click()
    form.get_by_role("button", name="Station speichern").click()
    expect(release.get_by_label("Uhrzeit (am Tag des Besuchs)")).to_be_focused()
    release.get_by_label("Uhrzeit (am Tag des Besuchs)").fill("10:30")
    assert accessibility_problems(page) == []
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")

    # Kept: on the station list in words, and in the form.
    page.reload()
    expect(stations.nth(1)).to_contain_text("ab 10:30 Uhr")
    expect(stations.nth(2)).to_contain_text("nach Station 1")
    expect(stations.nth(0)).not_to_contain_text("nach")
    page.get_by_role("button", name=re.compile("^3 Station 3")).click()
    expect(release.locator("summary")).to_have_text("Freigabe: nach Station 1")
    release.locator("summary").click()
    expect(kind).to_have_value("one")
    expect(release.get_by_label("Station", exact=True).locator("option:checked")).to_have_text(
        "Station 1: Station 1"
    )

    # Station 1 waits for station 3, which waits for station 1: the check names it.
    page.get_by_role("button", name=re.compile("^1 Station 1")).click()
    expect(form.locator("#station-heading")).to_have_text("Station 1: Station 1")
    expect(release.locator("summary")).to_have_text("Freigabe: immer offen")
    release.locator("summary").click()
    kind.select_option(label="Nach einer anderen Station")
    release.get_by_label("Station", exact=True).select_option(label="Station 3: Station 3")
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")
    expect(stations.nth(0)).to_contain_text("nach Station 3")

    page.get_by_role("button", name="Prüfen").click()
    cycle = page.locator("ul.problems li").filter(has_text="öffnet nie")
    never = "Diese Station öffnet nie: Ihre Freigaben warten aufeinander (Stationen 1, 3)."
    expect(cycle).to_have_text([f"Station 1: {never}", f"Station 3: {never}"])
    # The problem leads to the rule, unfolded, of its station.
    page.get_by_role("button", name=re.compile("^2 Station 2")).click()
    cycle.nth(1).get_by_role("button").click()
    expect(form.locator("#station-heading")).to_have_text("Station 3: Station 3")
    expect(release).to_have_attribute("open", "")
    expect(kind).to_be_focused()

    # Station 3 after one of stations 1 and 2 instead: nothing waits in a circle any more.
    kind.select_option(label="Nach mehreren Stationen")
    ticks = release.get_by_role("group", name="Stationen")
    expect(ticks.get_by_label("Station 1: Station 1")).to_be_checked()
    ticks.get_by_label("Station 1: Station 1").uncheck()
    form.get_by_role("button", name="Station speichern").click()
    assert ticks.get_by_label("Station 1: Station 1").evaluate("box => box.validationMessage") == (
        "Kreuzen Sie mindestens eine Station an."
    )
    ticks.get_by_label("Station 1: Station 1").check()
    ticks.get_by_label("Station 2: Station 2").check()
    expect(release.get_by_label("Wie viele davon")).to_have_value("1")
    expect(release.get_by_label("Wie viele davon")).to_have_attribute("max", "2")
    expect(release.locator("summary")).to_have_text("Freigabe: nach einer der Stationen 1, 2")
    assert accessibility_problems(page) == []
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")
    expect(stations.nth(2)).to_contain_text("nach einer der Stationen 1, 2")
    page.get_by_role("button", name="Prüfen").click()
    expect(page.locator("ul.problems")).to_contain_text("Station 1 ist leer")
    expect(page.locator("ul.problems")).not_to_contain_text("öffnet nie")
    assert watch.problems_besides_map_tiles() == []


def test_a_rule_waiting_for_a_deleted_station_is_named_where_it_is(page, live_server, watch):
    log_in(page, live_server.user("educator"))
    expect(page.get_by_role("table")).to_be_visible()
    page.get_by_label("Titel").fill("Freigabe nach einer gelöschten Station")
    page.get_by_role("button", name="Parcours anlegen").click()
    expect(page).to_have_url(re.compile(r"/author/trails/\d+$"))
    form = page.locator(".station-form")
    for number in (1, 2, 3):
        page.get_by_role("button", name="Station hinzufügen").click()
        expect(form.locator("#station-heading")).to_have_text(f"Station {number}: Station {number}")
    release = form.locator("details.release")
    kind = release.get_by_label("Die Station öffnet")
    release.locator("summary").click()
    kind.select_option(label="Nach einer anderen Station")
    expect(release.get_by_label("Station", exact=True).locator("option:checked")).to_have_text(
        "Station 2: Station 2"
    )
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")

    page.get_by_role("button", name=re.compile("^2 Station 2")).click()
    expect(form.locator("#station-heading")).to_have_text("Station 2: Station 2")
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name="Station löschen").click()
    stations = page.locator(".station-list li")
    expect(stations).to_have_count(2)
    expect(stations.nth(1)).to_contain_text("wartet auf eine gelöschte Station")

    page.get_by_role("button", name="Prüfen").click()
    expect(page.locator("ul.problems")).to_contain_text(
        "Station 2: Die Freigabe wartet auf eine Station, die es im Parcours nicht mehr gibt."
    )
    # Saved as it is, the server refuses the rule: said by the rule's fields, unfolded.
    page.get_by_role("button", name=re.compile("^2 Station 3")).click()
    expect(form.locator("#station-heading")).to_have_text("Station 2: Station 3")
    form.get_by_role("button", name="Station speichern").click()
    refusal = "Eine Station kann nur auf andere Stationen dieses Parcours warten."
    expect(release.locator("#release-kind-error")).to_have_text(refusal)
    expect(release).to_have_attribute("open", "")
    expect(kind).to_have_attribute("aria-invalid", "true")
    expect(kind).to_have_accessible_description(re.compile(refusal))
    assert accessibility_problems(page) == []
    kind.select_option(label="Nach der Station davor (feste Reihenfolge)")
    form.get_by_role("button", name="Station speichern").click()
    expect(form.get_by_role("status")).to_have_text("Gespeichert.")
    expect(release.locator("#release-kind-error")).to_have_count(0)
    expect(stations.nth(1)).not_to_contain_text("gelöschte Station")
    assert watch.problems_besides_map_tiles() == []
