from datetime import timedelta

from flask import Response, make_response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import logged_in_user
from openparcours.core import schedule
from openparcours.errors import ErrorSchema
from openparcours.media.api import stored_file
from openparcours.media.schemas import PhotoSizeSchema
from openparcours.responses import attachment, conditional
from openparcours.spreadsheets import XLSX
from openparcours.trails.posters import qr_png
from openparcours.trails.service import get_trail
from openparcours.visits import (
    board,
    exports,
    messages,
    results,
    retention,
    service,
    souvenirs,
)
from openparcours.visits.schemas import (
    CertificateSchema,
    ExportSchema,
    GradedAnswerSchema,
    GradeSchema,
    LiveBoardSchema,
    ResultsSchema,
    SouvenirApprovalSchema,
    SouvenirApprovedSchema,
    SouvenirSchema,
    TimelineSchema,
    TrailStatisticsSchema,
    VisitCreateSchema,
    VisitMessageInSchema,
    VisitMessageSchema,
    VisitSchema,
    VisitUpdateSchema,
)

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Opening visits")


blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


@blp.record_once
def schedule_jobs(state) -> None:
    # Visits past their retention period are looked for once an hour.
    schedule.job(state.app, "retention", timedelta(hours=1), retention.scheduled_retention)


@blp.route("/visits")
class Visits(MethodView):
    @blp.response(200, VisitSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """My visits (and, for school admins, the school's), the latest first"""
        items, pagination_parameters.item_count = service.list_my_visits(
            logged_in_user(), pagination_parameters.page, pagination_parameters.page_size
        )
        return items

    @blp.arguments(VisitCreateSchema)
    @blp.response(201, VisitSchema)
    def post(self, fields):
        """Open a visit of a trail's latest published version for a class"""
        trail = get_trail(fields.pop("trail_id"))
        return service.open_visit(logged_in_user(), trail, **fields)


@blp.route("/visits/<int:visit_id>")
class VisitById(MethodView):
    @blp.response(200, VisitSchema)
    def get(self, visit_id):
        """A visit (who opened it, admins of its school)"""
        return service.get_visit(logged_in_user(), visit_id)

    @blp.arguments(VisitUpdateSchema)
    @blp.response(200, VisitSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="Its data is deleted (`visit_data_deleted`)"
    )
    def patch(self, fields, visit_id):
        """Close a visit (no one can join any more) or open it again; turn souvenir pages on
        or off"""
        actor = logged_in_user()
        return service.update_visit(actor, service.get_visit(actor, visit_id), **fields)


@blp.route("/visits/<int:visit_id>/data")
class VisitData(MethodView):
    @blp.response(204)
    def delete(self, visit_id):
        """Delete the teams, events and photos of a visit now; anonymous counts stay"""
        actor = logged_in_user()
        retention.delete_visit_data(actor, service.get_visit(actor, visit_id))


@blp.route("/visits/<int:visit_id>/live")
class LiveBoard(MethodView):
    @blp.response(200, LiveBoardSchema)
    @blp.alt_response(304, description="Not modified (If-None-Match matched the ETag)")
    def get(self, visit_id):
        """The live board: each team at each station; poll it with If-None-Match"""
        actor = logged_in_user()
        visit = service.get_visit(actor, visit_id)
        return conditional(
            board.live_etag(visit),
            lambda: LiveBoardSchema().dump(board.live_board(actor, visit)),
        )


@blp.route("/visits/<int:visit_id>/messages")
class VisitMessages(MethodView):
    @blp.response(200, VisitMessageSchema(many=True))
    def get(self, visit_id):
        """The messages sent to the phones, the latest first, with who has not read them"""
        actor = logged_in_user()
        return messages.list_messages(actor, service.get_visit(actor, visit_id))

    @blp.arguments(VisitMessageInSchema)
    @blp.response(201, VisitMessageSchema)
    @blp.alt_response(
        409,
        schema=ErrorSchema,
        description="The visit is over (`visit_closed`) or has its share (`too_many_messages`)",
    )
    def post(self, fields, visit_id):
        """Send a message to every team's phone or to one team's; phones get it with their
        next sync"""
        actor = logged_in_user()
        visit = service.get_visit(actor, visit_id)
        return messages.send_message(actor, visit, fields["text"], fields["team_id"])


@blp.route("/visits/<int:visit_id>/qr.png")
class VisitQr(MethodView):
    @blp.response(200, content_type="image/png", description="The join URL as a QR code")
    def get(self, visit_id):
        """The join QR code, for the projector"""
        visit = service.get_visit(logged_in_user(), visit_id)
        response = make_response(qr_png(visit.join_url, box_size=16))
        response.mimetype = "image/png"
        return response


@blp.route("/visits/<int:visit_id>/results")
class Results(MethodView):
    @blp.response(200, ResultsSchema)
    @blp.alt_response(410, schema=ErrorSchema, description="Data deleted (`visit_data_deleted`)")
    def get(self, visit_id):
        """Ranking, team × task matrix, task figures, text answers and photos to grade"""
        actor = logged_in_user()
        return results.visit_results(actor, service.get_visit(actor, visit_id))


@blp.route("/visits/<int:visit_id>/teams/<int:team_id>/timeline")
class Timeline(MethodView):
    @blp.response(200, TimelineSchema)
    def get(self, visit_id, team_id):
        """Everything one team did, in the order its phone did it"""
        actor = logged_in_user()
        return results.team_timeline(actor, service.get_visit(actor, visit_id), team_id)


@blp.route("/visits/<int:visit_id>/answers/<int:event_id>/grade")
class Grade(MethodView):
    @blp.arguments(GradeSchema)
    @blp.response(200, GradedAnswerSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="Not an answer of this visit")
    def put(self, fields, visit_id, event_id):
        """Grade a photo or text answer: accept or reject, points, comment"""
        actor = logged_in_user()
        visit = service.get_visit(actor, visit_id)
        return results.grade_answer(actor, visit, event_id, **fields)


@blp.route("/visits/<int:visit_id>/answers/<int:event_id>/souvenir")
class SouvenirApproval(MethodView):
    @blp.arguments(SouvenirApprovalSchema)
    @blp.response(200, SouvenirApprovedSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="Not an answer of this visit")
    def put(self, fields, visit_id, event_id):
        """Show a photo or text answer on its team's souvenir page, or no longer"""
        actor = logged_in_user()
        visit = service.get_visit(actor, visit_id)
        return souvenirs.approve(actor, visit, event_id, fields["approved"])


@blp.after_request
def souvenirs_not_indexed(response: Response) -> Response:
    """No search engine lists a souvenir page, its photos or its errors."""
    if request.path.startswith(f"{blp.url_prefix}/souvenirs/"):
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@blp.route("/souvenirs/<souvenir_token>")
class Souvenir(MethodView):
    @blp.response(200, SouvenirSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="Unknown or gone (`unknown_souvenir`)")
    def get(self, souvenir_token):
        """A team's souvenir page: only what its teacher approved; no login, not indexed"""
        response = make_response(SouvenirSchema().dump(souvenirs.souvenir(souvenir_token)))
        response.cache_control.private = True
        response.cache_control.no_store = True
        return response


@blp.route("/souvenirs/<souvenir_token>/photos/<int:event_id>")
class SouvenirPhoto(MethodView):
    @blp.arguments(PhotoSizeSchema, location="query")
    @blp.response(200, content_type="image/webp", description="Never cached on the way")
    @blp.alt_response(404, schema=ErrorSchema, description="Not an approved photo of the page")
    def get(self, args, souvenir_token, event_id):
        """A photo the teacher approved for the souvenir page"""
        name = souvenirs.souvenir_photo(
            souvenir_token, event_id, thumbnail=args["size"] == "thumbnail"
        )
        response = stored_file(name, conditional=False)
        response.cache_control.private = True
        response.cache_control.no_store = True
        return response


def _export(visit_id: int) -> results.Results:
    actor = logged_in_user()
    return results.visit_results(actor, service.get_visit(actor, visit_id))


@blp.route("/visits/<int:visit_id>/results.csv")
class ResultsCsv(MethodView):
    @blp.arguments(ExportSchema, location="query")
    @blp.response(200, content_type="text/csv", description="UTF-8 with BOM, `;` separated")
    def get(self, args, visit_id):
        """The teams' results as CSV, as German Excel opens it"""
        return attachment(exports.results_csv(_export(visit_id), args["lang"]))


@blp.route("/visits/<int:visit_id>/results.xlsx")
class ResultsXlsx(MethodView):
    @blp.arguments(ExportSchema, location="query")
    @blp.response(200, content_type=XLSX, description="Sheets: teams, tasks, text answers")
    def get(self, args, visit_id):
        """The results as an Excel workbook"""
        return attachment(exports.results_xlsx(_export(visit_id), args["lang"]))


@blp.route("/visits/<int:visit_id>/photos.zip")
class PhotosZip(MethodView):
    @blp.response(200, content_type="application/zip", description="A folder per task")
    def get(self, visit_id):
        """The teams' photos"""
        return attachment(exports.photos_zip(_export(visit_id)))


@blp.route("/visits/<int:visit_id>/certificates.pdf")
class Certificates(MethodView):
    @blp.arguments(CertificateSchema, location="query")
    @blp.response(200, content_type="application/pdf", description="One A4 page per team")
    def get(self, args, visit_id):
        """Certificates for the teams (or one team), to print"""
        found = _export(visit_id)
        return attachment(exports.certificates_pdf(found, args["lang"], args["team_id"]))


@blp.route("/visits/<int:visit_id>/parents-letter.pdf")
class ParentsLetter(MethodView):
    @blp.arguments(CertificateSchema, location="query")
    @blp.response(200, content_type="application/pdf", description="One A4 page per team")
    @blp.alt_response(409, schema=ErrorSchema, description="No souvenirs (`souvenirs_off`)")
    def get(self, args, visit_id):
        """Letters to the parents with each team's souvenir link (or one team's), to print"""
        found = _export(visit_id)
        return attachment(exports.parents_letter_pdf(found, args["lang"], args["team_id"]))


@blp.route("/trails/<int:trail_id>/statistics")
class TrailStatistics(MethodView):
    @blp.response(200, TrailStatisticsSchema)
    def get(self, trail_id):
        """Anonymous figures per task over all visits of a trail, for its authors"""
        return results.trail_statistics(logged_in_user(), get_trail(trail_id))
