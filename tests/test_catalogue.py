"""The public catalogue: public, published trails of institutions for anyone, filtered,
paginated, with a GeoJSON of the institutions; never drafts, archives or partners-only trails."""

import io
import json

import geojson
import pytest
from PIL import Image

from openparcours.database import utcnow
from openparcours.extensions import db
from openparcours.media.service import store_media
from tests.factories import png


@pytest.fixture
def offers(make_organisation, make_trail):
    """Two museums and a library in two districts, and trails of every visibility."""
    bochum = make_organisation(
        "museum",
        name="Bergbau-Museum",
        district="Bochum",
        municipality="Bochum",
        lat=51.49,
        lon=7.22,
    )
    herne = make_organisation(
        "library",
        name="Stadtbibliothek",
        district="Herne",
        municipality="Herne",
        lat=51.54,
        lon=7.22,
    )
    hidden = make_organisation("museum", name="Ohne Ort", district="Bochum", lat=None, lon=None)
    public = dict(published=True, visibility="public")
    make_trail(
        bochum,
        title="Unter Tage",
        subjects=["Geschichte", "Physik"],
        grades=[7, 8],
        media_competences=["1.2", "2.1"],
        **public,
    )
    coal = make_trail(
        bochum,
        title="Kohle und Stahl",
        subjects=["Geschichte"],
        grades=[9],
        description="Ein Rundgang über das Zechengelände.",
        stations=2,
        **public,
    )
    # What a station adds: the trail is found by it, too.
    coal.stations[1].subjects = ["Chemie"]
    coal.stations[1].media_competences = ["4.1"]
    make_trail(
        herne, title="Lesen in Herne", subjects=["Deutsch"], grades=[5], language="de", **public
    )
    make_trail(
        herne, title="Reading Herne", subjects=["Englisch"], grades=[9], language="en", **public
    )
    make_trail(hidden, title="Versteckt", **public)
    partners = make_trail(bochum, title="Nur für Partner", published=True)  # partners only
    partners.media_competences = ["6.3"]
    partners.stations[0].subjects = ["Informatik"]
    make_trail(bochum, title="Entwurf", visibility="public")  # never published
    archived = make_trail(bochum, title="Archiviert", **public)
    archived.archived_at = utcnow()
    make_trail(make_organisation("school"), title="Schulparcours", **public)
    db.session.commit()


def titles(client, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/catalogue/trails{query}")
    assert response.status_code == 200, response.json
    return [offer["title"] for offer in response.json]


def test_anyone_sees_public_offers_only(client, offers):
    assert titles(client) == [
        "Kohle und Stahl",
        "Unter Tage",
        "Versteckt",
        "Lesen in Herne",
        "Reading Herne",
    ]
    offer = client.get("/api/v1/catalogue/trails").json[0]
    assert offer["institution"]["name"] == "Bergbau-Museum"
    assert offer["description"] == "Ein Rundgang über das Zechengelände."
    assert offer["station_count"] == 2
    assert offer["cover_url"] is None


def test_an_offer_shows_what_it_teaches(client, offers):
    offers = {o["title"]: o for o in client.get("/api/v1/catalogue/trails").json}
    coal, deep = offers["Kohle und Stahl"], offers["Unter Tage"]
    assert (coal["subjects"], coal["grades"]) == (["Geschichte", "Chemie"], [9])
    assert coal["media_competences"] == [
        {"key": "4.1", "name": "Medienproduktion und Präsentation"}
    ]
    assert deep["media_competences"] == [
        {"key": "1.2", "name": "Digitale Werkzeuge"},
        {"key": "2.1", "name": "Informationsrecherche"},
    ]
    assert offers["Versteckt"]["media_competences"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?district=Herne", ["Lesen in Herne", "Reading Herne"]),
        ("?municipality=Bochum", ["Kohle und Stahl", "Unter Tage", "Versteckt"]),
        ("?kind=library", ["Lesen in Herne", "Reading Herne"]),
        ("?subject=Geschichte", ["Kohle und Stahl", "Unter Tage"]),
        ("?subject=Physik", ["Unter Tage"]),
        ("?subject=Gesch", []),  # a whole subject, not a part of one
        ("?subject=Chemie", ["Kohle und Stahl"]),  # a station's subject
        ("?subject=Informatik", []),  # of a partners-only trail
        ("?competence=2.1", ["Unter Tage"]),
        ("?competence=4.1", ["Kohle und Stahl"]),  # a station's competence
        ("?competence=6.3", []),
        ("?competence=2.1&subject=Physik&grade=7", ["Unter Tage"]),
        ("?competence=4.1&subject=Physik", []),
        ("?grade=9", ["Kohle und Stahl", "Reading Herne"]),
        ("?language=en", ["Reading Herne"]),
        ("?q=zechen", ["Kohle und Stahl"]),
        ("?q=100%25", []),  # % is a character here, not a wildcard
        ("?district=Bochum&grade=8&subject=Geschichte", ["Unter Tage"]),
    ],
)
def test_filters(client, offers, query, expected):
    assert titles(client, query) == expected


def test_bad_filters_are_refused(client, offers):
    for query in (
        "?grade=14",
        "?grade=sieben",
        "?kind=school",
        "?language=fr",
        "?page=0",
        "?competence=7.1",
        "?competence=2",
    ):
        response = client.get(f"/api/v1/catalogue/trails{query}")
        assert response.status_code == 422, query
        assert response.json["code"] == "validation_error"


def test_pages(client, offers):
    first = client.get("/api/v1/catalogue/trails?page_size=2")
    assert json.loads(first.headers["X-Pagination"])["total"] == 5
    assert [o["title"] for o in first.json] == ["Kohle und Stahl", "Unter Tage"]
    assert titles(client, "?page_size=2&page=3") == ["Reading Herne"]
    assert titles(client, "?page=99") == []


def test_an_offer_shows_its_covers_thumbnail(client, make_organisation, make_trail):
    museum = make_organisation("museum")
    cover = store_media(png((200, 30, 30), (1200, 800)), museum, None)
    make_trail(
        museum,
        published=True,
        visibility="public",
        cover_media_id=cover.id,
        cover_alt="Ein Förderturm",
    )
    db.session.commit()
    offer = client.get("/api/v1/catalogue/trails").json[0]
    assert offer["cover_url"] == f"/media/{cover.thumbnail}"
    assert offer["cover_alt"] == "Ein Förderturm"
    thumbnail = Image.open(io.BytesIO(client.get(offer["cover_url"]).data))
    assert max(thumbnail.size) == 400


def test_a_fixed_number_of_queries(client, make_organisation, make_trail, count_queries):
    museum = make_organisation("museum")
    tags = {"subjects": ["Geschichte"], "media_competences": ["2.1"]}
    make_trail(museum, published=True, visibility="public", **tags)
    client.get("/api/v1/catalogue/trails")
    with count_queries() as one:
        client.get("/api/v1/catalogue/trails?competence=2.1")
    for n in range(9):
        trail = make_trail(
            museum, published=True, visibility="public", title=f"Parcours {n}", stations=3
        )
        for station in trail.stations:
            station.subjects, station.media_competences = ["Physik"], ["2.1", "4.1"]
    db.session.commit()
    with count_queries() as ten:
        found = client.get("/api/v1/catalogue/trails?competence=2.1").json
    assert len(found) == 10
    assert {o["media_competences"][-1]["key"] for o in found} == {"2.1", "4.1"}
    assert len(ten) == len(one)


def test_filter_values(client, offers):
    values = client.get("/api/v1/catalogue/filters").json
    assert values == {
        "districts": ["Bochum", "Herne"],
        "municipalities": ["Bochum", "Herne"],
        "kinds": ["library", "museum"],
        "subjects": ["Chemie", "Deutsch", "Englisch", "Geschichte", "Physik"],
        "grades": [5, 7, 8, 9],
        # Only what public offers teach (not 6.3 of the partners-only trail), with the names.
        "media_competences": [
            {
                "key": "1",
                "name": "Bedienen und Anwenden",
                "competences": [{"key": "1.2", "name": "Digitale Werkzeuge"}],
            },
            {
                "key": "2",
                "name": "Informieren und Recherchieren",
                "competences": [{"key": "2.1", "name": "Informationsrecherche"}],
            },
            {
                "key": "4",
                "name": "Produzieren und Präsentieren",
                "competences": [{"key": "4.1", "name": "Medienproduktion und Präsentation"}],
            },
        ],
        "languages": ["de", "en"],
    }


def test_institutions_as_geojson(client, offers):
    response = client.get("/api/v1/catalogue/institutions.geojson")
    assert response.mimetype == "application/geo+json"
    collection = geojson.loads(response.get_data(as_text=True))
    assert collection.is_valid
    names = {f["properties"]["name"]: f for f in collection["features"]}
    assert set(names) == {"Bergbau-Museum", "Stadtbibliothek"}  # no location, no point
    assert names["Bergbau-Museum"]["properties"]["offers"] == 2
    assert names["Bergbau-Museum"]["geometry"]["coordinates"] == [7.22, 51.49]
    herne = client.get("/api/v1/catalogue/institutions.geojson?district=Herne").json
    assert [f["properties"]["name"] for f in herne["features"]] == ["Stadtbibliothek"]
