from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import current_user, logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.organisations.service import get_organisation
from openparcours.responses import attachment
from openparcours.trails import publishing, service
from openparcours.trails.format import exporting, importing
from openparcours.trails.schemas import (
    BundleSchema,
    ImportedTrailSchema,
    MarkdownSchema,
    OfferedTrailSchema,
    PosterQuerySchema,
    PublishCheckSchema,
    StationFieldsSchema,
    StationOrderSchema,
    StationOutSchema,
    StationUpdateSchema,
    TaskInSchema,
    TaskOrderSchema,
    TaskOutSchema,
    TrailCreateSchema,
    TrailListQuerySchema,
    TrailSchema,
    TrailSummarySchema,
    TrailUpdateSchema,
    TrailUploadSchema,
    VersionSchema,
    VersionSummarySchema,
)

blp = Blueprint(
    "trails",
    __name__,
    url_prefix="/api/v1",
    description="Authoring trails, stations and tasks; publishing versions",
)
blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


@blp.route("/trails")
class Trails(MethodView):
    @blp.arguments(TrailListQuerySchema, location="query")
    @blp.response(200, TrailSummarySchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """The trails of my institutions ("Meine Parcours"), last changed first"""
        items, pagination_parameters.item_count = service.list_authored_trails(
            logged_in_user(), pagination_parameters.page, pagination_parameters.page_size, **filters
        )
        return items

    @blp.arguments(TrailCreateSchema)
    @blp.response(201, TrailSchema)
    def post(self, fields):
        """Create a trail draft for an institution (its educators and admins)"""
        organisation = get_organisation(fields.pop("organisation_id"))
        return service.create_trail(logged_in_user(), organisation, **fields)


@blp.route("/trails/offered")
class OfferedTrails(MethodView):
    @blp.response(200, OfferedTrailSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Published trails I may open a visit of: my agreements' offers first, then the
        partners' other trails, then public ones"""
        items, pagination_parameters.item_count = service.list_offered_trails(
            logged_in_user(), pagination_parameters.page, pagination_parameters.page_size
        )
        return items


@blp.route("/organisations/<int:organisation_id>/offers")
class OrganisationOffers(MethodView):
    @blp.response(200, TrailSummarySchema(many=True))
    def get(self, organisation_id):
        """An institution's learning offers (published trails) that I may see"""
        return service.list_organisation_offers(current_user(), get_organisation(organisation_id))


@blp.route("/trails/<int:trail_id>")
class TrailById(MethodView):
    @blp.response(200, TrailSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such trail")
    def get(self, trail_id):
        """A trail's draft with its stations and tasks"""
        return service.view_trail(current_user(), trail_id)

    @blp.arguments(TrailUpdateSchema(partial=True))
    @blp.response(200, TrailSchema)
    def patch(self, fields, trail_id):
        """Change the draft's fields, or archive / restore it"""
        trail = service.get_trail(trail_id)
        archived = fields.pop("archived", None)
        if fields:
            service.update_trail(logged_in_user(), trail, **fields)
        if archived is not None:
            service.set_archived(logged_in_user(), trail, archived)
        return trail


@blp.route("/trails/<int:trail_id>/duplicate")
class DuplicateTrail(MethodView):
    @blp.response(201, TrailSchema)
    def post(self, trail_id):
        """Copy a trail into a new draft (new station codes)"""
        return service.duplicate_trail(logged_in_user(), service.get_trail(trail_id))


@blp.route("/trails/<int:trail_id>/stations")
class Stations(MethodView):
    @blp.arguments(StationFieldsSchema)
    @blp.response(201, StationOutSchema)
    def post(self, fields, trail_id):
        """Add a station at the end of the trail"""
        return service.add_station(logged_in_user(), service.get_trail(trail_id), **fields)

    @blp.arguments(StationOrderSchema)
    @blp.response(200, TrailSchema)
    def put(self, order, trail_id):
        """Reorder the stations: every station id once, in the new order"""
        trail = service.get_trail(trail_id)
        return service.reorder_stations(logged_in_user(), trail, order["station_ids"])


@blp.route("/stations/<int:station_id>")
class StationById(MethodView):
    @blp.arguments(StationUpdateSchema(partial=True))
    @blp.response(200, StationOutSchema)
    def patch(self, fields, station_id):
        """Change a station"""
        return service.update_station(logged_in_user(), service.get_station(station_id), **fields)

    @blp.response(204)
    def delete(self, station_id):
        """Delete a station and its tasks from the draft"""
        service.delete_station(logged_in_user(), service.get_station(station_id))


@blp.route("/stations/<int:station_id>/tasks")
class Tasks(MethodView):
    @blp.arguments(TaskInSchema)
    @blp.response(201, TaskOutSchema)
    def post(self, data, station_id):
        """Add a task (any registered type) at the end of the station"""
        return service.add_task(logged_in_user(), service.get_station(station_id), data)

    @blp.arguments(TaskOrderSchema)
    @blp.response(200, StationOutSchema)
    def put(self, order, station_id):
        """Reorder the station's tasks: every task id once, in the new order"""
        station = service.get_station(station_id)
        return service.reorder_tasks(logged_in_user(), station, order["task_ids"])


@blp.route("/tasks/<int:task_id>")
class TaskById(MethodView):
    @blp.arguments(TaskInSchema)
    @blp.response(200, TaskOutSchema)
    def put(self, data, task_id):
        """Replace a task (its type may change)"""
        return service.update_task(logged_in_user(), service.get_task(task_id), data)

    @blp.response(204)
    def delete(self, task_id):
        """Delete a task from the draft"""
        service.delete_task(logged_in_user(), service.get_task(task_id))


@blp.route("/trails/<int:trail_id>/publish-check")
class PublishCheck(MethodView):
    @blp.response(200, PublishCheckSchema)
    def get(self, trail_id):
        """What still blocks publishing the draft"""
        return publishing.check_publishable(logged_in_user(), service.get_trail(trail_id))


@blp.route("/trails/<int:trail_id>/versions")
class Versions(MethodView):
    @blp.response(200, VersionSummarySchema(many=True))
    def get(self, trail_id):
        """The published versions of a trail"""
        return service.view_trail(current_user(), trail_id).versions

    @blp.response(201, VersionSchema)
    @blp.alt_response(
        422,
        schema=ErrorSchema,
        description="Problems block publishing (`not_publishable`): by path, each with its "
        "`code`, `message` and `params` as the publish check lists them",
    )
    def post(self, trail_id):
        """Publish: freeze the draft into a new immutable version"""
        return publishing.publish(logged_in_user(), service.get_trail(trail_id))


@blp.route("/trails/<int:trail_id>/versions/<int:number>")
class VersionByNumber(MethodView):
    @blp.response(200, VersionSchema)
    def get(self, trail_id, number):
        """One published version, as visits play it"""
        return publishing.get_version(current_user(), service.get_trail(trail_id), number)


@blp.route("/trails/<int:trail_id>/posters.pdf")
class Posters(MethodView):
    @blp.arguments(PosterQuerySchema, location="query")
    @blp.response(
        200, content_type="application/pdf", description="A4 pages with the stations' QR codes"
    )
    @blp.alt_response(422, schema=ErrorSchema, description="No station checks in by QR code")
    def get(self, query, trail_id):
        """QR posters: one A4 page per QR station (`pages`) or six per page (`sheet`)"""
        trail = service.get_trail(trail_id)
        return attachment(publishing.posters(logged_in_user(), trail, query["layout"]))


@blp.route("/stations/<int:station_id>/qr.<any(png, svg):image_format>")
class StationQr(MethodView):
    @blp.response(200, content_type="image/png", description="PNG or SVG, by the path")
    def get(self, station_id, image_format):
        """The station's QR code as an image"""
        station = service.get_station(station_id)
        return attachment(publishing.station_qr(logged_in_user(), station, image_format))


@blp.route("/organisations/<int:organisation_id>/trails/import")
class ImportTrail(MethodView):
    @blp.arguments(TrailUploadSchema, location="files")
    @blp.response(201, ImportedTrailSchema)
    @blp.alt_response(
        422,
        schema=ErrorSchema,
        description="`invalid_trail`: by JSON path, problems with their `code`, `message` and "
        "`params` (`station`, counted from 1, `field`, `file` …)",
    )
    @blp.alt_response(413, schema=ErrorSchema, description="More than 100 MB")
    def post(self, upload, organisation_id):
        """Import a trail (.zip of a trail folder, or a .geojson file: also QGIS, uMap and
        geojson.io exports) as a new draft"""
        organisation = get_organisation(organisation_id)
        file = upload["file"]
        return importing.import_upload(
            logged_in_user(), organisation, file.read(), file.filename or "Parcours"
        )


@blp.before_request
def allow_large_imports():
    # Before webargs reads request.files; the app-wide limit (for JSON) stays for all else.
    if request.endpoint == "trails.ImportTrail":
        request.max_content_length = importing.MAX_UPLOAD_BYTES


@blp.route("/trails/<int:trail_id>/export.zip")
class ExportTrail(MethodView):
    @blp.response(200, content_type="application/zip", description="trail.geojson and media/")
    def get(self, trail_id):
        """The trail's draft in the open trail format, as a zip"""
        return attachment(exporting.export_as(logged_in_user(), service.get_trail(trail_id)))


@blp.route("/trails/<int:trail_id>/stations.geojson")
class StationsGeoJson(MethodView):
    @blp.response(
        200,
        content_type="application/geo+json",
        description="The stations as GeoJSON Points for GIS tools",
    )
    def get(self, trail_id):
        """The stations as plain GeoJSON (for QGIS, uMap, geojson.io)"""
        trail = service.get_trail(trail_id)
        return attachment(exporting.stations_geojson_as(current_user(), trail))


@blp.route("/markdown")
class MarkdownPreview(MethodView):
    @blp.arguments(MarkdownSchema)
    @blp.response(200, MarkdownSchema)
    def post(self, body):
        """Render Markdown as students will see it (the editor's preview)"""
        logged_in_user()  # a tool of the editor, not a public service
        return {"markdown": body["markdown"], "html": service.preview_markdown(body["markdown"])}


@blp.route("/trails/<int:trail_id>/preview")
class Preview(MethodView):
    @blp.response(200, BundleSchema)
    def get(self, trail_id):
        """The draft as students would get it (for the preview; nothing is recorded)"""
        return publishing.preview(logged_in_user(), service.get_trail(trail_id))
