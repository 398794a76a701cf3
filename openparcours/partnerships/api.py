from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.organisations.service import get_organisation
from openparcours.partnerships import (
    coverage,
    printing,
    report_pack,
    reports,
    service,
    templates,
)
from openparcours.partnerships.schemas import (
    AdoptTemplateSchema,
    AgreementSchema,
    AgreementUpdateSchema,
    CoverageQuerySchema,
    DifferenceSchema,
    DiffQuerySchema,
    DistrictCoverageSchema,
    DistrictOverviewSchema,
    EndSchema,
    PartnershipCreateSchema,
    PartnershipDetailSchema,
    PartnershipSummarySchema,
    ReportPackQuerySchema,
    ReportQuerySchema,
    ReportSchema,
    SignSchema,
    TemplateCreateSchema,
    TemplateQuerySchema,
    TemplateRenameSchema,
    TemplateSchema,
    TemplateVersionSchema,
    TemplateVersionUpdateSchema,
)
from openparcours.responses import attachment
from openparcours.spreadsheets import XLSX
from openparcours.trails.service import get_trail

blp = Blueprint(
    "partnerships",
    __name__,
    url_prefix="/api/v1",
    description="Education partnerships and their cooperation agreements",
)


@blp.route("/partnerships")
class Partnerships(MethodView):
    @blp.response(200, PartnershipSummarySchema(many=True))
    def get(self):
        """The partnerships I may read, with their agreements and reminders"""
        return service.list_partnerships(logged_in_user())

    @blp.arguments(PartnershipCreateSchema)
    @blp.response(201, AgreementSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="It exists (`partnership_exists`)")
    def post(self, fields):
        """Start a partnership with a first draft of its agreement (an admin of either side)"""
        school = get_organisation(fields["school_id"])
        institution = get_organisation(fields["institution_id"])
        return service.start_partnership(logged_in_user(), school, institution)


@blp.route("/partnerships/<int:partnership_id>")
class PartnershipById(MethodView):
    @blp.response(200, PartnershipDetailSchema)
    def get(self, partnership_id):
        """A partnership, its agreement in force, the version being written and the history"""
        actor = logged_in_user()
        return service.partnership_detail(actor, service.get_partnership(actor, partnership_id))


@blp.route("/partnerships/<int:partnership_id>/agreements")
class Amendments(MethodView):
    @blp.response(201, AgreementSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="A version is open (`amendment_open`)")
    def post(self, partnership_id):
        """Amend the agreement: a new draft from the latest version, to be signed again"""
        actor = logged_in_user()
        return service.amend(actor, service.get_partnership(actor, partnership_id))


def _report(partnership_id: int, year: int | None) -> reports.SchoolYearReport:
    actor = logged_in_user()
    partnership = service.get_partnership(actor, partnership_id)
    year = reports.current_school_year() if year is None else year
    return reports.partnership_report(actor, partnership, year)


@blp.route("/partnerships/<int:partnership_id>/report")
class Report(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, args, partnership_id):
        """The documentation of a school year: visits with anonymous counts, no student data"""
        return _report(partnership_id, args["year"])


@blp.route("/partnerships/<int:partnership_id>/report.pdf")
class ReportPdf(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, content_type="application/pdf", description="A4, in German")
    def get(self, args, partnership_id):
        """The documentation of a school year as PDF"""
        return attachment(printing.report_pdf(_report(partnership_id, args["year"])))


@blp.route("/partnerships/<int:partnership_id>/report.xlsx")
class ReportXlsx(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, content_type=XLSX, description="One sheet, one row per visit")
    def get(self, args, partnership_id):
        """The documentation of a school year as an Excel workbook"""
        return attachment(printing.report_xlsx(_report(partnership_id, args["year"])))


@blp.route("/agreements/<int:agreement_id>")
class AgreementById(MethodView):
    @blp.response(200, AgreementSchema)
    def get(self, agreement_id):
        """One version of an agreement"""
        return service.get_version(logged_in_user(), agreement_id)

    @blp.arguments(AgreementUpdateSchema)
    @blp.response(200, AgreementSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Not a draft (`agreement_signed` …)")
    def put(self, fields, agreement_id):
        """Write the draft: its sections, dates and learning offers (admins of both sides)"""
        actor = logged_in_user()
        return service.update_draft(actor, service.get_version(actor, agreement_id), **fields)


@blp.route("/agreements/<int:agreement_id>/propose")
class Propose(MethodView):
    @blp.response(200, AgreementSchema)
    def post(self, agreement_id):
        """Put the draft to both sides for signing"""
        actor = logged_in_user()
        return service.propose(actor, service.get_version(actor, agreement_id))


@blp.route("/agreements/<int:agreement_id>/withdraw")
class Withdraw(MethodView):
    @blp.response(200, AgreementSchema)
    def post(self, agreement_id):
        """Take a proposed version back to the draft; signatures so far are void"""
        actor = logged_in_user()
        return service.withdraw(actor, service.get_version(actor, agreement_id))


@blp.route("/agreements/<int:agreement_id>/signatures")
class Signatures(MethodView):
    @blp.arguments(SignSchema)
    @blp.response(201, AgreementSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Signed already (`signed_twice`) …")
    def post(self, fields, agreement_id):
        """Sign for my side (an admin of it); the second signature puts the version in force"""
        actor = logged_in_user()
        version = service.get_version(actor, agreement_id)
        return service.sign(actor, version, fields.pop("organisation_id"), **fields)


@blp.route("/agreements/<int:agreement_id>/end")
class End(MethodView):
    @blp.arguments(EndSchema)
    @blp.response(200, AgreementSchema)
    def post(self, fields, agreement_id):
        """End the agreement in force on a day"""
        actor = logged_in_user()
        return service.end(actor, service.get_version(actor, agreement_id), fields["ended_on"])


@blp.route("/agreements/<int:agreement_id>/diff")
class Diff(MethodView):
    @blp.arguments(DiffQuerySchema, location="query")
    @blp.response(200, DifferenceSchema(many=True))
    def get(self, args, agreement_id):
        """What changed from another version of the same agreement to this one"""
        actor = logged_in_user()
        later = service.get_version(actor, agreement_id)
        earlier = service.get_version(actor, args["from_"])
        return service.differences(earlier, later)


@blp.route("/agreements/<int:agreement_id>/agreement.pdf")
class AgreementPdf(MethodView):
    @blp.response(200, content_type="application/pdf", description="A4, in German")
    def get(self, agreement_id):
        """The agreement to print, with both signature blocks and the learning offers"""
        version = service.get_version(logged_in_user(), agreement_id)
        return attachment(printing.agreement_pdf(version))


@blp.route("/agreements/<int:agreement_id>/template")
class AdoptTemplate(MethodView):
    @blp.arguments(AdoptTemplateSchema)
    @blp.response(200, AgreementSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Not a draft (`agreement_signed` …)")
    def put(self, fields, agreement_id):
        """Let the draft follow another published Mustervereinbarung, e.g. its template's newer
        version; the text stays as written"""
        actor = logged_in_user()
        version = service.get_version(actor, agreement_id)
        return service.adopt_template(actor, version, fields["template_version_id"])


@blp.route("/partnerships/<int:partnership_id>/templates")
class PartnershipTemplates(MethodView):
    @blp.response(200, TemplateSchema(many=True))
    def get(self, partnership_id):
        """The published Mustervereinbarungen for the partnership: of its school's district,
        then the state's"""
        actor = logged_in_user()
        partnership = service.get_partnership(actor, partnership_id)
        found = templates.templates_for_partnership(actor, partnership)
        return [templates.template_overview(actor, template) for template in found]


@blp.route("/agreement-templates")
class Templates(MethodView):
    @blp.arguments(TemplateQuerySchema, location="query")
    @blp.response(200, TemplateSchema(many=True))
    def get(self, args):
        """The Mustervereinbarungen of a district (without one: the state's)"""
        return templates.list_templates(logged_in_user(), args["district"])

    @blp.arguments(TemplateCreateSchema)
    @blp.response(201, TemplateSchema)
    def post(self, fields):
        """A new Mustervereinbarung with the draft of its first version (the network office
        for its district, a site admin for any and for the state)"""
        return templates.create_template(logged_in_user(), **fields)


@blp.route("/agreement-templates/<int:template_id>")
class TemplateById(MethodView):
    @blp.response(200, TemplateSchema)
    def get(self, template_id):
        """A Mustervereinbarung with its published versions (and its draft, for its editors)"""
        actor = logged_in_user()
        return templates.template_overview(actor, templates.get_template(actor, template_id))

    @blp.arguments(TemplateRenameSchema)
    @blp.response(200, TemplateSchema)
    def patch(self, fields, template_id):
        """Its title and quarter"""
        actor = logged_in_user()
        template = templates.get_template(actor, template_id)
        return templates.rename_template(actor, template, **fields)


@blp.route("/agreement-templates/<int:template_id>/versions")
class TemplateVersions(MethodView):
    @blp.response(201, TemplateVersionSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="A draft exists (`template_draft_open`)")
    def post(self, template_id):
        """The draft of a new version, from the newest published one"""
        actor = logged_in_user()
        return templates.new_draft(actor, templates.get_template(actor, template_id))


@blp.route("/agreement-template-versions/<int:version_id>")
class TemplateVersionById(MethodView):
    @blp.response(200, TemplateVersionSchema)
    def get(self, version_id):
        """A published version (a draft: for its editors)"""
        return templates.get_template_version(logged_in_user(), version_id)

    @blp.arguments(TemplateVersionUpdateSchema)
    @blp.response(200, TemplateVersionSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Published (`template_published`)")
    def put(self, fields, version_id):
        """Write the draft: sections with guiding questions, required checks, suggestions"""
        actor = logged_in_user()
        version = templates.find_template_version(actor, version_id)
        return templates.update_template_version(actor, version, **fields)

    @blp.response(204)
    @blp.alt_response(409, schema=ErrorSchema, description="Published (`template_published`)")
    def delete(self, version_id):
        """Drop the draft (a template with nothing published goes with it)"""
        actor = logged_in_user()
        templates.delete_template_version(actor, templates.find_template_version(actor, version_id))


@blp.route("/agreement-template-versions/<int:version_id>/publish")
class PublishTemplateVersion(MethodView):
    @blp.response(200, TemplateVersionSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Published (`template_published`)")
    def post(self, version_id):
        """Publish the draft: new agreements start from it, drafts of older ones are offered it"""
        actor = logged_in_user()
        version = templates.find_template_version(actor, version_id)
        return templates.publish_template_version(actor, version)


@blp.route("/trails/<int:trail_id>/agreements")
class TrailAgreements(MethodView):
    @blp.response(200, AgreementSchema(many=True))
    def get(self, trail_id):
        """The agreements in force that offer this trail (for its authors)"""
        return service.agreements_of_trail(logged_in_user(), get_trail(trail_id))


@blp.route("/districts/<string:district>/coverage")
class DistrictCoverage(MethodView):
    @blp.arguments(CoverageQuerySchema, location="query")
    @blp.response(200, DistrictCoverageSchema)
    def get(self, filters, district):
        """Which schools of the state's list have a partner, which institutions have none,
        the share per school year, the offers' gaps by subject and year group, and the map:
        organisation names and counts only"""
        return coverage.district_coverage(logged_in_user(), district, coverage.Filters(**filters))


@blp.route("/districts/<string:district>/overview")
class DistrictOverview(MethodView):
    @blp.response(200, DistrictOverviewSchema)
    def get(self, district):
        """A district's partnerships, agreements and visits per month: counts, no student data"""
        return reports.district_overview(logged_in_user(), district)


def _report_pack(district: str, year: int | None) -> report_pack.ReportPack:
    year = reports.current_school_year() if year is None else year
    return report_pack.report_pack(logged_in_user(), district, year)


@blp.route("/districts/<string:district>/report-pack.pdf")
class ReportPackPdf(MethodView):
    @blp.arguments(ReportPackQuerySchema, location="query")
    @blp.response(200, content_type="application/pdf", description="A4, in German, with charts")
    def get(self, args, district):
        """The district's report pack for the Bildungskonferenz of a school year: partnerships
        by institution kind and school form, new and ended agreements, visits per month, the
        offers and the coverage; counts and organisation names only"""
        return attachment(report_pack.report_pack_pdf(_report_pack(district, args["school_year"])))


@blp.route("/districts/<string:district>/report-pack.xlsx")
class ReportPackXlsx(MethodView):
    @blp.arguments(ReportPackQuerySchema, location="query")
    @blp.response(200, content_type=XLSX, description="One sheet per topic")
    def get(self, args, district):
        """The district's report pack of a school year as an Excel workbook"""
        return attachment(report_pack.report_pack_xlsx(_report_pack(district, args["school_year"])))
