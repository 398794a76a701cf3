"""Checking in by scanning a station's QR code with the (fake) camera, and by walking into a
GPS station's radius (emulated geolocation, whose hiccups of error code 2 are harmless)."""

import re

import qrcode
from playwright.sync_api import expect

from openparcours.extensions import db
from openparcours.visits.models import Visit
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.journeys import join_team


def y4m_of_qr(text: str, path) -> None:
    """One 640×480 frame (Chromium loops it), I420 planes, BT.601 full range."""
    image = qrcode.make(text, box_size=8, border=4).convert("L").resize((400, 400))
    width, height = 640, 480
    luma = bytearray([255] * (width * height))
    for y in range(400):
        row = image.crop((0, y, 400, y + 1)).tobytes()
        start = (y + 40) * width + 120
        luma[start : start + 400] = row
    chroma = bytes([128] * (width // 2 * height // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode())
        out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_check_in_by_scanning_the_qr_code(playwright, live_server, phone, tmp_path):
    with live_server.app.app_context():
        visit = db.session.get(Visit, live_server.demo["visit"]["id"])
        station = visit.version.content["stations"][0]
    camera = tmp_path / "camera.y4m"
    y4m_of_qr(f"{live_server.url}/q/{station['code']}", camera)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={camera}",
        ],
    )
    try:
        context = browser.new_context(
            **phone, base_url=live_server.url, permissions=["camera"], locale="de-DE"
        )
        page = context.new_page()
        join_team(page, live_server.demo["join_code"], "Die Scanner")
        page.get_by_role("link", name=re.compile(station["title"])).click()
        page.get_by_role("button", name="QR-Code scannen").click()
        expect(page.locator(".task-view").first).to_be_visible(timeout=15_000)
        expect(page.get_by_role("heading", name=station["title"], level=2)).to_be_visible()
    finally:
        browser.close()


def test_gps_check_in_when_the_team_arrives(browser, live_server, phone, gps_trail_visit):
    code, station = gps_trail_visit
    far = {"latitude": station["lat"] + 0.003, "longitude": station["lon"]}  # about 330 m north
    context = browser.new_context(
        **phone,
        base_url=live_server.url,
        geolocation=far,
        permissions=["geolocation"],
        locale="de-DE",
    )
    page = context.new_page()
    page.goto(f"/j/{code}")
    page.get_by_label("Name eurer Gruppe").fill("Die Wanderer")
    page.get_by_role("button", name="Los geht's").click()
    page.get_by_role("button", name="Karte zeigen").click()
    expect(page.locator(".map-pin")).to_have_count(6)  # the stations, with the team's position
    page.get_by_role("link", name=re.compile(station["title"])).click()
    expect(page.get_by_text(re.compile(r"noch \d+ m"))).to_be_visible()
    context.set_geolocation({"latitude": station["lat"] + 0.0001, "longitude": station["lon"]})
    expect(page.locator(".task-view").first).to_be_visible()
    context.close()
