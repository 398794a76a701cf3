"""What every spreadsheet export needs: a team may be called "=1+1" or send a bell character."""

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

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
