"""The student's first load stays within 14 KB on the wire: what a cheap phone fetches before the
join screen shows, compressed as the reverse proxy compresses it (gzip at its highest level, like
the sizes `npm run build` prints). 14 KB is about what the first round trip of a new connection
carries (ten TCP segments), so the join screen needs no second one."""

import gzip

from playwright.sync_api import expect

BUDGET_BYTES = 14_000
# The page, its code and styles; the manifest, icons and the API's answers come after the code runs.
COUNTED = {"document", "script", "stylesheet"}


def test_the_join_screen_loads_within_the_budget(browser, live_server, phone):
    # Without the service worker: its installation fetches the rest of the app after the load.
    context = browser.new_context(
        **phone, locale="de-DE", base_url=live_server.url, service_workers="block"
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"/j/{live_server.demo['join_code']}")
    expect(page.get_by_label("Beitrittscode")).to_have_value(live_server.demo["join_code"])
    page.wait_for_load_state("networkidle")

    sizes = {
        response.url: len(gzip.compress(response.body(), compresslevel=9))
        for response in responses
        if response.request.resource_type in COUNTED
    }
    context.close()
    assert any(url.endswith(".js") for url in sizes)
    assert sum(sizes.values()) <= BUDGET_BYTES, sizes
