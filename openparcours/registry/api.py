from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.registry import service, tables
from openparcours.registry.schemas import (
    ImportQuerySchema,
    ImportReportSchema,
    ReferenceTablesSchema,
    RegisteredSchoolSchema,
    SchoolListUploadSchema,
    SchoolQuerySchema,
)

blp = Blueprint(
    "registry",
    __name__,
    url_prefix="/api/v1",
    description="The state's school list (Schulgrunddaten NRW) and the reference tables",
)
blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


@blp.route("/registry/schools")
class Schools(MethodView):
    @blp.arguments(SchoolQuerySchema, location="query")
    @blp.response(200, RegisteredSchoolSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Schools of the state's list (staff)"""
        items, pagination_parameters.item_count = service.list_schools(
            logged_in_user(), pagination_parameters.page, pagination_parameters.page_size, **filters
        )
        return items


@blp.route("/registry/schools/import")
class ImportSchools(MethodView):
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.arguments(SchoolListUploadSchema, location="files")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(
        422,
        schema=ErrorSchema,
        description="`invalid_school_list`: the file as a whole (encoding, first line, header); "
        "by line, problems with their `code`, `message` and `params`. Nothing was imported.",
    )
    @blp.alt_response(413, schema=ErrorSchema, description="More than 16 MB")
    def post(self, query, upload):
        """Import the state's school list (site admins; a network office: its district's rows);
        malformed rows are reported by line and left out"""
        return service.import_schools(logged_in_user(), upload["file"].read(), **query)


@blp.before_request
def allow_large_lists():
    # Before webargs reads request.files; the app-wide limit (for JSON) stays for all else.
    if request.endpoint == "registry.ImportSchools":
        request.max_content_length = service.MAX_UPLOAD_BYTES


@blp.route("/registry/tables")
class ReferenceTables(MethodView):
    @blp.response(200, ReferenceTablesSchema)
    def get(self):
        """The reference tables: districts and school forms, with their sources"""
        return {
            "sources": tables.sources(),
            "districts": tables.districts(),
            "school_forms": [
                {"key": key, "name": form["name"]} for key, form in tables.school_forms().items()
            ],
        }
