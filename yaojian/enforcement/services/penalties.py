"""Penalty items: validation (with the fine calculator), hearing scope, publication text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.models import Department
from yaojian.enforcement import clock_rules
from yaojian.enforcement.choices import AMOUNT_KINDS, INSURANCE_KINDS, PenaltyKind
from yaojian.enforcement.events import PenaltyPublication
from yaojian.enforcement.models import Case, Decision, PenaltyItem
from yaojian.registry.choices import LicenceKind, LicenceStatus
from yaojian.registry.models import Licence, Person


@dataclass
class ItemInput:
    """One penalty item as entered (forms and API build these)."""

    kind: str
    amount: Any = None
    conduct: str = ""
    goods_value: Any = None
    retail: bool = False
    serious: bool = False
    # A fine on a responsible person inside the organisation (第118条 and the like): a separate
    # penalty on ``person``, with ``goods_value`` the income they took from the organisation.
    responsible_person: bool = False
    licence: Any = None  # Licence or its public id
    person: Any = None  # Person or its public id
    ban_years: Any = None  # None with a ban: for life
    months: Any = None
    description: str = ""


def _decimal(value: Any, field: str, errors: dict[str, list[ValidationError]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        errors.setdefault(field, []).append(
            ValidationError(_("Enter an amount of zero or more yuan."), code="invalid_amount")
        )
        return None
    return number.quantize(Decimal("0.01"))


def _lookup(model: Any, value: Any, case: Case) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    try:
        return model.objects.filter(public_id=str(value)).first()
    except ValidationError:
        return None


def build_items(
    case: Case, department: Any, inputs: list[ItemInput], *, own_department_only: bool = False
) -> list[PenaltyItem]:
    """Validated, unsaved items; ``ValidationError`` (field ``items``) listing every problem."""
    errors: dict[str, list[ValidationError]] = {}
    items: list[PenaltyItem] = []
    is_insurance = department.kind == DepartmentKind.MEDICAL_INSURANCE
    for raw in inputs:
        kind = raw.kind
        if kind not in PenaltyKind.values:
            errors.setdefault("items", []).append(
                ValidationError(
                    _("“%(value)s” is not a kind of penalty."),
                    code="invalid_choice",
                    params={"value": str(kind)[:40]},
                )
            )
            continue
        if kind in INSURANCE_KINDS and not is_insurance:
            errors.setdefault("items", []).append(
                ValidationError(
                    _(
                        "Only a medical-insurance bureau decides on insurance agreements and fund recovery."
                    ),
                    code="insurance_only",
                )
            )
        if own_department_only and kind not in INSURANCE_KINDS | {
            PenaltyKind.WARNING,
            PenaltyKind.FINE,
        }:
            errors.setdefault("items", []).append(
                ValidationError(
                    _(
                        "A participating department decides only its own measures, warnings and fines."
                    ),
                    code="not_own_measure",
                )
            )
        item = PenaltyItem(kind=kind, description=str(raw.description or "").strip())
        item.amount = _decimal(raw.amount, "items", errors)
        if kind in AMOUNT_KINDS and item.amount is None:
            errors.setdefault("items", []).append(
                ValidationError(
                    _("Enter the amount of the %(kind)s."),
                    code="amount_required",
                    params={"kind": PenaltyKind(kind).label},
                )
            )
        if kind == PenaltyKind.FINE and raw.responsible_person:
            item.person = _lookup(Person, raw.person, case)
            if item.person is None:
                errors.setdefault("items", []).append(
                    ValidationError(
                        _("Choose the responsible person who is fined."), code="person_required"
                    )
                )
            if not raw.conduct:
                errors.setdefault("items", []).append(
                    ValidationError(
                        _("Choose the conduct: it sets the fine on a responsible person."),
                        code="conduct_required",
                    )
                )
        if kind == PenaltyKind.FINE and raw.conduct:
            _check_fine(item, raw, case, errors)
        if kind in (
            PenaltyKind.REVOKE_LICENCE,
            PenaltyKind.AGREEMENT_SUSPENSION,
            PenaltyKind.AGREEMENT_TERMINATION,
        ):
            _check_licence(item, raw, case, department, errors)
        if kind == PenaltyKind.BAN_PERSON:
            person = _lookup(Person, raw.person, case)
            if person is None:
                errors.setdefault("items", []).append(
                    ValidationError(_("Choose the person who is banned."), code="person_required")
                )
            item.person = person
            if raw.ban_years not in (None, "", "lifetime"):
                try:
                    item.ban_years = int(raw.ban_years)
                except (TypeError, ValueError):
                    item.ban_years = 0
                if item.ban_years <= 0:
                    errors.setdefault("items", []).append(
                        ValidationError(
                            _("A ban lasts a positive number of years, or for life."),
                            code="invalid_ban",
                        )
                    )
        if kind in (
            PenaltyKind.SUSPEND_BUSINESS,
            PenaltyKind.AGREEMENT_SUSPENSION,
        ) and raw.months not in (None, ""):
            try:
                item.months = int(raw.months)
            except (TypeError, ValueError):
                errors.setdefault("items", []).append(
                    ValidationError(_("Enter the number of months."), code="invalid_months")
                )
        items.append(item)
    if errors:
        raise ValidationError(errors)
    return items


def _check_fine(
    item: PenaltyItem, raw: ItemInput, case: Case, errors: dict[str, list[ValidationError]]
) -> None:
    from yaojian.enforcement import fines

    value = _decimal(raw.goods_value, "items", errors)
    if value is None:
        errors.setdefault("items", []).append(
            ValidationError(
                _("Enter the value of the goods to compute the fine."), code="goods_value_required"
            )
        )
        return
    try:
        fine_range = fines.calculate_fine(
            raw.conduct,
            value,
            retail=bool(raw.retail),
            serious=bool(raw.serious),
            party_kind=case.party_kind,
            responsible_person=bool(raw.responsible_person),
        )
    except ValueError as exc:
        errors.setdefault("items", []).append(ValidationError(str(exc), code="fine_not_applicable"))
        return
    item.conduct, item.goods_value = raw.conduct, value
    item.fine_minimum, item.fine_maximum, item.article = (
        fine_range.minimum,
        fine_range.maximum,
        fine_range.article[:128],
    )
    if item.amount is not None and not (fine_range.minimum <= item.amount <= fine_range.maximum):
        errors.setdefault("items", []).append(
            ValidationError(
                _("The fine must lie between %(minimum)s and %(maximum)s yuan (%(article)s)."),
                code="fine_out_of_range",
                params={
                    "minimum": fine_range.minimum,
                    "maximum": fine_range.maximum,
                    "article": fine_range.article,
                },
            )
        )


def _check_licence(
    item: PenaltyItem,
    raw: ItemInput,
    case: Case,
    department: Any,
    errors: dict[str, list[ValidationError]],
) -> None:
    licence = _lookup(Licence, raw.licence, case)
    insurance = item.kind != PenaltyKind.REVOKE_LICENCE
    if licence is None or case.entity_id is None or licence.entity_id != case.entity_id:
        errors.setdefault("items", []).append(
            ValidationError(_("Choose a licence of the party."), code="licence_required")
        )
        return
    if insurance and licence.kind != LicenceKind.INSURANCE_AGREEMENT:
        errors.setdefault("items", []).append(
            ValidationError(
                _("Choose the party's insurance designation agreement."), code="not_agreement"
            )
        )
    if licence.issued_by_id != department.pk:
        errors.setdefault("items", []).append(
            ValidationError(
                _(
                    "Only the department that issued %(licence)s may revoke or suspend it (第139条)."
                ),
                code="not_issuer",
                params={"licence": str(licence)},
            )
        )
    if licence.status in (LicenceStatus.REVOKED, LicenceStatus.CANCELLED):
        errors.setdefault("items", []).append(
            ValidationError(
                _("%(licence)s is no longer in force."),
                code="licence_ended",
                params={"licence": str(licence)},
            )
        )
    item.licence = licence


def total(items: Any, *kinds: str) -> Decimal:
    return sum((i.amount or Decimal(0) for i in items if i.kind in kinds), Decimal(0))


def confiscated_total(items: Any) -> Decimal:
    """Illegal gains and the value of illegal property confiscated, together (听证办法 第5条)."""
    return total(items, PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_GOODS)


def hearing_in_scope(case: Case, items: Any) -> bool:
    """听证办法 第5条: suspension, revocation, bans; or a fine from the fine threshold; or a
    confiscation (illegal gains plus illegal property) from the confiscation threshold.

    The fine and the confiscation are each compared with their own threshold, never added
    together; a natural person and an individual business have a citizen's thresholds; the
    amounts are the province's (``clock_rules.provincial``). "以上" includes the threshold.
    """
    heavy = {PenaltyKind.SUSPEND_BUSINESS, PenaltyKind.REVOKE_LICENCE, PenaltyKind.BAN_PERSON}
    if any(i.kind in heavy for i in items):
        return True
    who = "person" if case.party_is_citizen else "organisation"
    fine_threshold = Decimal(str(clock_rules.provincial(f"hearing_fine_{who}", case.region_id)))
    confiscation_threshold = Decimal(
        str(clock_rules.provincial(f"hearing_confiscation_{who}", case.region_id))
    )
    party_fines = [i for i in items if i.kind == PenaltyKind.FINE and not i.person_id]
    fine = total(party_fines, PenaltyKind.FINE)
    confiscated = confiscated_total(items)
    if (fine > 0 and fine >= fine_threshold) or (
        confiscated > 0 and confiscated >= confiscation_threshold
    ):
        return True
    # A fine on a responsible person (第118条) is that person's: a citizen's threshold.
    person_threshold = Decimal(str(clock_rules.provincial("hearing_fine_person", case.region_id)))
    return any(
        i.kind == PenaltyKind.FINE and i.person_id and (i.amount or 0) >= person_threshold
        for i in items
    )


def describe(item: PenaltyItem) -> str:
    label = str(PenaltyKind(item.kind).label)
    if item.amount is not None:
        return f"{label} {item.amount} 元"
    if item.licence_id:
        return f"{label} {item.licence}"
    if item.kind == PenaltyKind.BAN_PERSON:
        years = item.ban_years
        return f"{label} {item.person} {years if years else '∞'}"
    return label


def assign_number(decision: Decision, on: Any) -> None:
    """文书号 per department per year: <department>罚〔<year>〕<n>号.

    The department's row is locked until commit, so two decisions of one department taken at
    once get consecutive numbers (the global audit lock used to serialise them; ADR 0011).
    """
    year = on.year
    locked = Department.objects.select_for_update(no_key=True).filter(pk=decision.department_id)
    list(locked.values_list("pk", flat=True))
    last = Decision.objects.filter(department=decision.department, year=year).aggregate(
        m=Max("sequence")
    )["m"]
    decision.year, decision.sequence = year, (last or 0) + 1
    decision.number = f"{decision.department.name}罚〔{year}〕{decision.sequence}号"


def publication_for(case: Case, decision: Decision) -> PenaltyPublication:
    items = list(decision.items.all())
    fine = total(items, PenaltyKind.FINE)
    confiscated = confiscated_total(items)
    bans = [i for i in items if i.kind == PenaltyKind.BAN_PERSON]
    years = [i.ban_years for i in bans if i.ban_years]
    lifetime = any(not i.ban_years for i in bans)
    return PenaltyPublication(
        decision_public_id=decision.public_id,
        decision_number=decision.number,
        decided_on=decision.decided_on,  # type: ignore[arg-type]
        department_id=decision.department_id,
        department_name=decision.department.name,
        region_code=case.region_id,
        party_name=case.party_name,
        party_credit_code="" if case.party_is_person else case.party_credit_code,
        party_is_person=case.party_is_person,
        legal_representative=case.legal_representative,
        violation=decision.violation,
        legal_basis=decision.legal_basis,
        penalty_summary="；".join(describe(i) for i in items),
        penalty_kinds=tuple(i.kind for i in items),
        fine_amount=fine or None,
        confiscated_amount=confiscated or None,
        simple_procedure=decision.simple_procedure,
        restriction_years=max(years) if years else None,
        restriction_lifetime=lifetime,
        entity_public_id=case.entity.public_id if case.entity else None,
    )
