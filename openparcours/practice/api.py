from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.accounts.service import logged_in_user
from openparcours.errors import ErrorSchema
from openparcours.partnerships.service import get_partnership
from openparcours.practice import service
from openparcours.practice.schemas import ConsentUpdateSchema, GoodPracticeSchema, SharingSchema

blp = Blueprint(
    "practice",
    __name__,
    url_prefix="/api/v1",
    description="Good practice: what partners share as examples with their district",
)


@blp.route("/partnerships/<int:partnership_id>/sharing")
class PartnershipSharing(MethodView):
    @blp.response(200, SharingSchema)
    def get(self, partnership_id):
        """What the partnership shares as good practice, with both sides' consents"""
        actor = logged_in_user()
        return service.sharing(actor, get_partnership(actor, partnership_id))

    @blp.arguments(ConsentUpdateSchema)
    @blp.response(200, SharingSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="No agreement in force or no reflection written"
    )
    def put(self, fields, partnership_id):
        """My side consents to share the offers or a school year's reflection, or withdraws
        (an admin of the side)"""
        actor = logged_in_user()
        return service.set_consent(actor, get_partnership(actor, partnership_id), **fields)


@blp.route("/districts/<string:district>/good-practice")
class DistrictGoodPractice(MethodView):
    @blp.response(200, GoodPracticeSchema)
    def get(self, district):
        """Examples of good practice of the district's partnerships, shared by both sides: the
        offers with their anchoring in the curriculum, the reflections; no student data"""
        return service.district_examples(logged_in_user(), district)
