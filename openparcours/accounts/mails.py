"""The accounts' mails, German and English: a link to set a new password, the notice that it
was set, the confirmation of a new address and the notice of the change to the old one."""

from openparcours.mail.service import Mail

# Mails about the account's safety come whenever something happens to it, and cannot be
# turned off.
_SAFETY = {
    "de": "Sie erhalten diese Mail, weil sie die Sicherheit Ihres Kontos bei OpenParcours "
    "betrifft. Solche Hinweise lassen sich nicht abbestellen.",
    "en": "You receive this mail because it concerns the safety of your OpenParcours account. "
    "Such notices cannot be turned off.",
}
_NOT_YOU = {
    "de": "Waren Sie das nicht? Fordern Sie auf der Anmeldeseite ein neues Passwort an und "
    "wenden Sie sich an die Administration Ihrer Einrichtung.",
    "en": "Was this not you? Ask for a new password on the login page and tell the "
    "administrators of your organisation.",
}


def _greeting(language: str, name: str) -> str:
    return f"Guten Tag {name}," if language == "de" else f"Hello {name},"


def password_reset(language: str, name: str, link: str) -> Mail:
    if language == "de":
        return Mail(
            subject="Neues Passwort für OpenParcours",
            paragraphs=(
                _greeting(language, name),
                "für Ihr Konto bei OpenParcours wurde ein neues Passwort angefordert. Über den "
                "Link legen Sie es fest. Er gilt eine Stunde lang und nur einmal.",
                "Haben Sie kein neues Passwort angefordert, ignorieren Sie diese Mail: Ihr "
                "Passwort bleibt, wie es ist.",
            ),
            link=link,
            link_label="Neues Passwort festlegen",
            reason="Sie erhalten diese Mail, weil auf der Anmeldeseite von OpenParcours ein "
            "neues Passwort für diese Adresse angefordert wurde. Sie kommt nur auf Anfrage.",
        )
    return Mail(
        subject="New password for OpenParcours",
        paragraphs=(
            _greeting(language, name),
            "a new password was requested for your OpenParcours account. Set it with the link; "
            "it is valid for one hour and once.",
            "If you did not ask for a new password, ignore this mail: your password stays as "
            "it is.",
        ),
        link=link,
        link_label="Set a new password",
        reason="You receive this mail because a new password for this address was requested on "
        "the OpenParcours login page. It comes only when asked for.",
    )


def password_was_reset(language: str, name: str, login_link: str) -> Mail:
    if language == "de":
        return Mail(
            subject="Ihr Passwort wurde geändert",
            paragraphs=(
                _greeting(language, name),
                "das Passwort Ihres Kontos bei OpenParcours wurde eben über einen Link aus einer "
                "Mail neu festgelegt. Alle Anmeldungen wurden beendet; melden Sie sich mit dem "
                "neuen Passwort an.",
                _NOT_YOU[language],
            ),
            link=login_link,
            link_label="Anmelden",
            reason=_SAFETY[language],
        )
    return Mail(
        subject="Your password was changed",
        paragraphs=(
            _greeting(language, name),
            "the password of your OpenParcours account was just set with a link from a mail. "
            "Every login has ended; log in with the new password.",
            _NOT_YOU[language],
        ),
        link=login_link,
        link_label="Log in",
        reason=_SAFETY[language],
    )


def confirm_new_email(language: str, name: str, new_email: str, link: str) -> Mail:
    if language == "de":
        return Mail(
            subject="Neue E-Mail-Adresse bestätigen",
            paragraphs=(
                _greeting(language, name),
                f"die E-Mail-Adresse Ihres Kontos bei OpenParcours soll {new_email} werden. "
                "Bestätigen Sie das über den Link; er gilt 24 Stunden lang.",
                "Haben Sie das nicht veranlasst, ignorieren Sie diese Mail: Dann bleibt alles, "
                "wie es ist.",
            ),
            link=link,
            link_label="Adresse bestätigen",
            reason="Sie erhalten diese Mail, weil diese Adresse für ein Konto bei OpenParcours "
            "angegeben wurde. Sie kommt nur dieses eine Mal.",
        )
    return Mail(
        subject="Confirm your new e-mail address",
        paragraphs=(
            _greeting(language, name),
            f"the e-mail address of your OpenParcours account is to become {new_email}. "
            "Confirm this with the link; it is valid for 24 hours.",
            "If you did not ask for this, ignore this mail: then everything stays as it is.",
        ),
        link=link,
        link_label="Confirm the address",
        reason="You receive this mail because this address was given for an OpenParcours "
        "account. It comes this once only.",
    )


def email_was_changed(language: str, name: str, new_email: str, login_link: str) -> Mail:
    if language == "de":
        return Mail(
            subject="Ihre E-Mail-Adresse wurde geändert",
            paragraphs=(
                _greeting(language, name),
                f"die E-Mail-Adresse Ihres Kontos bei OpenParcours ist jetzt {new_email}. "
                "Mails von OpenParcours gehen ab sofort dorthin, und Sie melden sich mit ihr an.",
                _NOT_YOU[language],
            ),
            link=login_link,
            link_label="Anmelden",
            reason=_SAFETY[language],
        )
    return Mail(
        subject="Your e-mail address was changed",
        paragraphs=(
            _greeting(language, name),
            f"the e-mail address of your OpenParcours account is now {new_email}. Mails from "
            "OpenParcours go there from now on, and you log in with it.",
            _NOT_YOU[language],
        ),
        link=login_link,
        link_label="Log in",
        reason=_SAFETY[language],
    )
