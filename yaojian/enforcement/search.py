"""Global search providers of enforcement: cases by number, decisions by document number,
through the cases the user may see (ADR 0015)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.core import search
from yaojian.enforcement import selectors
from yaojian.enforcement.models import Decision

MIN_FRAGMENT = 2


def case_hits(user: Any, q: str, limit: int) -> list[search.Hit]:
    """Cases the user sees whose number contains ``q``."""
    if len(q) < MIN_FRAGMENT:
        return []
    rows = selectors.cases_visible_to(user).filter(number__icontains=q).order_by("-number")[:limit]
    return [
        search.Hit(
            title=case.number,
            url=reverse("enforcement:case_detail", args=[case.public_id]),
            detail=f"{case.title} · {case.get_stage_display()}",
        )
        for case in rows
    ]


def decision_hits(user: Any, q: str, limit: int) -> list[search.Hit]:
    """Decisions (with a document number containing ``q``) of cases the user sees."""
    if len(q) < MIN_FRAGMENT:
        return []
    rows = (
        Decision.objects.filter(
            case__in=selectors.cases_visible_to(user).values("pk"), number__icontains=q
        )
        .select_related("case")
        .order_by("-number")[:limit]
    )
    return [
        search.Hit(
            title=decision.number,
            url=reverse("enforcement:case_detail", args=[decision.case.public_id]),
            detail=f"{decision.case.number} {decision.case.title}",
        )
        for decision in rows
    ]


search.register("enforcement.cases", _("Cases"), case_hits, icon="gavel", order=30)
search.register(
    "enforcement.decisions", _("Penalty decisions"), decision_hits, icon="file-text", order=40
)
