"""Printed forms in German: the agreement (A4, both signature blocks, the learning offers with
their descriptions and what they teach) and a partnership's documentation of a school year (PDF
and XLSX)."""

import io
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from openparcours.curriculum.tables import year_runs
from openparcours.database import local_zone
from openparcours.downloads import Download, filename
from openparcours.fonts import pdf_fonts
from openparcours.organisations.models import Organisation
from openparcours.partnerships.models import AgreementTemplateVersion, AgreementVersion
from openparcours.partnerships.reports import SchoolYearReport
from openparcours.spreadsheets import XLSX, Sheet, workbook

STATUS = {
    "draft": "Entwurf",
    "proposed": "zur Unterschrift vorgelegt",
    "signed": "unterzeichnet",
    "active": "in Kraft",
    "ended": "beendet",
    "superseded": "durch eine neuere Fassung ersetzt",
}


def day_text(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def template_line(template: AgreementTemplateVersion) -> str:
    return f"Nach der Mustervereinbarung »{template.template.title}«, Fassung {template.number}"


def _moment(value: datetime) -> str:
    return value.astimezone(local_zone()).strftime("%d.%m.%Y, %H:%M")


def document(
    out: io.BytesIO, title: str, *, sides: float = 18 * mm, ends: float = 18 * mm, pagesize=A4
) -> SimpleDocTemplate:
    """A page layout of the app's PDFs: `sides` left and right, `ends` top and bottom."""
    return SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=sides,
        rightMargin=sides,
        topMargin=ends,
        bottomMargin=ends,
        title=title,
    )


def styles() -> dict[str, ParagraphStyle]:
    regular, bold = pdf_fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10, leading=13),
        "heading": ParagraphStyle(
            "heading", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=3
        ),
        "text": ParagraphStyle("text", fontName=regular, fontSize=10, leading=13.5),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8.5, leading=11),
        "bold": ParagraphStyle("bold", fontName=bold, fontSize=10, leading=13.5),
    }


def paragraphs(text: str, style: ParagraphStyle) -> list:
    """Plain text with blank lines between paragraphs; what a user wrote is escaped."""
    parts = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return [Paragraph(escape(p).replace("\n", "<br/>"), style) for p in parts] or [
        Paragraph("–", style)
    ]


def _party(organisation: Organisation) -> str:
    address = ", ".join(
        part
        for part in (
            organisation.street,
            " ".join(filter(None, [organisation.postcode, organisation.municipality])),
        )
        if part
    )
    return escape(organisation.name) + (f"<br/>{escape(address)}" if address else "")


def _contacts(contacts: list[dict]) -> str:
    return (
        "<br/>".join(
            escape(
                ", ".join(
                    filter(None, [c.get("name"), c.get("role"), c.get("email"), c.get("phone")])
                )
            )
            for c in contacts
        )
        or "–"
    )


def offer_tags(offer: dict) -> list[str]:
    """What an offer teaches, in lines: its subjects and year groups ("Geschichte, Chemie ·
    Jahrgang 7–9"), then its media competences ("Medienkompetenzrahmen NRW: 2.1
    Informationsrecherche, …"); none for an offer frozen before the tags."""
    subjects = ", ".join(offer.get("subjects") or [])
    grades = f"Jahrgang {year_runs(offer['grades'])}" if offer.get("grades") else ""
    competences = ", ".join(f"{c['key']} {c['name']}" for c in offer.get("media_competences") or [])
    lines = [" · ".join(filter(None, [subjects, grades]))]
    if competences:
        lines.append(f"Medienkompetenzrahmen NRW: {competences}")
    return [line for line in lines if line]


def anchoring_offer(version: AgreementVersion, row: dict) -> str:
    """A row's learning offer in words: the agreement's trail as offered, or the named format."""
    titles = {offer["id"]: offer["title"] for offer in version.offered}
    return titles.get(row.get("trail_id"), "") or row.get("offer") or "–"


def _anchoring(version: AgreementVersion, s: dict) -> list[Flowable]:
    rows = version.content.get("anchoring") or []
    if not rows:
        return []
    header = ["Jg.", "Fach", "Unterrichtsvorhaben", "Lernangebot", "Medienkompetenzen", "Halbjahr"]
    table = Table(
        [[Paragraph(h, s["bold"]) for h in header]]
        + [
            [
                Paragraph(str(row["year_group"]), s["small"]),
                Paragraph(escape(row["subject"]), s["small"]),
                Paragraph(escape(row["teaching_unit"]), s["small"]),
                Paragraph(escape(anchoring_offer(version, row)), s["small"]),
                Paragraph(", ".join(row.get("media_competences") or []) or "–", s["small"]),
                Paragraph(f"{row['term']}." if row.get("term") else "–", s["small"]),
            ]
            for row in rows
        ],
        colWidths=[10 * mm, 26 * mm, 46 * mm, 40 * mm, 26 * mm, 18 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
            ]
        )
    )
    return [Spacer(1, 2 * mm), table]


def agreement_pdf(version: AgreementVersion) -> Download:
    partnership = version.partnership
    school, institution = partnership.school, partnership.institution
    content = version.content
    s = styles()
    out = io.BytesIO()
    pdf = document(
        out,
        f"Kooperationsvereinbarung {school.name} – {institution.name}",
        sides=22 * mm,
        ends=20 * mm,
    )
    story = [
        Paragraph("Kooperationsvereinbarung", s["title"]),
        Paragraph(
            f"Bildungspartnerschaft · Fassung {version.number} · {STATUS[version.status]}",
            s["subtitle"],
        ),
        *(
            [Paragraph(escape(template_line(version.template_version)), s["subtitle"])]
            if version.template_version
            else []
        ),
        Spacer(1, 6 * mm),
        Table(
            [
                [Paragraph("Schule", s["bold"]), Paragraph("Einrichtung", s["bold"])],
                [Paragraph(_party(school), s["text"]), Paragraph(_party(institution), s["text"])],
            ],
            colWidths=[83 * mm, 83 * mm],
        ),
    ]

    def section(title: str, *flowables) -> None:
        story.append(Paragraph(title, s["heading"]))
        story.extend(flowables)

    section("1. Ziele der Zusammenarbeit", *paragraphs(content.get("goals", ""), s["text"]))
    section("2. Aktivitäten", *paragraphs(content.get("activities", ""), s["text"]))
    offers: list[Flowable] = [
        KeepTogether(
            [
                Paragraph(escape(offer["title"]), s["bold"]),
                *(Paragraph(escape(line), s["small"]) for line in offer_tags(offer)),
                *paragraphs(offer["description"], s["small"]),
                Spacer(1, 2 * mm),
            ]
        )
        for offer in version.offered
    ] or [Paragraph("–", s["text"])]
    section("3. Lernangebote", *offers)
    subjects = ", ".join(content.get("subjects") or []) or "–"
    grades = ", ".join(str(g) for g in content.get("grades") or []) or "–"
    section(
        "4. Fächer und Jahrgänge",
        Paragraph(escape(f"Fächer: {subjects} · Jahrgänge: {grades}"), s["text"]),
        Paragraph("Verankerung im schulinternen Curriculum:", s["bold"]),
        *paragraphs(content.get("curriculum", ""), s["text"]),
        *_anchoring(version, s),
    )
    section(
        "5. Ansprechpersonen",
        Table(
            [
                [Paragraph("Schule", s["bold"]), Paragraph("Einrichtung", s["bold"])],
                [
                    Paragraph(_contacts(content.get("contacts_school") or []), s["text"]),
                    Paragraph(_contacts(content.get("contacts_institution") or []), s["text"]),
                ],
            ],
            colWidths=[83 * mm, 83 * mm],
        ),
    )
    visits = content.get("visits_per_year")
    section(
        "6. Rahmen",
        Paragraph(f"Besuche pro Schuljahr: {visits if visits is not None else '–'}", s["text"]),
        Paragraph(
            "Die Partnerschule hat Vorrang bei Buchungen."
            if content.get("booking_privilege")
            else "Kein Buchungsvorrang vereinbart.",
            s["text"],
        ),
        Paragraph("Kosten:", s["bold"]),
        *paragraphs(content.get("costs", ""), s["text"]),
    )
    term = f"Beginn: {day_text(version.starts_on)} · Ende: " + (
        day_text(version.ends_on) if version.ends_on else "unbefristet"
    )
    section(
        "7. Laufzeit",
        Paragraph(term, s["text"]),
        Paragraph(f"Nächste gemeinsame Überprüfung: {day_text(version.review_on)}", s["text"]),
    )
    if version.ended_on:
        story.append(Paragraph(f"Beendet zum {day_text(version.ended_on)}.", s["bold"]))
    signed = {sig.organisation_id: sig for sig in version.signatures}

    def block(organisation: Organisation) -> list:
        signature = signed.get(organisation.id)
        if signature is None:
            return [
                Paragraph(escape(organisation.name), s["bold"]),
                Spacer(1, 14 * mm),
                Paragraph("Ort, Datum, Unterschrift, Funktion", s["small"]),
            ]
        return [
            Paragraph(escape(organisation.name), s["bold"]),
            Paragraph(f"Unterzeichnet von {escape(signature.signer_name)}", s["text"]),
            Paragraph(escape(signature.signer_role), s["text"]),
            Paragraph(f"am {_moment(signature.signed_at)} (elektronisch)", s["small"]),
        ]

    story.append(Paragraph("8. Unterschriften", s["heading"]))
    table = Table([[block(school), block(institution)]], colWidths=[83 * mm, 83 * mm])
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEABOVE", (0, 0), (-1, 0), 0.5, "#777777")]
        )
    )
    story.append(KeepTogether([table]))
    pdf.build(story)
    name = filename(
        "Kooperationsvereinbarung", partnership.id, "Fassung", version.number, ext="pdf"
    )
    return Download(out.getvalue(), "application/pdf", name)


REPORT_COLUMNS = [
    "Datum",
    "Klasse",
    "Parcours",
    "Gruppen",
    "Schüler:innen",
    "alle Stationen geschafft",
    "Quote",
    "Punkte (Ø)",
]


def _report_rows(report: SchoolYearReport) -> list[list]:
    zone = local_zone()
    return [
        [
            v.date.astimezone(zone).date(),
            v.class_label,
            v.trail_title,
            v.teams,
            v.players,
            v.completed_teams,
            v.completion_rate,
            v.mean_points,
        ]
        for v in report.visits
    ]


def _report_title(report: SchoolYearReport) -> str:
    partnership = report.partnership
    return (
        f"Dokumentation Schuljahr {report.school_year}: "
        f"{partnership.school.name} – {partnership.institution.name}"
    )


def _report_filename(report: SchoolYearReport, ext: str) -> str:
    return filename("Dokumentation", report.school_year, ext=ext)  # Dokumentation-2026-27.pdf


def report_pdf(report: SchoolYearReport) -> Download:
    s = styles()
    out = io.BytesIO()
    pdf = document(
        out,
        _report_title(report),
        sides=15 * mm,
    )
    totals = report.totals
    rate, mean = totals.completion_rate, totals.mean_points
    rows = [[Paragraph(c, s["bold"]) for c in REPORT_COLUMNS]] + [
        [
            day_text(day),
            Paragraph(escape(label), s["small"]),
            Paragraph(escape(title), s["small"]),
            teams,
            players,
            done,
            "–" if quote is None else f"{round(quote * 100)} %",
            str(points).replace(".", ","),
        ]
        for day, label, title, teams, players, done, quote, points in _report_rows(report)
    ]
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[20 * mm, 18 * mm, 52 * mm, 16 * mm, 21 * mm, 22 * mm, 13 * mm, 18 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), pdf_fonts()[0], 8.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "#333333"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(escape(_report_title(report)), s["title"]),
        Paragraph(
            f"{totals.visits} Besuche · {totals.teams} Gruppen · {totals.players} "
            f"Schüler:innen · alle Stationen geschafft: "
            f"{'–' if rate is None else f'{round(rate * 100)} %'} · Punkte im Mittel: "
            f"{'–' if mean is None else str(mean).replace('.', ',')}",
            s["text"],
        ),
        Paragraph(
            "Aus anonymen Zahlen; Daten einzelner Schüler:innen enthält der Bericht nicht.",
            s["small"],
        ),
        Spacer(1, 5 * mm),
        table,
    ]
    pdf.build(story)
    return Download(out.getvalue(), "application/pdf", _report_filename(report, "pdf"))


def report_xlsx(report: SchoolYearReport) -> Download:
    sheet = Sheet(
        f"Schuljahr {report.school_year.replace('/', '-')}",
        REPORT_COLUMNS,
        _report_rows(report),
        formats={"Datum": "DD.MM.YYYY", "Quote": "0%"},
        widths=[12, 10, 40, 9, 14, 22, 8, 11],
        caption=_report_title(report),
    )
    return Download(workbook(sheet), XLSX, _report_filename(report, "xlsx"))
