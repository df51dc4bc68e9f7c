"""The API composition root: /api/v1/ routes, the schema and its documentation page."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from yaojian.accounts.api.views import DepartmentViewSet, MeView
from yaojian.api.views import EntityBulkViewSet, NotFoundView, RedocView
from yaojian.clocks.api import routes as clocks_routes
from yaojian.complaints.api import routes as complaints_routes
from yaojian.credit.api import routes as credit_routes
from yaojian.documents.api import routes as documents_routes
from yaojian.enforcement.api import routes as enforcement_routes
from yaojian.exchange.api import routes as exchange_routes
from yaojian.inspections.api import routes as inspections_routes
from yaojian.linkage.api import routes as linkage_routes
from yaojian.notices.api import routes as notices_routes
from yaojian.outbox.api import routes as outbox_routes
from yaojian.portal.api import routes as portal_routes
from yaojian.referrals.api import routes as referrals_routes
from yaojian.registry.api.views import (
    EntityViewSet,
    LicenceViewSet,
    PersonViewSet,
    ProductViewSet,
)
from yaojian.territory.api.views import GridCellViewSet, RegionViewSet
from yaojian.traceability.api import routes as traceability_routes
from yaojian.webhooks.api import routes as webhooks_routes

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("regions", RegionViewSet, basename="region")
router.register("grid-cells", GridCellViewSet, basename="gridcell")
# Before "entities": "bulk" must not be taken for an entity's public id.
router.register("entities/bulk", EntityBulkViewSet, basename="entity-bulk")
router.register("entities", EntityViewSet, basename="entity")
router.register("licences", LicenceViewSet, basename="licence")
router.register("products", ProductViewSet, basename="product")
router.register("persons", PersonViewSet, basename="person")

# Each domain app registers its own viewsets and extra paths (its api/routes.py).
APP_ROUTES = (
    clocks_routes,
    outbox_routes,
    webhooks_routes,
    documents_routes,
    linkage_routes,
    notices_routes,
    exchange_routes,
    enforcement_routes,
    referrals_routes,
    portal_routes,
    traceability_routes,
    complaints_routes,
    credit_routes,
    inspections_routes,
)
for routes in APP_ROUTES:
    routes.register(router)

urlpatterns = [
    path("v1/me/", MeView.as_view(), name="me"),
    *(path("v1/", include(routes.urlpatterns)) for routes in APP_ROUTES),
    path("v1/", include(router.urls)),
    # Any other /api/v1/…/ path answers the API's JSON 404, not the HTML page.
    re_path(r"^v1/.*/$", NotFoundView.as_view(), name="api-not-found"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (?script): no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
