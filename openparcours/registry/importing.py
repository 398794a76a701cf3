"""Reading the state's school list (`schuldaten.csv` of the Schulgrunddaten NRW).

The file: a first line `sep=;`, a header of the 24 columns below, then one school a line,
UTF-8, coordinates in the EPSG the row names (25832, ETRS89 / UTM 32N). Problems with the file
as a whole (encoding, first line, header) refuse it; a malformed row is reported by its line
and left out, and every other row imports."""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from pyproj import Transformer
from pyproj.exceptions import CRSError

from openparcours.errors import ServiceError
from openparcours.registry import tables

COLUMNS = (
    "Schulnummer",
    "Schulform",
    "Schulbezeichnung_1",
    "Schulbezeichnung_2",
    "Schulbezeichnung_3",
    "Kurzbezeichnung",
    "Bezirksregierung",
    "PLZ",
    "Ort",
    "Strasse",
    "Telefonvorwahl",
    "Telefon",
    "Faxvorwahl",
    "Fax",
    "E-Mail",
    "Homepage",
    "Rechtsform",
    "Traegernummer",
    "Gemeindeschluessel",
    "Schulbetriebsschluessel",
    "Schulbetriebsdatum",
    "EPSG",
    "UTMRechtswert",
    "UTMHochwert",
)

# Nordrhein-Westfalen's extent (WGS 84) with a margin of about a kilometre.
NRW_LAT, NRW_LON = (50.31, 52.54), (5.85, 9.47)
# Rechtsform: 1 öffentlich, 2 privat.
PUBLIC = "1"


class SchoolListRefused(ServiceError):
    """The file as a whole is not a school list: nothing was imported. `errors` maps the line
    (counted from 1) to its problems, each {"code", "message", "params"}."""

    status, code = 422, "invalid_school_list"
    errors: dict[str, list[dict]]

    def __init__(self, line: int, code: str, message: str, **params):
        super().__init__(f"The school list was not imported: {message}")
        self.errors = {str(line): [problem(line, code, message, params)]}


def problem(line: int, code: str, message: str, params: dict) -> dict:
    return {"line": line, "code": code, "message": message, "params": params}


@dataclass
class Row:
    """One school as the file states it, checked and converted."""

    line: int
    schulnummer: str
    fields: dict


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)


class RowProblem(Exception):
    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code, self.message, self.params = code, message, params


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark); any other encoding is refused at the first
    line that is not UTF-8, as Latin-1 exports of spreadsheets are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SchoolListRefused(
            line,
            "not_utf8",
            f"Line {line} is not UTF-8 text (saved as Latin-1 or Windows-1252?).",
        ) from None


def parse(data: bytes) -> Parsed:
    text = decode(data)
    first, _, rest = text.partition("\n")
    if first.strip().strip('"').lower() != "sep=;":
        raise SchoolListRefused(1, "first_line", "The first line must be `sep=;`.")
    reader = csv.reader(io.StringIO(rest, newline=""), delimiter=";", quotechar='"')
    header = [cell.strip() for cell in next(reader, [])]
    if tuple(header) != COLUMNS:
        missing = [name for name in COLUMNS if name not in header]
        unexpected = [name for name in header if name not in COLUMNS]
        raise SchoolListRefused(
            2,
            "wrong_header",
            f"The header must name the {len(COLUMNS)} columns of the Schulgrunddaten in order.",
            missing=", ".join(missing),
            unexpected=", ".join(unexpected),
            columns=len(header),
        )
    parsed = Parsed()
    first_line_of: dict[str, int] = {}
    for line, cells in _records(reader):
        try:
            row = _row(line, cells)
            if row.schulnummer in first_line_of:
                raise RowProblem(
                    "duplicate_schulnummer",
                    f"Schulnummer {row.schulnummer} stands on line "
                    f"{first_line_of[row.schulnummer]} already.",
                    schulnummer=row.schulnummer,
                    first_line=first_line_of[row.schulnummer],
                )
        except RowProblem as error:
            parsed.problems.append(problem(line, error.code, error.message, error.params))
            continue
        first_line_of[row.schulnummer] = line
        parsed.rows.append(row)
    return parsed


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its cells), skipping empty lines."""
    start = reader.line_num + 2  # the reader starts after the first line
    for cells in reader:
        if cells and any(cell.strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 2


def _row(line: int, cells: list[str]) -> Row:
    if len(cells) != len(COLUMNS):
        raise RowProblem(
            "wrong_column_count",
            f"Line {line} has {len(cells)} columns instead of {len(COLUMNS)}.",
            columns=len(cells),
            expected=len(COLUMNS),
        )
    value = {name: cell.strip() for name, cell in zip(COLUMNS, cells, strict=True)}
    schulnummer = value["Schulnummer"]
    if not re.fullmatch(r"\d{6}", schulnummer):
        raise RowProblem(
            "invalid_schulnummer",
            f"{schulnummer!r} is not a Schulnummer (six digits).",
            value=schulnummer,
        )
    name = " ".join(part for part in (value[f"Schulbezeichnung_{i}"] for i in (1, 2, 3)) if part)
    if not name:
        raise RowProblem("name_missing", "The school has no name (Schulbezeichnung_1).")
    form = value["Schulform"]
    if not re.fullmatch(r"\d{1,3}", form):
        raise RowProblem("invalid_school_form", f"{form!r} is not a Schulform key.", value=form)
    municipality_key = value["Gemeindeschluessel"]
    if not re.fullmatch(r"\d{8}", municipality_key):
        raise RowProblem(
            "invalid_municipality_key",
            f"{municipality_key!r} is not a Gemeindeschlüssel (eight digits).",
            value=municipality_key,
        )
    district = tables.districts().get(municipality_key[:5])
    if district is None:
        raise RowProblem(
            "unknown_district",
            f"{municipality_key[:5]} is no district (Kreis) of Nordrhein-Westfalen.",
            value=municipality_key[:5],
        )
    lat, lon = _position(value)
    return Row(
        line,
        schulnummer,
        {
            "name": name[:300],
            "short_name": value["Kurzbezeichnung"][:120],
            "school_form_key": form.zfill(2),
            "government_district": value["Bezirksregierung"][:60],
            "postcode": value["PLZ"][:10],
            "municipality": value["Ort"][:120],
            "street": value["Strasse"][:200],
            "email": value["E-Mail"][:254],
            "website": value["Homepage"][:300],
            "public": value["Rechtsform"] == PUBLIC,
            "municipality_key": municipality_key,
            "district": district,
            "opened_on": _date(value["Schulbetriebsdatum"]),
            "lat": lat,
            "lon": lon,
        },
    )


def _date(text: str) -> date | None:
    """Schulbetriebsdatum as 20230801 or 01.08.2023; none is fine, nonsense is a problem."""
    if not text:
        return None
    for pattern in ("%Y%m%d", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise RowProblem("invalid_date", f"{text!r} is not a date (Schulbetriebsdatum).", value=text)


def _number(text: str, column: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise RowProblem(
            "invalid_coordinate", f"{text!r} is not a number ({column}).", value=text
        ) from None


@cache
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)


def _position(value: dict) -> tuple[float | None, float | None]:
    """WGS 84 latitude and longitude of the row's UTM coordinates; none when the row has none."""
    east, north = value["UTMRechtswert"], value["UTMHochwert"]
    if not east and not north:
        return None, None
    x, y = _number(east, "UTMRechtswert"), _number(north, "UTMHochwert")
    if 32_000_000 <= x < 33_000_000:  # the zone written in front of the easting: 32356000
        x -= 32_000_000
    epsg_text = value["EPSG"] or "25832"
    try:
        transformer = _to_wgs84(int(epsg_text))
    except (ValueError, CRSError):
        raise RowProblem(
            "unknown_crs", f"EPSG {epsg_text!r} is not a known coordinate system.", value=epsg_text
        ) from None
    lon, lat = transformer.transform(x, y)
    if not (NRW_LAT[0] <= lat <= NRW_LAT[1] and NRW_LON[0] <= lon <= NRW_LON[1]):
        raise RowProblem(
            "outside_nrw",
            f"The coordinates {east} / {north} lie outside Nordrhein-Westfalen.",
            east=east,
            north=north,
        )
    return round(lat, 6), round(lon, 6)
