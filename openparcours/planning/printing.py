"""The annual plan on paper (A4), for the school's conference (Schulkonferenz)."""

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from openparcours.database import local_zone
from openparcours.downloads import Download, filename
from openparcours.partnerships.printing import day_text, document, paragraphs, styles
from openparcours.planning.lernweg import Done, Lernweg, Planned
from openparcours.planning.service import AnnualPlan
from openparcours.spreadsheets import XLSX, Sheet, workbook

MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
STATUS = {
    "planned": "geplant",
    "agreed": "vereinbart",
    "done": "durchgeführt",
    "dropped": "entfallen",
}


def _when(item) -> str:
    if item.month:
        return MONTHS[item.month - 1]
    return f"{item.term}. Halbjahr" if item.term else "–"


def _for_whom(item) -> str:
    parts = [f"Jahrgang {item.year_group}" if item.year_group else "", item.class_label]
    return ", ".join(part for part in parts if part) or "–"


def annual_plan_pdf(plan: AnnualPlan) -> Download:
    partnership = plan.partnership
    s = styles()
    out = io.BytesIO()
    pdf = document(
        out,
        f"Jahresplanung {plan.school_year}: {partnership.school.name} – "
        f"{partnership.institution.name}",
    )
    header = ["Was", "Wann", "Für wen", "Verantwortlich", "Stand"]
    rows = [[Paragraph(h, s["bold"]) for h in header]]
    for item in plan.items:
        what = escape(item.title)
        if item.trail:
            what += f"<br/>Angebot: {escape(item.trail.title)}"
        if item.note:
            what += f"<br/>{escape(item.note)}"
        responsible = "<br/>".join(
            escape(f"{side}: {name}")
            for side, name in (
                ("Schule", item.responsible_school),
                ("Einrichtung", item.responsible_institution),
            )
            if name
        )
        rows.append(
            [
                Paragraph(what, s["small"]),
                Paragraph(_when(item), s["small"]),
                Paragraph(escape(_for_whom(item)), s["small"]),
                Paragraph(responsible or "–", s["small"]),
                Paragraph(STATUS[item.status.value], s["small"]),
            ]
        )
    table = Table(rows, colWidths=[64 * mm, 24 * mm, 26 * mm, 38 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
            ]
        )
    )
    story = [
        Paragraph(f"Jahresplanung {plan.school_year}", s["title"]),
        Paragraph(
            escape(f"{partnership.school.name} und {partnership.institution.name}"), s["subtitle"]
        ),
        Spacer(1, 5 * mm),
        table if plan.items else Paragraph("Noch keine Vorhaben geplant.", s["text"]),
    ]
    reflection = plan.reflection
    if reflection:
        story += [
            Paragraph("Rückblick auf das Schuljahr", s["heading"]),
            Paragraph("Was gut lief:", s["bold"]),
            *paragraphs(reflection.went_well, s["text"]),
            Paragraph("Was sich ändert:", s["bold"]),
            *paragraphs(reflection.changes, s["text"]),
            Paragraph(
                f"Nächste gemeinsame Überprüfung: {day_text(reflection.next_review_on)}",
                s["text"],
            ),
        ]
    pdf.build(story)
    name = filename("Jahresplanung", plan.school_year.replace("/", "-"), partnership.id, ext="pdf")
    return Download(out.getvalue(), "application/pdf", name)


def _year_group_name(year_group: int | None) -> str:
    return f"Jahrgang {year_group}" if year_group else "ohne Jahrgang"


def _lernweg_title(lernweg: Lernweg) -> str:
    return f"Lernweg {lernweg.school.name}, Schuljahr {lernweg.school_year}"


def _lernweg_filename(lernweg: Lernweg, ext: str) -> str:
    return filename("Lernweg", lernweg.school.name, lernweg.school_year.replace("/", "-"), ext=ext)


def _planned_text(item: Planned) -> str:
    parts = [item.teaching_unit, f"{item.offer} · {item.partner}"]
    if item.term:
        parts.append(f"{item.term}. Halbjahr")
    if item.media_competences:
        parts.append("MKR " + ", ".join(item.media_competences))
    return "\n".join(parts)


def _done_text(item: Done) -> str:
    day = day_text(item.date.astimezone(local_zone()).date())
    return f"✓ {item.class_label}: {item.trail_title}, {day} · {item.partner}"


def lernweg_pdf(lernweg: Lernweg) -> Download:
    """The grid on A4 landscape: year groups down, subjects across, for the school's internal
    curriculum and its Medienkonzept."""
    s = styles()
    out = io.BytesIO()
    pdf = document(
        out,
        _lernweg_title(lernweg),
        sides=12 * mm,
        ends=12 * mm,
        pagesize=landscape(A4),
    )
    subjects = lernweg.subjects
    width = (landscape(A4)[0] - 24 * mm - 22 * mm) / max(1, len(subjects))
    rows = [
        [Paragraph("Jahrgang", s["bold"])]
        + [Paragraph(escape(subject or "ohne Fach"), s["bold"]) for subject in subjects]
    ]
    for group in lernweg.year_groups:
        competences = ", ".join(group.media_competences)
        row = [
            Paragraph(
                escape(_year_group_name(group.year_group))
                + (f"<br/>MKR {competences}" if competences else ""),
                s["small"],
            )
        ]
        for subject in subjects:
            cell = group.by_subject.get(subject)
            texts = (
                [_planned_text(item) for item in cell.planned]
                + [_done_text(item) for item in cell.done]
                if cell
                else []
            )
            row.append(
                Paragraph(
                    "<br/><br/>".join(escape(text).replace("\n", "<br/>") for text in texts),
                    s["small"],
                )
            )
        rows.append(row)
    table = Table(rows, colWidths=[22 * mm] + [width] * len(subjects), repeatRows=1)
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, "#999999")]
        )
    )
    story = [
        Paragraph(escape(_lernweg_title(lernweg)), s["title"]),
        Paragraph(
            "Geplant (Unterrichtsvorhaben aus den Kooperationsvereinbarungen) und durchgeführt "
            "(✓ Besuche der Klassen). Nur Klassen, keine Namen von Schülerinnen und Schülern.",
            s["subtitle"],
        ),
        Spacer(1, 4 * mm),
        table
        if lernweg.year_groups
        else Paragraph("Noch nichts geplant oder durchgeführt.", s["text"]),
    ]
    pdf.build(story)
    return Download(out.getvalue(), "application/pdf", _lernweg_filename(lernweg, "pdf"))


LERNWEG_COLUMNS = [
    "Fach",
    "Stand",
    "Unterrichtsvorhaben / Parcours",
    "Lernangebot",
    "Partner",
    "Halbjahr",
    "Klasse",
    "Datum",
    "Medienkompetenzen",
]


def lernweg_xlsx(lernweg: Lernweg) -> Download:
    """One sheet per year group, a row per planned or done entry."""
    sheets = []
    for group in lernweg.year_groups:
        rows: list[list] = []
        for cell in group.cells:
            subject = cell.subject or "ohne Fach"
            for item in cell.planned:
                rows.append(
                    [
                        subject,
                        "geplant",
                        item.teaching_unit,
                        item.offer,
                        item.partner,
                        item.term,
                        "",
                        None,
                        ", ".join(item.media_competences),
                    ]
                )
            for done in cell.done:
                rows.append(
                    [
                        subject,
                        "durchgeführt",
                        done.trail_title,
                        done.trail_title,
                        done.partner,
                        None,
                        done.class_label,
                        done.date.astimezone(local_zone()).date(),
                        "",
                    ]
                )
        sheets.append(
            Sheet(
                _year_group_name(group.year_group),
                LERNWEG_COLUMNS,
                rows,
                formats={"Datum": "DD.MM.YYYY"},
                widths=[20, 13, 36, 30, 26, 9, 9, 11, 18],
                caption=f"{_lernweg_title(lernweg)}, {_year_group_name(group.year_group)}",
            )
        )
    if not sheets:
        sheets.append(Sheet("Lernweg", LERNWEG_COLUMNS, [], caption=_lernweg_title(lernweg)))
    return Download(workbook(*sheets), XLSX, _lernweg_filename(lernweg, "xlsx"))
