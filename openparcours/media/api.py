from flask import Blueprint as FlaskBlueprint
from flask import abort, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import current_user, logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.media import service
from openparcours.media.formats import AUDIO_MIME
from openparcours.media.schemas import MediaSchema, PhotoSizeSchema, UploadSchema
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
        response = _stored_file(name, conditional=False)
        # Photos of minors: kept by no cache, shared or the browser's.
        response.cache_control.private = True
        response.cache_control.no_store = True
        return response


def _stored_file(name: str, *, conditional: bool):
    extension = name.rsplit(".", 1)[1]
    mime = "image/webp" if extension == "webp" else AUDIO_MIME[extension]
    response = send_file(service.storage().path(name), mimetype=mime, conditional=conditional)
    response.headers["Content-Disposition"] = "inline"
    # A stored file is never a page of this site, whatever a browser might make of it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@files.get("/media/<name>")
def media_file(name: str):
    """A stored file of the institutions' media; its name is its content hash, so it may be
    cached for ever. Teams' photos are not among them (see `TeamPhoto`)."""
    if not service.storage().exists(name) or not service.is_public_file(name):
        abort(404)
    response = _stored_file(name, conditional=True)
    response.cache_control.no_cache = None  # send_file's default for a file without max_age
    response.cache_control.max_age = 31536000
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response
