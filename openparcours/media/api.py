from flask import Blueprint as FlaskBlueprint
from flask import Response, abort, request
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.datastructures import ContentRange
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from openparcours.accounts.service import current_user, logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.media import service
from openparcours.media.schemas import MediaSchema, PhotoSizeSchema, UploadSchema
from openparcours.media.storage import Storage, mime_of
from openparcours.organisations.service import get_organisation
from openparcours.play.service import team_for_token

blp = Blueprint("media", __name__, url_prefix="/api/v1", description="Images and audio")
files = FlaskBlueprint("media_files", __name__)


@blp.before_request
def allow_large_uploads():
    request.max_content_length = service.upload_limit()


@blp.route("/organisations/<int:organisation_id>/media")
class Uploads(MethodView):
    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, MediaSchema)
    @blp.alt_response(413, schema=ErrorSchema, description="Too large (file or image pixels)")
    @blp.alt_response(415, schema=ErrorSchema, description="Not an image or audio file")
    @blp.alt_response(422, schema=ErrorSchema, description="A damaged image")
    def post(self, upload, organisation_id):
        """Upload an image (re-encoded to WebP, metadata removed) or an audio file (tags removed)"""
        organisation = get_organisation(organisation_id)
        return service.store_upload(
            upload["file"].read(), owner_organisation=organisation, actor=logged_in_user()
        )


@blp.route("/photos/<int:media_id>")
class TeamPhoto(MethodView):
    @blp.arguments(PhotoSizeSchema, location="query")
    @blp.response(200, content_type="image/webp", description="Never cached on the way")
    @blp.alt_response(401, schema=ErrorSchema, description="Neither the team nor logged in")
    @blp.alt_response(403, schema=ErrorSchema, description="Another team, or not its visit's")
    @blp.alt_response(404, schema=ErrorSchema, description="No such team photo")
    def get(self, args, media_id):
        """A team's photo, for the team (its token) and the managers of its visit (session)"""
        bearer = request.headers.get("Authorization", "").startswith("Bearer ")
        team = team_for_token(request.headers["Authorization"]) if bearer else None
        name = service.team_photo(
            current_user(), team, media_id, thumbnail=args["size"] == "thumbnail"
        )
        response = stored_file(name, conditional=False)
        # Photos of minors: kept by no cache, shared or the browser's.
        response.cache_control.private = True
        response.cache_control.no_store = True
        return response


def stored_file(name: str, *, conditional: bool) -> Response:
    """The file streamed from the storage. `conditional`: its ETag is its content hash (the
    name), so a cached copy gets a 304, and a player may ask for a byte range (206, 416)."""
    storage = service.storage()
    etag = name.split(".", 1)[0]
    span = None
    if conditional:
        if request.if_none_match.contains(etag):
            return _headed(Response(status=304), etag)
        # The bytes never change under a name, so any If-Range but another ETag still holds.
        if "Range" in request.headers and request.if_range.etag in (None, etag):
            span = _span(storage, name)
    try:
        opened = storage.open(name, span)
    except FileNotFoundError:
        abort(404)
    response = Response(opened.chunks, mimetype=mime_of(name), direct_passthrough=True)
    response.content_length = opened.size
    if span is not None:
        response.status_code = 206
        response.content_range = ContentRange("bytes", *span, opened.size)
        response.content_length = span[1] - span[0]
    response.headers["Content-Disposition"] = "inline"
    # A stored file is never a page of this site, whatever a browser might make of it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _headed(response, etag) if conditional else response


def _span(storage: Storage, name: str) -> tuple[int, int]:
    """The one byte range the request asks for, or 416 (several ranges are not served)."""
    try:
        size = storage.size(name)
    except FileNotFoundError:
        abort(404)
    span = request.range.range_for_length(size) if request.range else None
    if span is None:
        raise RequestedRangeNotSatisfiable(length=size)
    return span


def _headed(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.accept_ranges = "bytes"
    return response


@files.get("/media/<name>")
def media_file(name: str):
    """A stored file of the institutions' media; its name is its content hash, so it may be
    cached for ever. Teams' photos are not among them (see `TeamPhoto`)."""
    if not service.is_public_file(name):
        abort(404)
    response = stored_file(name, conditional=True)
    response.cache_control.no_cache = None  # send_file's default for a file without max_age
    response.cache_control.max_age = 31536000
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response
