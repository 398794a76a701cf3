import marshmallow as ma
from marshmallow import fields, validate

from openparcours.accounts.schemas import OrganisationRefSchema
from openparcours.curriculum import tables as curriculum
from openparcours.curriculum.schemas import MediaCompetenceSchema
from openparcours.fields import Id, Text
from openparcours.organisations.models import OrganisationKind
from openparcours.organisations.schemas import ContactSchema
from openparcours.partnerships.models import AgreementState
from openparcours.partnerships.templates import REQUIREMENTS, SECTIONS

# What AgreementVersion.status and .warnings say, for the OpenAPI document.
STATUSES = ["draft", "proposed", "signed", "active", "ended", "superseded"]
WARNINGS = ["shorter_than_two_years", "no_review_date", "review_due", "ending_soon"]


class AnchoringRowSchema(ma.Schema):
    """Where the partnership's learning sits in the school's internal curriculum: one
    teaching unit (Unterrichtsvorhaben) of a year group's subject."""

    year_group = fields.Integer(strict=True, required=True, validate=validate.Range(1, 13))
    subject = fields.String(
        required=True,
        validate=validate.OneOf(curriculum.subject_names()),
        metadata={"description": "A subject of NRW's table (GET /curriculum/tables)"},
    )
    teaching_unit = Text(200, required=True, metadata={"description": "Das Unterrichtsvorhaben"})
    trail_id = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        metadata={"description": "One of the agreement's learning offers"},
    )
    offer = Text(
        200,
        min_length=0,
        load_default="",
        metadata={"description": "A format without a trail, e.g. a guided tour"},
    )
    media_competences = fields.List(
        fields.String(validate=validate.OneOf(curriculum.media_competence_keys())),
        validate=validate.Length(max=24),
        load_default=list,
        metadata={"description": "Medienkompetenzrahmen NRW, e.g. 2.1"},
    )
    term = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.OneOf([1, 2]),
        metadata={"description": "Halbjahr"},
    )


class AgreementContentSchema(ma.Schema):
    """The sections of an agreement as both sides write them."""

    goals = Text(10000, min_length=0, load_default="")
    activities = Text(10000, min_length=0, load_default="")
    subjects = fields.List(Text(60), validate=validate.Length(max=20), load_default=list)
    grades = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, 13)),
        validate=validate.Length(max=13),
        load_default=list,
    )
    curriculum = Text(
        5000,
        min_length=0,
        load_default="",
        metadata={"description": "How the offers are anchored in the school's curriculum"},
    )
    anchoring = fields.List(
        fields.Nested(AnchoringRowSchema),
        validate=validate.Length(max=60),
        load_default=list,
        dump_default=list,
        metadata={"description": "The anchoring as rows; the free text above stays as written"},
    )
    contacts_school = fields.List(
        fields.Nested(ContactSchema), validate=validate.Length(max=5), load_default=list
    )
    contacts_institution = fields.List(
        fields.Nested(ContactSchema), validate=validate.Length(max=5), load_default=list
    )
    visits_per_year = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(0, 365)
    )
    booking_privilege = fields.Boolean(
        load_default=False, metadata={"description": "The partner school books first"}
    )
    costs = Text(2000, min_length=0, load_default="")


class AgreementUpdateSchema(ma.Schema):
    content = fields.Nested(AgreementContentSchema, required=True)
    starts_on = fields.Date(allow_none=True, load_default=None)
    ends_on = fields.Date(
        allow_none=True, load_default=None, metadata={"description": "None: open-ended"}
    )
    review_on = fields.Date(allow_none=True, load_default=None)
    trail_ids = fields.List(
        Id(),
        validate=validate.Length(max=50),
        load_default=list,
        metadata={"description": "The learning offers: published trails of the institution"},
    )


class SignSchema(ma.Schema):
    organisation_id = Id(
        load_default=None,
        metadata={"description": "The side signed for; needed only by admins of both sides"},
    )
    signer_name = Text(120, required=True)
    signer_role = Text(120, required=True, metadata={"description": "e.g. Schulleiterin"})


class EndSchema(ma.Schema):
    ended_on = fields.Date(required=True)


class SignatureSchema(ma.Schema):
    organisation = fields.Nested(OrganisationRefSchema)
    signer_name = fields.String()
    signer_role = fields.String()
    signed_at = fields.DateTime()


class OfferSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    # An offer frozen before the tags has none.
    subjects = fields.List(fields.String(), dump_default=list)
    grades = fields.List(fields.Integer(), dump_default=list)
    media_competences = fields.List(fields.Nested(MediaCompetenceSchema), dump_default=list)


class PartnershipSchema(ma.Schema):
    id = fields.Integer()
    school = fields.Nested(OrganisationRefSchema)
    institution = fields.Nested(OrganisationRefSchema)


# --- Mustervereinbarungen ---------------------------------------------------------------------


class TemplateSectionSchema(ma.Schema):
    """What a template says on one section of the agreement."""

    introduction = Text(2000, min_length=0, load_default="")
    questions = fields.List(
        Text(300),
        validate=validate.Length(max=12),
        load_default=list,
        metadata={
            "description": "Guiding questions, e.g. Welche Kompetenzen sollen gestärkt werden?"
        },
    )


TemplateSectionsSchema = ma.Schema.from_dict(
    {
        name: fields.Nested(TemplateSectionSchema, required=False, allow_none=False)
        for name in SECTIONS
    },
    name="TemplateSections",
)


class TemplateSuggestionsSchema(ma.Schema):
    """The values a new agreement is prefilled with."""

    visits_per_year = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(0, 365)
    )
    booking_privilege = fields.Boolean(load_default=False)
    costs = Text(2000, min_length=0, load_default="")


class TemplateVersionUpdateSchema(ma.Schema):
    sections = fields.Nested(TemplateSectionsSchema, load_default=dict)
    required = fields.List(
        fields.String(validate=validate.OneOf(list(REQUIREMENTS))),
        validate=validate.Length(max=len(REQUIREMENTS)),
        load_default=list,
        metadata={"description": "The checks an agreement must pass before it is proposed"},
    )
    suggestions = fields.Nested(TemplateSuggestionsSchema, load_default=dict)


class TemplateRefSchema(ma.Schema):
    id = fields.Integer(required=True)
    district = fields.String(
        required=True, allow_none=True, metadata={"description": "None: the whole state"}
    )
    area = fields.String(required=True, metadata={"description": "A quarter, or empty"})
    title = fields.String(required=True)


class TemplateGuideSchema(ma.Schema):
    """A version of a Mustervereinbarung as an agreement follows it."""

    id = fields.Integer(required=True)
    template = fields.Nested(TemplateRefSchema, required=True)
    number = fields.Integer(required=True)
    sections = fields.Nested(TemplateSectionsSchema, required=True)
    required = fields.List(
        fields.String(validate=validate.OneOf(list(REQUIREMENTS))), required=True
    )
    suggestions = fields.Nested(TemplateSuggestionsSchema, required=True)


class TemplateVersionSchema(TemplateGuideSchema):
    published_at = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "None: a draft"}
    )
    published_by = fields.String(required=True, allow_none=True, attribute="published_by_name")


class TemplateSchema(TemplateRefSchema):
    published = fields.List(fields.Nested(TemplateVersionSchema), required=True)
    draft = fields.Nested(
        TemplateVersionSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The version being written, for those who may edit it"},
    )


class TemplateCreateSchema(ma.Schema):
    district = Text(
        120, allow_none=True, load_default=None, metadata={"description": "None: the whole state"}
    )
    area = Text(120, min_length=0, load_default="")
    title = Text(200, required=True)


class TemplateRenameSchema(ma.Schema):
    area = Text(120, min_length=0, load_default="")
    title = Text(200, required=True)


class TemplateQuerySchema(ma.Schema):
    district = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={"description": "Without: the state's templates"},
    )


class AdoptTemplateSchema(ma.Schema):
    template_version_id = Id(required=True)


TEMPLATE_CHANGES = [
    "question_added",
    "question_removed",
    "introduction_changed",
    "required_added",
    "required_removed",
    "suggestion_changed",
]


class TemplateDifferenceSchema(ma.Schema):
    change = fields.String(required=True, validate=validate.OneOf(TEMPLATE_CHANGES))
    name = fields.String(
        required=True, metadata={"description": "The section, the check or the suggested value"}
    )
    before = fields.Raw(required=True, allow_none=True)
    after = fields.Raw(required=True, allow_none=True)


class TemplateUpdateSchema(ma.Schema):
    version = fields.Nested(TemplateVersionSchema, required=True)
    differences = fields.List(fields.Nested(TemplateDifferenceSchema), required=True)


class AgreementSchema(ma.Schema):
    id = fields.Integer()
    partnership = fields.Nested(PartnershipSchema)
    number = fields.Integer(metadata={"description": "1 for the first version, then amendments"})
    state = fields.String(
        attribute="state.value", validate=validate.OneOf([s.value for s in AgreementState])
    )
    status = fields.String(dump_only=True, validate=validate.OneOf(STATUSES))
    warnings = fields.List(
        fields.String(validate=validate.OneOf(WARNINGS)),
        dump_only=True,
    )
    content = fields.Nested(AgreementContentSchema)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    review_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    trails = fields.List(
        fields.Nested(OfferSchema),
        attribute="offered",
        metadata={"description": "The learning offers, as proposed (and signed)"},
    )
    signatures = fields.List(fields.Nested(SignatureSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    proposed_at = fields.DateTime(allow_none=True)
    signed_at = fields.DateTime(allow_none=True)
    superseded_at = fields.DateTime(allow_none=True)
    template = fields.Nested(
        TemplateGuideSchema,
        attribute="template_version",
        allow_none=True,
        metadata={"description": "The Mustervereinbarung it is written from"},
    )


class AgreementVersionSummarySchema(ma.Schema):
    id = fields.Integer()
    number = fields.Integer()
    status = fields.String(dump_only=True, validate=validate.OneOf(STATUSES))
    signed_at = fields.DateTime(allow_none=True)


class PartnershipSummarySchema(ma.Schema):
    partnership = fields.Nested(PartnershipSchema)
    current = fields.Nested(
        AgreementSchema, allow_none=True, metadata={"description": "The signed version in force"}
    )
    open = fields.Nested(
        AgreementSchema, allow_none=True, metadata={"description": "A version being written"}
    )
    warnings = fields.List(fields.String(), metadata={"description": "Reminders for the admins"})


class PartnershipDetailSchema(PartnershipSummarySchema):
    versions = fields.List(fields.Nested(AgreementVersionSummarySchema))
    template_update = fields.Nested(
        TemplateUpdateSchema,
        allow_none=True,
        metadata={"description": "A newer version of the draft's Mustervereinbarung"},
    )


class PartnershipCreateSchema(ma.Schema):
    school_id = Id(required=True)
    institution_id = Id(required=True)


class DifferenceSchema(ma.Schema):
    field = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class DiffQuerySchema(ma.Schema):
    from_ = Id(
        strict=False,
        data_key="from",
        required=True,
        metadata={"description": "The earlier version's id"},
    )


class ReportQuerySchema(ma.Schema):
    year = fields.Integer(
        load_default=None,
        validate=validate.Range(2000, 2100),
        metadata={"description": "The school year starting in August of this year"},
    )


class ReportVisitSchema(ma.Schema):
    date = fields.DateTime()
    class_label = fields.String()
    trail_title = fields.String()
    teams = fields.Integer()
    players = fields.Integer()
    completed_teams = fields.Integer()
    completion_rate = fields.Float(allow_none=True)
    mean_points = fields.Float()
    data_deleted = fields.Boolean(metadata={"description": "Only the counts are left"})


class ReportTotalsSchema(ma.Schema):
    visits = fields.Integer()
    teams = fields.Integer()
    players = fields.Integer()
    completion_rate = fields.Float(allow_none=True)
    mean_points = fields.Float(allow_none=True)


class ReportSchema(ma.Schema):
    partnership = fields.Nested(PartnershipSchema)
    school_year = fields.String(metadata={"description": "e.g. 2026/27"})
    visits = fields.List(fields.Nested(ReportVisitSchema))
    totals = fields.Nested(ReportTotalsSchema)


class MonthSchema(ma.Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    visits = fields.Integer()


class ThreadCountsSchema(ma.Schema):
    active = fields.Integer(metadata={"description": "Partnerships whose thread has messages"})
    messages = fields.Integer()


class DistrictOverviewSchema(ma.Schema):
    district = fields.String()
    partnerships = fields.Integer()
    by_institution_kind = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_school_form = fields.Dict(keys=fields.String(), values=fields.Integer())
    agreements = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "active, signed, in_writing, review_due, ending_soon"},
    )
    visits_per_month = fields.List(fields.Nested(MonthSchema))
    threads = fields.Nested(ThreadCountsSchema)


class CoverageQuerySchema(ma.Schema):
    school_form_key = fields.String(validate=validate.Regexp(r"^\d{1,4}$"))
    institution_kind = fields.Enum(
        OrganisationKind,
        by_value=True,
        validate=validate.NoneOf([OrganisationKind.school]),
    )
    municipality = fields.String(validate=validate.Length(max=120))


class CoveredSchoolsSchema(ma.Schema):
    total = fields.Integer(required=True, metadata={"description": "In the state's school list"})
    covered = fields.Integer(required=True, metadata={"description": "With an agreement in force"})
    in_openparcours = fields.Integer(required=True)
    share = fields.Float(required=True, allow_none=True, metadata={"description": "0 to 1"})


class SchoolFormCoverageSchema(ma.Schema):
    key = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "German, e.g. Gesamtschule"})
    total = fields.Integer(required=True)
    covered = fields.Integer(required=True)


class MunicipalityCoverageSchema(ma.Schema):
    municipality = fields.String(required=True)
    total = fields.Integer(required=True)
    covered = fields.Integer(required=True)


class YearCoverageSchema(ma.Schema):
    school_year = fields.String(required=True, metadata={"description": "e.g. 2026/27"})
    schools = fields.Integer(required=True)
    covered = fields.Integer(required=True)
    share = fields.Float(required=True, allow_none=True)


class InstitutionRefSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)


class YearGroupOffersSchema(ma.Schema):
    year_group = fields.Integer(required=True)
    offers = fields.Integer(required=True, metadata={"description": "0: a gap"})


class SubjectOffersSchema(ma.Schema):
    name = fields.String(required=True)
    year_groups = fields.List(fields.Nested(YearGroupOffersSchema), required=True)


class OffersCoverageSchema(ma.Schema):
    subjects = fields.List(fields.Nested(SubjectOffersSchema), required=True)
    gaps = fields.Integer(required=True)


class MapSchoolSchema(ma.Schema):
    schulnummer = fields.String(required=True)
    name = fields.String(required=True)
    school_form_name = fields.String(required=True)
    municipality = fields.String(required=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["partner", "member", "absent"]),
        metadata={
            "enum": ["partner", "member", "absent"],
            "description": "partner: an agreement in force; member: in OpenParcours without "
            "one; absent: only in the state's list",
        },
    )


class MapInstitutionSchema(InstitutionRefSchema):
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)


class PartnerLineSchema(ma.Schema):
    schulnummer = fields.String(required=True)
    institution_id = fields.Integer(required=True)


class CoverageMapSchema(ma.Schema):
    schools = fields.List(fields.Nested(MapSchoolSchema), required=True)
    institutions = fields.List(fields.Nested(MapInstitutionSchema), required=True)
    lines = fields.List(
        fields.Nested(PartnerLineSchema),
        required=True,
        metadata={"description": "Each partnership in force between the map's points"},
    )


class DistrictCoverageSchema(ma.Schema):
    district = fields.String(required=True)
    school_year = fields.String(required=True)
    schools = fields.Nested(CoveredSchoolsSchema, required=True)
    by_school_form = fields.List(fields.Nested(SchoolFormCoverageSchema), required=True)
    by_municipality = fields.List(fields.Nested(MunicipalityCoverageSchema), required=True)
    years = fields.List(fields.Nested(YearCoverageSchema), required=True)
    institutions_without_partner = fields.List(fields.Nested(InstitutionRefSchema), required=True)
    offers = fields.Nested(OffersCoverageSchema, required=True)
    map = fields.Nested(CoverageMapSchema, required=True)


class ReportPackQuerySchema(ma.Schema):
    school_year = fields.Integer(
        load_default=None,
        validate=validate.Range(2000, 2100),
        metadata={"description": "The school year starting in August of this year (now's)"},
    )
