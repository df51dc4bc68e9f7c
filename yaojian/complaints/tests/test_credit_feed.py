"""A substantiated report feeds the credit file of the entity it named (an outbox hand-off:
``ComplaintSubstantiated`` → ``handlers.record_substantiated_on_credit``), counted once beside
the credit app's own reaction to the decision, however often it is delivered."""

from __future__ import annotations

from typing import Any

from yaojian.complaints import handlers, services
from yaojian.complaints.events import ComplaintSubstantiated
from yaojian.complaints.tests.conftest import decide_with_fine, receive, report_to_closed_case
from yaojian.core.events import subscribe, unsubscribe
from yaojian.credit.choices import RecordKind
from yaojian.credit.models import CreditRecord
from yaojian.enforcement import services as enforcement
from yaojian.enforcement.models import Case, Decision
from yaojian.registry.tests.factories import EntityFactory


def _report_with_case_party_unregistered(world: Any, capture: Any) -> tuple[Any, list[Any]]:
    """A report naming the registered pharmacy whose case was opened on the free-text party
    (no register link), decided with a fine; the events delivered at once."""
    seen: list[Any] = []
    subscribe(ComplaintSubstantiated, seen.append)
    try:
        with capture(execute=True):
            receipt = receive(entity_public_id=str(world.entity.public_id))
            complaint = services.make_clue(actor=world.officer, complaint=receipt.complaint)
            case = complaint.case
            Case.objects.filter(pk=case.pk).update(entity=None)
            case.refresh_from_db()
            enforcement.begin_verification(
                actor=world.officer, case=case, officers=[world.officer, world.officer2]
            )
            enforcement.file_case(actor=world.head, case=case)
            decide_with_fine(world, case)
    finally:
        unsubscribe(ComplaintSubstantiated, seen.append)
    complaint.refresh_from_db()
    return complaint, seen


def test_substantiated_report_counts_the_penalty_once(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _code = report_to_closed_case(world)
    decision = Decision.objects.get(case=complaint.case)
    records = CreditRecord.objects.filter(entity=world.entity, kind=RecordKind.PENALTY)
    assert list(records.values_list("origin_ref", flat=True)) == [str(decision.public_id)]


def test_report_puts_the_violation_on_the_named_entity_when_the_case_party_is_unlinked(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    complaint, seen = _report_with_case_party_unregistered(
        world, django_capture_on_commit_callbacks
    )
    decision = Decision.objects.get(case=complaint.case)
    assert [e.decision_public_id for e in seen] == [decision.public_id]
    records = CreditRecord.objects.filter(entity=world.entity)
    assert [(r.kind, r.origin_ref, r.source_department_id) for r in records] == [
        (RecordKind.PENALTY, str(decision.public_id), world.county.pk)
    ]
    assert decision.number in records.get().summary
    handlers.record_substantiated_on_credit(seen[0])  # delivered again: nothing added
    assert CreditRecord.objects.filter(entity=world.entity).count() == 1


def test_nothing_recorded_without_a_decision_or_for_another_party(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    complaint, seen = _report_with_case_party_unregistered(
        world, django_capture_on_commit_callbacks
    )
    CreditRecord.objects.all().delete()
    event = seen[0]
    fields = {f: getattr(event, f) for f in event.__dataclass_fields__}
    handlers.record_substantiated_on_credit(
        ComplaintSubstantiated(**{**fields, "decision_public_id": None})
    )
    assert not CreditRecord.objects.exists()
    handlers.record_substantiated_on_credit(ComplaintSubstantiated(**{**fields, "entity_id": None}))
    assert not CreditRecord.objects.exists()
    other = EntityFactory(registered_by=world.county, region_id="540102", name="另一家药店")
    Case.objects.filter(pk=complaint.case_id).update(entity=other)
    handlers.record_substantiated_on_credit(event)
    assert not CreditRecord.objects.exists()
    Case.objects.filter(pk=complaint.case_id).update(entity=world.entity)
    handlers.record_substantiated_on_credit(event)
    assert CreditRecord.objects.filter(entity=world.entity, kind=RecordKind.PENALTY).count() == 1
