"""The ``lab_results`` import source (exchange plug-in, ADR 0025): laboratory results of the
samples, one row per sample number. Unknown sample numbers, samples of another department and
samples that already have a result are kept as rejected rows; a failed result opens a clue,
sends notices and publishes ``SampleFailed`` (``services.record_lab_result``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yaojian.exchange.applying import Outcome
from yaojian.exchange.choices import RowOutcome
from yaojian.exchange.plugins import ImportSource, register_source
from yaojian.exchange.rows import reason
from yaojian.exchange.sources import DATE_RULE, Column

KIND = "lab_results"
RESULTS = {"pass": "pass", "合格": "pass", "fail": "fail", "不合格": "fail"}

COLUMNS = (
    Column(
        "sample_number",
        "抽样编号",
        True,
        _("The sample number given when it was taken."),
        "CJ2026-0001",
    ),
    Column(
        "lab_result",
        "检验结论",
        True,
        _("合格 (pass) or 不合格 (fail)."),
        "不合格",
        choices="lab_result",
    ),
    Column("result_on", "报告日期", True, DATE_RULE, "2026-11-01"),
    Column(
        "report_number", "检验报告编号", False, _("The laboratory's report number."), "LAB-2026-118"
    ),
    Column("failed_items", "不合格项目", False, _("What failed, for a failed result."), "含量测定"),
)


def clean_row(
    v: Any, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]
) -> None:
    out["sample_number"] = v._text(raw, "sample_number", reasons, limit=32)
    verdict = v._text(raw, "lab_result", reasons, limit=10)
    out["lab_result"] = RESULTS.get(verdict.lower(), "")
    if not out["lab_result"]:
        reasons.append(reason("lab_result", "invalid_choice", _("Enter 合格 or 不合格.")))
    day = v._date(raw, "result_on", reasons)
    out["result_on"] = day.isoformat() if day else ""
    out["report_number"] = v._text(raw, "report_number", reasons, limit=64)
    out["failed_items"] = v._text(raw, "failed_items", reasons, limit=255)
    if out["lab_result"] == "fail" and not out["failed_items"]:
        reasons.append(reason("failed_items", "required", _("Name what failed.")))


def apply_rows(*, batch: Any, rows: list[Any], actor: Any) -> list[Outcome]:
    import datetime as dt

    from yaojian.inspections.choices import SampleState
    from yaojian.inspections.models import Sample
    from yaojian.inspections.services import record_lab_result

    department_id = batch.source.department_id
    numbers = [row.payload["sample_number"] for row in rows]
    samples = {s.number: s for s in Sample.objects.filter(number__in=numbers)}
    outcomes = []
    for row in rows:
        payload = row.payload
        sample = samples.get(payload["sample_number"])
        if sample is None or sample.department_id != department_id:
            outcomes.append(
                Outcome(
                    row.line,
                    RowOutcome.REJECTED,
                    row.record_key,
                    reasons=[
                        reason(
                            "sample_number",
                            "unknown_sample",
                            _("No sample of your department has this number."),
                        )
                    ],
                )
            )
            continue
        if sample.state != SampleState.AT_LAB:
            outcomes.append(
                Outcome(
                    row.line,
                    RowOutcome.REJECTED,
                    row.record_key,
                    entity_id=sample.entity_id,
                    reasons=[
                        reason(
                            "sample_number", "has_result", _("This sample has a result already.")
                        )
                    ],
                )
            )
            continue
        record_lab_result(
            actor=actor,
            sample=sample,
            passed=payload["lab_result"] == "pass",
            result_on=dt.date.fromisoformat(payload["result_on"]),
            report_number=payload["report_number"],
            failed_items=payload["failed_items"],
        )
        outcomes.append(
            Outcome(row.line, RowOutcome.ACCEPTED, row.record_key, entity_id=sample.entity_id)
        )
    return outcomes


SOURCE = ImportSource(
    kind=KIND,
    label=_("Laboratory results of samples"),
    columns=COLUMNS,
    uploaders=None,
    clean=clean_row,
    record_key=lambda payload: payload["sample_number"],
    apply=apply_rows,
    choice_lists={"lab_result": lambda: [("pass", "合格"), ("fail", "不合格")]},
)


def register() -> None:
    register_source(SOURCE)
