"""Free text: normalisation, the typo rule, refusals."""

import time

import pytest

from server.errors import ValidationFailed
from server.tasks import registry
from server.tasks.free_text import normalise, tolerance_for, within_distance
from server.tasks.registry import InvalidAnswer
from tests.tasks.build import HUGE_LIST, HUGE_TEXT, make, paths

FREE = make("free_text", {"accepted": ["Förderturm", "Fördergerüst"], "typo_tolerance": True})
STRICT = make("free_text", {"accepted": ["Straße", "1955"], "typo_tolerance": False})


@pytest.mark.parametrize(("text", "expected"), [
    ("Straße", "strasse"),
    ("Strasse", "strasse"),
    ("  STRASSE! ", "strasse"),
    ("STRAẞE", "strasse"),                   # capital sharp s
    ("Förder-Turm", "foerder turm"),         # punctuation is a word break
    ("Foerderturm", "foerderturm"),
    ("FÖRDERTURM", "foerderturm"),
    ("Fo\u0308rderturm", "foerderturm"),     # combining diaeresis, composed by NFKC
    ("Übung", "uebung"),
    ("Café", "cafe"),                        # other accents are dropped
    ("e\u0301", "e"),
    ("ﬁnden", "finden"),                     # ligature, NFKC
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
    ("Kohle 🙂 und Stahl", "kohle und stahl"),
    ("👍🏽", ""),
    ("a\t\n  b", "a b"),
    ("\u00a0Zeche\u2003Zollverein\u200f", "zeche zollverein"),  # NBSP, em space, RTL mark
    ("שָׁלוֹם", "שלום"),                          # Hebrew points are marks
    ("مرحبا!", "مرحبا"),
    ("«Glück auf!»", "glueck auf"),
    ("1.955", "1 955"),
    ("\t\n", ""),
    ("", ""),
])  # fmt: skip
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(("answer", "correct"), [
    ("Förderturm", True),
    ("foerderturm", True),
    ("FOERDERTURM.", True),
    ("  förderturm  ", True),
    ("Fördertrum", True),    # an adjacent swap is one edit
    ("Fordertrum", True),    # two edits (ö as o, a swap): allowed from 10 letters on
    ("Fodrertrum", False),   # three edits
    ("Förderturn", True),
    ("Förder turm", True),   # the space is one insertion
    ("Förderhaus", False),
    ("Fördergerüst", True),
    ("Fördergerust", True),  # "ue" → "u": one deletion
    ("Turm", False),
    ("Förderturm Förderturm", False),
])  # fmt: skip
def test_with_typo_tolerance(answer, correct):
    assert registry.score(FREE, answer).correct is correct


@pytest.mark.parametrize(("accepted", "answer", "correct"), [
    ("Kohle", "Kohel", True),          # 5 letters: one edit
    ("Kohle", "Kohl", True),
    ("Kohle", "Khl", False),
    ("Erz", "Ers", False),             # under 5: exact only
    ("1955", "1956", False),
    ("Zeche", "Zeche Zollverein", False),
    ("Stollen12", "Stolen1", False),   # 9 letters: still one edit
    ("Bergwerker", "Bergwrker", True),  # 10 letters: one …
    ("Bergwerker", "Bregwrker", True),  # … or two edits
    ("Bergwerker", "Bregwrkr", False),
])  # fmt: skip
def test_typo_rule_depends_on_the_accepted_length(accepted, answer, correct):
    task = make("free_text", {"accepted": [accepted], "typo_tolerance": True})
    assert registry.score(task, answer).correct is correct


@pytest.mark.parametrize(("length", "edits"), [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2), (200, 2)])
def test_tolerance_for(length, edits):
    assert tolerance_for("x" * length) == edits


@pytest.mark.parametrize(("a", "b", "limit", "within"), [
    ("abcdef", "abcdef", 0, True),
    ("abcdef", "abdcef", 1, True),   # transposition
    ("abcdef", "abcde", 1, True),
    ("abcdef", "xbcdex", 1, False),
    ("abcdef", "xbcdex", 2, True),
    ("ca", "abc", 2, False),         # OSA: 3 (unrestricted Damerau–Levenshtein would say 2)
    ("", "ab", 2, True),
    ("a" * 2000, "a" * 10, 2, False),
])  # fmt: skip
def test_within_distance(a, b, limit, within):
    assert within_distance(a, b, limit) is within
    assert within_distance(b, a, limit) is within


def test_without_tolerance_exact_after_normalising():
    assert registry.score(STRICT, " STRASSE! ").correct is True
    assert registry.score(STRICT, "straße").correct is True
    assert registry.score(STRICT, "Strase").correct is False
    assert registry.score(STRICT, "1955").correct is True


@pytest.mark.parametrize("answer", [
    None, 5, 5.0, True, ["Förderturm"], {"text": "Förderturm"}, "x" * 2001, HUGE_TEXT, HUGE_LIST,
    "", "   ", "?!", "🙂", "\u200f",
])  # fmt: skip
def test_refuses(answer):
    with pytest.raises(InvalidAnswer):
        registry.score(FREE, answer)


def test_2000_characters_are_still_an_answer():
    assert registry.score(FREE, "y" * 2000).correct is False


def test_stays_fast_on_long_answers_near_long_accepted_ones():
    task = make("free_text", {"accepted": ["ab" * 100] * 20, "typo_tolerance": True})
    started = time.perf_counter()
    for _ in range(10):
        registry.score(task, "ba" * 100)
        registry.score(FREE, HUGE_TEXT[:2000])
    assert time.perf_counter() - started < 5  # a guard against blow-up, not a benchmark


@pytest.mark.parametrize(("definition", "field"), [
    ({"accepted": "Grubengas"}, "accepted"),
    ({"accepted": [1]}, "accepted"),
    ({"accepted": ["x" * 201]}, "accepted"),
    ({"accepted": ["x"] * 21}, "accepted"),
    ({"accepted": ["x"], "typo_tolerance": "sometimes"}, "typo_tolerance"),
    ({"accepted": ["x"], "case_sensitive": True}, "case_sensitive"),
])  # fmt: skip
def test_definition_structure(definition, field):
    with pytest.raises(ValidationFailed) as caught:
        make("free_text", definition)
    assert field in caught.value.errors["definition"]


@pytest.mark.parametrize(("accepted", "expected"), [
    ([], ["definition/accepted"]),
    ([""], ["definition/accepted"]),
    (["", "!!"], ["definition/accepted"]),
    (["Kohle", " ", "🙂"], ["definition/accepted/1", "definition/accepted/2"]),
    (["Kohle"], []),
])  # fmt: skip
def test_problems(accepted, expected):
    assert paths(make("free_text", {"accepted": accepted})) == expected


def test_check_carries_normalised_variants_and_the_typo_rule():
    task = make("free_text", {"accepted": ["Förderturm", "FOERDERTURM", "Fördergerüst", ""],
                              "typo_tolerance": True})  # fmt: skip
    assert registry.client_spec(task, 1)["check"] == {
        "accepted": ["foerdergeruest", "foerderturm"],
        "typo_tolerance": True,
        "typo_rule": [{"min_length": 10, "max_distance": 2}, {"min_length": 5, "max_distance": 1}],
    }
