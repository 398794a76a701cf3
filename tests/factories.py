"""What the tests send and build without the database: tasks, a visit form's fields, a team's
phone and its events, images, and the German day. Fixtures that store objects are in conftest."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image

PASSWORD = "correct horse battery"
# The German day, as the server takes it (TIMEZONE is Europe/Berlin in the tests too).
TODAY = datetime.now(ZoneInfo("Europe/Berlin")).date()


def single_choice_task(**overrides) -> dict:
    return {
        "type": "single_choice",
        "prompt": "Wann wurde die Zeche stillgelegt?",
        "points": 10,
        "definition": {
            "options": [{"id": "a", "text": "1955"}, {"id": "b", "text": "1966"}],
            "correct": "b",
        },
    } | overrides


def visit_fields(trail, *, starts: datetime | None = None, hours: float = 3, **overrides) -> dict:
    """The teacher's form for a visit of `trail`, from now (or `starts`) for `hours`."""
    starts = starts or datetime.now(UTC)
    return {
        "trail_id": trail.id,
        "class_label": "7b",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=hours)).isoformat(),
    } | overrides


def png(colour=(20, 90, 60), size=(64, 64), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def pdf(catalogue_extra: bytes = b"") -> bytes:
    """A one-page PDF; `catalogue_extra` goes into its catalogue (e.g. an /OpenAction)."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + catalogue_extra + b" >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def event(kind: str, station: dict, task: dict | None = None, *, at=None, **fields) -> dict:
    """An event as the phone makes it: a check-in, hint or answer at `station` (and `task`),
    at `at` (a datetime; now by default)."""
    made = {
        "id": str(uuid.uuid4()),
        "type": kind,
        "station_id": station["id"],
        "at": (at or datetime.now(UTC)).isoformat(),
    }
    return made | ({"task_id": task["id"]} if task else {}) | fields


def from_address(address: str | None) -> dict:
    """A request's keyword arguments to come from `address` (the test client's own if None)."""
    return {"environ_base": {"REMOTE_ADDR": address}} if address else {}


def join(client, visit, name: str = "Die Füchse", *, address: str | None = None, **fields):
    """A team joins `visit` (a Visit, a visit as the API returns it, or its join code)."""
    if isinstance(visit, str):
        code = visit
    else:
        code = visit["join_code"] if isinstance(visit, dict) else visit.join_code
    body = {"code": code, "team_name": name} | fields
    return client.post("/api/v1/play/join", body, **from_address(address))


def sync(client, headers: dict, *events):
    return client.post("/api/v1/play/sync", {"events": list(events)}, headers=headers)


def upload_photo(client, headers: dict, data: bytes, name: str = "foto.png"):
    return client.post(
        "/api/v1/play/media",
        data={"file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


class Phone:
    """A team's phone: joins `visit`, then sends events and photos with the team's token."""

    def __init__(self, client, visit, name: str = "Die Füchse", players: int = 2):
        joined = join(client, visit, name, players=players)
        assert joined.status_code == 201, joined.json
        self.client, self.team = client, joined.json["team"]
        self.headers = {"Authorization": f"Bearer {joined.json['token']}"}

    def sync(self, *events):
        return sync(self.client, self.headers, *events)

    def send(self, *events) -> dict:
        """Sends events that the server must take, and returns its answer."""
        response = self.sync(*events)
        assert response.status_code == 200, response.json
        assert not response.json["refused"], response.json["refused"]
        return response.json

    def upload(self, data: bytes):
        return upload_photo(self.client, self.headers, data)

    def photo(self, colour=(200, 30, 30), size=(320, 240)) -> int:
        """Uploads a photo of this colour and returns its media id."""
        response = self.upload(png(colour, size))
        assert response.status_code == 201, response.json
        return response.json["id"]
