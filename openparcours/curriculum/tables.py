"""The curriculum's reference tables: data files, versioned, with their source."""

import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
YEAR_GROUPS = tuple(range(1, 14))


@cache
def _table(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def subjects() -> list[dict]:
    """[{"name", "stages"}]: NRW's subjects and the stages (primar, sek1, sek2) that teach them."""
    return _table("nrw_subjects")["subjects"]


def subject_names() -> list[str]:
    return [subject["name"] for subject in subjects()]


def subject_name(value: str) -> str | None:
    """The table's spelling of a subject, whatever its case and spaces; None if unknown."""
    return _subject_names().get(" ".join(value.split()).casefold())


@cache
def _subject_names() -> dict[str, str]:
    return {subject["name"].casefold(): subject["name"] for subject in subjects()}


def year_groups_of(subject: dict) -> list[int]:
    """The year groups of the stages a subject is taught in."""
    stages = _table("nrw_subjects")["stages"]
    return [
        year
        for stage in subject["stages"]
        for year in range(stages[stage][0], stages[stage][1] + 1)
    ]


def media_competences() -> list[dict]:
    """The Medienkompetenzrahmen NRW: six areas of four competences, [{"key", "name",
    "competences": [{"key": "1.1", "name"}]}]."""
    return _table("medienkompetenzrahmen_nrw")["areas"]


def media_competence_keys() -> list[str]:
    """The keys "1.1" … "6.4", in the table's order."""
    return [c["key"] for area in media_competences() for c in area["competences"]]


@cache
def media_competence_names() -> dict[str, str]:
    """{"2.1": "Informationsrecherche", …}, in the table's order."""
    return {c["key"]: c["name"] for area in media_competences() for c in area["competences"]}


def sources() -> list[dict]:
    return [
        {key: _table(name)[key] for key in ("title", "source", "version")}
        for name in ("nrw_subjects", "medienkompetenzrahmen_nrw")
    ]


def year_runs(grades) -> str:
    """Year groups in runs, as timetables write them: [5, 6, 7, 9] → "5–7, 9"."""
    runs: list[list[int]] = []
    for year in sorted(set(grades)):
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


# The upper school's stages by their names: Einführungsphase, Qualifikationsphase 1 and 2.
_UPPER_SCHOOL = {"ef": 11, "q1": 12, "q2": 13}


def year_group_of_class(label: str) -> int | None:
    """The year group a class label names: "7b" → 7, "10 c" → 10, "EF" → 11, "Q2" → 13;
    None for a label that names none ("AG Fotografie")."""
    text = label.strip().lower()
    if stage := re.match(r"(ef|q1|q2)\b", text):
        return _UPPER_SCHOOL[stage[1]]
    match = re.match(r"(\d{1,2})(?!\d)", text)
    year = int(match[1]) if match else None
    return year if year in YEAR_GROUPS else None
