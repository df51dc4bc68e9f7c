"""The ``credit_records`` import source (exchange plug-in, ADR 0025): departments send credit
facts (insurance measures, health findings, police outcomes, commitments …) as XLSX or CSV."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yaojian.credit import services
from yaojian.credit.choices import RecordKind, RecordOrigin

KIND = "credit_records"


def _kinds() -> list[tuple[str, str]]:
    with translation.override("zh-hans"):
        return [(code, str(label)) for code, label in RecordKind.choices]


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in _kinds():
        table[code.lower()] = code
        table[label.lower()] = code
    return table


def clean_row(
    v: Any, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]
) -> None:
    from yaojian.exchange.rows import reason

    out["record_id"] = v._text(raw, "record_id", reasons, limit=64)
    out["unified_social_credit_code"] = v._uscc(raw, reasons)
    number = v._text(raw, "id_number", reasons, limit=18).upper()
    out["id_number"] = number
    given = str(raw.get("unified_social_credit_code") or "").strip()
    if not given and not number:
        reasons.append(
            reason(
                "unified_social_credit_code",
                "required",
                _("Give the entity's credit code or the person's identity card number."),
            )
        )
    v._choice(raw, "kind", _lookup(), out, reasons)
    out["legal_basis"] = v._text(raw, "legal_basis", reasons, limit=255)
    day = v._date(raw, "occurred_on", reasons)
    out["occurred_on"] = day.isoformat() if day else None
    end = v._date(raw, "expires_on", reasons)
    out["expires_on"] = end.isoformat() if end else None
    out["summary"] = v._text(raw, "summary", reasons, limit=500)


def _messages(exc: ValidationError) -> list[dict[str, str]]:
    from yaojian.exchange.rows import reason

    if hasattr(exc, "error_dict"):
        return [
            reason(field, error.code or "invalid", " ".join(error.messages))
            for field, errors in exc.error_dict.items()
            for error in errors
        ]
    return [reason("record_id", "invalid", " ".join(exc.messages))]


def apply_rows(*, batch: Any, rows: list[Any], actor: Any) -> list[Any]:
    """Each clean row becomes a record (its own savepoint: a refused row writes nothing)."""
    from yaojian.exchange.applying import Outcome
    from yaojian.exchange.choices import RowOutcome
    from yaojian.registry.services.validation import FieldErrors

    outcomes = []
    for row in rows:
        data = row.payload
        errors = FieldErrors()
        entity = services.resolve_entity(
            errors, "unified_social_credit_code", actor, data["unified_social_credit_code"]
        )
        person = services.resolve_person(errors, "id_number", actor, data["id_number"])
        try:
            errors.raise_if_any()
            item = services.create_record(
                actor=actor,
                entity=entity,
                person=person,
                kind=data["kind"],
                legal_basis=data["legal_basis"],
                occurred_on=data["occurred_on"],
                expires_on=data["expires_on"],
                summary=data["summary"],
                origin=RecordOrigin.IMPORT,
                origin_ref=f"import:{batch.department_id}:{row.record_key}",
            )
        except ValidationError as exc:
            reasons = _messages(exc)
            unchanged = [r for r in reasons if r["code"] == "duplicate"]
            outcomes.append(
                Outcome(
                    row.line,
                    RowOutcome.UNCHANGED if unchanged else RowOutcome.REJECTED,
                    row.record_key,
                    entity_id=entity.pk if entity else None,
                    reasons=[] if unchanged else reasons,
                )
            )
            continue
        except PermissionDenied as exc:
            from yaojian.exchange.rows import reason

            outcomes.append(
                Outcome(
                    row.line,
                    RowOutcome.REJECTED,
                    row.record_key,
                    reasons=[reason("unified_social_credit_code", "forbidden", str(exc))],
                )
            )
            continue
        outcomes.append(
            Outcome(row.line, RowOutcome.ACCEPTED, row.record_key, entity_id=item.entity_id)
        )
    return outcomes


def register() -> None:
    from yaojian.exchange.plugins import ImportSource, register_source
    from yaojian.exchange.sources import DATE_RULE, USCC_RULE, Column

    register_source(
        ImportSource(
            kind=KIND,
            label=_("Credit records"),
            columns=(
                Column(
                    "record_id",
                    "记录编号",
                    True,
                    _("Your own number of the record."),
                    "YB-2026-001",
                ),
                Column(
                    "unified_social_credit_code",
                    "统一社会信用代码",
                    False,
                    USCC_RULE,
                    "91540102MA6T1X2Y0N",
                ),
                Column(
                    "id_number",
                    "身份证号码",
                    False,
                    _("For a record about a person: the 18-character identity card number."),
                    "",
                ),
                Column(
                    "kind",
                    "记录类型",
                    True,
                    _("One of the kinds of credit record."),
                    "医保处理措施",
                    choices="credit_record_kind",
                ),
                Column(
                    "legal_basis",
                    "法律依据",
                    True,
                    _("The articles applied."),
                    "《医疗保障基金使用监督管理条例》第三十八条",
                ),
                Column("occurred_on", "日期", True, DATE_RULE, "2026-03-01"),
                Column("expires_on", "到期日", False, DATE_RULE, ""),
                Column(
                    "summary",
                    "摘要",
                    False,
                    _("What happened, in a sentence."),
                    "暂停医保结算3个月",
                ),
            ),
            uploaders=None,
            clean=clean_row,
            record_key=lambda payload: str(payload["record_id"]),
            apply=apply_rows,
            choice_lists={"credit_record_kind": _kinds},
        )
    )
