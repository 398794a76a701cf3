"""What every spreadsheet export needs: a team may be called "=1+1" or send a bell character."""

import io
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starts where the text starts or after a separator: German Excel splits a CSV at ";",
# English Excel at ",", others at tabs or "|". Excel and LibreOffice skip blanks before "=".
FORMULA_START = re.compile(r"(^|[;,\t|\r\n])([ \t\u00a0]*)(?=[=+\-@])")


def _printable(text: str) -> str:
    """Without the control characters a workbook cannot hold (tab and line breaks stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def csv_cell(value):
    """Text as a spreadsheet shows it, never as a formula, whatever the separator it splits at:
    an apostrophe goes before every "=", "+", "-" or "@" that could begin a cell."""
    if not isinstance(value, str):
        return value
    return FORMULA_START.sub(r"\1\2'", _printable(value))


def append_row(sheet: Worksheet, values: list) -> None:
    """A row of a workbook whose texts stay texts exactly as written (a cell typed as text is
    never a formula, so "=1+1" needs no apostrophe there)."""
    sheet.append([_printable(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


@dataclass(frozen=True)
class Sheet:
    """A sheet of rows under a bold header; `caption` is a bold line above the header."""

    title: str
    header: list[str]
    rows: list[list]
    # Number formats by the header's name, e.g. {"Quote": "0%"}
    formats: dict[str, str] = field(default_factory=dict)
    # Column widths in characters; without, as wide as the header (8 to 50)
    widths: list[int] | None = None
    freeze: str | None = None  # the first cell that scrolls, e.g. "C2"
    caption: str | None = None


def workbook(*sheets: Sheet) -> bytes:
    """An Excel workbook of these sheets, whose texts all stay texts."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet in sheets:
        _write(book.create_sheet(sheet.title[:31]), sheet)  # Excel's limit
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(target: Worksheet, sheet: Sheet) -> None:
    bold = Font(bold=True)
    for line in ([[sheet.caption]] if sheet.caption else []) + [sheet.header]:
        append_row(target, line)
        for column in range(1, len(line) + 1):
            target.cell(target.max_row, column).font = bold
    first_row = target.max_row + 1
    for row in sheet.rows:
        append_row(target, row)
    for column, name in enumerate(sheet.header, 1):
        letter = get_column_letter(column)
        width = sheet.widths[column - 1] if sheet.widths else min(50, max(8, len(name) + 2))
        target.column_dimensions[letter].width = width
        if name in sheet.formats:
            for (cell,) in target.iter_rows(first_row, None, column, column):
                cell.number_format = sheet.formats[name]
    if sheet.freeze:
        target.freeze_panes = sheet.freeze
