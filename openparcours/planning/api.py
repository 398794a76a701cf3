from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import logged_in_user
from openparcours.organisations.service import get_organisation
from openparcours.partnerships.reports import current_school_year
from openparcours.planning import lernweg
from openparcours.planning.schemas import LernwegSchema, SchoolYearQuerySchema

blp = Blueprint(
    "planning",
    __name__,
    url_prefix="/api/v1",
    description="Planning with partners: a school's Lernweg",
)


@blp.route("/organisations/<int:organisation_id>/lernweg")
class SchoolLernweg(MethodView):
    @blp.arguments(SchoolYearQuerySchema, location="query")
    @blp.response(200, LernwegSchema)
    def get(self, query, organisation_id):
        """A school's Lernweg for a school year: year groups × subjects, planned and done,
        with partners and media competences (the school's staff)"""
        school = get_organisation(organisation_id)
        year = query.get("school_year", current_school_year())
        return lernweg.lernweg(logged_in_user(), school, year)
