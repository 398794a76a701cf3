"""Free text, compared after normalisation, optionally with a small typo tolerance.

Normalisation: Unicode NFKC, case folded (ß → ss), ä/ö/ü → ae/oe/ue, other accents dropped,
punctuation and symbols dropped, whitespace collapsed. So "Straße", "STRASSE!" and " strasse "
are the same answer, and so are "Förderturm" and "Foerderturm".

Typo tolerance (when enabled) applies to longer answers only: a Damerau–Levenshtein distance
(adjacent swaps count once) of 1 for accepted answers of 5–9 normalised characters and of 2
for 10 or more. Short answers must match exactly: "1955" is not "1956". The lengths count
code points of the normalised accepted answer; the same rule is sent to the phone as data
(`check.typo_rule`) and mirrored in the PWA's play/check.ts.

Punctuation becomes a space rather than vanishing, so "Zeche-Zollverein" and "Zeche Zollverein"
are the same, while "Förder-Turm" is one edit away from "Förderturm".

An answer that normalises to nothing (blank, only punctuation or emoji) is refused as
`InvalidAnswer` rather than scored wrong: there is nothing to compare, and the team keeps its try.
"""

import unicodedata
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from openparcours.fields import Text
from openparcours.tasks.base import Flag, InvalidAnswer, Problem, Score, TaskType, require_text

MAX_ANSWER = 2000
# (shortest normalised accepted answer, edits allowed), longest first.
TYPO_RULE = ((10, 2), (5, 1))
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def normalise(text: str) -> str:
    """The form answers are compared in; the PWA's `normalise` must give the same result."""
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
    """How many edits a (normalised) accepted answer allows, with typo tolerance on."""
    return next((edits for length, edits in TYPO_RULE if len(accepted) >= length), 0)


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
    typo_tolerance = Flag(load_default=False)


class FreeText(TaskType):
    name = "free_text"
    label = {"de": "Freitext", "en": "Free text"}
    definition_schema = Definition
    teacher_grades = True

    def problems(self, definition: dict) -> list[Problem]:
        blank = [i for i, a in enumerate(definition["accepted"]) if not normalise(a)]
        if len(blank) == len(definition["accepted"]):
            return [Problem("accepted", "Give at least one accepted answer.", "accepted_missing")]
        message = "Write an answer with letters or digits, or remove this line."
        return [
            Problem(f"accepted/{i}", message, "accepted_blank", {"entry": i + 1}) for i in blank
        ]

    def check(self, definition: dict) -> dict:
        accepted = sorted({normalise(a) for a in definition["accepted"]} - {""})
        return {
            "accepted": accepted,
            "typo_tolerance": definition["typo_tolerance"],
            "typo_rule": [{"min_length": n, "max_distance": d} for n, d in TYPO_RULE],
        }

    def score(self, definition: dict, answer: Any) -> Score:
        given = normalise(require_text(answer, MAX_ANSWER))
        if not given:
            raise InvalidAnswer("Write an answer.")
        right = False
        for accepted in {normalise(a) for a in definition["accepted"]} - {""}:
            limit = tolerance_for(accepted) if definition["typo_tolerance"] else 0
            if given == accepted or (limit and within_distance(given, accepted, limit)):
                right = True
                break
        return Score(right, 1.0 if right else 0.0)

    def example_answer(self, definition: dict) -> str:
        return next(a for a in definition["accepted"] if normalise(a))

    def answer_key(self, definition: dict, answer: Any) -> str:
        return normalise(answer)
