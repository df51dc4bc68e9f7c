"""Importing files: counts, rejected rows with reasons, re-import, provenance, atomicity."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yaojian.audit.models import AuditEvent
from yaojian.exchange import services
from yaojian.exchange.choices import BatchStatus, SourceKind
from yaojian.exchange.models import FieldProvenance, ImportBatch, RejectedRow, SourceRecord
from yaojian.exchange.selectors import entity_holdings
from yaojian.exchange.tests.conftest import department_of
from yaojian.exchange.tests.factories import (
    LICENCE_HEADERS,
    csv_bytes,
    licence_number,
    licence_row,
    xlsx_bytes,
)
from yaojian.registry.models import Entity, Licence

pytestmark = pytest.mark.django_db


def _import(
    actor: Any, data: bytes, name: str = "licences.xlsx", kind: str = SourceKind.LICENCE_REGISTER
) -> ImportBatch:
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = services.start_import(actor=actor, kind=kind, data=data, file_name=name)
    batch.refresh_from_db()
    return batch


def _reasons(batch: ImportBatch) -> dict[int, list[str]]:
    return {
        r.line_number: [x["code"] for x in r.reasons]
        for r in RejectedRow.objects.filter(batch=batch)
    }


def test_ten_rows_with_three_bad_accepts_seven(steward: Any) -> None:
    rows = [licence_row(n) for n in range(1, 11)]
    rows[1][1] = "91540102MA6T1X2Y3Z"  # line 3: bad check character
    rows[4][3] = "999999"  # line 6: unknown region
    rows[7][8] = "2026-13-45"  # line 9: not a date
    batch = _import(steward, xlsx_bytes(LICENCE_HEADERS, rows))
    assert batch.status == BatchStatus.APPLIED
    assert (
        batch.total_rows,
        batch.accepted_count,
        batch.rejected_count,
        batch.unchanged_count,
    ) == (10, 7, 3, 0)
    assert _reasons(batch) == {3: ["invalid_uscc"], 6: ["unknown_region"], 9: ["invalid_date"]}
    assert Entity.objects.count() == 7
    assert Licence.objects.filter(issued_by=department_of(steward)).count() == 7
    assert batch.error_report
    assert batch.job.status == "succeeded"


def test_reimport_of_the_same_file_changes_nothing(steward: Any) -> None:
    data = xlsx_bytes(LICENCE_HEADERS, [licence_row(n) for n in range(1, 6)])
    first = _import(steward, data)
    audit_before = AuditEvent.objects.filter(action="exchange.rows_applied").count()
    second = _import(steward, data)
    assert (first.accepted_count, first.unchanged_count) == (5, 0)
    assert (second.accepted_count, second.unchanged_count, second.rejected_count) == (0, 5, 0)
    assert AuditEvent.objects.filter(action="exchange.rows_applied").count() == audit_before
    assert set(FieldProvenance.objects.values_list("batch_id", flat=True)) == {first.pk}
    assert FieldProvenance.objects.count() == 5  # one statement per entity, all its fields


def test_later_file_changes_only_what_changed(steward: Any) -> None:
    rows = [licence_row(n) for n in range(1, 4)]
    first = _import(steward, xlsx_bytes(LICENCE_HEADERS, rows))
    rows[1][5] = "次仁"  # legal representative of line 3 changes
    rows[2][10] = "suspended"  # licence of line 4 is suspended
    second = _import(steward, xlsx_bytes(LICENCE_HEADERS, rows))
    assert (second.accepted_count, second.unchanged_count) == (2, 1)
    changed = FieldProvenance.objects.filter(batch=second)
    assert sorted(name for prov in changed for name in prov.values) == [
        "legal_representative",
        f"licence:drug_distribution:{licence_number(3)}:status",
    ]
    entity = Entity.objects.get(unified_social_credit_code=rows[1][1])
    assert entity.legal_representative == "次仁"
    # The profile shows, per field, the batch that last gave its value.
    holding = entity_holdings(steward, entity).departments[0]
    by_field = {claim.field_name: claim for claim in holding.fields}
    assert (by_field["name"].batch, by_field["legal_representative"].batch) == (first, second)
    assert by_field["legal_representative"].value == "次仁"
    assert by_field["address"].value == rows[1][4]
    assert Licence.objects.get(number=licence_number(3)).status == "suspended"


def test_duplicate_record_in_one_file_names_the_first_line(steward: Any) -> None:
    rows = [licence_row(1), licence_row(2), licence_row(1)]
    batch = _import(steward, xlsx_bytes(LICENCE_HEADERS, rows))
    assert (batch.accepted_count, batch.rejected_count) == (2, 1)
    rejected = RejectedRow.objects.get(batch=batch)
    assert rejected.line_number == 4
    assert rejected.reasons[0]["code"] == "duplicate_in_file"
    assert "2" in rejected.reasons[0]["message"]


@pytest.mark.parametrize(
    "value",
    ["2026-01-05", "2026/1/5", "2026.01.05", "20260105", "2026年1月5日", 46027],
)
def test_dates_in_several_formats(steward: Any, value: Any) -> None:
    batch = _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(1, valid_from=value)]))
    assert batch.accepted_count == 1
    assert Licence.objects.get().valid_from.isoformat() == "2026-01-05"


def test_gb18030_and_bom_csv_files(steward: Any) -> None:
    rows = [licence_row(1), licence_row(2)]
    gbk = _import(steward, csv_bytes(LICENCE_HEADERS, rows, "gb18030"), name="a.csv")
    bom = _import(
        steward, b"\xef\xbb\xbf" + csv_bytes(LICENCE_HEADERS, [licence_row(3)]), name="b.csv"
    )
    assert (gbk.encoding, gbk.accepted_count) == ("gb18030", 2)
    assert (bom.encoding, bom.accepted_count) == ("utf-8-sig", 1)
    assert Entity.objects.filter(name="拉萨康达大药房1号店").exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"\x00\x01garbage" * 1000, "unreadable"),
        (b"PK\x03\x04 not really a zip", "unreadable"),
        ("名称,地址\n甲,乙\n".encode(), "unknown_header"),
        ("企业名称,行政区划代码\n甲,540102\n".encode(), "missing_header"),
        (
            "企业名称,统一社会信用代码\n".encode() + "乙".encode("gb18030") + b"\n",
            "mixed_encoding",
        ),
    ],
)
def test_unreadable_files_are_refused_and_nothing_is_stored(
    steward: Any, data: bytes, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.start_import(
            actor=steward, kind=SourceKind.LICENCE_REGISTER, data=data, file_name="x.csv"
        )
    assert caught.value.error_dict["file"][0].code == code
    assert ImportBatch.objects.count() == 0
    assert Entity.objects.count() == 0


def test_mixed_encodings_are_refused(steward: Any) -> None:
    header = ",".join(LICENCE_HEADERS).encode()
    line_utf8 = ",".join(str(v) for v in licence_row(1)).encode("utf-8")
    line_gbk = ",".join(str(v) for v in licence_row(2)).encode("gb18030")
    with pytest.raises(ValidationError) as caught:
        services.start_import(
            actor=steward,
            kind=SourceKind.LICENCE_REGISTER,
            data=b"\n".join([header, line_utf8, line_gbk]),
            file_name="mixed.csv",
        )
    assert caught.value.error_dict["file"][0].code == "mixed_encoding"


def test_merged_header_cells_are_refused(steward: Any) -> None:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(LICENCE_HEADERS)
    sheet.merge_cells("A1:B1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError) as caught:
        services.start_import(
            actor=steward,
            kind=SourceKind.LICENCE_REGISTER,
            data=buffer.getvalue(),
            file_name="m.xlsx",
        )
    assert caught.value.error_dict["file"][0].code == "merged_header"


def test_file_over_the_size_limit_is_refused(steward: Any, settings: Any) -> None:
    settings.EXCHANGE_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        services.start_import(
            actor=steward,
            kind=SourceKind.LICENCE_REGISTER,
            data=b"x" * (1024 * 1024 + 1),
            file_name="big.csv",
        )
    assert caught.value.error_dict["file"][0].code == "file_too_large"


def test_file_for_the_wrong_department_is_refused(insurance_steward: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.start_import(
            actor=insurance_steward,
            kind=SourceKind.LICENCE_REGISTER,
            data=xlsx_bytes(LICENCE_HEADERS, [licence_row(1)]),
            file_name="x.xlsx",
        )
    assert caught.value.error_dict["kind"][0].code == "wrong_department"
    assert ImportBatch.objects.count() == 0


def test_formula_cells_are_neutralised_in_the_error_report(steward: Any, settings: Any) -> None:
    from pathlib import Path

    from openpyxl import load_workbook

    rows = [licence_row(1, name='=HYPERLINK("http://x")', region="999999")]
    batch = _import(steward, xlsx_bytes(LICENCE_HEADERS, rows))
    assert batch.rejected_count == 1
    assert _reasons(batch) == {2: ["formula", "unknown_region"]}
    sheet = load_workbook(Path(settings.MEDIA_ROOT) / batch.error_report).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == 2
    assert values[1][1] == '\'=HYPERLINK("http://x")'
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_failure_midway_leaves_nothing(steward: Any, monkeypatch: Any) -> None:
    from yaojian.exchange import applying

    def broken(self: Any, plans: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(applying.Applier, "_write_provenance", broken)
    _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(n) for n in range(1, 4)]))
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert batch.job.status == "failed"
    assert Entity.objects.count() == 0
    assert Licence.objects.count() == 0
    assert SourceRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action="exchange.rows_applied").exists()


def test_licence_of_another_department_is_rejected(steward: Any, user_in_department: Any) -> None:
    _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(1)]))
    other = user_in_department(role="data_steward", kind="market_regulator")
    batch = _import(other, xlsx_bytes(LICENCE_HEADERS, [licence_row(1, status="revoked")]))
    assert _reasons(batch) == {2: ["issued_by_another_department"]}
    assert Licence.objects.get().status == "valid"


def test_row_outside_the_jurisdiction_is_rejected(steward: Any) -> None:
    batch = _import(steward, xlsx_bytes(LICENCE_HEADERS, [licence_row(1, region="540103")]))
    assert _reasons(batch) == {2: ["outside_jurisdiction"]}
