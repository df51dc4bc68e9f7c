"""Alerts: grouping, routing as notices, lifecycle, clue; public check and API."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.roles import Role
from yaojian.notices.models import Notice
from yaojian.traceability import services
from yaojian.traceability.choices import AlertStatus, CloseReason
from yaojian.traceability.models import Alert
from yaojian.traceability.tests.helpers import CLINIC, CODE, DIST_FAR, FAR, Events

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
    with translation.override("en"):
        history = [(e.from_label, e.to_label) for e in closed.events.all()]
    assert history == [
        ("", "New"),
        ("New", "Under investigation"),
        ("Under investigation", "Closed"),
    ]
    from yaojian.traceability.selectors import false_positive_rates

    assert false_positive_rates(insurer) == [
        {"rule": "R1", "source": "trace_scan", "closed": 1, "false_positive": 1, "rate": 1.0}
    ]


def test_the_alert_page_tells_its_history_in_words(
    trace_store: Path, user_in_department: Any, client: Any
) -> None:
    insurer = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )
    _ingest(trace_store)
    alert = services.transition_alert(
        actor=insurer, alert=Alert.objects.get(), to_status=AlertStatus.INVESTIGATING
    )
    client.force_login(insurer)
    page = client.get(f"/trace/alerts/{alert.public_id}/").content.decode()
    history = page.split('data-testid="alert-history"', 1)[1].split("</ul>", 1)[0]
    assert "新预警 → 调查中" in history
    assert "investigating" not in history
    assert "new" not in history


def test_the_chain_of_custody_marks_every_alert_of_a_dispense(
    trace_store: Path, user_in_department: Any, client: Any
) -> None:
    insurer = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )
    e = Events()
    e.supply(inst=FAR, dist=DIST_FAR)  # delivered in Chengdu, dispensed in Lhasa: R3 and R4
    e.add("dispense", "2026-03-05T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    services.ingest_folder(actor=None, folder=e.write(trace_store / "in"), idempotency_key="k")
    assert sorted(Alert.objects.values_list("rule", flat=True)) == ["R3", "R4"]
    client.force_login(insurer)
    page = client.get(f"/trace/packs/?code={CODE}").content.decode()
    assert page.count('data-testid="anomaly-mark"') == 2
    assert "无来源发药" in page
    assert "跨地市跳转" in page
    assert '<span title="540102">城关区</span>' in page  # regions by name


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
