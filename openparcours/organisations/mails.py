"""The invitation mail, German and English."""

from openparcours.database import local_zone
from openparcours.mail.service import Mail
from openparcours.notifications.mails import ROLES, day
from openparcours.organisations.models import Invite

TEXTS = {
    "de": {
        "subject": "Einladung zu {organisation} in OpenParcours",
        "invited": "{inviter} lädt Sie ein, bei {organisation} in OpenParcours mitzuarbeiten "
        "({role}).",
        "valid": "Der Link gilt bis zum {until} und nur einmal. Mit ihm melden Sie sich mit "
        "Ihrem Konto an oder legen eines für diese Adresse an.",
        "label": "Einladung annehmen",
        "reason": "Sie erhalten diese Mail, weil {inviter} Sie mit dieser Adresse zu "
        "{organisation} eingeladen hat. Haben Sie das nicht erwartet, ignorieren Sie die Mail.",
    },
    "en": {
        "subject": "Invitation to {organisation} on OpenParcours",
        "invited": "{inviter} invites you to work with {organisation} on OpenParcours ({role}).",
        "valid": "The link is valid until {until}, once. With it you log in with your account "
        "or create one for this address.",
        "label": "Accept the invitation",
        "reason": "You receive this mail because {inviter} invited you to {organisation} with "
        "this address. If you did not expect it, ignore this mail.",
    },
}


def invite_mail(invite: Invite, inviter_name: str, url: str, language: str) -> Mail:
    words = TEXTS[language]
    values = {
        "organisation": invite.organisation.name,
        "inviter": inviter_name,
        "role": ROLES[language][invite.role.value],
        "until": day(invite.expires_at.astimezone(local_zone()).date(), language),
    }
    return Mail(
        subject=words["subject"].format_map(values),
        paragraphs=(words["invited"].format_map(values), words["valid"].format_map(values)),
        reason=words["reason"].format_map(values),
        link=url,
        link_label=words["label"],
        organisation_name=invite.organisation.name,
    )
