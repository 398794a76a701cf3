"""The names of downloads and of the files in archives, whatever their parts hold."""

from datetime import date
from urllib.parse import unquote

import pytest

from openparcours.downloads import Download, entry_name, filename
from openparcours.responses import attachment

HOSTILE = {
    "../../etc/passwd": "Ergebnisse-etc-passwd-2026-05-04.csv",
    "..\\..\\boot.ini": "Ergebnisse-boot.ini-2026-05-04.csv",
    '7b"; filename="x.exe': "Ergebnisse-7b-filename-x.exe-2026-05-04.csv",
    "7b\r\nSet-Cookie: a=b": "Ergebnisse-7b-Set-Cookie-a-b-2026-05-04.csv",
    "\u202egpj.exe": "Ergebnisse-gpj.exe-2026-05-04.csv",
    "🦊 Füchse": "Ergebnisse-Füchse-2026-05-04.csv",
    ".hidden.": "Ergebnisse-hidden-2026-05-04.csv",
    "🦊": "Ergebnisse-2026-05-04.csv",
}


@pytest.mark.parametrize(("label", "expected"), HOSTILE.items())
def test_a_download_is_named_by_its_parts_and_nothing_else(label, expected):
    assert filename("Ergebnisse", label, date(2026, 5, 4), ext="csv") == expected


def test_names_keep_what_users_get_today():
    assert filename("Ergebnisse", "7b", date(2026, 5, 4), ext="xlsx") == (
        "Ergebnisse-7b-2026-05-04.xlsx"
    )
    assert filename("Kooperationsvereinbarung", 3, "Fassung", 2, ext="pdf") == (
        "Kooperationsvereinbarung-3-Fassung-2.pdf"
    )
    assert filename("station", "ABCD2345", ext="svg") == "station-ABCD2345.svg"
    assert filename("Results", "Q1 Geschichte", date(2026, 5, 4), ext="pdf") == (
        "Results-Q1-Geschichte-2026-05-04.pdf"
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Füchse", "Füchse"),
        ("🦊🦉 Füchse", "🦊🦉 Füchse"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ('Q"uote:*?<>|', "Q_uote_"),
        ("\u202eXgpj.exe", "Xgpj.exe"),
        ("\u200fצוות אדום", "צוות אדום"),
        ("Glocke\x07\x1b!", "Glocke_!"),
        ("Zeile\r\numbruch", "Zeile_umbruch"),
        ("  .versteckt.  ", "versteckt"),
        ("...", "_"),
        ("ß" * 80, "ß" * 60),
    ],
)
def test_an_archives_entries_keep_what_users_wrote_but_never_a_path(written, expected):
    assert entry_name(written) == expected


@pytest.mark.parametrize("name", [*HOSTILE.values(), "Dokumentation-2026-27.pdf"])
def test_the_response_names_the_file_in_utf8_and_in_ascii(app, name):
    with app.test_request_context():
        response = attachment(Download(b"data", "text/csv", name))
    disposition = response.headers["Content-Disposition"]
    fallback, encoded = disposition.removeprefix('attachment; filename="').split(
        "\"; filename*=UTF-8''"
    )
    assert unquote(encoded) == name
    assert fallback.isascii()
    assert len(fallback) == len(name)
    assert not set('"\\/;\r\n') & set(fallback + encoded)
    assert response.headers["Cache-Control"] == "private, no-store"
