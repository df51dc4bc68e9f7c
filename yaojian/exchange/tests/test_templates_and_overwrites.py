"""Imports never silently overwrite another department's facts; batches that import nothing
say so; the XLSX templates validate, with Chinese dropdowns and complete lists of values."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.audit.models import AuditEvent
from yaojian.exchange import reading, reports, services
from yaojian.exchange.choices import (
    AlertKind,
    AlertStatus,
    BatchStatus,
    SourceKind,
    source_kind_values,
)
from yaojian.exchange.models import DataQualityAlert, ImportBatch
from yaojian.exchange.rows import RowValidator
from yaojian.exchange.sources import allowed_values, columns_for
from yaojian.exchange.tests.conftest import department_of
from yaojian.exchange.tests.factories import LICENCE_HEADERS, licence_row, xlsx_bytes
from yaojian.registry.choices import EntityKind, LicenceKind, LicenceStatus
from yaojian.registry.models import Entity
from yaojian.registry.selectors import entity_history
from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def _import(actor: Any, data: bytes, kind: str = SourceKind.LICENCE_REGISTER) -> ImportBatch:
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = services.start_import(actor=actor, kind=kind, data=data, file_name="x.xlsx")
    batch.refresh_from_db()
    return batch


# --- another department's legal representative ----------------------------------------------


def test_a_provincial_import_changing_a_countys_legal_representative_is_flagged(
    user_in_department: Any,
) -> None:
    county = user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.MARKET_REGULATOR)
    province = user_in_department(
        role=Role.DATA_STEWARD, region="540000", kind=DepartmentKind.DRUG_REGULATOR
    )
    row = licence_row(1, legal="次仁")
    entity: Any = EntityFactory(
        name=row[0],
        unified_social_credit_code=row[1],
        legal_representative="扎西",
        registered_by=department_of(county),
    )

    batch = _import(province, xlsx_bytes(LICENCE_HEADERS, [row]))

    assert (batch.status, batch.accepted_count) == (BatchStatus.APPLIED, 1)
    entity.refresh_from_db()
    assert entity.legal_representative == "次仁"
    alert = DataQualityAlert.objects.get(entity=entity)
    assert (alert.kind, alert.status) == (AlertKind.LEGAL_REPRESENTATIVE_MISMATCH, AlertStatus.OPEN)
    assert alert.details == {"values": ["扎西", "次仁"]}
    assert set(alert.departments.all()) == {department_of(county), department_of(province)}
    history = [e for e in entity_history(entity, []) if e.action == "exchange.entity_overwritten"]
    assert len(history) == 1
    assert history[0].changes["legal_representative"] == ["扎西", "次仁"]
    assert history[0].changes["registered_by"] == department_of(county).pk
    assert history[0].department == department_of(province)


def test_an_import_filling_its_own_entity_raises_no_alert(user_in_department: Any) -> None:
    steward = user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.DRUG_REGULATOR)
    _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(1)]))
    _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(1, legal="次仁")]))

    assert Entity.objects.get().legal_representative == "次仁"
    assert not DataQualityAlert.objects.exists()
    assert not AuditEvent.objects.filter(action="exchange.entity_overwritten").exists()


# --- a batch that imports nothing does not say "imported" -------------------------------------


def test_a_batch_with_no_accepted_row_does_not_say_imported(
    user_in_department: Any, client: Any
) -> None:
    steward = user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.DRUG_REGULATOR)
    bad = licence_row(1, region="999999")
    rejected = _import(steward, xlsx_bytes(LICENCE_HEADERS, [bad]))
    good = _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(2)]))
    same = _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(2)]))

    assert (rejected.accepted_count, same.unchanged_count) == (0, 1)
    from django.utils import translation

    with translation.override("zh-hans"):
        assert (rejected.status_label, good.status_label, same.status_label) == (
            "未导入任何记录",
            "已入库",
            "无变化",
        )
    client.force_login(steward)
    page = client.get(reverse("exchange:batch_detail", args=[rejected.public_id]))
    assert 'data-testid="batch-status-label" data-state="applied">未导入任何记录<' in (
        page.content.decode()
    )


# --- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", source_kind_values())  # built-in and contributed (ADR 0025)
def test_each_templates_sample_row_passes_its_own_validation(kind: str, regions: None) -> None:
    parsed = reading.parse(kind, reports.template_xlsx(kind))
    validator = RowValidator(kind, jurisdiction_prefix="54")

    results = [validator.validate(line, raw) for line, raw in parsed.rows]

    assert len(results) == 1
    assert not isinstance(results[0], list), results[0]


@pytest.mark.parametrize("kind", source_kind_values())
def test_every_coded_column_has_a_chinese_dropdown_and_a_complete_list(kind: str) -> None:
    workbook = load_workbook(io.BytesIO(reports.template_xlsx(kind)))
    sheet, values = workbook["数据"], workbook["可选值"]
    listed: dict[str, list[tuple[str, str]]] = {}
    for header, code, label in values.iter_rows(min_row=2, values_only=True):
        listed.setdefault(header, []).append((code, label))
    dropdowns = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
        for dv in sheet.data_validations.dataValidation
    }
    coded = [(i, c) for i, c in enumerate(columns_for(kind), start=1) if c.choices]

    for index, column in coded:
        letter = sheet.cell(row=1, column=index).column_letter
        assert dropdowns[letter].type == "list"
        assert listed[column.header] == allowed_values(column.choices)
        sample = sheet.cell(row=2, column=index).value
        assert sample in [label for _code, label in listed[column.header]]
    assert len(dropdowns) == len(coded)


def test_the_lists_are_complete_and_chinese() -> None:
    kinds = dict(allowed_values("entity_kind"))
    assert set(kinds) == set(EntityKind.values)
    assert kinds["single_pharmacy"] == "单体药店"
    assert set(dict(allowed_values("licence_status"))) == set(LicenceStatus.values)
    register = dict(allowed_values("register_licence_kind"))
    assert set(register) == set(LicenceKind.values) - {"medical_practice", "insurance_agreement"}
    assert register["drug_distribution"] == "药品经营许可证"
    assert dict(allowed_values("agreement_status")) == {
        "active": "有效",
        "suspended": "中止",
        "terminated": "解除",
    }


# --- small files are not left queued for the worker --------------------------------------------


def test_a_small_upload_is_applied_at_once_and_a_large_one_is_queued(
    user_in_department: Any, settings: Any
) -> None:
    from django.test import TestCase
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    steward = user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.DRUG_REGULATOR)
    data = xlsx_bytes(LICENCE_HEADERS, [licence_row(1), licence_row(2)])

    with TestCase.captureOnCommitCallbacks(execute=True):
        small = services.start_import(
            actor=steward, kind=SourceKind.LICENCE_REGISTER, data=data, file_name="s.xlsx"
        )
    small.refresh_from_db()
    assert (small.status, small.accepted_count, small.job.status) == ("applied", 2, "succeeded")
    # the worker had no import to run (hand-offs of the applied batch may be queued)
    imports = DBTaskResult.objects.filter(task_path__endswith="run_import_task")
    assert not imports.exists()

    settings.EXCHANGE_INLINE_MAX_ROWS = 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        large = services.start_import(
            actor=steward, kind=SourceKind.LICENCE_REGISTER, data=data, file_name="l.xlsx"
        )
    large.refresh_from_db()
    assert large.status == BatchStatus.QUEUED
    assert imports.count() == 1


def test_a_provincial_import_moves_the_persons_table_and_the_history_shows_it(
    user_in_department: Any, client: Any
) -> None:
    from yaojian.registry.choices import PersonRole
    from yaojian.registry.models import EntityPerson
    from yaojian.registry.tests.factories import EntityPersonFactory, PersonFactory

    county = user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.MARKET_REGULATOR)
    province = user_in_department(
        role=Role.DATA_STEWARD, region="540000", kind=DepartmentKind.DRUG_REGULATOR
    )
    row = licence_row(1, legal="次仁")
    entity: Any = EntityFactory(
        name=row[0],
        unified_social_credit_code=row[1],
        legal_representative="扎西",
        registered_by=department_of(county),
    )
    EntityPersonFactory(
        entity=entity,
        person=PersonFactory(name="扎西", department=department_of(county)),
        role=PersonRole.LEGAL_REPRESENTATIVE,
    )

    _import(province, xlsx_bytes(LICENCE_HEADERS, [row]))

    current = EntityPerson.objects.filter(
        entity=entity, role=PersonRole.LEGAL_REPRESENTATIVE, ended_on__isnull=True
    )
    assert [link.person.name for link in current] == ["次仁"]
    assert DataQualityAlert.objects.filter(entity=entity, status=AlertStatus.OPEN).exists()
    client.force_login(province)
    page = client.get(reverse("registry:entity_detail", args=[entity.public_id])).content.decode()
    assert page.count("次仁") >= 2
    assert "扎西" in page
