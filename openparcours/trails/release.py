"""Release rules: when a station opens for a team.

An author gives a station one rule (none: always open): after some other stations are done
(`after`: N of a group, or the one station), from a clock time on the visit's day (`clock`), or
some minutes after the team joined (`after_join`). A trail in fixed order opens each station
without a rule of its own after the one before. For a team, a rule resolves to the stations it
waits for and the moment it opens at the earliest (`resolve`); whether it is open at a moment
follows from when the stations it waits for were done (`opens_at`). The phone decides the same
way (pwa/src/play/release.ts); tests/cases/release_rules.json holds the cases both are tested
with.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# School days and museum clocks are German.
LOCAL = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Resolved:
    """A rule as one team plays it: `count` of the stations `after` done, and not before
    `earliest`."""

    after: tuple[int, ...] = ()
    count: int = 0
    earliest: datetime | None = None

    def as_dict(self) -> dict:
        return {
            "after": list(self.after),
            "count": self.count,
            "opens_at": self.earliest.astimezone(UTC) if self.earliest else None,
        }


def effective_rules(stations: list[dict], fixed_order: bool) -> list[dict | None]:
    """Each station's rule: its own, or in a fixed order "after the one before"."""
    rules: list[dict | None] = []
    for index, station in enumerate(stations):
        rule = station.get("release")
        if rule is None and fixed_order and index > 0:
            rule = {"kind": "after", "station_ids": [stations[index - 1]["id"]], "count": 1}
        rules.append(rule)
    return rules


def clock_time(rule: dict) -> time:
    hours, minutes = rule["time"].split(":")
    return time(int(hours), int(minutes))


def opens_on(day: date, rule: dict) -> datetime:
    """A clock rule's moment on a day, in German time."""
    return datetime.combine(day, clock_time(rule), tzinfo=LOCAL)


def resolve(rule: dict | None, visit_starts_at: datetime, joined_at: datetime) -> Resolved | None:
    if rule is None:
        return None
    if rule["kind"] == "after":
        return Resolved(tuple(rule["station_ids"]), rule.get("count", 1))
    if rule["kind"] == "clock":
        return Resolved(earliest=opens_on(visit_starts_at.astimezone(LOCAL).date(), rule))
    return Resolved(earliest=joined_at + timedelta(minutes=rule["minutes"]))


def opens_at(rule: Resolved | None, done_at: Mapping[int, datetime]) -> datetime | None:
    """When the station opened or opens: None while it waits for stations not done yet;
    `datetime.min` (UTC) for a station without a rule."""
    if rule is None:
        return datetime.min.replace(tzinfo=UTC)
    moments = [] if rule.earliest is None else [rule.earliest]
    if rule.count:
        done = sorted(done_at[s] for s in rule.after if s in done_at)
        if len(done) < rule.count:
            return None
        moments.append(done[rule.count - 1])
    return max(moments, default=datetime.min.replace(tzinfo=UTC))


def is_open(rule: Resolved | None, done_at: Mapping[int, datetime], at: datetime) -> bool:
    opened = opens_at(rule, done_at)
    return opened is not None and opened <= at


# --- What the editor and the publish check say ---------------------------------------------


@dataclass(frozen=True)
class RuleProblem:
    index: int  # of the station, counted from 0
    code: str
    params: dict


def problems(stations: list[dict], fixed_order: bool) -> list[RuleProblem]:
    """Rules that point at a station the trail no longer has (or at their own), and stations
    that can never open because their rules wait for each other."""
    ids = [station["id"] for station in stations]
    found: list[RuleProblem] = []
    for index, station in enumerate(stations):
        rule = station.get("release")
        if rule is None or rule["kind"] != "after":
            continue
        for waited in rule["station_ids"]:
            if waited not in ids or waited == station["id"]:
                found.append(RuleProblem(index, "release_unknown_station", {}))
                break
    if found:
        return found
    rules = effective_rules(stations, fixed_order)
    # Open at some time: those without stations to wait for, then those waiting for enough
    # stations that open, until nothing changes. The rest wait in a circle.
    opening: set[int] = set()
    while True:
        more = {
            station["id"]
            for station, rule in zip(stations, rules, strict=True)
            if station["id"] not in opening
            and (
                rule is None
                or rule["kind"] != "after"
                or len(opening.intersection(rule["station_ids"])) >= rule.get("count", 1)
            )
        }
        if not more:
            break
        opening |= more
    stuck = [index for index, station in enumerate(stations) if station["id"] not in opening]
    numbers = ", ".join(str(index + 1) for index in stuck)
    return [RuleProblem(index, "release_cycle", {"stations": numbers}) for index in stuck]


def clock_rules_outside(
    stations: Iterable[dict], starts_at: datetime, ends_at: datetime
) -> list[tuple[int, dict]]:
    """The stations (numbered from 1) whose clock time comes after the visit's end on its first
    day: they would never open."""
    day = starts_at.astimezone(LOCAL).date()
    return [
        (number, station["release"])
        for number, station in enumerate(stations, start=1)
        if (station.get("release") or {}).get("kind") == "clock"
        and opens_on(day, station["release"]) >= ends_at
    ]
