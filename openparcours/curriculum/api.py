from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.curriculum import tables
from openparcours.curriculum.schemas import CurriculumTablesSchema

blp = Blueprint(
    "curriculum",
    __name__,
    url_prefix="/api/v1",
    description="The curriculum's reference tables: NRW's subjects, year groups, the "
    "Medienkompetenzrahmen NRW",
)


@blp.route("/curriculum/tables")
class CurriculumTables(MethodView):
    @blp.response(200, CurriculumTablesSchema)
    def get(self):
        """The subjects with their year groups, the year groups and the Medienkompetenzrahmen
        NRW, with their sources (public)"""
        return {
            "sources": tables.sources(),
            "subjects": [
                {"name": subject["name"], "year_groups": tables.year_groups_of(subject)}
                for subject in tables.subjects()
            ],
            "year_groups": list(tables.YEAR_GROUPS),
            "media_competences": tables.media_competences(),
        }
