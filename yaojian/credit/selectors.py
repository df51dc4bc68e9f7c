"""Reads of credit: files, grades and their explanation, lists, the ledger, work lists.

``grades_for(entity_ids)`` and ``check_restrictions`` are what other apps use (inspections
for frequency; the registry through its decision hook).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yaojian.accounts.scoping import scope_for
from yaojian.credit import grades
from yaojian.credit.choices import LISTED_STATES, LedgerState, ListingState, RecordStatus
from yaojian.credit.models import (
    CheckedDecision,
    CreditGrade,
    CreditRecord,
    GradeChange,
    LedgerEntry,
    Listing,
    RepairApplication,
)
from yaojian.credit.services import check_restrictions

__all__ = ["check_restrictions", "grades_for"]


def _key(model: Any, value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise model.DoesNotExist from None


def grades_for(entity_ids: list[int] | set[int] | tuple[int, ...]) -> dict[int, str]:
    """The current grade of each entity (entities never graded are absent)."""
    return dict(
        CreditGrade.objects.filter(entity_id__in=list(entity_ids)).values_list("entity_id", "grade")
    )


def grades_between(first_id: int, last_id: int) -> dict[int, str]:
    """The current grade of each entity whose id lies in ``[first_id, last_id]`` (a batch by
    id: a range read instead of a list of thousands of ids)."""
    return dict(
        CreditGrade.objects.filter(entity_id__gte=first_id, entity_id__lte=last_id).values_list(
            "entity_id", "grade"
        )
    )


def is_listed(entity_id: int) -> bool:
    return Listing.objects.filter(entity_id=entity_id, state__in=sorted(LISTED_STATES)).exists()


def records_for_user(user: Any) -> QuerySet[CreditRecord]:
    return CreditRecord.objects.visible_to(user).select_related(
        "entity", "person", "source_department"
    )


def get_record_for_user(user: Any, public_id: Any) -> CreditRecord:
    return records_for_user(user).get(public_id=_key(CreditRecord, public_id))


def checked_decisions_for_user(user: Any) -> QuerySet[CheckedDecision]:
    """Honours and 告知承诺制 approvals recorded for entities in the user's jurisdiction."""
    return CheckedDecision.objects.visible_to(user).select_related(
        "entity", "department", "decided_by"
    )


def entities_with_grade(queryset: QuerySet[Any], grade: str) -> QuerySet[Any]:
    """``queryset`` of entities narrowed to those whose current grade is ``grade`` (the
    registry's entity search uses it through its filter hook)."""
    return queryset.filter(pk__in=CreditGrade.objects.filter(grade=grade).values("entity_id"))


def listings_for_user(user: Any) -> QuerySet[Listing]:
    return Listing.objects.visible_to(user).select_related("entity", "department")


def get_listing_for_user(user: Any, public_id: Any) -> Listing:
    return listings_for_user(user).get(public_id=_key(Listing, public_id))


def repairs_for_user(user: Any) -> QuerySet[RepairApplication]:
    return RepairApplication.objects.visible_to(user).select_related("record__entity")


def get_repair_for_user(user: Any, public_id: Any) -> RepairApplication:
    return repairs_for_user(user).get(public_id=_key(RepairApplication, public_id))


def ledger_for_user(user: Any) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.visible_to(user).select_related("listing__entity", "department")


def get_ledger_entry_for_user(user: Any, public_id: Any) -> LedgerEntry:
    return ledger_for_user(user).get(public_id=_key(LedgerEntry, public_id))


def can_see_person_data(user: Any, item: CreditRecord) -> bool:
    """A person's name unmasked only in the handling (source) department."""
    scope = scope_for(user)
    return scope.is_superuser or item.source_department_id in scope.department_ids


def mask_name(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


@dataclass
class Contribution:
    record: CreditRecord
    points: int
    cap: str = ""


@dataclass
class Explanation:
    """Why an entity has its grade, and what would change it."""

    grade: str
    score: int
    base: int
    contributions: list[Contribution]
    positive_total: int
    positive_cap: int
    cap: str
    thresholds: dict[str, int]
    changes: list[str] = field(default_factory=list)
    history: list[GradeChange] = field(default_factory=list)
    rule_set_version: int | None = None
    stored_grade: str = ""


def explain_grade(entity: Any, *, day: dt.date | None = None) -> Explanation:
    """The grade computed in Python by the same rules as the SQL, with every contribution."""
    from django.utils.translation import gettext as _

    day = day or timezone.localdate()
    rule_set, rules = grades.rules_for(grades.province_of(entity.region_id))
    records = [
        r
        for r in CreditRecord.objects.filter(entity=entity).select_related("source_department")
        if r.is_active_on(day)
    ]
    contributions = [
        Contribution(r, rules.points.get(r.kind, 0), rules.caps.get(r.kind, "")) for r in records
    ]
    negative = sum(c.points for c in contributions if c.points < 0)
    positive = sum(c.points for c in contributions if c.points > 0)
    capped_positive = min(positive, rules.positive_cap)
    score = rules.base + negative + capped_positive
    cap = max((c.cap for c in contributions if c.cap), default="")
    grade = rules.grade_for(score, cap or None)
    changes: list[str] = []
    order = ["A", "B", "C"]
    if grade != "A":
        better = order[order.index(grade) - 1] if grade in order else "C"
        need = rules.grades[better] - score
        if need > 0:
            changes.append(
                _("%(points)s more points would reach %(grade)s (%(min)s).")
                % {"points": need, "grade": better, "min": rules.grades[better]}
            )
        if cap and cap >= grade:
            changes.append(
                _(
                    "While a record capping the grade at %(cap)s is active, the grade stays %(cap)s or worse."
                )
                % {"cap": cap}
            )
    for c in sorted(contributions, key=lambda c: c.record.expires_on or dt.date.max):
        if c.points < 0 and c.record.expires_on:
            changes.append(
                _("On %(date)s the record “%(kind)s” expires: %(points)s points come back.")
                % {
                    "date": c.record.expires_on.isoformat(),
                    "kind": c.record.get_kind_display(),
                    "points": -c.points,
                }
            )
    if grade != "D":
        worse = {"A": "B", "B": "C", "C": "D"}[grade]
        floor = rules.grades.get(grade, 0)
        changes.append(
            _("Losing %(points)s points would drop the grade to %(grade)s.")
            % {"points": score - floor + 1, "grade": worse}
        )
    stored = CreditGrade.objects.filter(entity=entity).values_list("grade", flat=True).first()
    return Explanation(
        grade=grade,
        score=score,
        base=rules.base,
        contributions=contributions,
        positive_total=positive,
        positive_cap=rules.positive_cap,
        cap=cap,
        thresholds=rules.grades,
        changes=changes,
        history=list(GradeChange.objects.filter(entity=entity)[:10]),
        rule_set_version=rule_set.version if rule_set else None,
        stored_grade=stored or "",
    )


# --- work lists (clocks of §2.5 on the officers' work lists) -----------------------------------


@dataclass(frozen=True)
class ClockItem:
    label: str
    listing: Listing | None
    entry: LedgerEntry | None
    due_on: dt.date | None


def open_clocks(user: Any) -> list[ClockItem]:
    """Every running credit clock the user's departments must meet, the earliest first.

    Two queries whatever the numbers: the listings (running clocks of the user's own
    departments and the proposals waiting for an upper-level approval) and the ledger."""
    scope = scope_for(user)
    own = Q() if scope.is_superuser else Q(department_id__in=sorted(scope.department_ids))
    # Approvals wait at the upper level.
    approvable = [m for m in scope.members if "credit.approve_listing" in m.permissions]
    wanted = own & (
        Q(state__in=[ListingState.APPROVED, ListingState.REMOVAL_APPLIED])
        | (Q(state=ListingState.REMOVED, publication_stopped_on__isnull=True) & ~Q(removal_kind=""))
    )
    if scope.is_superuser or approvable:
        wanted |= Q(state=ListingState.PROPOSED, needs_approval=True)
    # Grouped by clock in the order the lists were always built (the sort below is stable).
    groups: dict[str, list[ClockItem]] = {
        key: [] for key in ("publish", "accept", "decide", "stop", "approve")
    }
    for listing in listings_for_user(user).filter(wanted).select_related("department__region"):
        if listing.state == ListingState.APPROVED:
            groups["publish"].append(ClockItem("publish", listing, None, listing.publish_due_on))
        elif listing.state == ListingState.REMOVAL_APPLIED:
            if listing.removal_accepted_on is None:
                groups["accept"].append(
                    ClockItem("accept", listing, None, listing.removal_accept_due_on)
                )
            else:
                groups["decide"].append(
                    ClockItem("decide", listing, None, listing.removal_decide_due_on)
                )
        elif listing.state == ListingState.REMOVED:
            groups["stop"].append(ClockItem("stop", listing, None, listing.stop_publication_due_on))
        elif scope.is_superuser or any(
            listing.department.region_id.startswith(m.prefix)
            and len(m.prefix) < len(listing.department.region.prefix)
            for m in approvable
        ):
            groups["approve"].append(ClockItem("approve", listing, None, None))
    items = [item for group in groups.values() for item in group]
    ledger = LedgerEntry.objects.filter(state=LedgerState.PENDING).select_related(
        "listing__entity", "department"
    )
    if not scope.is_superuser:
        ledger = ledger.filter(department_id__in=sorted(scope.department_ids))
    for entry in ledger:
        items.append(ClockItem("ledger", entry.listing, entry, entry.due_on))
    items.sort(key=lambda i: (i.due_on or dt.date.max, i.label))
    return items


def public_listings() -> QuerySet[Listing]:
    """The serious-dishonesty list as published (portal and API)."""
    return (
        Listing.objects.filter(state__in=[ListingState.PUBLISHED, ListingState.REMOVAL_APPLIED])
        .select_related("entity", "department")
        .order_by("-approved_on", "-id")
    )


def restrictions_in_force(entity: Any) -> list[tuple[str, list[Any]]]:
    """Each decision restricted for ``entity`` today, with its reasons (the profile's panel)."""
    from yaojian.credit.choices import Action

    found = []
    for action in Action:
        if action == Action.PERSON_APPOINT:
            continue
        reasons = check_restrictions(entity, action.value)
        if reasons:
            found.append((str(action.label), reasons))
    return found


def public_repairs(entity: Any) -> QuerySet[RepairApplication]:
    """Credit repairs granted for an entity's records (shown on its public credit page)."""
    return (
        RepairApplication.objects.filter(record__entity=entity, state="granted")
        .select_related("record")
        .order_by("-decided_on", "-id")
    )


def public_records(entity: Any, *, day: dt.date | None = None) -> QuerySet[CreditRecord]:
    """Public credit information of an entity: penalties in their display period."""
    day = day or timezone.localdate()
    return (
        CreditRecord.objects.filter(entity=entity, status=RecordStatus.ACTIVE)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day))
        .filter(
            kind__in=["penalty", "heavy_penalty", "serious_dishonesty", "insurance_termination"]
        )
        .select_related("source_department")
    )
