"""Routing by jurisdiction (DOMAIN.md §2.3; 总局令第20号 第8–10、30条).

* A complaint goes to the county office of the respondent's place of business.
* A report goes to the office where the conduct occurred.
* Bought online: a complaint against the platform goes to the platform's domicile; against a
  seller on it, to the seller's place of business, else to the platform's domicile.
* A matter in another department's remit (insurance fraud, medical treatment) is pushed to that
  department as a notice; the drug or market regulator keeps matters it shares (回流药) and the
  other department is told.

The office is the most local active drug or market regulator covering the region
(``territory.selectors.departments_covering``), a drug regulator before a market regulator at
the same level.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.models import Department
from yaojian.complaints.choices import Kind, Topic
from yaojian.territory.codes import covering_codes
from yaojian.territory.selectors import departments_covering_plain

REGULATORS = (DepartmentKind.DRUG_REGULATOR, DepartmentKind.MARKET_REGULATOR)
# Topics in another department's remit: pushed there, not handled here.
REMIT: dict[str, str] = {
    Topic.INSURANCE_FRAUD: DepartmentKind.MEDICAL_INSURANCE,
    Topic.MEDICAL_SERVICE: DepartmentKind.HEALTH_COMMISSION,
}
# Topics handled here that another department must also hear of.
ALSO_TELL: dict[str, str] = {Topic.RECYCLED_DRUGS: DepartmentKind.MEDICAL_INSURANCE}


@dataclass(frozen=True)
class Route:
    """Where a submission goes and why."""

    department: Department
    region_code: str
    basis: str
    other_remit: Department | None = None  # push as a notice and mark transferred
    also_tell: Department | None = None  # handled here; notice to this one too


def _most_local_regulator(region_code: str, covering: list[Department]) -> Department | None:
    """The most local drug or market regulator among ``covering`` (a drug regulator before a
    market regulator at the same level)."""
    rows = [d for d in covering if d.kind in REGULATORS]
    if not rows:
        return None
    chain = covering_codes(region_code)
    best = chain.index(rows[0].region_id)
    same_level = [d for d in rows if chain.index(d.region_id) == best]
    same_level.sort(key=lambda d: (d.kind != DepartmentKind.DRUG_REGULATOR, d.code))
    return same_level[0]


def _of_kind(covering: list[Department], kind: str | None) -> Department | None:
    """The most local department of ``kind`` among ``covering`` (most local first)."""
    return next((d for d in covering if d.kind == kind), None) if kind else None


def route(
    *,
    kind: str,
    topic: str,
    region_code: str,
    is_ecommerce: bool = False,
    platform_region_code: str = "",
    against_platform: bool = False,
) -> Route | None:
    """The department that handles a submission (``None``: no office covers the region)."""
    basis = (
        _("Place where the conduct occurred")
        if kind == Kind.REPORT
        else _("Respondent's place of business")
    )
    code = region_code
    if is_ecommerce and platform_region_code and (against_platform or not region_code):
        code = platform_region_code
        basis = _("Domicile of the e-commerce platform")
    elif is_ecommerce and region_code:
        basis = _("Place of business of the seller on the platform")
    if not code:
        return None
    other, tell = REMIT.get(topic), ALSO_TELL.get(topic)
    kinds = [*REGULATORS, *[k for k in (other, tell) if k]]
    covering = departments_covering_plain(code, kinds=kinds)  # one query for every kind
    department = _most_local_regulator(code, covering)
    if department is None:
        return None
    if other is not None:
        competent = _of_kind(covering, other)
        if competent is not None:
            return Route(
                department=department,
                region_code=code,
                basis=_("In the remit of %(department)s") % {"department": competent.name},
                other_remit=competent,
            )
    return Route(
        department=department,
        region_code=code,
        basis=basis,
        also_tell=_of_kind(covering, tell),
    )


def common_superior(first: Department, second: Department) -> Department | None:
    """The most local regulator whose jurisdiction covers both departments' regions (it
    designates when they dispute jurisdiction)."""
    a, b = covering_codes(first.region_id), covering_codes(second.region_id)
    for code in [code for code in a if code in b]:
        rows = Department.objects.filter(region_id=code, kind__in=REGULATORS, is_active=True)
        rows = rows.exclude(pk__in=[first.pk, second.pk]).order_by("kind", "code")
        found = rows.first()
        if found is not None:
            return found
    return None
