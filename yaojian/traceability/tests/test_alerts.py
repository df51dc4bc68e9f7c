"""Alerts: grouping, routing as notices, lifecycle, clue; public check and API."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.roles import Role
from yaojian.notices.models import Notice
from yaojian.traceability import services
from yaojian.traceability.choices import AlertStatus, CloseReason
from yaojian.traceability.models import Alert
from yaojian.traceability.tests.helpers import CLINIC, CODE, Events

pytestmark = pytest.mark.django_db


@pytest.fixture
def trace_store(settings: Any, tmp_path: Path) -> Path:
    settings.TRACE_STORE_DIR = tmp_path / "store"
    return tmp_path


def _ingest(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-09T09:00:00+08:00", CLINIC, insured="p2", settlement="s2")
    services.ingest_folder(actor=None, folder=e.write(tmp_path / "in"), idempotency_key="k1")


def test_flags_become_one_alert_routed_to_insurance_and_regulator(
    trace_store: Path, user_in_department: Any
) -> None:
    insurer = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )
    regulator = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.DRUG_REGULATOR
    )
    _ingest(trace_store)
    alert = Alert.objects.get()
    assert (alert.rule, alert.party_uscc, alert.region.code, alert.flag_count) == (
        "R1",
        CLINIC,
        "540102",
        1,
    )
    recipients = set(
        Notice.objects.filter(source_ref=str(alert.public_id)).values_list(
            "recipient_id", flat=True
        )
    )
    departments = {
        insurer.memberships.get().department_id,
        regulator.memberships.get().department_id,
    }
    assert recipients & departments
    assert Notice.objects.filter(source_app="traceability").count() >= 1


def test_a_resent_batch_raises_no_second_alert(trace_store: Path) -> None:
    _ingest(trace_store)
    _batch, created = services.ingest_folder(
        actor=None, folder=trace_store / "in", idempotency_key="k1"
    )
    assert created is False
    assert Alert.objects.count() == 1


def test_alert_lifecycle_and_clue(trace_store: Path, user_in_department: Any) -> None:
    insurer = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )
    _ingest(trace_store)
    alert = Alert.objects.get()
    with pytest.raises(ValidationError):
        services.transition_alert(actor=insurer, alert=alert, to_status=AlertStatus.ESCALATED)
    alert = services.transition_alert(
        actor=insurer, alert=alert, to_status=AlertStatus.INVESTIGATING
    )
    with pytest.raises(ValidationError):
        services.transition_alert(actor=insurer, alert=alert, to_status=AlertStatus.CLOSED)
    closed = services.transition_alert(
        actor=insurer,
        alert=alert,
        to_status=AlertStatus.CLOSED,
        reason=CloseReason.FALSE_POSITIVE_SPLIT,
        note="拆零",
    )
    assert [e.to_status for e in closed.events.all()] == ["new", "investigating", "closed"]
    from yaojian.traceability.selectors import false_positive_rates

    assert false_positive_rates(insurer) == [
        {"rule": "R1", "source": "trace_scan", "closed": 1, "false_positive": 1, "rate": 1.0}
    ]


def test_other_departments_may_not_handle_alerts(
    trace_store: Path, user_in_department: Any
) -> None:
    outsider = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.HEALTH_COMMISSION
    )
    _ingest(trace_store)
    with pytest.raises(PermissionDenied):
        services.transition_alert(
            actor=outsider, alert=Alert.objects.get(), to_status=AlertStatus.INVESTIGATING
        )
    assert Alert.objects.get().status == AlertStatus.NEW


def test_public_check_gives_the_three_answers_and_nothing_personal(
    trace_store: Path, client: Any
) -> None:
    _ingest(trace_store)
    many = client.get("/trace/check/", {"code": CODE}).content.decode()
    assert 'data-testid="check-answer"' in many
    # (the CSRF token of the language switch is random text: it may hold "p1")
    many = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", many)
    assert "p1" not in many
    assert CLINIC not in many
    none = client.get("/trace/check/", {"code": "81111111111111111111"})
    assert none.status_code == 200


def test_realtime_api(trace_store: Path, api_client_for: Any, user_in_department: Any) -> None:
    _ingest(trace_store)
    client = api_client_for(user_in_department())
    data = client.get(f"/api/v1/trace/codes/{CODE}/").json()
    assert (
        data["settled"],
        data["settlements"],
        data["units_settled"],
        data["last_settled_by"],
    ) == (True, 2, 20, CLINIC)
    assert client.get("/api/v1/trace/codes/6901234567892/").status_code == 400
    assert client.get("/api/v1/trace/codes/81111111111111111111/").json()["known"] is False
