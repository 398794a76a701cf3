from flask import Blueprint as FlaskBlueprint
from flask import abort, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from server.accounts.service import current_user
from server.errors import ErrorSchema
from server.media import service
from server.media.schemas import MediaSchema, UploadSchema
from server.media.storage import NAME
from server.organisations.service import get_organisation

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
        """Upload an image (re-encoded to WebP, metadata removed) or an audio file"""
        organisation = get_organisation(organisation_id)
        return service.store_upload(
            upload["file"].read(), owner_organisation=organisation, actor=current_user()
        )


@files.get("/media/<name>")
def media_file(name: str):
    """A stored file; its name is its content hash, so it may be cached for ever."""
    if not NAME.match(name) or not service.storage().exists(name):
        abort(404)
    extension = name.rsplit(".", 1)[1]
    mime = "image/webp" if extension == "webp" else service.AUDIO_MIME[extension]
    response = send_file(service.storage().path(name), mimetype=mime, max_age=31536000,
                         conditional=True)  # fmt: skip
    response.cache_control.immutable = True
    response.cache_control.public = True
    response.headers["Content-Disposition"] = "inline"
    # A stored file is never a page of this site, whatever a browser might make of it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
