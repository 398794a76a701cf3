"""The annual plan on paper (A4), for the school's conference (Schulkonferenz)."""

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from openparcours.downloads import Download, filename
from openparcours.partnerships.printing import day_text, paragraphs, styles
from openparcours.planning.service import AnnualPlan

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
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Jahresplanung {plan.school_year}: {partnership.school.name} – "
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
    document.build(story)
    name = filename("Jahresplanung", plan.school_year.replace("/", "-"), partnership.id, ext="pdf")
    return Download(out.getvalue(), "application/pdf", name)
