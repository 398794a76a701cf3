"""The district's standard agreements ("Mustervereinbarungen"): a network office writes one for
its district (or a quarter of it), a site admin for the whole state; each version is published
once and never changes. Partners start their agreement from the newest version of their school's
district (else the state's); the version's checks must pass before the agreement is proposed,
and a newer version is offered, with what it changes, when the agreement is amended."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from openparcours import policy
from openparcours.accounts.models import User
from openparcours.database import utcnow
from openparcours.errors import Conflict, NotFound
from openparcours.extensions import db
from openparcours.partnerships.models import (
    AgreementState,
    AgreementTemplate,
    AgreementTemplateVersion,
    AgreementVersion,
    Partnership,
)

# The sections of the agreement editor a template guides, in their order.
SECTIONS = ("goals", "activities", "subjects", "anchoring", "contacts", "frame", "term")

# The values a template suggests for a new agreement.
SUGGESTED = ("visits_per_year", "booking_privilege", "costs")


def _has_offer(version: AgreementVersion) -> bool:
    """At least one learning offer: a linked trail, or an anchoring row with an offer."""
    rows = version.content.get("anchoring") or []
    return bool(version.trails) or any(r.get("trail_id") or r.get("offer") for r in rows)


def _filled(name: str) -> Callable[[AgreementVersion], bool]:
    def check(version: AgreementVersion) -> bool:
        value = version.content.get(name)
        return value is not None and value != "" and value != []

    return check


# The checks a template may require, each with the field it names when it fails.
REQUIREMENTS: dict[str, tuple[str, Callable[[AgreementVersion], bool]]] = {
    "goals": ("content.goals", _filled("goals")),
    "activities": ("content.activities", _filled("activities")),
    "learning_offer": ("trail_ids", _has_offer),
    "subjects": ("content.subjects", _filled("subjects")),
    "grades": ("content.grades", _filled("grades")),
    "anchoring": ("content.anchoring", _filled("anchoring")),
    "contacts_school": ("content.contacts_school", _filled("contacts_school")),
    "contacts_institution": ("content.contacts_institution", _filled("contacts_institution")),
    "visits_per_year": ("content.visits_per_year", _filled("visits_per_year")),
    "costs": ("content.costs", _filled("costs")),
    "ends_on": ("ends_on", lambda version: version.ends_on is not None),
    "review_on": ("review_on", lambda version: version.review_on is not None),
}


def missing_requirements(version: AgreementVersion) -> dict[str, list[dict]]:
    """The fields the agreement's template requires that are still empty, as field problems."""
    template = version.template_version
    if template is None:
        return {}
    missing = {}
    for name in template.required:
        field, check = REQUIREMENTS[name]
        if not check(version):
            missing[field] = [
                {
                    "code": "required_by_template",
                    "message": f"The Mustervereinbarung requires this ({name}).",
                }
            ]
    return missing


# --- Which templates apply ---------------------------------------------------------------


def _templates(where) -> list[AgreementTemplate]:
    return list(
        db.session.scalars(
            select(AgreementTemplate)
            .where(where)
            .options(
                selectinload(AgreementTemplate.versions).joinedload(
                    AgreementTemplateVersion.published_by
                )
            )
            .order_by(AgreementTemplate.area, AgreementTemplate.title, AgreementTemplate.id)
        )
    )


def applicable_templates(district: str | None) -> list[AgreementTemplate]:
    """The published templates for a school of this district: the district's (the one for the
    whole district before those of its quarters), then the state's."""
    found = _templates(AgreementTemplate.district == district) if district else []
    found += _templates(AgreementTemplate.district.is_(None))
    return [template for template in found if template.latest is not None]


def default_template(partnership: Partnership) -> AgreementTemplateVersion | None:
    """The version a new agreement starts from: the newest of the first applicable template."""
    templates = applicable_templates(partnership.school.district)
    return templates[0].latest if templates else None


def templates_for_partnership(actor: User, partnership: Partnership) -> list[AgreementTemplate]:
    policy.require(actor, "partnership.view", partnership)
    return applicable_templates(partnership.school.district)


def prefill(content: dict, template: AgreementTemplateVersion | None) -> dict:
    """A new agreement's content with the template's suggestions."""
    if template is None:
        return content
    suggested = {k: v for k, v in template.suggestions.items() if k in SUGGESTED}
    return content | suggested


@dataclass(frozen=True)
class TemplateDifference:
    change: str  # question_added, question_removed, introduction_changed, required_added,
    # required_removed, suggestion_changed
    name: str  # the section, the check or the suggested value
    before: object = None
    after: object = None


def template_differences(
    earlier: AgreementTemplateVersion | None, later: AgreementTemplateVersion
) -> list[TemplateDifference]:
    """What a newer version of a template changes (from none: all it brings): guiding
    questions added and removed, introductions, required checks, suggested values."""
    if earlier is None:
        earlier = AgreementTemplateVersion(sections={}, required=[], suggestions={})
    found = []
    for section in SECTIONS:
        before = earlier.sections.get(section) or {}
        after = later.sections.get(section) or {}
        old, new = before.get("questions") or [], after.get("questions") or []
        found += [
            TemplateDifference("question_added", section, after=q) for q in new if q not in old
        ]
        found += [
            TemplateDifference("question_removed", section, before=q) for q in old if q not in new
        ]
        if (before.get("introduction") or "") != (after.get("introduction") or ""):
            found.append(
                TemplateDifference(
                    "introduction_changed",
                    section,
                    before.get("introduction") or "",
                    after.get("introduction") or "",
                )
            )
    for name in REQUIREMENTS:
        if (name in later.required) != (name in earlier.required):
            change = "required_added" if name in later.required else "required_removed"
            found.append(TemplateDifference(change, name))
    for name in SUGGESTED:
        before, after = earlier.suggestions.get(name), later.suggestions.get(name)
        if before != after:
            found.append(TemplateDifference("suggestion_changed", name, before, after))
    return found


@dataclass(frozen=True)
class TemplateUpdate:
    """A newer version of the template a draft follows, and what it changes."""

    version: AgreementTemplateVersion
    differences: list[TemplateDifference]


def template_update(version: AgreementVersion | None) -> TemplateUpdate | None:
    """For a draft of an older version of its template: the newest one; for a draft without a
    template (begun before there was one): the one a new agreement would start from."""
    if version is None or version.state != AgreementState.draft:
        return None
    current = version.template_version
    latest = current.template.latest if current else default_template(version.partnership)
    if latest is None or (current is not None and latest.number <= current.number):
        return None
    return TemplateUpdate(latest, template_differences(current, latest))


# --- Writing and publishing templates ------------------------------------------------------


@dataclass(frozen=True)
class TemplateOverview:
    """A template with its published versions, and its draft for those who may edit it."""

    template: AgreementTemplate
    editable: bool

    @property
    def id(self) -> int:
        return self.template.id

    @property
    def district(self) -> str | None:
        return self.template.district

    @property
    def area(self) -> str:
        return self.template.area

    @property
    def title(self) -> str:
        return self.template.title

    @property
    def published(self) -> list[AgreementTemplateVersion]:
        return self.template.published

    @property
    def draft(self) -> AgreementTemplateVersion | None:
        return self.template.draft if self.editable else None


def _overview(actor: User, template: AgreementTemplate) -> TemplateOverview:
    return TemplateOverview(template, policy.can(actor, "template.edit", template.district))


def list_templates(actor: User, district: str | None) -> list[TemplateOverview]:
    """The templates of a district (None: the state's)."""
    policy.require(actor, "template.view")
    where = (
        AgreementTemplate.district == district if district else AgreementTemplate.district.is_(None)
    )
    return [_overview(actor, template) for template in _templates(where)]


def get_template(actor: User, template_id: int) -> AgreementTemplate:
    policy.require(actor, "template.view")
    template = db.session.get(AgreementTemplate, template_id)
    if template is None:
        raise NotFound("There is no such Mustervereinbarung.")
    return template


def template_overview(actor: User, template: AgreementTemplate) -> TemplateOverview:
    return _overview(actor, template)


def create_template(
    actor: User, *, district: str | None, area: str, title: str
) -> TemplateOverview:
    """A new template with an empty draft of its first version."""
    policy.require(actor, "template.edit", district)
    template = AgreementTemplate(district=district, area=area, title=title)
    template.versions.append(AgreementTemplateVersion(number=1, suggestions=_no_suggestions()))
    db.session.add(template)
    db.session.commit()
    return _overview(actor, template)


def _no_suggestions() -> dict:
    return {"visits_per_year": None, "booking_privilege": False, "costs": ""}


def rename_template(
    actor: User, template: AgreementTemplate, *, area: str, title: str
) -> TemplateOverview:
    """Its title and quarter name it in lists; the published versions keep their content."""
    policy.require(actor, "template.edit", template.district)
    template.area, template.title = area, title
    db.session.commit()
    return _overview(actor, template)


def new_draft(actor: User, template: AgreementTemplate) -> AgreementTemplateVersion:
    """The next version's draft, a copy of the newest published one."""
    policy.require(actor, "template.edit", template.district)
    if template.draft is not None:
        raise Conflict("A version is being written already.", code="template_draft_open")
    latest = template.latest
    draft = AgreementTemplateVersion(
        number=template.versions[-1].number + 1 if template.versions else 1,
        sections=dict(latest.sections) if latest else {},
        required=list(latest.required) if latest else [],
        suggestions=dict(latest.suggestions) if latest else _no_suggestions(),
    )
    template.versions.append(draft)
    db.session.commit()
    return draft


def find_template_version(actor: User, version_id: int) -> AgreementTemplateVersion:
    """A version to act on; the action decides who may."""
    policy.require(actor, "template.view")
    version = db.session.get(AgreementTemplateVersion, version_id)
    if version is None:
        raise NotFound("There is no such version of a Mustervereinbarung.")
    return version


def get_template_version(actor: User, version_id: int) -> AgreementTemplateVersion:
    """A published version for any staff; a draft for those who edit the template."""
    version = find_template_version(actor, version_id)
    if version.published_at is None and not policy.can(
        actor, "template.edit", version.template.district
    ):
        raise NotFound("There is no such version of a Mustervereinbarung.")
    return version


def _require_unpublished(version: AgreementTemplateVersion) -> None:
    if version.published_at is not None:
        raise Conflict(
            "A published version does not change; write a new one.", code="template_published"
        )


def update_template_version(
    actor: User,
    version: AgreementTemplateVersion,
    *,
    sections: dict,
    required: list[str],
    suggestions: dict,
) -> AgreementTemplateVersion:
    policy.require(actor, "template.edit", version.template.district)
    _require_unpublished(version)
    version.sections = {
        name: sections[name]
        for name in SECTIONS
        if name in sections and (sections[name]["questions"] or sections[name]["introduction"])
    }
    version.required = [name for name in REQUIREMENTS if name in required]
    version.suggestions = _no_suggestions() | {
        name: suggestions[name] for name in SUGGESTED if name in suggestions
    }
    db.session.commit()
    return version


def publish_template_version(
    actor: User, version: AgreementTemplateVersion
) -> AgreementTemplateVersion:
    """From now on new agreements start from it, and drafts of older versions are offered it."""
    policy.require(actor, "template.edit", version.template.district)
    _require_unpublished(version)
    version.published_at, version.published_by_id = utcnow(), actor.id
    db.session.commit()
    return version


def delete_template_version(actor: User, version: AgreementTemplateVersion) -> None:
    """A draft is dropped; a template that has nothing published goes with its last draft."""
    policy.require(actor, "template.edit", version.template.district)
    _require_unpublished(version)
    template = version.template
    if len(template.versions) == 1:
        db.session.delete(template)
    else:
        template.versions.remove(version)
    db.session.commit()
