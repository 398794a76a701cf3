"""The district's report pack for its Bildungskonferenz: one school year's partnerships by
institution kind and school form, new and ended agreements, visits per month, the published
offers, the coverage and the agreements per Mustervereinbarung, as PDF (charts as vector
graphics) and XLSX. Counts and organisation names only, in a fixed number of queries whatever
the district's size."""

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import local_zone
from openparcours.downloads import Download, filename
from openparcours.extensions import db
from openparcours.fonts import pdf_fonts
from openparcours.organisations.names import kind_name, school_form_name
from openparcours.partnerships import coverage
from openparcours.partnerships.models import AgreementTemplateVersion, AgreementVersion, last_day
from openparcours.partnerships.printing import day_text, document, styles
from openparcours.spreadsheets import XLSX, Sheet, workbook
from openparcours.trails.models import Trail
from openparcours.visits.models import Visit

MONTHS = ["Aug", "Sep", "Okt", "Nov", "Dez", "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul"]
LANGUAGES = {"de": "Deutsch", "en": "Englisch"}


@dataclass(frozen=True)
class Change:
    """An agreement that began or ended in the school year."""

    school: str
    institution: str
    on: date


@dataclass(frozen=True)
class ReportPack:
    district: str
    year: int
    kinds: list[str]  # the cross table's columns
    forms: list[str]  # its rows
    partnerships: dict[tuple[str, str], int]  # (school form, kind) → partnerships
    new: list[Change]
    ended: list[Change]
    visits_per_month: list[int]  # August to July
    offers: dict  # coverage.offers_by_subject
    languages: dict[str, int]
    coverage: list[dict]  # coverage.shares_per_school_year, the last one this year's
    # (template title, version number) → agreements in force in the year; (None, None): none
    by_template: list[tuple[str | None, int | None, int]]

    @property
    def school_year(self) -> str:
        return coverage.label(self.year)


def _in_order(change: Change) -> tuple:
    return change.on, change.school, change.institution


def _began(version: AgreementVersion) -> date | None:
    if version.signed_at is None:
        return None
    return version.starts_on or version.signed_at.date()


NO_TEMPLATE = "ohne Vorlage"


def _template_key(template: AgreementTemplateVersion | None) -> tuple[str | None, int | None]:
    if template is None:
        return None, None
    area = template.template.area
    title = f"{template.template.title} ({area})" if area else template.template.title
    return title, template.number


def _by_template(counts: Counter) -> list[tuple[str | None, int | None, int]]:
    """Each template version with its count, by title and number; the agreements without one
    last."""
    return [
        (title, number, count)
        for (title, number), count in sorted(
            counts.items(), key=lambda item: (item[0][0] is None, item[0][0] or "", item[0][1] or 0)
        )
    ]


def report_pack(actor: User, district: str, year: int) -> ReportPack:
    policy.require(actor, "district.view", district)
    data = coverage.district_data(district, coverage.Filters())
    start, end = date(year, 8, 1), date(year + 1, 8, 1)
    by_partnership: dict[int, list[AgreementVersion]] = {}
    for version, _, _ in data.signed:
        by_partnership.setdefault(version.partnership_id, []).append(version)

    table: Counter[tuple[str, str]] = Counter()
    templates: Counter[tuple[str | None, int | None]] = Counter()
    new, ended = [], []
    for versions in by_partnership.values():
        partnership = versions[0].partnership
        school, institution = partnership.school.name, partnership.institution.name
        in_year = [v for v in versions if v.in_force_during(start, end)]
        if in_year:
            form = school_form_name(partnership.school.school_form)
            table[form, kind_name(partnership.institution.kind)] += 1
            # The version in force last in the year names the template it follows.
            last = max(in_year, key=lambda v: v.number)
            templates[_template_key(last.template_version)] += 1
        began = min(filter(None, map(_began, versions)), default=None)
        if began is not None and start <= began < end:
            new.append(Change(school, institution, began))
        current = [v for v in versions if v.superseded_at is None]
        stop = last_day(current[0]) if current else None
        if stop is not None and start <= stop < end:
            ended.append(Change(school, institution, stop))

    zone = local_zone()
    institution_ids = [institution.id for institution in data.institutions]
    month_counts = Counter(
        starts_at.astimezone(zone).month
        for starts_at in db.session.scalars(
            select(Visit.starts_at)
            .join(Trail, Visit.trail_id == Trail.id)
            .where(
                Trail.organisation_id.in_(institution_ids),
                Visit.starts_at >= datetime.combine(start, time(), zone),
                Visit.starts_at < datetime.combine(end, time(), zone),
            )
        )
    )
    rows = coverage.offer_rows(institution_ids)
    return ReportPack(
        district=district,
        year=year,
        kinds=sorted({kind for _, kind in table}),
        forms=sorted({form for form, _ in table}),
        partnerships=dict(table),
        new=sorted(new, key=_in_order),
        ended=sorted(ended, key=_in_order),
        visits_per_month=[month_counts[(7 + n) % 12 + 1] for n in range(12)],
        offers=coverage.offers_by_subject(rows),
        languages=dict(sorted(Counter(LANGUAGES.get(r[2], r[2]) for r in rows).items())),
        coverage=coverage.shares_per_school_year(
            data, range(year - coverage.YEARS_SHOWN + 1, year + 1)
        ),
        by_template=_by_template(templates),
    )


# --- German numbers --------------------------------------------------------------------------


def number(value: int) -> str:
    """1.234: German thousands."""
    return f"{value:,}".replace(",", ".")


def percent(share: float | None) -> str:
    """0.25 → "25,0 %"; "–" without schools."""
    return "–" if share is None else f"{share * 100:.1f} %".replace(".", ",")


# --- The parts, for PDF and XLSX alike ---------------------------------------------------------


def _cross_table(pack: ReportPack) -> tuple[list[str], list[list]]:
    header = ["Schulform", *pack.kinds, "gesamt"]
    rows = []
    for form in pack.forms:
        counts = [pack.partnerships.get((form, kind), 0) for kind in pack.kinds]
        rows.append([form, *counts, sum(counts)])
    totals = [sum(pack.partnerships.get((f, kind), 0) for f in pack.forms) for kind in pack.kinds]
    return header, [*rows, ["gesamt", *totals, sum(totals)]]


CHANGE_HEADER = ["Schule", "Einrichtung", "Datum"]
TEMPLATE_HEADER = ["Mustervereinbarung", "Fassung", "Vereinbarungen"]


def _template_rows(pack: ReportPack) -> list[list]:
    return [[title or NO_TEMPLATE, number, count] for title, number, count in pack.by_template]


def _offer_table(pack: ReportPack) -> tuple[list[str], list[list]]:
    years = list(range(1, 14))
    rows = []
    for subject in pack.offers["subjects"]:
        counts = {y["year_group"]: y["offers"] for y in subject["year_groups"]}
        rows.append([subject["name"], *(counts.get(year) for year in years)])
    return ["Fach", *(str(year) for year in years)], rows


def _title(pack: ReportPack) -> str:
    return f"Bildungskonferenz {pack.district}: Schuljahr {pack.school_year}"


def _filename(pack: ReportPack, ext: str) -> str:
    return filename("Bildungskonferenz", pack.district, pack.school_year, ext=ext)


# --- PDF -----------------------------------------------------------------------------------


def _bar_chart(values: list[float], labels: list[str], value_label, caption: str) -> Drawing:
    """A bar chart drawn as vector graphics, each bar labelled with its value."""
    regular = pdf_fonts()[0]
    drawing = Drawing(170 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 28  # points: 12 mm, 10 mm
    chart.width, chart.height = 431, 125  # 152 mm × 44 mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([*values, 1]) * 1.15
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = value_label
    chart.bars[0].fillColor = HexColor("#2f6f4f")
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = value_label
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.setProperties({"title": caption})
    return drawing


def _grid(header: list, rows: list[list], widths=None) -> Table:
    regular, bold = pdf_fonts()
    table = Table(
        [header, *[["–" if c is None else c for c in row] for row in rows]],
        repeatRows=1,
        colWidths=widths,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 8),
                ("FONT", (0, 0), (-1, 0), bold, 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "#333333"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _text_cells(rows: list[list]) -> list[list]:
    """Numbers in German, and what users wrote (organisation names) escaped as paragraphs."""
    s = styles()
    return [
        [
            Paragraph(escape(c), s["small"])
            if isinstance(c, str)
            else day_text(c)
            if isinstance(c, date)
            else number(c)
            if isinstance(c, int)
            else c
            for c in row
        ]
        for row in rows
    ]


def _changes(changes: list[Change]) -> list[list]:
    return [[c.school, c.institution, c.on] for c in changes]


def report_pack_pdf(pack: ReportPack) -> Download:
    s = styles()
    out = io.BytesIO()
    pdf = document(
        out,
        _title(pack),
    )
    this_year = pack.coverage[-1]
    header, cross = _cross_table(pack)
    kind_width = (174 * mm - 44 * mm) / (len(header) - 1)
    offer_header, offers = _offer_table(pack)
    story = [
        Paragraph(escape(_title(pack)), s["title"]),
        Paragraph(
            "Bildungspartnerschaften von Schulen und außerschulischen Lernorten: anonyme "
            "Zahlen und Namen von Organisationen, keine Daten von Schüler:innen.",
            s["small"],
        ),
        Paragraph("1. Abdeckung", s["heading"]),
        Paragraph(
            f"{number(this_year['covered'])} von {number(this_year['schools'])} Schulen der "
            f"Schulliste hatten im Schuljahr {pack.school_year} eine Kooperationsvereinbarung "
            f"in Kraft: {percent(this_year['share'])}.",
            s["text"],
        ),
        _bar_chart(
            [round((y["share"] or 0) * 100, 1) for y in pack.coverage],
            [y["school_year"] for y in pack.coverage],
            lambda value: f"{value:.1f} %".replace(".", ","),
            "Anteil der Schulen mit Kooperationsvereinbarung je Schuljahr",
        ),
        Paragraph("2. Partnerschaften nach Schulform und Art der Einrichtung", s["heading"]),
        _grid(
            [Paragraph(escape(h), s["bold"]) for h in header],
            _text_cells(cross),
            [44 * mm] + [kind_width] * (len(header) - 1),
        )
        if pack.forms
        else Paragraph("Im Schuljahr keine Partnerschaft in Kraft.", s["text"]),
        Paragraph("3. Neue Kooperationsvereinbarungen", s["heading"]),
        _grid(CHANGE_HEADER, _text_cells(_changes(pack.new)), [70 * mm, 70 * mm, 24 * mm])
        if pack.new
        else Paragraph("Keine.", s["text"]),
        Paragraph("4. Beendete Kooperationsvereinbarungen", s["heading"]),
        _grid(CHANGE_HEADER, _text_cells(_changes(pack.ended)), [70 * mm, 70 * mm, 24 * mm])
        if pack.ended
        else Paragraph("Keine.", s["text"]),
        Paragraph("5. Besuche je Monat", s["heading"]),
        Paragraph(
            f"{number(sum(pack.visits_per_month))} Besuche von Klassen bei den Einrichtungen "
            f"des Kreises im Schuljahr {pack.school_year}.",
            s["text"],
        ),
        _bar_chart(
            [float(v) for v in pack.visits_per_month],
            MONTHS,
            lambda value: number(round(value)),
            "Besuche je Monat, August bis Juli",
        ),
        Paragraph("6. Lernangebote nach Fach und Jahrgang", s["heading"]),
        Paragraph(
            f"Veröffentlichte Parcours der Einrichtungen des Kreises; Fächer und Jahrgänge "
            f"ohne Angebot: {number(pack.offers['gaps'])} (–: Fach in diesem Jahrgang nicht "
            f"unterrichtet).",
            s["text"],
        ),
        _grid(offer_header, _text_cells(offers), [46 * mm] + [9.8 * mm] * 13),
        Paragraph("7. Lernangebote nach Sprache", s["heading"]),
        _grid(
            ["Sprache", "Lernangebote"],
            _text_cells([[name, count] for name, count in pack.languages.items()]),
            [46 * mm, 30 * mm],
        )
        if pack.languages
        else Paragraph("Keine veröffentlichten Lernangebote.", s["text"]),
        Paragraph("8. Vereinbarungen nach Mustervereinbarung", s["heading"]),
        Paragraph(
            f"Kooperationsvereinbarungen in Kraft im Schuljahr {pack.school_year}, nach der "
            f"Fassung der Mustervereinbarung, nach der sie geschrieben sind.",
            s["text"],
        ),
        _grid(TEMPLATE_HEADER, _text_cells(_template_rows(pack)), [110 * mm, 20 * mm, 30 * mm])
        if pack.by_template
        else Paragraph("Im Schuljahr keine Vereinbarung in Kraft.", s["text"]),
        Spacer(1, 4 * mm),
    ]
    pdf.build(story)
    return Download(out.getvalue(), "application/pdf", _filename(pack, "pdf"))


# --- XLSX ----------------------------------------------------------------------------------


def report_pack_xlsx(pack: ReportPack) -> Download:
    caption = _title(pack)
    header, cross = _cross_table(pack)
    offer_header, offers = _offer_table(pack)
    sheets = [
        Sheet(
            "Abdeckung",
            ["Schuljahr", "Schulen", "mit Vereinbarung", "Anteil"],
            [[y["school_year"], y["schools"], y["covered"], y["share"]] for y in pack.coverage],
            formats={"Anteil": "0.0%"},
            widths=[12, 10, 18, 10],
            caption=caption,
        ),
        Sheet(
            "Partnerschaften",
            header,
            cross,
            caption=caption,
            widths=[28] + [16] * len(pack.kinds) + [10],
        ),
        Sheet(
            "Neue Vereinbarungen",
            CHANGE_HEADER,
            _changes(pack.new),
            formats={"Datum": "DD.MM.YYYY"},
            widths=[40, 40, 12],
            caption=caption,
        ),
        Sheet(
            "Beendete Vereinbarungen",
            CHANGE_HEADER,
            _changes(pack.ended),
            formats={"Datum": "DD.MM.YYYY"},
            widths=[40, 40, 12],
            caption=caption,
        ),
        Sheet(
            "Besuche je Monat",
            ["Monat", "Besuche"],
            [
                [f"{MONTHS[n]} {pack.year + (n >= 5)}", count]
                for n, count in enumerate(pack.visits_per_month)
            ],
            caption=caption,
        ),
        Sheet("Angebote nach Fach", offer_header, offers, caption=caption, widths=[28] + [5] * 13),
        Sheet(
            "Angebote nach Sprache",
            ["Sprache", "Lernangebote"],
            [[name, count] for name, count in pack.languages.items()],
            caption=caption,
        ),
        Sheet(
            "Nach Mustervereinbarung",
            TEMPLATE_HEADER,
            _template_rows(pack),
            widths=[50, 10, 16],
            caption=caption,
        ),
    ]
    return Download(workbook(*sheets), XLSX, _filename(pack, "xlsx"))
