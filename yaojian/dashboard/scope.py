"""Which region a dashboard shows, and whose work counts there (ADR 0016).

A leader or head sees the dashboard of their jurisdiction (the broadest one among their
memberships that hold ``dashboard.view_dashboard``) or of a region inside it
(``?region=540102``). The work that counts is that of the departments they oversee
(``accounts.scoping.OVERSIGHT_KINDS``): for a provincial drug regulator, the drug and market
regulators of the region; for a county market regulator's head, that county's market
regulators. The drill-down lists show these same rows to the same people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.models import Department
from yaojian.accounts.scoping import OVERSIGHT_KINDS, scope_for
from yaojian.core.workbench import FigureScope
from yaojian.dashboard.permissions import VIEW_DASHBOARD
from yaojian.territory.codes import subtree_prefix, subtree_q
from yaojian.territory.models import Region


@dataclass(frozen=True)
class DashboardScope:
    """A region seen through a set of department kinds."""

    region: Region
    prefix: str
    kinds: tuple[str, ...]
    home_code: str  # the broadest region the user may see (the top of the drill-down)

    @property
    def key(self) -> str:
        return f"{self.region.code}:{','.join(self.kinds)}"

    def figure_scope(self, today: dt.date | None = None) -> FigureScope:
        ids = tuple(
            Department.objects.filter(
                subtree_q("region", self.prefix), kind__in=self.kinds, is_active=True
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return FigureScope(
            region_code=self.region.code,
            prefix=self.prefix,
            department_ids=ids,
            today=today or timezone.localdate(),
        )


def may_view_dashboard(user: Any) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.members_with(VIEW_DASHBOARD))


def dashboard_scope(user: Any, region_code: str = "") -> DashboardScope:
    """The scope of the user's dashboard for ``region_code`` (their jurisdiction when empty).

    ``PermissionDenied`` without the permission; ``Region.DoesNotExist`` for a region outside
    the user's jurisdictions (404, as for any object they may not see).
    """
    scope = scope_for(user)
    if scope.is_superuser:
        home = region_code[:2].ljust(6, "0") if region_code else _default_province()
        kinds: tuple[str, ...] = tuple(sorted(DepartmentKind.values))
    else:
        members = sorted(scope.members_with(VIEW_DASHBOARD), key=lambda m: len(m.prefix))
        if not members:
            raise PermissionDenied
        if region_code:
            members = [m for m in members if region_code.startswith(m.prefix)] or members[:0]
            if not members:
                raise Region.DoesNotExist
        member = members[0]
        kind = member.department_kind
        kinds = tuple(sorted(OVERSIGHT_KINDS.get(kind, (kind,))))
        home = member.prefix.ljust(6, "0")
    code = region_code or home
    if not code.isdigit() or len(code) != 6:
        raise Region.DoesNotExist
    region = Region.objects.get(code=code)
    return DashboardScope(region=region, prefix=subtree_prefix(code), kinds=kinds, home_code=home)


def _default_province() -> str:
    code = Department.objects.order_by("region_id").values_list("region_id", flat=True).first()
    return (code or "110000")[:2] + "0000"
