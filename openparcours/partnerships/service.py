"""Partnerships and their cooperation agreements: drafting, proposing, signing, amending,
ending. Their status and reminders follow from each version (`partnerships.models`)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import local_today, utcnow
from openparcours.errors import Conflict, Forbidden, NotFound, ValidationFailed
from openparcours.extensions import db
from openparcours.notifications import service as notifications
from openparcours.notifications.models import Kind
from openparcours.organisations.models import Organisation
from openparcours.partnerships import templates
from openparcours.partnerships.models import (
    AgreementState,
    AgreementTemplateVersion,
    AgreementVersion,
    Partnership,
    Signature,
    agreement_trails,
)
from openparcours.trails.models import Trail

CONTENT_FIELDS = (
    "goals",
    "activities",
    "subjects",
    "grades",
    "curriculum",
    "anchoring",
    "contacts_school",
    "contacts_institution",
    "visits_per_year",
    "booking_privilege",
    "costs",
)


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


def partnership_versions(partnership: Partnership) -> list[AgreementVersion]:
    return list(
        db.session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.partnership_id == partnership.id)
            .order_by(AgreementVersion.number)
        )
    )


# --- Partnerships ---------------------------------------------------------------------------


def get_partnership(actor: User, partnership_id: int) -> Partnership:
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound("There is no such partnership.")
    policy.require(actor, "partnership.view", partnership)
    return partnership


@dataclass(frozen=True)
class PartnershipOverview:
    """A partnership with its versions: the one in force, the one being written, reminders."""

    partnership: Partnership
    versions: list[AgreementVersion]

    @property
    def current(self) -> AgreementVersion | None:
        signed = [
            v for v in self.versions if v.state == AgreementState.signed and not v.superseded_at
        ]
        return signed[-1] if signed else None

    @property
    def open(self) -> AgreementVersion | None:
        return next((v for v in self.versions if v.state != AgreementState.signed), None)

    @property
    def warnings(self) -> list[str]:
        return self.current.warnings if self.current else []

    @property
    def template_update(self) -> templates.TemplateUpdate | None:
        return templates.template_update(self.open)


def list_partnerships(actor: User) -> list[PartnershipOverview]:
    """The partnerships the actor reads (their organisations', their district's, all of them
    for site admins), each with its current agreement, the version being written if any, and
    the reminders."""
    partnerships = db.session.scalars(
        select(Partnership).where(policy.scope(actor, "partnership.view")).order_by(Partnership.id)
    ).all()
    versions: dict[int, list[AgreementVersion]] = {p.id: [] for p in partnerships}
    for version in db.session.scalars(
        select(AgreementVersion)
        .where(AgreementVersion.partnership_id.in_(list(versions)))
        .order_by(AgreementVersion.number)
    ):
        versions[version.partnership_id].append(version)
    return [PartnershipOverview(p, versions[p.id]) for p in partnerships]


def partnership_detail(actor: User, partnership: Partnership) -> PartnershipOverview:
    policy.require(actor, "partnership.view", partnership)
    return PartnershipOverview(partnership, partnership_versions(partnership))


def start_partnership(
    actor: User, school: Organisation, institution: Organisation
) -> AgreementVersion:
    """A partnership (if new) and a first draft of its agreement, by an admin of either side,
    from the Mustervereinbarung of the school's district (else the state's) if there is one."""
    if not (
        policy.can(actor, "partnership.create", school)
        or policy.can(actor, "partnership.create", institution)
    ):
        raise Forbidden("Only an admin of the school or the institution starts a partnership.")
    partnership = find_or_create_partnership(school, institution)
    if partnership_versions(partnership):
        raise Conflict(
            "This partnership has an agreement; amend it instead.", code="partnership_exists"
        )
    template = templates.default_template(partnership)
    version = AgreementVersion(
        partnership=partnership,
        number=1,
        content=templates.prefill(empty_content(), template),
        template_version=template,
        created_by_id=actor.id,
    )
    db.session.add(version)
    db.session.commit()
    return version


def empty_content() -> dict:
    return {
        "goals": "",
        "activities": "",
        "subjects": [],
        "grades": [],
        "curriculum": "",
        "anchoring": [],
        "contacts_school": [],
        "contacts_institution": [],
        "visits_per_year": None,
        "booking_privilege": False,
        "costs": "",
    }


# --- Agreement versions ------------------------------------------------------------------


def get_version(actor: User, version_id: int) -> AgreementVersion:
    version = db.session.get(AgreementVersion, version_id)
    if version is None:
        raise NotFound("There is no such agreement.")
    policy.require(actor, "partnership.view", version.partnership)
    return version


def _require_state(version: AgreementVersion, *states: AgreementState) -> None:
    if version.state in states:
        return
    if version.state == AgreementState.signed:
        raise Conflict(
            "A signed agreement does not change; start an amendment.", code="agreement_signed"
        )
    raise Conflict(f"The agreement is {version.state.value}.", code=f"agreement_{version.state}")


def update_draft(
    actor: User,
    version: AgreementVersion,
    *,
    content: dict,
    starts_on: date | None,
    ends_on: date | None,
    review_on: date | None,
    trail_ids: list[int],
) -> AgreementVersion:
    """Replace the draft's sections, dates and linked learning offers."""
    policy.require(actor, "agreement.edit", version.partnership)
    _require_state(version, AgreementState.draft)
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationFailed("ends_on", "The agreement must end after it starts.")
    if review_on and starts_on and review_on <= starts_on:
        raise ValidationFailed("review_on", "The review comes after the start.")
    version.trails = _offers(actor, version.partnership, trail_ids)
    _check_anchoring(content.get("anchoring", []), version.trails)
    version.content = {name: content.get(name, empty_content()[name]) for name in CONTENT_FIELDS}
    version.starts_on, version.ends_on, version.review_on = starts_on, ends_on, review_on
    db.session.commit()
    return version


def _check_anchoring(rows: list[dict], trails: list[Trail]) -> None:
    """A row's learning offer is one of the agreement's trails, or a format named in words."""
    offered = {trail.id for trail in trails}
    for index, row in enumerate(rows):
        if row.get("trail_id") is not None and row["trail_id"] not in offered:
            raise ValidationFailed(
                f"content.anchoring.{index}.trail_id",
                "Choose a learning offer of this agreement.",
            )


def _offers(actor: User, partnership: Partnership, trail_ids: list[int]) -> list[Trail]:
    """The learning offers: published, not archived trails of the partner institution that the
    actor may see, or that are in one of the partnership's agreements already (a school's admin
    keeps what the institution offered). Trails the actor may not see are refused as unknown:
    their titles stay with the institution and its partners."""
    trails = db.session.scalars(select(Trail).where(Trail.id.in_(trail_ids))).all()
    found = {trail.id: trail for trail in trails}
    linked = set(
        db.session.scalars(
            select(agreement_trails.c.trail_id)
            .join(AgreementVersion, AgreementVersion.id == agreement_trails.c.agreement_version_id)
            .where(AgreementVersion.partnership_id == partnership.id)
        )
    )
    problems = []
    for trail_id in dict.fromkeys(trail_ids):
        trail = found.get(trail_id)
        if (
            trail is None
            or trail.organisation_id != partnership.institution_id
            or not (trail_id in linked or policy.can(actor, "trail.view", trail))
        ):
            problems.append(f"Trail {trail_id} is not one of the institution's trails.")
        elif trail.archived_at is not None or trail.latest_version is None:
            problems.append(f"Trail {trail_id} is not published.")
    if problems:
        raise ValidationFailed.for_fields({"trail_ids": problems})
    return [found[trail_id] for trail_id in dict.fromkeys(trail_ids)]


def propose(actor: User, version: AgreementVersion) -> AgreementVersion:
    """The draft goes to both sides for signing; it needs a start, some content and what its
    Mustervereinbarung requires."""
    policy.require(actor, "agreement.edit", version.partnership)
    _require_state(version, AgreementState.draft)
    missing: dict[str, list] = {}
    if version.starts_on is None:
        missing["starts_on"] = ["When does the agreement start?"]
    if not (version.content.get("goals") or version.content.get("activities")):
        missing["goals"] = ["Write the goals or the activities first."]
    required = templates.missing_requirements(version)
    if missing or required:
        error = ValidationFailed.for_fields(missing | required)
        if required:
            error.code = "template_requirements"
            error.message = "The Mustervereinbarung requires fields that are empty."
        raise error
    version.state = AgreementState.proposed
    version.proposed_at = utcnow()
    version.offers = version.offered  # frozen: what both sides sign
    notifications.tell_sides(version, Kind.agreement_proposed, actor=actor)
    db.session.commit()
    return version


def withdraw(actor: User, version: AgreementVersion) -> AgreementVersion:
    """Back to the draft, to change it; signatures given so far are void."""
    policy.require(actor, "agreement.edit", version.partnership)
    _require_state(version, AgreementState.proposed)
    version.signatures.clear()
    version.state = AgreementState.draft
    version.proposed_at, version.offers = None, None
    db.session.commit()
    return version


def sign(
    actor: User,
    version: AgreementVersion,
    organisation_id: int | None,
    *,
    signer_name: str,
    signer_role: str,
) -> AgreementVersion:
    """An admin signs for their side (`organisation_id`, needed only by admins of both sides);
    with the second signature the version is in force and the version before it superseded."""
    partnership = version.partnership
    sides = {side.id: side for side in (partnership.school, partnership.institution)}
    if organisation_id is None:
        mine = [side for side in sides.values() if policy.can(actor, "agreement.sign", side)]
        if not mine:
            raise Forbidden("Only an admin of the school or the institution signs for it.")
        if len(mine) > 1:
            raise ValidationFailed("organisation_id", "For which side do you sign?")
        organisation_id = mine[0].id
    if organisation_id not in sides:
        raise ValidationFailed("organisation_id", "This organisation is not a party.")
    organisation = sides[organisation_id]
    policy.require(actor, "agreement.sign", organisation)
    # Both sides may sign at the same moment: the row lock (PostgreSQL) makes the second wait
    # for the first and then see its signature.
    db.session.execute(
        select(AgreementVersion.id).where(AgreementVersion.id == version.id).with_for_update()
    )
    db.session.refresh(version)
    _require_state(version, AgreementState.proposed)
    if any(s.organisation_id == organisation.id for s in version.signatures):
        raise Conflict(f"{organisation.name} has signed already.", code="signed_twice")
    signature = Signature(
        organisation_id=organisation.id,
        user_id=actor.id,
        signed_at=utcnow(),
        signer_name=signer_name,
        signer_role=signer_role,
    )
    version.signatures.append(signature)
    try:
        db.session.flush()
    except IntegrityError:  # the same side signed at the same moment in another request
        db.session.rollback()
        raise Conflict(f"{organisation.name} has signed already.", code="signed_twice") from None
    # Counted in the database, after this signature is written: on SQLite the write waits for
    # a concurrent signer's commit, and this count then sees its signature.
    signed_by = set(
        db.session.scalars(
            select(Signature.organisation_id).where(Signature.agreement_version_id == version.id)
        )
    )
    if signed_by == {
        partnership.school_id,
        partnership.institution_id,
    }:
        now = utcnow()
        version.state, version.signed_at = AgreementState.signed, now
        for earlier in partnership_versions(partnership):
            if earlier.id != version.id and earlier.state == AgreementState.signed:
                earlier.superseded_at = earlier.superseded_at or now
                # Offers shared as good practice: both sides consent to the amended ones.
                partnership.withdraw_consents()
    notifications.tell_signature(actor, version, organisation.id)
    db.session.commit()
    return version


def amend(actor: User, partnership: Partnership) -> AgreementVersion:
    """A new draft from the latest version: what it changes needs both signatures again."""
    policy.require(actor, "agreement.edit", partnership)
    versions = partnership_versions(partnership)
    if any(v.state != AgreementState.signed for v in versions):
        raise Conflict(
            "A version is being written already; finish it first.", code="amendment_open"
        )
    latest = versions[-1]
    amendment = AgreementVersion(
        partnership=partnership,
        number=latest.number + 1,
        content=dict(latest.content),
        starts_on=latest.starts_on,
        ends_on=latest.ends_on,
        review_on=latest.review_on,
        trails=list(latest.trails),
        template_version_id=latest.template_version_id,
        created_by_id=actor.id,
    )
    db.session.add(amendment)
    db.session.commit()
    return amendment


def adopt_template(
    actor: User, version: AgreementVersion, template_version_id: int
) -> AgreementVersion:
    """The draft follows another published Mustervereinbarung: a newer version of its own, or
    one of another template that applies to the partnership. What the partners wrote stays;
    the new version's guiding questions and checks apply."""
    policy.require(actor, "agreement.edit", version.partnership)
    _require_state(version, AgreementState.draft)
    chosen = db.session.get(AgreementTemplateVersion, template_version_id)
    applicable = templates.applicable_templates(version.partnership.school.district)
    if (
        chosen is None
        or chosen.published_at is None
        or chosen.template_id not in {template.id for template in applicable}
    ):
        raise ValidationFailed(
            "template_version_id",
            "Choose a published Mustervereinbarung of the school's district or the state.",
        )
    version.template_version = chosen
    db.session.commit()
    return version


def end(actor: User, version: AgreementVersion, on: date) -> AgreementVersion:
    """One side ends the agreement on a day (today or later, not before it starts)."""
    policy.require(actor, "agreement.edit", version.partnership)
    if not version.in_force(local_today()):
        raise Conflict("Only an agreement in force can be ended.", code="not_in_force")
    if on < local_today() or (version.starts_on and on < version.starts_on):
        raise ValidationFailed("ended_on", "Today or later, and not before the start.")
    version.ended_on = on
    db.session.commit()
    return version


@dataclass(frozen=True)
class Difference:
    field: str  # a section of the content, a date or "trails"
    before: object
    after: object


def differences(earlier: AgreementVersion, later: AgreementVersion) -> list[Difference]:
    """What changed between two versions of one agreement, section by section."""
    if earlier.partnership_id != later.partnership_id:
        raise ValidationFailed("from", "The versions belong to different agreements.")

    def sections(version: AgreementVersion) -> dict:
        return {
            **{name: version.content.get(name, empty_content()[name]) for name in CONTENT_FIELDS},
            "starts_on": version.starts_on,
            "ends_on": version.ends_on,
            "review_on": version.review_on,
            "trails": [o["title"] for o in version.offered],
        }

    before, after = sections(earlier), sections(later)
    return [
        Difference(name, before[name], after[name])
        for name in before
        if before[name] != after[name]
    ]


def agreements_of_trail(actor: User, trail: Trail) -> list[AgreementVersion]:
    """The agreements in force (or signed, about to start) that offer this trail."""
    policy.require(actor, "trail.edit", trail)
    return list(
        db.session.scalars(
            select(AgreementVersion)
            .where(
                AgreementVersion.trails.any(Trail.id == trail.id),
                AgreementVersion.in_force(local_today()),
            )
            .order_by(AgreementVersion.id)
        )
    )


def agreement_for_visit(trail: Trail, school_id: int | None, agreement_id: int | None = None):
    """The agreement a new visit belongs to: the one asked for (it must offer the trail to the
    visit's school and be active), else the only one that does, else none."""
    query = select(AgreementVersion).where(
        AgreementVersion.active(local_today()),
        AgreementVersion.trails.any(Trail.id == trail.id),
        AgreementVersion.partnership.has(Partnership.school_id == school_id),
    )
    fitting = list(db.session.scalars(query))
    if agreement_id is None:
        return fitting[0] if len(fitting) == 1 else None
    chosen = next((v for v in fitting if v.id == agreement_id), None)
    if chosen is None:
        raise ValidationFailed(
            "agreement_id", "No agreement in force offers this trail to your school."
        )
    return chosen
