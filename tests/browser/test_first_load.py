"""The student's first load stays within 14 KB on the wire: the bytes a cheap phone receives
before the join screen shows, as the app itself sends them (its brotli copies, without a
compressing proxy in front). 14 KB is about what the first round trip of a new connection
carries (ten TCP segments), so the join screen needs no second one."""

from playwright.sync_api import expect

BUDGET_BYTES = 14_000
# The page, its code and styles; the manifest, icons and the API's answers come after the code runs.
COUNTED = {"Document", "Script", "Stylesheet"}


def test_the_join_screen_loads_within_the_budget(browser, live_server, phone):
    # Without the service worker: its installation fetches the rest of the app after the load.
    context = browser.new_context(
        **phone, locale="de-DE", base_url=live_server.url, service_workers="block"
    )
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("Network.enable")
    requests: dict[str, dict] = {}

    def received(event):
        response = event["response"]
        requests[event["requestId"]] = {
            "url": response["url"],
            "type": event["type"],
            "encoding": response["headers"].get("Content-Encoding")
            or response["headers"].get("content-encoding"),
            "headers": response["encodedDataLength"],  # the bytes received so far: the headers
        }

    def finished(event):
        if event["requestId"] in requests:
            requests[event["requestId"]]["total"] = event["encodedDataLength"]

    devtools.on("Network.responseReceived", received)
    devtools.on("Network.loadingFinished", finished)
    page.goto(f"/j/{live_server.demo['join_code']}")
    expect(page.get_by_label("Beitrittscode")).to_have_value(live_server.demo["join_code"])
    page.wait_for_load_state("networkidle")
    context.close()

    counted = [r for r in requests.values() if r["type"] in COUNTED]
    bodies = {r["url"]: r["total"] - r["headers"] for r in counted}
    assert any(url.endswith(".js") for url in bodies)
    assert {r["encoding"] for r in counted} == {"br"}, counted
    print(f"first load: {sum(bodies.values())} bytes of bodies on the wire, {bodies}")
    assert sum(bodies.values()) <= BUDGET_BYTES, bodies
