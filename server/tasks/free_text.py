"""Free text, compared after normalisation, optionally with a small typo tolerance.

Normalisation: Unicode NFKC, case folded (ß → ss), ä/ö/ü → ae/oe/ue, other accents dropped,
punctuation and symbols dropped, whitespace collapsed. So "Straße", "STRASSE!" and " strasse "
are the same answer, and so are "Förderturm" and "Foerderturm".

Typo tolerance (when enabled) applies to longer answers only: a Damerau–Levenshtein distance
(adjacent swaps count once) of 1 for accepted answers of 5–9 normalised characters and of 2
for 10 or more. Short answers must match exactly: "1955" is not "1956".
"""

import unicodedata
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from server.fields import Text
from server.tasks.base import Problem, Score, TaskType, require_text

MAX_ANSWER = 2000
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", folded)
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue  # accents left after the umlauts: é → e
        kept.append(" " if category[0] in "PSZC" else char)
    return " ".join("".join(kept).split())


def tolerance_for(accepted: str) -> int:
    return 2 if len(accepted) >= 10 else 1 if len(accepted) >= 5 else 0


def within_distance(a: str, b: str, limit: int) -> bool:
    """Whether the optimal-string-alignment distance of a and b is at most `limit`."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


class Definition(ma.Schema):
    accepted = fields.List(
        Text(200, min_length=0), validate=validate.Length(max=20), load_default=list
    )
    typo_tolerance = fields.Boolean(load_default=False)


class FreeText(TaskType):
    name = "free_text"
    label = {"de": "Freitext", "en": "Free text"}
    definition_schema = Definition

    def problems(self, definition: dict) -> list[Problem]:
        if not any(normalise(a) for a in definition["accepted"]):
            return [Problem("accepted", "Give at least one accepted answer.")]
        return []

    def check(self, definition: dict) -> dict:
        accepted = sorted({normalise(a) for a in definition["accepted"]} - {""})
        return {"accepted": accepted, "typo_tolerance": definition["typo_tolerance"]}

    def score(self, definition: dict, answer: Any) -> Score:
        given = normalise(require_text(answer, MAX_ANSWER))
        right = False
        for accepted in {normalise(a) for a in definition["accepted"]} - {""}:
            limit = tolerance_for(accepted) if definition["typo_tolerance"] else 0
            if given == accepted or (limit and within_distance(given, accepted, limit)):
                right = True
                break
        return Score(right, 1.0 if right else 0.0)
