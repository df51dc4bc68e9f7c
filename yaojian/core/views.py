"""Project-wide views: home, global search, help, health check, error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from yaojian.core import guide
from yaojian.core import search as global_search
from yaojian.core.forms import SearchForm
from yaojian.core.htmx import template_for


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in landing page."""
    return render(request, "home.html", {"search_form": SearchForm(auto_id="home-%s")})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """The top bar's search box: entities, licences, cases, decisions, notices the user sees
    (htmx: ``#search-results``). The query is plain text; every hit is escaped."""
    q = global_search.clean_query(request.GET.get("q", ""))
    sections = global_search.search(request.user, q)
    form = SearchForm(
        {"q": q},
        auto_id="search-%s",
        label=_("Entity name, credit code, case, decision, notice or licence number"),
        testid="search-page-input",
    )
    context = {
        "q": q,
        "search_form": form,
        "sections": sections,
        "total": sum(len(s["hits"]) for s in sections),
    }
    return render(request, template_for(request, "search.html", "search-results"), context)


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """The user guide, rendered from docs/user-guide/README.md."""
    body, toc = guide.user_guide()
    return render(request, "help.html", {"body": mark_safe(body), "toc": toc})


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check; also the trivial baseline view of the benchmarks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """``/favicon.ico``, which browsers ask for on every site whatever the page links."""
    return FileResponse(
        (settings.BASE_DIR / "static" / "favicon.ico").open("rb"), content_type="image/x-icon"
    )


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
