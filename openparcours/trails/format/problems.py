"""How an import reports its problems: each by its JSON path, with a code and its parameters."""

import re

from openparcours.errors import ServiceError


class ImportFailed(ServiceError):
    """The trail was not imported; `errors` maps JSON paths to their problems, each
    {"code", "message", "params"}: the code and its params (`station`, counted from 1, `field`,
    `file` …) for people's own language, the message in English for logs and tools."""

    status, code = 422, "invalid_trail"
    errors: dict[str, list[dict]]

    def __init__(self, errors: dict[str, list[dict]]):
        count = sum(map(len, errors.values()))
        super().__init__(f"The trail was not imported: {count} problem(s).")
        self.errors = errors

    @classmethod
    def at_once(cls, code: str, message: str, **params) -> "ImportFailed":
        """A problem with the file as a whole (not JSON, not a zip, too large …)."""
        return cls({"$": [problem(code, message, params)]})


def problem(code: str, message: str, params: dict) -> dict:
    return {"code": code, "message": message, "params": params}


def add_problem(errors: dict, path: str, code: str, message: str, **params) -> None:
    errors.setdefault(path, []).append(problem(code, message, params))


def station_params(path: str) -> dict:
    """{"station": N} for a JSON path into the N-th feature, and {"task": M} into its M-th
    task, counted from 1."""
    found = {}
    if station := re.match(r"^\$\.features\[(\d+)\]", path):
        found["station"] = int(station[1]) + 1
        if task := re.match(r"^\$\.features\[\d+\]\.properties\.tasks\[(\d+)\]", path):
            found["task"] = int(task[1]) + 1
    return found


def field_params(path: str) -> dict:
    """{"field": name}: the last member named in a JSON path ($.trail.grades[0] → grades)."""
    names = re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", path)
    return {"field": names[-1]} if names else {}
