"""Writes of the investigation and review: evidence, measures, review opinions."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yaojian.enforcement import access
from yaojian.enforcement.choices import (
    CaseStage,
    ClockKind,
    EvidenceKind,
    MeasureKind,
    ReviewConclusion,
    ReviewKind,
)
from yaojian.enforcement.models import Case, EvidenceItem, Measure, Review
from yaojian.enforcement.permissions import REVIEW
from yaojian.enforcement.services.clocks import active_clock, start_clock, stop_clock, stop_clocks
from yaojian.enforcement.services.common import (
    clean_day,
    lock_case,
    log_step,
    move,
    require,
    require_stage,
    required_text,
)

WORKING_STAGES = (CaseStage.VERIFICATION, CaseStage.INVESTIGATION)


def sha256_of(file: Any) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_evidence(
    *,
    actor: Any,
    case: Case,
    kind: str,
    description: str,
    collected_on: Any = None,
    file: Any = None,
) -> EvidenceItem:
    """Add an item of evidence (with an optional file and its SHA-256); lead department only."""
    case = lock_case(actor, case, "change")
    require_stage(case, *WORKING_STAGES)
    require(
        kind in EvidenceKind.values, _("Choose the kind of evidence."), "invalid_choice", "kind"
    )
    description = required_text(description, "description", _("Describe the evidence."))
    on = clean_day(collected_on, "collected_on")
    item = EvidenceItem(
        case=case, kind=kind, description=description, collected_on=on, collected_by=actor
    )
    if file:
        item.sha256 = sha256_of(file)
        item.file = file
    item.save()
    log_step(
        case=case,
        actor=actor,
        action="evidence_added",
        lead_only=True,
        obj=item,
        changes={"kind": kind, "sha256": item.sha256},
    )
    return item


@transaction.atomic
def apply_measure(
    *, actor: Any, case: Case, kind: str, items: str, started_on: Any = None
) -> Measure:
    """先行登记保存 (decide within 7 wd) or 查封扣押 (30 days, +30 with approval)."""
    case = lock_case(actor, case, "change")
    require_stage(case, *WORKING_STAGES)
    require(kind in MeasureKind.values, _("Choose the measure."), "invalid_choice", "kind")
    items = required_text(items, "items", _("List the goods or items concerned."))
    on = clean_day(started_on, "started_on")
    clock_kind = ClockKind.PRESERVATION if kind == MeasureKind.PRESERVATION else ClockKind.SEIZURE
    clock = start_clock(case=case, kind=clock_kind, started_on=on, label=items[:200])
    measure = Measure.objects.create(
        case=case, kind=kind, items=items, started_on=on, clock=clock, applied_by=actor
    )
    log_step(
        case=case,
        actor=actor,
        action="measure_applied",
        lead_only=True,
        obj=measure,
        changes={"kind": kind, "started_on": on.isoformat(), "due_on": str(clock.due_on)},
    )
    return measure


@transaction.atomic
def end_measure(*, actor: Any, measure: Measure, outcome: str, ended_on: Any = None) -> Measure:
    """Lift or conclude a measure: its clock stops (met if in time)."""
    case = lock_case(actor, measure.case, "change")
    measure = Measure.objects.select_for_update(no_key=True).get(pk=measure.pk, case=case)
    require(measure.ended_on is None, _("This measure has already ended."), "ended")
    outcome = required_text(outcome, "outcome", _("Say what became of the goods."))
    on = clean_day(ended_on, "ended_on")
    require(
        on >= measure.started_on,
        _("A measure cannot end before it started."),
        "invalid",
        "ended_on",
    )
    measure.ended_on, measure.outcome = on, outcome
    measure.save(update_fields=["ended_on", "outcome", "updated_at"])
    clock = measure.clock
    clock.case = case
    stop_clock(clock, on)
    log_step(
        case=case, actor=actor, action="measure_ended", lead_only=True, obj=measure, note=outcome
    )
    return measure


@transaction.atomic
def submit_for_review(*, actor: Any, case: Case) -> Case:
    """Send the investigated case with its proposed penalty to review (10 wd, 第55条)."""
    case = lock_case(actor, case, "change")
    require_stage(case, CaseStage.INVESTIGATION)
    require(case.evidence.exists(), _("Add the evidence before the review."), "no_evidence")
    require(
        case.decisions.filter(department=case.department, state="proposed").exists(),
        _("Propose the penalty (or no penalty) before the review."),
        "no_proposal",
    )
    move(case, CaseStage.REVIEW, actor=actor, action="submitted_for_review")
    start_clock(case=case, kind=ClockKind.REVIEW, started_on=clean_day(None, "on"))
    return case


@transaction.atomic
def review_case(*, actor: Any, case: Case, opinion: str, conclusion: str) -> Review:
    """A review opinion: 法制审核 for a major case (legal reviewer), otherwise 案件审核.

    The reviewer may not be a case officer on the case (第52条). Returning the case sends it
    back to investigation; approving lets the officers issue the notice.
    """
    kind = ReviewKind.LEGAL if case.is_major else ReviewKind.CASE
    if kind == ReviewKind.CASE and not access.acts_for(actor, REVIEW, case.department_id):
        case = lock_case(actor, case, "approve")  # 案件审核 by the head is allowed
    else:
        case = lock_case(actor, case, "review")
    require_stage(case, CaseStage.REVIEW)
    require(
        active_clock(case, ClockKind.REVIEW) is not None,
        _("The review has already been given."),
        "review_given",
    )
    require(
        not case.officers.filter(user=actor).exists(),
        _("A case officer of this case cannot review it."),
        "reviewer_is_officer",
    )
    require(
        conclusion in ReviewConclusion.values,
        _("Choose the conclusion."),
        "invalid_choice",
        "conclusion",
    )
    opinion = required_text(opinion, "opinion", _("Write the review opinion."))
    on = clean_day(None, "on")
    review = Review.objects.create(
        case=case,
        kind=ReviewKind.LEGAL if case.is_major else ReviewKind.CASE,
        reviewer=actor,
        opinion=opinion,
        conclusion=conclusion,
        reviewed_on=on,
    )
    stop_clocks(case, {ClockKind.REVIEW}, on)
    if conclusion == ReviewConclusion.RETURN:
        move(case, CaseStage.INVESTIGATION, actor=actor, action="review_returned", note=opinion)
    else:
        log_step(case=case, actor=actor, action="review_approved", note=opinion, obj=review)
    return review


def latest_review_approved(case: Case) -> bool:
    review = case.reviews.order_by("-id").first()
    return review is not None and review.conclusion == ReviewConclusion.APPROVE


__all__ = [
    "active_clock",
    "add_evidence",
    "apply_measure",
    "end_measure",
    "latest_review_approved",
    "review_case",
    "submit_for_review",
]
