"""Root URLs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from yaojian.core import views as core_views
from yaojian.dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("help/", core_views.help_page, name="help"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("yaojian.accounts.urls")),
    path("territory/", include("yaojian.territory.urls")),
    path("audit/", include("yaojian.audit.urls")),
    path("jobs/", include("yaojian.jobs.urls")),
    path("registry/", include("yaojian.registry.urls")),
    path("clocks/", include("yaojian.clocks.urls")),
    path("webhooks/", include("yaojian.webhooks.urls")),
    path("outbox/", include("yaojian.outbox.urls")),
    path("documents/", include("yaojian.documents.urls")),
    path("linkage/", include("yaojian.linkage.urls")),
    path("notices/", include("yaojian.notices.urls")),
    path("exchange/", include("yaojian.exchange.urls")),
    path("enforcement/", include("yaojian.enforcement.urls")),
    path("referrals/", include("yaojian.referrals.urls")),
    path("trace/", include("yaojian.traceability.urls")),
    path("complaints/", include("yaojian.complaints.urls")),
    path("inspections/", include("yaojian.inspections.urls")),
    path("credit/", include("yaojian.credit.urls")),
    path("public/", include("yaojian.portal.urls")),
    path("dashboard/", include("yaojian.dashboard.urls")),
    path("api/", include("yaojian.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "yaojian.core.views.not_found"
handler403 = "yaojian.core.views.forbidden"
handler500 = "yaojian.core.views.server_error"

if settings.DEBUG:  # pragma: no cover
    pass
