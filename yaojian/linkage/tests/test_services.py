"""Review services: queue, confirm, reject — audited, event after commit, nothing on failure."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.core import events
from yaojian.linkage.choices import ReviewState
from yaojian.linkage.events import LinkReviewResolved
from yaojian.linkage.matching import Band, LinkRecord, Match
from yaojian.linkage.models import LinkReview
from yaojian.linkage.services import confirm_review, queue_for_review, reject_review
from yaojian.linkage.tests.factories import LinkReviewFactory
from yaojian.registry.tests.factories import EntityFactory


@pytest.fixture
def received():
    seen: list[LinkReviewResolved] = []
    events.subscribe(LinkReviewResolved, seen.append)
    yield seen
    events.unsubscribe(LinkReviewResolved, seen.append)


def _steward_of(review, user_in_department):
    return user_in_department(role=Role.DATA_STEWARD, department=review.department)


@pytest.mark.django_db
def test_queue_stores_record_candidate_and_explanation(user_in_department):
    # given
    user = user_in_department(role=Role.DATA_STEWARD)
    department = user.memberships.get().department
    entity = EntityFactory()
    record = LinkRecord(key="row-3", name="康仁药店", address="北京中路12号", region_code="540102")
    match = Match("row-3", Band.REVIEW, entity.pk, 0.7, 1.2, (("name", 5.0), ("address", -1.0)))
    # when
    review = queue_for_review(
        actor=user,
        department=department,
        record=record,
        match=match,
        source_app="exchange",
        source_ref="b1:3",
        payload={"row": 3},
    )
    # then
    assert (review.state, review.candidate, review.record_name) == ("pending", entity, "康仁药店")
    assert review.explanation == [["name", 5.0], ["address", -1.0]]
    assert (
        AuditEvent.objects.filter(
            action="linkage.review_queued", object_id=str(review.public_id)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_queue_is_idempotent_per_source(user_in_department):
    user = user_in_department(role=Role.DATA_STEWARD)
    department = user.memberships.get().department
    kwargs = {
        "actor": user,
        "department": department,
        "record": LinkRecord(key="r", name="康仁药店"),
        "match": Match("r", Band.REVIEW, None, 0.6, 0.5, ()),
        "source_app": "exchange",
        "source_ref": "b1:1",
        "payload": {},
    }
    first = queue_for_review(**kwargs)
    again = queue_for_review(**kwargs)
    assert first.pk == again.pk
    assert LinkReview.objects.count() == 1


@pytest.mark.django_db
def test_queue_for_another_department_is_refused(user_in_department):
    user = user_in_department(role=Role.DATA_STEWARD)
    other = user_in_department(role=Role.DATA_STEWARD).memberships.get().department
    with pytest.raises(PermissionDenied):
        queue_for_review(
            actor=user,
            department=other,
            record=LinkRecord(key="r", name="x"),
            match=Match("r", Band.REVIEW, None, 0.6, 0.5, ()),
            source_app="exchange",
            source_ref="b1:1",
            payload={},
        )
    assert LinkReview.objects.count() == 0
    assert not AuditEvent.objects.filter(action="linkage.review_queued").exists()


@pytest.mark.django_db(transaction=True)
def test_confirm_links_to_the_candidate_and_publishes(user_in_department, received):
    # given
    review = LinkReviewFactory()
    steward = _steward_of(review, user_in_department)
    # when
    confirmed = confirm_review(actor=steward, review=review)
    # then
    assert (confirmed.state, confirmed.linked_entity, confirmed.decided_by) == (
        ReviewState.CONFIRMED,
        review.candidate,
        steward,
    )
    assert received == [
        LinkReviewResolved(
            review_id=review.pk,
            decision="confirmed",
            entity_id=review.candidate_id,
            source_app="exchange",
            source_ref=review.source_ref,
            payload={"row": 1},
            actor_id=steward.pk,
            department_id=review.department_id,
        )
    ]
    assert AuditEvent.objects.filter(action="linkage.review_confirmed").count() == 1


@pytest.mark.django_db
def test_confirm_to_another_entity_in_jurisdiction(user_in_department):
    review = LinkReviewFactory()
    steward = _steward_of(review, user_in_department)
    other = EntityFactory(region_id="540102")
    confirmed = confirm_review(actor=steward, review=review, entity=other)
    assert confirmed.linked_entity == other


@pytest.mark.django_db
def test_confirm_to_an_entity_outside_jurisdiction_writes_nothing(user_in_department, received):
    review = LinkReviewFactory()
    steward = _steward_of(review, user_in_department)
    far = EntityFactory(region_id="440106")
    with pytest.raises(ValidationError) as error:
        confirm_review(actor=steward, review=review, entity=far)
    assert "entity" in error.value.message_dict
    review.refresh_from_db()
    assert review.state == ReviewState.PENDING
    assert not AuditEvent.objects.filter(action="linkage.review_confirmed").exists()
    assert received == []


@pytest.mark.django_db(transaction=True)
def test_reject_needs_a_reason_then_publishes(user_in_department, received):
    review = LinkReviewFactory()
    steward = _steward_of(review, user_in_department)
    with pytest.raises(ValidationError):
        reject_review(actor=steward, review=review, reason="  ")
    assert received == []
    rejected = reject_review(actor=steward, review=review, reason="不同门店")
    assert (rejected.state, rejected.reason) == (ReviewState.REJECTED, "不同门店")
    assert [(e.decision, e.entity_id) for e in received] == [("rejected", None)]
    event = AuditEvent.objects.get(action="linkage.review_rejected")
    assert event.reason == "不同门店"


@pytest.mark.django_db
def test_a_decided_review_cannot_be_decided_again(user_in_department):
    review = LinkReviewFactory()
    steward = _steward_of(review, user_in_department)
    confirm_review(actor=steward, review=review)
    with pytest.raises(ValidationError):
        reject_review(actor=steward, review=review, reason="again")
    review.refresh_from_db()
    assert review.state == ReviewState.CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "same_department", "allowed"),
    [
        (Role.DATA_STEWARD, True, True),
        (Role.ADMINISTRATOR, True, True),
        (Role.INSPECTOR, True, False),
        (Role.DEPARTMENT_HEAD, True, False),
        (Role.DATA_STEWARD, False, False),
    ],
)
def test_authorization_matrix(user_in_department, role, same_department, allowed):
    review = LinkReviewFactory()
    if same_department:
        user = user_in_department(role=role, department=review.department)
    else:
        user = user_in_department(role=role, region="540102")
    if allowed:
        confirm_review(actor=user, review=review)
        assert LinkReview.objects.get(pk=review.pk).state == ReviewState.CONFIRMED
    else:
        with pytest.raises(PermissionDenied):
            confirm_review(actor=user, review=review)
        assert LinkReview.objects.get(pk=review.pk).state == ReviewState.PENDING
        assert not AuditEvent.objects.filter(action="linkage.review_confirmed").exists()


@pytest.mark.django_db
def test_link_to_registry_bands_and_region_prefix():
    # given: two entities in Lhasa, one in Guangzhou
    kangren = EntityFactory(
        name="拉萨市康仁大药房有限公司",
        address="拉萨市城关区北京中路12号",
        region_id="540102",
        legal_representative="扎西",
    )
    EntityFactory(name="拉萨市雪域诊所", address="拉萨市城关区江苏路3号", region_id="540102")
    EntityFactory(
        name="广州市康仁大药房有限公司", address="广州市天河区人民路9号", region_id="440106"
    )
    records = [
        LinkRecord(
            key="a",
            name="康仁藥店",
            address="城关区北京中路１２号",
            region_code="540102",
            credit_code=kangren.unified_social_credit_code,
        ),
        LinkRecord(key="b", name="完全不同的医院", address="某路1号", region_code="540102"),
    ]
    # when
    from yaojian.linkage.matching import link_to_registry

    matches = link_to_registry(records, region_prefix="54")
    # then
    assert [m.key for m in matches] == ["a", "b"]
    assert (matches[0].band, matches[0].entity_id) == (Band.AUTO, kangren.pk)
    assert matches[0].probability >= 0.95
    assert (matches[1].band, matches[1].entity_id) == (Band.NEW, None)
