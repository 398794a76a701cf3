from flask_smorest import Blueprint

blp = Blueprint(
    "catalogue",
    __name__,
    url_prefix="/api/v1/catalogue",
    description="The public catalogue of learning offers (no login)",
)
