from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from openparcours.catalogue import service
from openparcours.catalogue.schemas import (
    CatalogueFiltersSchema,
    CatalogueOfferSchema,
    CatalogueQuerySchema,
    InstitutionFilterSchema,
)

blp = Blueprint(
    "catalogue",
    __name__,
    url_prefix="/api/v1/catalogue",
    description="The public catalogue of learning offers (no login)",
)
blp.DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}


@blp.route("/trails")
class Offers(MethodView):
    @blp.arguments(CatalogueQuerySchema, location="query")
    @blp.response(200, CatalogueOfferSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Public learning offers, by institution, filtered by place, kind, subject, grade…"""
        items, pagination_parameters.item_count = service.list_offers(
            pagination_parameters.page, pagination_parameters.page_size, **filters
        )
        return items


@blp.route("/filters")
class Filters(MethodView):
    @blp.response(200, CatalogueFiltersSchema)
    def get(self):
        """The districts, towns, kinds, subjects, grades and languages that have offers"""
        return service.filter_values()


@blp.route("/institutions.geojson")
class Institutions(MethodView):
    @blp.arguments(InstitutionFilterSchema, location="query")
    @blp.response(200, content_type="application/geo+json", description="Points of institutions")
    def get(self, filters):
        """Institutions with public offers and their location, for the catalogue's map"""
        response = jsonify(service.institutions_geojson(**filters))
        response.mimetype = "application/geo+json"
        return response
