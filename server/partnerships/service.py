from sqlalchemy import select

from server.errors import ValidationFailed
from server.extensions import db
from server.organisations.models import Organisation
from server.partnerships.models import Partnership


def find_or_create_partnership(school: Organisation, institution: Organisation) -> Partnership:
    if not school.is_school:
        raise ValidationFailed("school_id", "The first party must be a school.")
    if institution.is_school:
        raise ValidationFailed("institution_id", "The second party must be an institution.")
    partnership = db.session.scalar(
        select(Partnership).where(
            Partnership.school_id == school.id, Partnership.institution_id == institution.id
        )
    )
    if partnership is None:
        partnership = Partnership(school=school, institution=institution)
        db.session.add(partnership)
        db.session.flush()
    return partnership
