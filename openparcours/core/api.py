import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import text

from openparcours.demo import is_demo_database
from openparcours.errors import DatabaseUnavailable, ErrorSchema
from openparcours.extensions import db

blp = Blueprint("system", __name__, url_prefix="/api/v1", description="Service health")


class HealthSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "`ok` when the database answers"})
    database = ma.fields.String()


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=ErrorSchema, description="The database is unreachable")
    def get(self):
        """Is the service up and its database reachable?"""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as error:  # any failure to reach the database means "not healthy"
            current_app.logger.warning("health check failed: %s", error)
            db.session.rollback()
            raise DatabaseUnavailable() from error
        return {"status": "ok", "database": "ok"}


class ClientSettingsSchema(ma.Schema):
    tile_url = ma.fields.String(metadata={"description": "Map tile URL template for Leaflet"})
    tile_attribution = ma.fields.String()
    public_url = ma.fields.String()
    demo = ma.fields.Boolean(
        metadata={"description": "A demo database: its logins are public, the app says so"}
    )
    live_board_poll_seconds = ma.fields.Integer(
        metadata={"description": "How often the live board of a visit asks for news"}
    )


@blp.route("/settings")
class ClientSettings(MethodView):
    @blp.response(200, ClientSettingsSchema)
    def get(self):
        """What the web app needs to know of this server (map tiles, public address, demo,
        the live board's pace)"""
        return {
            "tile_url": current_app.config["TILE_URL"],
            "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
            "public_url": current_app.config["PUBLIC_URL"],
            "demo": is_demo_database(),
            "live_board_poll_seconds": current_app.config["LIVE_BOARD_POLL_SECONDS"],
        }
