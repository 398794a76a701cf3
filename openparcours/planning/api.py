from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.organisations.service import get_organisation
from openparcours.partnerships.reports import current_school_year
from openparcours.partnerships.service import get_partnership
from openparcours.planning import lernweg, service
from openparcours.planning.printing import annual_plan_pdf, lernweg_pdf, lernweg_xlsx
from openparcours.planning.schemas import (
    AnnualPlanSchema,
    LernwegSchema,
    PlanItemSchema,
    PlanItemUpdateSchema,
    ReflectionSchema,
    SchoolYearQuerySchema,
)
from openparcours.responses import attachment
from openparcours.spreadsheets import XLSX

blp = Blueprint(
    "planning",
    __name__,
    url_prefix="/api/v1",
    description="Planning with partners: a school's Lernweg, a partnership's annual plan",
)


@blp.route("/organisations/<int:organisation_id>/lernweg")
class SchoolLernweg(MethodView):
    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.response(200, LernwegSchema)
    def get(self, query, organisation_id):
        """A school's Lernweg for a school year: year groups × subjects, planned and done,
        with partners and media competences (the school's staff)"""
        return _school_lernweg(query, organisation_id)


def _school_lernweg(query: dict, organisation_id: int) -> lernweg.Lernweg:
    school = get_organisation(organisation_id)
    return lernweg.lernweg(logged_in_user(), school, _year(query))


@blp.route("/organisations/<int:organisation_id>/lernweg.pdf")
class SchoolLernwegPdf(MethodView):
    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.response(200, content_type="application/pdf", description="The grid, A4 landscape")
    def get(self, query, organisation_id):
        """The Lernweg as PDF, for the school's internal curriculum and Medienkonzept"""
        return attachment(lernweg_pdf(_school_lernweg(query, organisation_id)))


@blp.route("/organisations/<int:organisation_id>/lernweg.xlsx")
class SchoolLernwegXlsx(MethodView):
    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.response(200, content_type=XLSX, description="A sheet per year group")
    def get(self, query, organisation_id):
        """The Lernweg as XLSX"""
        return attachment(lernweg_xlsx(_school_lernweg(query, organisation_id)))


def _year(query: dict) -> int:
    return query.get("school_year", current_school_year())


@blp.route("/partnerships/<int:partnership_id>/plan")
class AnnualPlan(MethodView):
    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.response(200, AnnualPlanSchema)
    def get(self, query, partnership_id):
        """A school year's annual plan of the partnership and its reflection (both sides)"""
        actor = logged_in_user()
        return service.annual_plan(actor, get_partnership(actor, partnership_id), _year(query))

    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.arguments(PlanItemSchema)
    @blp.response(201, PlanItemSchema)
    @blp.alt_response(422, schema=ErrorSchema, description="An offer or visit of others")
    def post(self, query, fields, partnership_id):
        """Add an item to a school year's plan"""
        actor = logged_in_user()
        partnership = get_partnership(actor, partnership_id)
        return service.add_item(actor, partnership, school_year=_year(query), **fields)


@blp.route("/partnerships/<int:partnership_id>/plan.pdf")
class AnnualPlanPdf(MethodView):
    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.response(200, content_type="application/pdf", description="A4, for the Schulkonferenz")
    def get(self, query, partnership_id):
        """The annual plan as PDF"""
        actor = logged_in_user()
        plan = service.annual_plan(actor, get_partnership(actor, partnership_id), _year(query))
        return attachment(annual_plan_pdf(plan))


@blp.route("/partnerships/<int:partnership_id>/plan/reflection")
class Reflection(MethodView):
    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.arguments(ReflectionSchema)
    @blp.response(200, ReflectionSchema)
    def put(self, query, fields, partnership_id):
        """The school year's reflection; its next review becomes the agreement's review date"""
        actor = logged_in_user()
        partnership = get_partnership(actor, partnership_id)
        return service.save_reflection(actor, partnership, _year(query), **fields)


@blp.route("/plan-items/<int:item_id>")
class PlanItemById(MethodView):
    @blp.arguments(PlanItemUpdateSchema(partial=True))
    @blp.response(200, PlanItemSchema)
    def patch(self, fields, item_id):
        """Change a plan item (e.g. its status)"""
        actor = logged_in_user()
        return service.update_item(actor, service.get_item(actor, item_id), **fields)

    @blp.response(204)
    def delete(self, item_id):
        """Remove a plan item"""
        actor = logged_in_user()
        service.delete_item(actor, service.get_item(actor, item_id))
