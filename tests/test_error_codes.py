"""Every code the server can answer with is catalogued (openparcours/errors.py CODES, FIELD_CODES),
and the PWA has a German and an English text for each; validation errors carry the codes of
their fields' problems, which the PWA words per field."""

import ast
import re
from pathlib import Path

from openparcours.config import PROJECT_ROOT
from openparcours.errors import CODES, DEFAULT_CODES, FIELD_CODES, field_problem
from tests.helpers import error_code

PACKAGE = PROJECT_ROOT / "openparcours"
PWA = PROJECT_ROOT / "pwa" / "src"

# How a code is written where it is raised: `code="…"`, `status, code = 409, "…"`, a refused
# event's `Refused("…", …)` or `"code": "…"`, and the error handler's own codes.
RAISED = [
    r"\bcode=\"(\w+)\"",
    r"\bcode = \d+, \"(\w+)\"",
    r"\bRefused\(\s*\"(\w+)\"",
    r"\"code\": \"(\w+)\"",
    r"\bcode, message = \"(\w+)\"",
]


def raised_codes() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        for pattern in RAISED:
            for code in re.findall(pattern, text):
                found.setdefault(code, path.relative_to(PROJECT_ROOT))
    return found


def pwa_texts() -> dict[str, dict[str, str]]:
    """{"de": {key: text}, "en": {…}} of the core catalogs and every area's messages file."""
    texts: dict[str, dict[str, str]] = {"de": {}, "en": {}}
    files = [PWA / "i18n" / "de.ts", PWA / "i18n" / "en.ts", *PWA.rglob("*messages.ts")]
    for path in files:
        source = path.read_text()
        for name, body in re.findall(r"export const (\w+)\b[^=]*= \{(.*?)\n\}", source, re.S):
            language = "en" if name == "en" or name.endswith("En") else "de"
            # A long text stands on the line after its key (the formatter wraps it there).
            for key, text in re.findall(r"^\s*\"([\w.]+)\":\s+\"((?:[^\"\\]|\\.)*)\"", body, re.M):
                texts[language][key] = text
    return texts


def test_every_code_raised_in_the_server_is_catalogued():
    raised = raised_codes()
    assert len(raised) > 40  # the scan finds the codes where they are written
    # A field's problem named by a service (ValidationFailed.for_fields) is one of FIELD_CODES.
    missing = {
        code: str(path) for code, path in raised.items() if code not in {**CODES, **FIELD_CODES}
    }
    assert missing == {}
    assert {code for code, _ in DEFAULT_CODES.values()} <= set(CODES)


# Where the PWA words a code: "code.<code>", and the game's note on a refused event.
PREFIXES = ("code.", "play.refused.")


def test_every_code_has_a_german_and_an_english_text_naming_only_its_params():
    texts = pwa_texts()
    wanted = [
        (f"{prefix}{code}", code, params) for code, params in CODES.items() for prefix in PREFIXES
    ] + [(f"field.{code}", code, params) for code, params in FIELD_CODES.items()]
    found: dict[str, set[str]] = {}
    problems = []
    for key, code, params in wanted:
        for language in ("de", "en"):
            text = texts[language].get(key)
            if text is None:
                continue
            found.setdefault(
                key.removeprefix("field.") if key.startswith("field.") else code, set()
            ).add(language)
            if not set(re.findall(r"\{(\w+)\}", text)) <= set(params):
                problems.append(f"{key} ({language}) names {text!r}, params are {params}")
    missing = {code for code in [*CODES, *FIELD_CODES] if found.get(code) != {"de", "en"}}
    assert missing == set()
    assert problems == []
    worded = {
        key.removeprefix(prefix)
        for language in texts.values()
        for key in language
        for prefix in ("code.",)
        if key.startswith(prefix)
    }
    assert worded - set(CODES) == set()  # no text for a code the server does not have


# Where the publish check and the import write a problem's code: which argument of which call.
PROBLEM_CALLS = {"add": 1, "add_problem": 2, "at_once": 0, "problem": 0, "Problem": 2}


def problem_codes() -> dict[str, Path]:
    """The codes of the publish check's and the import's problems and warnings, read from the
    calls that make them (openparcours/trails/, openparcours/tasks/)."""
    found = {}
    for path in [*(PACKAGE / "trails").rglob("*.py"), *(PACKAGE / "tasks").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            where = PROBLEM_CALLS.get(name)
            if where is None or len(node.args) <= where:
                continue
            argument = node.args[where]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.setdefault(argument.value, path.relative_to(PROJECT_ROOT))
    return found


def test_every_problem_of_the_publish_check_and_the_import_has_a_german_and_an_english_text():
    codes = problem_codes()
    assert {"station_empty", "several_points", "right_option_missing", "station_unnamed"} <= set(
        codes
    )  # the walk finds them where they are written
    texts = pwa_texts()
    missing = {
        code: str(path)
        for code, path in codes.items()
        if not all(f"author.problem.{code}" in texts[language] for language in ("de", "en"))
    }
    assert missing == {}


def test_marshmallow_messages_become_field_codes():
    assert field_problem("Longer than maximum length 200.") == {
        "code": "too_long",
        "params": {"max": 200},
    }
    assert field_problem("Must be greater than or equal to 1 and less than or equal to 10.") == {
        "code": "out_of_range",
        "params": {"min": 1, "max": 10},
    }
    assert field_problem("Must be one of: gps, qr, both.")["code"] == "not_one_of"
    assert field_problem("Missing data for required field.") == {"code": "required"}
    assert field_problem("Not a valid datetime.") == {"code": "not_a_date"}
    assert field_problem("Something a service says.") == {"code": "invalid"}
    named = {"code": "several_points", "message": "…", "params": {"station": 5}}
    assert field_problem(named) == {"code": "several_points", "params": {"station": 5}}
    assert {field_problem(m)["code"] for m in ("Unknown field.", "Not a valid integer.")} == {
        "unknown_field",
        "not_a_number",
    }


def test_validation_errors_carry_their_fields_codes(make_client, make_user, make_organisation):
    museum = make_organisation("museum")
    author = make_client(make_user(roles={museum: ["educator"]}))
    response = author.post(
        "/api/v1/trails", {"organisation_id": museum.id, "title": "x" * 201, "colour": "rot"}
    )
    assert error_code(response) == "validation_error"
    assert response.json["fields"] == {
        "title": [{"code": "length_between", "params": {"min": 1, "max": 200}}],
        "colour": [{"code": "unknown_field"}],
    }
    assert set(response.json["errors"]) == {"title", "colour"}  # the messages stay
    password = make_client(make_user()).post(
        "/api/v1/me/password", {"current_password": "falsch", "new_password": "x" * 12}
    )
    assert password.json["fields"] == {"current_password": [{"code": "wrong_password"}]}


def test_a_code_carries_its_params(client, make_visit):
    from openparcours.config import FIXED

    code = make_visit().join_code
    limit = int(FIXED["RATELIMITS"]["join"].split()[0])
    for n in range(limit):
        client.post("/api/v1/play/join", {"code": f"{n:08d}", "team_name": "Raten"})
    limited = client.post("/api/v1/play/join", {"code": code, "team_name": "Echt"})
    assert error_code(limited) == "rate_limited"
    assert set(limited.json["params"]) == set(CODES["rate_limited"])
    assert 1 <= limited.json["params"]["minutes"] <= 5
