from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.errors import ErrorSchema
from openparcours.media import service as media_service
from openparcours.media.schemas import MediaSchema, UploadSchema
from openparcours.play import service
from openparcours.play.schemas import (
    JoinResultSchema,
    JoinSchema,
    PlayBundleSchema,
    RankingSchema,
    SyncResultSchema,
    SyncSchema,
)
from openparcours.responses import conditional
from openparcours.visits import results

blp = Blueprint(
    "play",
    __name__,
    url_prefix="/api/v1/play",
    description="Teams play: join, bundle, sync (Authorization: Bearer <team token>)",
)


@blp.route("/join")
class Join(MethodView):
    @blp.arguments(JoinSchema)
    @blp.response(201, JoinResultSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="Unknown code (`unknown_code`)")
    @blp.alt_response(
        409,
        schema=ErrorSchema,
        description="Team name taken (`team_name_taken`, a free name in `params.suggestion`)",
    )
    @blp.alt_response(410, schema=ErrorSchema, description="The visit is over (`visit_closed`)")
    @blp.alt_response(429, schema=ErrorSchema, description="Too many unknown codes")
    def post(self, fields):
        """Join a visit as a team; keep the token to resume after a reload"""
        return service.join(fields["code"], fields["team_name"], fields["players"])


@blp.route("/bundle")
class Bundle(MethodView):
    @blp.response(200, PlayBundleSchema)
    @blp.alt_response(304, description="Not modified (If-None-Match matched the ETag)")
    @blp.alt_response(401, schema=ErrorSchema, description="Missing or wrong team token")
    def get(self):
        """Everything the phone needs to play offline; send If-None-Match to save the download"""
        team = service.team_for_token(request.headers.get("Authorization"))
        return conditional(
            service.bundle_etag(team), lambda: PlayBundleSchema().dump(service.team_bundle(team))
        )


@blp.route("/sync")
class Sync(MethodView):
    @blp.arguments(SyncSchema)
    @blp.response(200, SyncResultSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="Missing or wrong team token")
    @blp.alt_response(410, schema=ErrorSchema, description="The visit is long over")
    def post(self, body):
        """Send events (check-ins, answers, hints); safe to resend, in any order"""
        team = service.syncing_team(request.headers.get("Authorization"))
        return service.sync(team, body["events"], body["position"], body["messages_read"])


@blp.route("/ranking")
class Ranking(MethodView):
    @blp.response(200, RankingSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="Missing or wrong team token")
    @blp.alt_response(404, schema=ErrorSchema, description="No ranking in this visit")
    @blp.alt_response(409, schema=ErrorSchema, description="The visit is still running")
    def get(self):
        """The ranking of all teams, once the visit is over (if the teacher chose one)"""
        team = service.team_for_token(request.headers.get("Authorization"))
        return results.team_ranking(team)


@blp.before_request
def allow_photo_uploads():
    if request.endpoint == "play.PhotoUpload":
        request.max_content_length = media_service.upload_limit()


@blp.route("/media")
class PhotoUpload(MethodView):
    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, MediaSchema)
    @blp.alt_response(
        409,
        schema=ErrorSchema,
        description="The team's photos are used up (`too_many_photos`, `photos_too_large`)",
    )
    @blp.alt_response(410, schema=ErrorSchema, description="The visit is over (`visit_closed`)")
    @blp.alt_response(415, schema=ErrorSchema, description="Not an image (`photo_only`, …)")
    def post(self, upload):
        """Upload a photo answer (re-encoded, EXIF and GPS removed); answer with its id"""
        team = service.team_for_token(request.headers.get("Authorization"))
        return service.store_photo(team, upload["file"].read())
