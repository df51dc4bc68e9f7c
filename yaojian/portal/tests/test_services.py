import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.portal import services
from yaojian.portal.choices import DisplayRule, EarlyStopCondition, PublicationStatus
from yaojian.portal.models import Publication
from yaojian.portal.tests.factories import decision_changed, penalty, person_penalty

pytestmark = pytest.mark.django_db


def audit_actions():
    return list(
        AuditEvent.objects.filter(action__startswith="portal.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- what is published ------------------------------------------------------------------------


def test_a_decision_is_queued_with_its_deadline_over_the_holiday(department, today):
    # Decided Friday 2025-09-26; 8 days of National Day holiday and two make-up Saturdays.
    publication = services.ingest_decision(payload=penalty(department))
    assert publication.status == PublicationStatus.DRAFT
    assert publication.publish_by == dt.date(2025, 10, 30)
    assert publication.display_rule == DisplayRule.THREE_YEARS
    assert publication.public_party_name == ""  # masked only when published
    assert audit_actions() == ["portal.publication_queued"]


def test_warning_only_penalties_are_not_published(department, today):
    assert (
        services.ingest_decision(
            payload=penalty(department, penalty_kinds=("warning",), fine_amount=None)
        )
        is None
    )
    assert Publication.objects.count() == 0
    assert audit_actions() == []


def test_simple_procedure_decisions_are_not_published(department, today):
    payload = penalty(department, simple_procedure=True, penalty_kinds=("fine",))
    assert services.ingest_decision(payload=payload) is None
    assert Publication.objects.count() == 0


def test_a_decision_is_queued_once(department, today):
    payload = penalty(department)
    services.ingest_decision(payload=payload)
    assert services.ingest_decision(payload=payload) is None
    assert Publication.objects.count() == 1


def test_outside_the_calendar_the_deadline_stays_open(department, today):
    publication = services.ingest_decision(
        payload=penalty(department, decided_on=dt.date(2027, 12, 20))
    )
    assert publication.publish_by is None


def test_auto_publish(department, today, settings):
    settings.PORTAL_AUTO_PUBLISH = True
    publication = services.ingest_decision(payload=penalty(department))
    assert publication.status == PublicationStatus.PUBLISHED
    assert audit_actions() == ["portal.publication_queued", "portal.publication_published"]


# --- publishing -------------------------------------------------------------------------------


def test_publishing_masks_a_natural_person(department, officer, today):
    draft = services.ingest_decision(payload=person_penalty(department))
    published = services.publish_publication(actor=officer, publication=draft)
    assert published.status == PublicationStatus.PUBLISHED
    assert published.public_party_name == "张某某"
    assert published.public_credit_code == ""
    # The party's name is shown once, in its own field; the texts say 当事人.
    assert published.public_violation == (
        "当事人（身份证号***，电话***）在拉萨市城关区无证销售药品。"
    )
    assert published.public_penalty_summary == "对当事人罚款人民币5000元。"
    assert published.display_rule == DisplayRule.THREE_YEARS  # 5,000 > 1,000 for a person
    assert published.display_until == dt.date(2028, 10, 8)
    assert published.published_by == officer


def test_the_public_text_does_not_repeat_an_organisations_name(department, officer, today):
    payload = penalty(
        department,
        party_name="拉萨康达大药房",
        violation="当事人拉萨康达大药房销售劣药；拉萨康达大药房未建立追溯制度。",
    )
    published = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )

    assert published.public_party_name == "拉萨康达大药房"
    assert published.public_violation == "当事人销售劣药；当事人未建立追溯制度。"


def test_an_address_of_a_natural_person_is_trimmed_to_the_county(department, officer, today):
    draft = services.ingest_decision(payload=person_penalty(department))
    draft.party_address = "西藏自治区拉萨市城关区北京中路12号3单元"
    draft.save()
    published = services.publish_publication(actor=officer, publication=draft)
    assert published.public_address == "西藏自治区拉萨市城关区"


def test_an_organisation_is_shown_in_full(department, officer, today):
    draft = services.ingest_decision(payload=penalty(department, party_name="城关区康宁药店"))
    published = services.publish_publication(actor=officer, publication=draft)
    assert published.public_party_name == "城关区康宁药店"
    assert published.public_credit_code == "91540100MA6T3XYZ0A"
    assert published.public_legal_representative == "王建国"


def test_a_low_fine_is_displayed_three_months(department, officer, today):
    payload = penalty(department, penalty_kinds=("warning", "fine"), fine_amount=Decimal("3000"))
    draft = services.ingest_decision(payload=payload)
    published = services.publish_publication(actor=officer, publication=draft)
    assert published.display_rule == DisplayRule.THREE_MONTHS
    assert published.display_until == dt.date(2026, 1, 8)


def test_a_long_ban_is_displayed_for_its_term(department, officer, today):
    payload = penalty(department, penalty_kinds=("fine", "practice_ban"), restriction_years=10)
    published = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )
    assert published.display_until == dt.date(2035, 10, 8)


def test_publishing_twice_is_refused(published, officer):
    with pytest.raises(ValidationError) as error:
        services.publish_publication(actor=officer, publication=published)
    assert error.value.message_dict["status"]


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.DATA_STEWARD, Role.LEADER])
def test_publishing_needs_the_permission(draft, department, member_of, role):
    user = member_of(department, role)
    with pytest.raises((PermissionDenied, Publication.DoesNotExist)):
        services.publish_publication(actor=user, publication=draft)
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
    assert audit_actions() == ["portal.publication_queued"]


def test_another_department_cannot_see_the_draft(draft, other_department, member_of):
    user = member_of(other_department, Role.DEPARTMENT_HEAD)
    with pytest.raises(Publication.DoesNotExist):
        services.publish_publication(actor=user, publication=draft)


# --- withdrawing ------------------------------------------------------------------------------


def test_withdraw_needs_a_reason_and_writes_nothing_without(published, officer):
    with pytest.raises(ValidationError) as error:
        services.withdraw_publication(actor=officer, publication=published, reason="  ")
    assert list(error.value.message_dict) == ["reason"]
    published.refresh_from_db()
    assert published.status == PublicationStatus.PUBLISHED
    assert "portal.publication_withdrawn" not in audit_actions()


def test_withdraw(published, officer):
    withdrawn = services.withdraw_publication(
        actor=officer, publication=published, reason="决定书送达有误"
    )
    assert withdrawn.status == PublicationStatus.WITHDRAWN
    assert withdrawn.reason == "决定书送达有误"
    event = AuditEvent.objects.get(action="portal.publication_withdrawn")
    assert event.reason == "决定书送达有误"


# --- decisions changed ------------------------------------------------------------------------


def test_a_revoked_decision_is_withdrawn_at_once(department, officer, today):
    payload = penalty(department)
    published = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )
    services.apply_decision_change(event=decision_changed(payload, "revoked", dt.date(2025, 9, 30)))
    published.refresh_from_db()
    assert published.status == PublicationStatus.WITHDRAWN
    # 3 working days after Tuesday 2025-09-30, over the holiday: Saturday 10-11 (a make-up day).
    assert published.withdraw_by == dt.date(2025, 10, 11)
    assert published.reason == "处罚决定已被撤销。"  # stored in the default language
    assert audit_actions()[-1] == "portal.publication_withdrawn"


def test_without_auto_withdraw_a_revoked_decision_waits_in_the_queue(
    department, officer, today, settings
):
    settings.PORTAL_AUTO_WITHDRAW = False
    payload = penalty(department)
    published = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )
    services.apply_decision_change(event=decision_changed(payload, "void", dt.date(2025, 10, 9)))
    published.refresh_from_db()
    assert published.status == PublicationStatus.PUBLISHED
    assert published.withdraw_by == dt.date(2025, 10, 13)
    assert audit_actions()[-1] == "portal.publication_withdrawal_due"


def test_a_changed_decision_gets_a_new_version(department, officer, today):
    payload = penalty(department)
    old = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )
    new_payload = penalty(
        department,
        decision_public_id=payload.decision_public_id,
        decision_number=payload.decision_number,
        penalty_summary="罚款人民币30000元。",
        penalty_kinds=("fine",),
        fine_amount=Decimal("30000"),
    )
    written = services.apply_decision_change(
        event=decision_changed(payload, "changed", dt.date(2025, 10, 9), new_payload)
    )
    old.refresh_from_db()
    new = Publication.objects.get(version=2)
    assert [p.pk for p in written] == [new.pk, old.pk]
    assert old.status == PublicationStatus.WITHDRAWN
    assert new.status == PublicationStatus.DRAFT
    assert new.replaces == old
    assert new.penalty_summary == "罚款人民币30000元。"
    assert new.publish_by == dt.date(2025, 10, 13)


def test_a_revoked_draft_is_withdrawn_even_without_auto_withdraw(draft, settings):
    settings.PORTAL_AUTO_WITHDRAW = False
    payload = penalty(draft.department, decision_public_id=draft.decision_public_id)
    services.apply_decision_change(event=decision_changed(payload, "revoked", dt.date(2025, 10, 9)))
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.WITHDRAWN


# --- early stop and expiry --------------------------------------------------------------------

ALL_CONDITIONS = list(EarlyStopCondition.values)


def test_early_stop_needs_the_minimum_period(published, head):
    with pytest.raises(ValidationError) as error:
        services.stop_publication_early(
            actor=head, publication=published, conditions=ALL_CONDITIONS
        )
    assert error.value.error_dict["conditions"][0].code == "too_early"


def test_early_stop_needs_all_four_conditions(published, head):
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        with pytest.raises(ValidationError) as error:
            services.stop_publication_early(
                actor=head, publication=published, conditions=ALL_CONDITIONS[:3]
            )
        assert error.value.error_dict["conditions"][0].code == "conditions_missing"
        stopped = services.stop_publication_early(
            actor=head, publication=published, conditions=ALL_CONDITIONS, reason="已履行"
        )
    assert stopped.status == PublicationStatus.STOPPED
    assert stopped.early_stop_conditions == sorted(ALL_CONDITIONS)
    assert AuditEvent.objects.get(action="portal.publication_stopped").changes["conditions"] == (
        sorted(ALL_CONDITIONS)
    )


def test_revocations_are_never_stopped_early(department, officer, head, today):
    payload = penalty(department, penalty_kinds=("fine", "licence_revocation"))
    published = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )
    with (
        time_machine.travel("2027-01-11 10:00 +0800", tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.stop_publication_early(
            actor=head, publication=published, conditions=ALL_CONDITIONS
        )
    assert error.value.error_dict["conditions"][0].code == "never_stopped"


def test_case_officers_cannot_stop_early(published, officer):
    with pytest.raises(PermissionDenied):
        services.stop_publication_early(
            actor=officer, publication=published, conditions=ALL_CONDITIONS
        )


def test_expiry(department, officer, today):
    payload = penalty(department, penalty_kinds=("criticism",), fine_amount=None)
    published = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )
    assert services.expire_publications(today=dt.date(2026, 1, 8)) == 0
    assert services.expire_publications(today=dt.date(2026, 1, 9)) == 1
    assert services.expire_publications(today=dt.date(2026, 1, 9)) == 0
    published.refresh_from_db()
    assert published.status == PublicationStatus.EXPIRED
    assert audit_actions()[-1] == "portal.publication_expired"
