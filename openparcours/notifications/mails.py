"""The mails of notifications, German and English: one per notification mailed at once, and
the daily digest of those the user wants that way."""

from datetime import date

from flask import current_app

from openparcours.accounts.models import User
from openparcours.mail.service import Mail, language_of
from openparcours.notifications.models import Kind, Notification

MONTHS_EN = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# The roles as the app names them (pwa/src/staff-messages.ts).
ROLES = {
    "de": {"admin": "Verwaltung", "educator": "Vermittlung", "teacher": "Lehrkraft"},
    "en": {"admin": "admin", "educator": "educator", "teacher": "teacher"},
}

# Per kind and language: the subject and the text, filled with the notification's params.
# Where a count decides the words, the text is (one, other).
TEXTS: dict[Kind, dict[str, tuple[str, str | tuple[str, str]]]] = {
    Kind.agreement_proposed: {
        "de": (
            "Kooperationsvereinbarung zur Unterschrift",
            "Die Kooperationsvereinbarung zwischen {school} und {institution} (Fassung "
            "{number}) liegt zur Unterschrift vor.",
        ),
        "en": (
            "Cooperation agreement to sign",
            "The cooperation agreement between {school} and {institution} (version {number}) "
            "waits for signatures.",
        ),
    },
    Kind.agreement_signed: {
        "de": (
            "{signed_by} hat unterschrieben",
            "{signed_by} hat die Kooperationsvereinbarung zwischen {school} und {institution} "
            "(Fassung {number}) unterschrieben; es fehlt die Unterschrift Ihrer Seite.",
        ),
        "en": (
            "{signed_by} has signed",
            "{signed_by} has signed the cooperation agreement between {school} and "
            "{institution} (version {number}); your side's signature is missing.",
        ),
    },
    Kind.agreement_in_force: {
        "de": (
            "Kooperationsvereinbarung in Kraft",
            "Beide Seiten haben die Kooperationsvereinbarung zwischen {school} und "
            "{institution} (Fassung {number}) unterschrieben: Sie ist in Kraft.",
        ),
        "en": (
            "Cooperation agreement in force",
            "Both sides have signed the cooperation agreement between {school} and "
            "{institution} (version {number}): it is in force.",
        ),
    },
    Kind.agreement_review_due: {
        "de": (
            "Überprüfung der Kooperationsvereinbarung am {date}",
            "Die Kooperationsvereinbarung zwischen {school} und {institution} soll am {date} "
            "gemeinsam überprüft werden.",
        ),
        "en": (
            "Review of the cooperation agreement on {date}",
            "The cooperation agreement between {school} and {institution} is due for its "
            "review on {date}.",
        ),
    },
    Kind.agreement_ending: {
        "de": (
            "Kooperationsvereinbarung endet am {date}",
            "Die Kooperationsvereinbarung zwischen {school} und {institution} endet am {date}. "
            "Soll die Partnerschaft weitergehen, schreiben Sie rechtzeitig eine neue Fassung.",
        ),
        "en": (
            "Cooperation agreement ends on {date}",
            "The cooperation agreement between {school} and {institution} ends on {date}. To "
            "continue the partnership, write a new version in time.",
        ),
    },
    Kind.member_joined: {
        "de": (
            "{name} ist {organisation} beigetreten",
            "{name} hat die Einladung angenommen und gehört jetzt zu {organisation} ({role}).",
        ),
        "en": (
            "{name} joined {organisation}",
            "{name} accepted the invitation and is now a member of {organisation} ({role}).",
        ),
    },
    Kind.grading_waiting: {
        "de": (
            "Antworten warten auf Ihre Bewertung",
            (
                "Im Besuch der Klasse {class_label} mit dem Parcours „{trail}“ wartet 1 Antwort "
                "auf Ihre Bewertung.",
                "Im Besuch der Klasse {class_label} mit dem Parcours „{trail}“ warten {count} "
                "Antworten auf Ihre Bewertung.",
            ),
        ),
        "en": (
            "Answers wait for your grade",
            (
                "In the visit of class {class_label} with the trail “{trail}”, 1 answer waits "
                "for your grade.",
                "In the visit of class {class_label} with the trail “{trail}”, {count} answers "
                "wait for your grade.",
            ),
        ),
    },
    Kind.data_deletion: {
        "de": (
            "Die Daten eines Besuchs werden am {date} gelöscht",
            "Die Gruppen, Antworten und Fotos des Besuchs der Klasse {class_label} mit dem "
            "Parcours „{trail}“ werden am {date} gelöscht. Exportieren Sie vorher, was Sie "
            "behalten möchten.",
        ),
        "en": (
            "A visit's data will be deleted on {date}",
            "The teams, answers and photos of the visit of class {class_label} with the trail "
            "“{trail}” will be deleted on {date}. Export what you want to keep before then.",
        ),
    },
    Kind.forum_message: {
        "de": (
            "Neue Nachricht von {author}",
            "{author} hat in der Bildungspartnerschaft von {school} und {institution} geschrieben.",
        ),
        "en": (
            "New message from {author}",
            "{author} wrote in the education partnership of {school} and {institution}.",
        ),
    },
    Kind.partner_news: {
        "de": (
            "Neuigkeiten von {institution}: {title}",
            "{institution} hat Neuigkeiten für ihre Partnerschulen: „{title}“.",
        ),
        "en": (
            "News from {institution}: {title}",
            "{institution} has news for its partner schools: “{title}”.",
        ),
    },
    Kind.practice_shared: {
        "de": (
            "{shared_by} möchte ein gutes Beispiel teilen",
            "{shared_by} möchte aus der Bildungspartnerschaft von {school} und {institution} "
            "ein gutes Beispiel mit den Schulen und Einrichtungen des Kreises teilen. Es wird "
            "gezeigt, sobald auch Ihre Seite zustimmt.",
        ),
        "en": (
            "{shared_by} would like to share an example of good practice",
            "{shared_by} would like to share an example of good practice from the education "
            "partnership of {school} and {institution} with the district's schools and "
            "institutions. It is shown as soon as your side agrees too.",
        ),
    },
}

LINK_LABELS = {"de": "In OpenParcours ansehen", "en": "View in OpenParcours"}
REASONS = {
    "de": "Sie erhalten diese Mail, weil Sie Benachrichtigungen dieser Art sofort per Mail "
    "gewählt haben. Ändern unter {url}",
    "en": "You receive this mail because you chose to get notifications of this kind by mail "
    "at once. Change this at {url}",
}
DIGEST = {
    "de": (
        "Ihre Benachrichtigungen vom {date}",
        "Seit der letzten Zusammenfassung:",
        "Sie erhalten diese Mail einmal am Tag, weil Sie für diese Benachrichtigungen die "
        "tägliche Zusammenfassung gewählt haben. Ändern unter {url}",
    ),
    "en": (
        "Your notifications of {date}",
        "Since the last digest:",
        "You receive this mail once a day because you chose the daily digest for these "
        "notifications. Change this at {url}",
    ),
}


def one_line(text: str) -> str:
    """Names may hold line breaks; a mail's subject and sender may not."""
    return " ".join(text.split())


def day(d: date, language: str) -> str:
    """A day as people read it: 22.11.2026, 22 November 2026."""
    return f"{d:%d.%m.%Y}" if language == "de" else f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _filled(template: str, params: dict, language: str) -> str:
    values = {name: str(value) for name, value in params.items()}
    if "date" in params:
        values["date"] = day(date.fromisoformat(params["date"]), language)
    if "role" in params:
        values["role"] = ROLES[language].get(params["role"], params["role"])
    return template.format_map(values)


def texts(notification: Notification, language: str) -> tuple[str, str]:
    """The notification's subject and text in the language."""
    subject, text = TEXTS[notification.kind][language]
    if isinstance(text, tuple):
        text = text[0] if notification.params.get("count") == 1 else text[1]
    params = notification.params
    return one_line(_filled(subject, params, language)), _filled(text, params, language)


def _url(path: str) -> str:
    return current_app.config["PUBLIC_URL"] + path


# The kinds told by one organisation, and the param naming it: their mails come in its name.
SENDERS = {Kind.member_joined: "organisation", Kind.partner_news: "institution"}


def sender_of(notification: Notification) -> str | None:
    name = notification.params.get(SENDERS.get(notification.kind, ""))
    return one_line(name) if name else None


def notification_mail(notification: Notification, user: User) -> Mail:
    language = language_of(user)
    subject, text = texts(notification, language)
    return Mail(
        subject=subject,
        paragraphs=(text,),
        reason=REASONS[language].format(url=_url("/account")),
        link=_url(notification.link),
        link_label=LINK_LABELS[language],
        organisation_name=sender_of(notification),
    )


def digest_mail(notifications: list[Notification], user: User, on: date) -> Mail:
    language = language_of(user)
    subject, opening, reason = DIGEST[language]
    lines = []
    for notification in notifications:
        title, text = texts(notification, language)
        lines.append(f"{title}\n{text}\n{_url(notification.link)}")
    return Mail(
        subject=subject.format(date=day(on, language)),
        paragraphs=(opening, *lines),
        reason=reason.format(url=_url("/account")),
        link=_url("/notifications"),
        link_label=LINK_LABELS[language],
    )
