"""QR codes of stations: single PNG/SVG, and printable posters (one A4 page per station, or a
compact sheet). Codes are drawn as vector squares, so they print sharp at any resolution."""

import io

import qrcode
import qrcode.image.svg
from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from openparcours.fonts import pdf_fonts
from openparcours.trails.models import Station, Trail

INSTRUCTION = "Scanne den QR-Code mit deinem Handy – oder tippe in der App auf „Code eingeben“:"
GREY = HexColor("#4a4a4a")


def _qr(data: str) -> qrcode.QRCode:
    # Error correction M survives smudges and glare on laminated posters.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data: str, box_size: int = 10) -> bytes:
    code = _qr(data)
    code.box_size = box_size
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()


def qr_svg(data: str) -> bytes:
    out = io.BytesIO()
    _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return out.getvalue()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the code with its quiet zone into the square at (x, y) of side `size`."""
    matrix = _qr(data).get_matrix()
    module = size / len(matrix)
    canvas.setFillColor(black)
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                canvas.rect(
                    x + col * module,
                    y + size - (row + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to `size` at which `text` fits into `width`."""
    while size > 6 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def qr_stations(trail: Trail) -> list[Station]:
    return [s for s in trail.stations if s.checkin.value in ("qr", "gps_qr")]


def posters_pdf(trail: Trail, layout: str = "pages") -> bytes:
    """The QR stations' codes; `layout` is "pages" or "sheet"."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"QR-Codes: {trail.title}")
    canvas.setAuthor(trail.organisation.name)
    stations = qr_stations(trail)
    if layout == "sheet":
        _sheet(canvas, trail, stations)
    else:
        for station in stations:
            _page(canvas, trail, station)
            canvas.showPage()
    canvas.save()
    return out.getvalue()


def _page(canvas: Canvas, trail: Trail, station: Station) -> None:
    url = station.qr_url
    width, height = A4
    margin = 20 * mm
    usable = width - 2 * margin
    regular, bold = pdf_fonts()
    canvas.setFillColor(GREY)
    canvas.setFont(regular, 11)
    canvas.drawString(margin, height - margin, f"{trail.title} · {trail.organisation.name}"[:110])
    canvas.setFillColor(black)
    title_size = _fit(canvas, station.title, bold, 30, usable)
    canvas.setFont(bold, title_size)
    canvas.drawCentredString(width / 2, height - margin - 22 * mm, station.title)
    canvas.setFont(regular, 12)
    canvas.drawCentredString(
        width / 2, height - margin - 34 * mm, f"Station {station.position + 1}"
    )
    qr_size = 140 * mm
    draw_qr(canvas, url, (width - qr_size) / 2, height - margin - 40 * mm - qr_size, qr_size)
    text_y = height - margin - 48 * mm - qr_size
    canvas.setFont(regular, _fit(canvas, INSTRUCTION, regular, 13, usable))
    canvas.drawCentredString(width / 2, text_y, INSTRUCTION)
    canvas.setFont("Courier-Bold", 36)
    canvas.drawCentredString(width / 2, text_y - 18 * mm, _spaced(station.code))
    canvas.setFont(regular, 9)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(width / 2, margin / 2, url)


def _sheet(canvas: Canvas, trail: Trail, stations: list[Station]) -> None:
    """Six codes per page (2 × 3), to cut out and stick on the exhibits."""
    width, height = A4
    margin, columns, rows = 12 * mm, 2, 3
    regular, bold = pdf_fonts()
    cell_w, cell_h = (width - 2 * margin) / columns, (height - 2 * margin - 8 * mm) / rows
    for index, station in enumerate(stations):
        slot = index % (columns * rows)
        if slot == 0:
            if index:
                canvas.showPage()
            canvas.setFont(regular, 10)
            canvas.setFillColor(GREY)
            canvas.drawString(margin, height - margin, f"{trail.title} · {trail.organisation.name}")
        col, row = slot % columns, slot // columns
        x = margin + col * cell_w
        top = height - margin - 8 * mm - row * cell_h
        canvas.setStrokeColor(HexColor("#bbbbbb"))
        canvas.setDash(2, 3)
        canvas.rect(x, top - cell_h, cell_w, cell_h, stroke=1, fill=0)
        canvas.setDash()
        canvas.setFillColor(black)
        label = f"{station.position + 1}. {station.title}"
        canvas.setFont(bold, _fit(canvas, label, bold, 12, cell_w - 8 * mm))
        canvas.drawCentredString(x + cell_w / 2, top - 8 * mm, label)
        qr_size = min(cell_w, cell_h) - 28 * mm
        draw_qr(
            canvas, station.qr_url, x + (cell_w - qr_size) / 2, top - 11 * mm - qr_size, qr_size
        )
        canvas.setFont("Courier-Bold", 16)
        canvas.drawCentredString(x + cell_w / 2, top - cell_h + 7 * mm, _spaced(station.code))
    canvas.showPage()


def _spaced(code: str) -> str:
    """ABCD EFGH: easier to read aloud and to type."""
    return f"{code[:4]} {code[4:]}"
