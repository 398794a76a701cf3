"""A visit's results as files: CSV (as German Excel opens it: UTF-8 with BOM, `;`), XLSX,
a ZIP of the photos, a certificate per team and a letter to parents about each team's souvenir
page (PDF). All are built from `visit_results`."""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from openparcours.accounts.models import User
from openparcours.database import local_zone
from openparcours.downloads import Download, entry_name, filename
from openparcours.errors import Conflict, NotFound
from openparcours.extensions import db
from openparcours.fonts import pdf_fonts
from openparcours.media import service as media_service
from openparcours.notifications.mails import MONTHS_EN
from openparcours.partnerships.printing import document, paragraphs, styles
from openparcours.planning.printing import MONTHS
from openparcours.spreadsheets import XLSX, Sheet, csv_cell, workbook
from openparcours.tasks.registry import TASK_TYPES
from openparcours.trails.posters import draw_qr
from openparcours.visits.results import Results, ResultTeam, TaskFigures

LABELS = {
    "de": {
        "rank": "Rang",
        "team": "Team",
        "players": "Spieler:innen",
        "points": "Punkte",
        "stations_done": "Stationen geschafft",
        "teams": "Teams",
        "tasks": "Aufgaben",
        "answers": "Freitext-Antworten",
        "task": "Aufgabe",
        "station": "Station",
        "type": "Typ",
        "prompt": "Frage",
        "max_points": "Punkte (max.)",
        "answered": "Teams mit Antwort",
        "correct_rate": "Richtig (Anteil)",
        "mean_attempts": "Versuche (Ø)",
        "hint_rate": "Mit Tipp (Anteil)",
        "mean_points": "Punkte (Ø)",
        "mean_minutes": "Zeit an der Station (Ø min)",
        "answer": "Antwort",
        "count": "Anzahl",
        "certificate": "Urkunde",
        "played": "hat am {date} den Parcours",
        "stations_line": "gespielt und {done} von {total} Stationen geschafft.",
        "points_line": "{points} Punkte",
        "rank_line": "Platz {rank} von {teams}",
        "class": "Klasse {label}",
        "filename": "Ergebnisse",
        "souvenir": "Das haben wir entdeckt – eure Erinnerungsseite:",
    },
    "en": {
        "rank": "Rank",
        "team": "Team",
        "players": "Players",
        "points": "Points",
        "stations_done": "Stations done",
        "teams": "Teams",
        "tasks": "Tasks",
        "answers": "Free-text answers",
        "task": "Task",
        "station": "Station",
        "type": "Type",
        "prompt": "Question",
        "max_points": "Points (max)",
        "answered": "Teams that answered",
        "correct_rate": "Correct (share)",
        "mean_attempts": "Attempts (mean)",
        "hint_rate": "With hint (share)",
        "mean_points": "Points (mean)",
        "mean_minutes": "Time at the station (mean min)",
        "answer": "Answer",
        "count": "Count",
        "certificate": "Certificate",
        "played": "played the trail on {date}",
        "stations_line": "and completed {done} of {total} stations.",
        "points_line": "{points} points",
        "rank_line": "Place {rank} of {teams}",
        "class": "Class {label}",
        "filename": "Results",
        "souvenir": "What we discovered – your souvenir page:",
    },
}


def _local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def _filename(results: Results, word: str, ext: str) -> str:
    """`Ergebnisse-7b-2026-05-04.csv`: the word, the class and the day of the visit."""
    visit = results.visit
    return filename(word, visit.class_label, _local(visit.starts_at).date(), ext=ext)


def _team_table(results: Results, lang: str) -> list[list]:
    words = LABELS[lang]
    total = len(results.stations)
    head = [words[key] for key in ("rank", "team", "players", "points", "stations_done")]
    head += [f"{task.label} {task.prompt[:40]}" for task in results.tasks]
    rows = [
        [
            team.rank,
            team.name,
            team.players,
            team.points,
            f"{team.stations_done}/{total}",
            *(cell.work.points for cell in team.tasks),
        ]
        for team in results.teams
    ]
    return [head, *rows]


def _task_table(results: Results, lang: str) -> list[list]:
    words = LABELS[lang]
    stations = {s.id: s for s in results.stations}
    head = [
        words[key]
        for key in (
            "task",
            "station",
            "type",
            "prompt",
            "max_points",
            "answered",
            "correct_rate",
            "mean_attempts",
            "hint_rate",
            "mean_points",
            "mean_minutes",
        )
    ]
    rows = []
    for task in results.tasks:
        seconds = stations[task.station_id].mean_seconds
        rows.append(
            [
                task.label,
                stations[task.station_id].title,
                TASK_TYPES[task.type].label[lang],
                task.prompt,
                task.points,
                task.answered,
                task.correct_rate,
                task.mean_attempts,
                task.hint_rate,
                task.mean_points,
                None if seconds is None else round(seconds / 60, 1),
            ]
        )
    return [head, *rows]


def _text_table(results: Results, lang: str) -> list[list]:
    words = LABELS[lang]
    labels = {t.id: t.label for t in results.tasks}
    rows: list[list[str | int]] = [[words["task"], words["answer"], words["count"], words["teams"]]]
    for answers in results.texts:
        for group in answers.groups:
            teams = sorted({a.team_name for a in group.answers})
            rows.append([labels[answers.task_id], group.text, len(group.answers), ", ".join(teams)])
    return rows


def results_csv(results: Results, lang: str) -> Download:
    """One row per team: rank, name, players, points, stations done, the points per task."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in _team_table(results, lang):
        writer.writerow([csv_cell(v) for v in row])
    data = ("\ufeff" + out.getvalue()).encode()
    return Download(data, "text/csv", _filename(results, LABELS[lang]["filename"], "csv"))


def results_xlsx(results: Results, lang: str) -> Download:
    """Sheets: the teams (as the CSV), the tasks with their figures, the free-text answers."""
    words = LABELS[lang]
    shares = {words["correct_rate"]: "0%", words["hint_rate"]: "0%"}
    sheets = [
        Sheet(title, table[0], table[1:], formats=shares, freeze=freeze)
        for title, table, freeze in (
            (words["teams"], _team_table(results, lang), "C2"),
            (words["tasks"], _task_table(results, lang), "A2"),
            (words["answers"], _text_table(results, lang), "A2"),
        )
    ]
    return Download(workbook(*sheets), XLSX, _filename(results, words["filename"], "xlsx"))


class _Chunks(io.RawIOBase):
    """Where the ZIP writes: what was written since the last `take`, for the response."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def photos_zip(results: Results) -> Download:
    """The photos as a ZIP, written as it is sent (see `_photo_archive`)."""
    return Download(_photo_archive(results), "application/zip", _filename(results, "Fotos", "zip"))


def _photo_archive(results: Results) -> Iterator[bytes]:
    """Folders per task (`2.1 Prompt`), a photo per team in each (`Team.webp`, `Team (2).webp`).

    Written as it goes, one stored file at a time: a photo that several answers name (sent
    again and again) is in the folder once. Entries carry the server's upload time: a phone's
    clock may say 1970, and a ZIP has no dates before 1980 or after 2107."""
    tasks: dict[int | None, TaskFigures] = {t.id: t for t in results.tasks}
    storage = media_service.storage()
    sink = _Chunks()
    names: dict[str, int] = {}
    seen: set[tuple] = set()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:  # WebP does not compress
        for photo in results.photos:
            media, event = photo.media, photo.event
            if media is None or not media.file:
                continue
            key = (event.task_id, event.team_id, media.file)
            if key in seen:
                continue
            try:
                stored = storage.open(media.file)
            except FileNotFoundError:
                continue
            seen.add(key)
            task = tasks[event.task_id]
            folder = entry_name(f"{task.label} {task.prompt[:40]}")
            stem = f"{folder}/{entry_name(photo.team_name)}"
            names[stem] = names.get(stem, 0) + 1
            name = f"{stem}.webp" if names[stem] == 1 else f"{stem} ({names[stem]}).webp"
            entry = zipfile.ZipInfo(name, _local(media.created_at).timetuple()[:6])
            entry.file_size = stored.size
            with archive.open(entry, "w") as target:
                for data in stored.chunks:
                    target.write(data)
                    yield sink.take()
    yield sink.take()


GREEN = HexColor("#1f6f43")


def _chosen(results: Results, team_id: int | None) -> list[ResultTeam]:
    """Every team, or the one asked for."""
    if team_id is None:
        return results.teams
    teams = [team for team in results.teams if team.id == team_id]
    if not teams:
        raise NotFound("There is no such team in this visit.", code="unknown_team")
    return teams


def _souvenir_corner(canvas: Canvas, caption: str, url: str, font: str) -> None:
    """The souvenir page's QR code at the foot of the certificate, its address beside it."""
    width, _ = A4
    size = 28 * mm
    x, y = width - 22 * mm - size, 52 * mm
    draw_qr(canvas, url, x, y, size)
    canvas.setFillColor(HexColor("#4a4a4a"))
    canvas.setFont(font, 9)
    canvas.drawRightString(x - 3 * mm, y + size / 2 + 2 * mm, caption)
    canvas.drawRightString(x - 3 * mm, y + size / 2 - 3 * mm, url)


def certificates_pdf(results: Results, lang: str, team_id: int | None = None) -> Download:
    """One A4 page per team (or the one team asked for)."""
    visit = results.visit
    teams = _chosen(results, team_id)
    words = LABELS[lang]
    date = _local(visit.starts_at).strftime("%d.%m.%Y" if lang == "de" else "%d %B %Y")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{words['certificate']} – {visit.version.content['title']}")
    width, height = A4
    middle = width / 2
    regular, bold = pdf_fonts()

    def centred(text: str, y: float, font: str, size: float) -> None:
        while size > 8 and canvas.stringWidth(text, font, size) > width - 40 * mm:
            size -= 1
        canvas.setFont(font, size)
        canvas.drawCentredString(middle, y, text)

    for team in teams:
        canvas.setStrokeColor(GREEN)
        canvas.setLineWidth(3)
        canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
        canvas.setFillColor(GREEN)
        centred(words["certificate"], height - 60 * mm, bold, 44)
        canvas.setFillColor(HexColor("#1a1a1a"))
        centred(f"„{team.name}“", height - 100 * mm, bold, 30)
        centred(words["played"].format(date=date), height - 120 * mm, regular, 16)
        centred(visit.version.content["title"], height - 138 * mm, bold, 22)
        centred(
            words["stations_line"].format(done=team.stations_done, total=len(results.stations)),
            height - 156 * mm,
            regular,
            16,
        )
        if visit.show_points:
            centred(words["points_line"].format(points=team.points), height - 180 * mm, bold, 20)
        if visit.leaderboard:
            centred(
                words["rank_line"].format(rank=team.rank, teams=len(results.teams)),
                height - 192 * mm,
                regular,
                14,
            )
        canvas.setFillColor(HexColor("#4a4a4a"))
        centred(words["class"].format(label=visit.class_label), 45 * mm, regular, 12)
        centred(visit.trail.organisation.name, 37 * mm, regular, 12)
        if team.team.souvenir_url:
            _souvenir_corner(canvas, words["souvenir"], team.team.souvenir_url, regular)
        canvas.showPage()
    canvas.save()
    name = _filename(results, words["filename"], "pdf")
    return Download(out.getvalue(), "application/pdf", name)


LETTER = {
    "de": {
        "title": "Das haben wir entdeckt",
        "subtitle": "Elternbrief zur Erinnerungsseite · Klasse {label}",
        "greeting": "Liebe Eltern und Sorgeberechtigte,",
        "intro": "im {month} hat die Klasse {label} den Parcours „{trail}“ bei {institution} "
        "gespielt. Die Gruppe „{team}“ hat eine Erinnerungsseite: Dort sehen Sie zu Hause, "
        "was sie entdeckt hat.",
        "link": "So öffnen Sie die Seite: QR-Code mit dem Handy scannen oder die Adresse eingeben.",
        "shows": "Was die Seite zeigt",
        "shows_text": "Den Parcours, die Einrichtung, den Monat des Besuchs, die geschafften "
        "Stationen und nur die Fotos und Antworten, die die Lehrkraft dafür freigegeben hat. "
        "Keine Namen von Schüler:innen, nichts von anderen Gruppen. Dazu die Angebote und "
        "Öffnungszeiten der Einrichtung – kommen Sie wieder, mit der ganzen Familie!",
        "who": "Wer sie sieht",
        "who_text": "Nur wer den Link kennt: Geben Sie ihn nur weiter, wem Sie die Fotos "
        "zeigen möchten. Suchmaschinen listen die Seite nicht, und sie lädt nichts von "
        "anderen Anbietern.",
        "gone": "Wann sie verschwindet",
        "gone_text": "Am {date} werden die Daten des Besuchs gelöscht, mit ihnen die "
        "Erinnerungsseite und ihre Fotos. Speichern Sie vorher, was Sie behalten möchten.",
        "signature": "Mit freundlichen Grüßen",
        "filename": "Elternbrief",
    },
    "en": {
        "title": "What we discovered",
        "subtitle": "Letter to parents about the souvenir page · Class {label}",
        "greeting": "Dear parents and guardians,",
        "intro": "In {month}, class {label} played the trail “{trail}” at {institution}. "
        "The team “{team}” has a souvenir page: there you can see at home what it "
        "discovered.",
        "link": "To open the page, scan the QR code with a phone or type in the address.",
        "shows": "What the page shows",
        "shows_text": "The trail, the institution, the month of the visit, the stations "
        "completed, and only the photos and answers the teacher approved for it. No names "
        "of students, nothing of other teams. And the institution's offers and opening hours "
        "– come back with your family!",
        "who": "Who sees it",
        "who_text": "Only those who know the link: pass it on only to whom you want to show "
        "the photos. Search engines do not list the page, and it loads nothing from other "
        "providers.",
        "gone": "When it disappears",
        "gone_text": "On {date} the visit's data is deleted, and with it the souvenir page "
        "and its photos. Save what you want to keep before then.",
        "signature": "Kind regards",
        "filename": "Letter to parents",
    },
}


class _Qr(Flowable):
    """A QR code as a block of the page."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data, self.width, self.height = data, size, size

    def draw(self) -> None:
        draw_qr(self.canv, self.data, 0, 0, self.width)


def _month(moment: datetime, lang: str) -> str:
    month = moment.month - 1
    return f"{MONTHS[month] if lang == 'de' else MONTHS_EN[month]} {moment.year}"


def parents_letter_pdf(results: Results, lang: str, team_id: int | None = None) -> Download:
    """A letter to the parents about each team's souvenir page (or the one team's): its
    link and QR code, what it shows and when it disappears; one A4 page per team."""
    visit = results.visit
    if not visit.souvenirs:
        raise Conflict("This visit has no souvenir pages.", code="souvenirs_off")
    words = LETTER[lang]
    style = styles()
    trail = visit.version.content["title"]
    date = _local(visit.deletes_data_at).strftime("%d.%m.%Y")
    opener = db.session.get(User, visit.opened_by_id) if visit.opened_by_id else None
    signer = opener.display_name if opener else None
    story: list[Flowable] = []
    for team in _chosen(results, team_id):
        url = team.team.souvenir_url
        assert url is not None  # every team of a visit with souvenirs has its token
        intro = words["intro"].format(
            month=_month(_local(visit.starts_at), lang),
            label=visit.class_label,
            trail=trail,
            institution=visit.trail.organisation.name,
            team=team.name,
        )
        story += [
            Paragraph(escape(words["title"]), style["title"]),
            Paragraph(escape(words["subtitle"].format(label=visit.class_label)), style["subtitle"]),
            Spacer(0, 8 * mm),
            *paragraphs(words["greeting"], style["text"]),
            Spacer(0, 3 * mm),
            *paragraphs(intro, style["text"]),
            Spacer(0, 3 * mm),
            *paragraphs(words["link"], style["text"]),
            Spacer(0, 4 * mm),
            _Qr(url, 40 * mm),
            Spacer(0, 2 * mm),
            Paragraph(escape(url), style["bold"]),
            Paragraph(escape(words["shows"]), style["heading"]),
            *paragraphs(words["shows_text"], style["text"]),
            Paragraph(escape(words["who"]), style["heading"]),
            *paragraphs(words["who_text"], style["text"]),
            Paragraph(escape(words["gone"]), style["heading"]),
            *paragraphs(words["gone_text"].format(date=date), style["text"]),
            Spacer(0, 8 * mm),
            *paragraphs("\n".join(filter(None, [words["signature"], signer])), style["text"]),
            PageBreak(),
        ]
    out = io.BytesIO()
    document(out, f"{words['title']} – {trail}").build(story[:-1])
    return Download(out.getvalue(), "application/pdf", _filename(results, words["filename"], "pdf"))
