from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.curriculum import tables
from openparcours.curriculum.schemas import CurriculumTablesSchema

blp = Blueprint(
    "curriculum",
    __name__,
    url_prefix="/api/v1/curriculum",
    description="What schools teach: NRW's subjects, the year groups, the Medienkompetenzrahmen",
)


@blp.route("/tables")
class CurriculumTables(MethodView):
    @blp.response(200, CurriculumTablesSchema)
    def get(self):
        """The curriculum's reference tables, with their sources (no login)"""
        return {
            "sources": tables.sources(),
            "subjects": [
                {**subject, "year_groups": tables.year_groups_of(subject)}
                for subject in tables.subjects()
            ],
            "year_groups": list(tables.YEAR_GROUPS),
            "media_competences": tables.media_competences(),
        }
