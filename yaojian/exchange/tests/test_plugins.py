"""Import sources contributed by other apps (``exchange.plugins``): one source, every path."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from openpyxl import load_workbook

from yaojian.accounts.choices import DepartmentKind
from yaojian.audit.models import AuditEvent
from yaojian.exchange import plugins, reports, services
from yaojian.exchange.applying import Outcome
from yaojian.exchange.choices import BatchStatus, RowOutcome, source_kind_label
from yaojian.exchange.models import ImportBatch, RejectedRow
from yaojian.exchange.rows import reason
from yaojian.exchange.selectors import source_kinds_for
from yaojian.exchange.sources import Column
from yaojian.exchange.tests.conftest import department_of
from yaojian.exchange.tests.factories import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

KIND = "test_observations"
HEADERS = ["编号", "统一社会信用代码", "结论", "说明"]
APPLIED: list[list[dict[str, Any]]] = []


def _clean(v: Any, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]) -> None:
    out["number"] = v._text(raw, "number", reasons, limit=20)
    out["unified_social_credit_code"] = v._uscc(raw, reasons)
    out["verdict"] = v._text(raw, "verdict", reasons, limit=10)
    if out["verdict"] not in ("pass", "fail"):
        reasons.append(reason("verdict", "invalid_choice", "合格或不合格"))
    out["note"] = v._text(raw, "note", reasons, limit=100)


def _apply(*, batch: ImportBatch, rows: list[Any], actor: Any) -> list[Outcome]:
    if any(row.get("note") == "boom" for row in rows):
        raise RuntimeError("the contributing app failed")
    APPLIED.append([dict(row.payload) for row in rows])
    outcomes = []
    for row in rows:
        if row.get("note") == "refuse":
            outcomes.append(
                Outcome(
                    row.line,
                    RowOutcome.REJECTED,
                    row.record_key,
                    reasons=[reason("note", "refused", "refused by the app")],
                )
            )
        else:
            outcomes.append(Outcome(row.line, RowOutcome.ACCEPTED, row.record_key))
    return outcomes


SOURCE = plugins.ImportSource(
    kind=KIND,
    label="Test observations",
    columns=(
        Column("number", "编号", True, "A number.", "S-1"),
        Column("unified_social_credit_code", "统一社会信用代码", False, "USCC.", ""),
        Column("verdict", "结论", True, "pass or fail.", "pass", choices="test_verdict"),
        Column("note", "说明", False, "Free text.", ""),
    ),
    uploaders=frozenset({DepartmentKind.DRUG_REGULATOR}),
    clean=_clean,
    record_key=lambda payload: payload["number"],
    apply=_apply,
    choice_lists={"test_verdict": lambda: [("pass", "合格"), ("fail", "不合格")]},
)


@pytest.fixture(autouse=True)
def contributed() -> Iterator[None]:
    plugins.register_source(SOURCE)
    APPLIED.clear()
    yield
    plugins._SOURCES.pop(KIND, None)


def _import(actor: Any, data: bytes, name: str = "obs.xlsx") -> ImportBatch:
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = services.start_import(actor=actor, kind=KIND, data=data, file_name=name)
    batch.refresh_from_db()
    return batch


def test_a_contributed_source_is_validated_applied_and_its_rejects_kept(steward: Any) -> None:
    rows = [
        ["S-1", "", "pass", ""],
        ["S-2", "91540102MA6T1X2Y3Z", "pass", ""],  # bad check character
        ["S-3", "", "maybe", ""],  # not a verdict
        ["S-1", "", "fail", ""],  # the same record twice
        ["S-4", "", "fail", "refuse"],  # refused by the contributing app
        ["S-5", "", "fail", ""],
    ]
    batch = _import(steward, xlsx_bytes(HEADERS, rows))
    assert batch.status == BatchStatus.APPLIED
    assert (batch.total_rows, batch.accepted_count, batch.rejected_count) == (6, 2, 4)
    assert APPLIED == [
        [
            {"number": "S-1", "unified_social_credit_code": "", "verdict": "pass", "note": ""},
            {
                "number": "S-4",
                "unified_social_credit_code": "",
                "verdict": "fail",
                "note": "refuse",
            },
            {"number": "S-5", "unified_social_credit_code": "", "verdict": "fail", "note": ""},
        ]
    ]
    reasons = {
        r.line_number: [x["code"] for x in r.reasons]
        for r in RejectedRow.objects.filter(batch=batch)
    }
    assert reasons == {
        3: ["invalid_uscc"],
        4: ["invalid_choice"],
        5: ["duplicate_in_file"],
        6: ["refused"],
    }
    assert RejectedRow.objects.get(batch=batch, line_number=6).values["number"] == "S-4"
    assert batch.error_report


def test_a_contributed_source_that_fails_rolls_everything_back(steward: Any) -> None:
    data = csv_bytes(HEADERS, [["S-1", "", "pass", ""], ["S-2", "", "pass", "boom"]])
    batch = _import(steward, data, "obs.csv")  # the job records the failure
    assert batch.status == BatchStatus.FAILED
    assert not RejectedRow.objects.filter(batch=batch).exists()
    assert not AuditEvent.objects.filter(action="exchange.import_applied").exists()


def test_a_contributed_source_belongs_to_its_kinds_of_department(
    steward: Any, insurance_steward: Any
) -> None:
    assert (KIND, "Test observations") in source_kinds_for(department_of(steward))
    assert KIND not in dict(source_kinds_for(department_of(insurance_steward)))
    with pytest.raises(ValidationError) as caught:
        services.start_import(
            actor=insurance_steward,
            kind=KIND,
            data=xlsx_bytes(HEADERS, [["S-1", "", "pass", ""]]),
            file_name="obs.xlsx",
        )
    assert caught.value.error_dict["kind"][0].code == "wrong_department"
    assert not ImportBatch.objects.exists()
    assert source_kind_label(KIND) == "Test observations"


def test_a_contributed_source_has_a_template_with_its_dropdown(steward: Any) -> None:
    workbook = load_workbook(io.BytesIO(reports.template_xlsx(KIND)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["编号*", "统一社会信用代码", "结论*", "说明"]
    values = [
        str(cell.value) for ws in workbook.worksheets for row in ws.iter_rows() for cell in row
    ]
    assert "合格" in values
    assert "不合格" in values


def test_a_contributed_source_takes_records_from_the_api(steward: Any) -> None:
    answers = services.submit_records(
        actor=steward,
        kind=KIND,
        records=[
            {"idempotency_key": "k1", "number": "S-9", "verdict": "pass"},
            {"idempotency_key": "k2", "number": "S-10", "verdict": "nope"},
        ],
    )
    assert [a["outcome"] for a in answers] == [RowOutcome.ACCEPTED, RowOutcome.REJECTED]
    again = services.submit_records(
        actor=steward,
        kind=KIND,
        records=[{"idempotency_key": "k1", "number": "S-9", "verdict": "fail"}],
    )
    assert again[0]["outcome"] == RowOutcome.ACCEPTED
    assert len(APPLIED) == 1


def test_a_kind_cannot_be_registered_twice_or_shadow_a_built_in() -> None:
    with pytest.raises(ValueError, match="built in"):
        plugins.register_source(
            plugins.ImportSource(
                kind="licence_register",
                label="x",
                columns=(),
                uploaders=None,
                clean=_clean,
                record_key=str,
                apply=_apply,
            )
        )
    other = plugins.ImportSource(
        kind=KIND, label="y", columns=(), uploaders=None, clean=_clean, record_key=str, apply=_apply
    )
    with pytest.raises(ValueError, match="registered twice"):
        plugins.register_source(other)
