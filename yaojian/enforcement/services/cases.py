"""Writes from the clue to the filing: record a clue, verify, file or decline, officers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.core.events import publish
from yaojian.enforcement import access, permissions
from yaojian.enforcement.choices import (
    CaseDocumentKind,
    CaseStage,
    ClockKind,
    ClueSource,
    OfficerRole,
    PartyKind,
)
from yaojian.enforcement.events import CaseFiled
from yaojian.enforcement.models import Case, CaseOfficer, EnforcementCredential
from yaojian.enforcement.services.clocks import start_clock, stop_clocks
from yaojian.enforcement.services.common import (
    clean_day,
    lock_case,
    log_step,
    move,
    require,
    require_stage,
    required_text,
    today,
)
from yaojian.enforcement.services.outbound import emit_webhook, generate_document
from yaojian.registry.models import Entity
from yaojian.registry.services.validation import (
    FieldErrors,
    clean_choice,
    clean_text,
    resolve_region,
)
from yaojian.territory.codes import subtree_prefix


def _acting_department(actor: Any, permission: str, explicit: Department | None) -> Department:
    ids = access.departments_with(actor, permission)
    if explicit is not None:
        if ids is None or explicit.pk in ids:
            return explicit
        raise PermissionDenied(_("You can act only for a department you belong to."))
    if not ids:
        raise PermissionDenied(_("You are not allowed to record clues."))
    return Department.objects.filter(pk__in=sorted(ids)).order_by("pk").first()  # type: ignore[return-value]


def _next_number(department: Department, year: int) -> str:
    prefix = f"{department.code}-{year}-"
    last = (
        Case.objects.filter(department=department, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


@transaction.atomic
def record_clue(
    *,
    actor: Any,
    source: str,
    title: str,
    party_name: str = "",
    region: Any = None,
    entity: Entity | None = None,
    facts: str = "",
    source_reference: str = "",
    party_credit_code: str = "",
    party_is_person: bool = False,
    party_kind: str = "",
    party_id_number: str = "",
    legal_representative: str = "",
    clue_received_on: Any = None,
    department: Department | None = None,
) -> Case:
    """Record a clue (线索): the verification clock (15 wd, 第18条) starts on its receipt."""
    dept = _acting_department(actor, permissions.ADD, department)
    errors = FieldErrors()
    source = clean_choice(errors, "source", source, ClueSource)
    title = clean_text(errors, "title", title)
    if not title and not errors.has("title"):
        errors.add("title", _("Give the clue a title."), "required")
    facts = clean_text(errors, "facts", facts, multiline=True)
    source_reference = clean_text(errors, "source_reference", source_reference)
    if entity is not None:
        entity = Entity.objects.visible_to(actor).filter(pk=entity.pk).first()
        if entity is None:
            errors.add(
                "entity", _("This entity does not exist or you may not see it."), "not_found"
            )
    if party_kind in (None, ""):
        party_kind = PartyKind.NATURAL_PERSON if party_is_person else PartyKind.ORGANISATION
    party_kind = clean_choice(errors, "party_kind", party_kind, PartyKind)
    party_name = clean_text(errors, "party_name", party_name) or (entity.name if entity else "")
    if not party_name and not errors.has("party_name"):
        errors.add("party_name", _("Name the party, or choose an entity."), "required")
    region_obj = None
    if region in (None, "") and entity is not None:
        region_obj = entity.region
    elif region in (None, ""):
        region_obj = dept.region
    else:
        region_obj = resolve_region(errors, "region", getattr(region, "code", region))
    if region_obj is not None and not (
        region_obj.code.startswith(subtree_prefix(dept.region_id))
        or access.departments_with(actor, permissions.ADD) is None
    ):
        errors.add(
            "region",
            _("%(region)s lies outside your department's jurisdiction."),
            "outside_jurisdiction",
            {"region": region_obj.name},
        )
    try:
        received = clean_day(clue_received_on, "clue_received_on")
    except ValidationError as exc:
        errors.add_error("clue_received_on", exc)
        received = today()
    errors.raise_if_any()
    assert region_obj is not None  # noqa: S101 (narrowing after require)
    case = Case(
        department=dept,
        region=region_obj,
        source=source,
        source_reference=source_reference,
        title=title,
        facts=facts,
        entity=entity,
        party_name=party_name,
        party_credit_code=clean_text(errors, "party_credit_code", party_credit_code)
        or ((entity.unified_social_credit_code or "") if entity else ""),
        party_is_person=party_kind == PartyKind.NATURAL_PERSON,
        party_kind=party_kind,
        party_id_number=clean_text(errors, "party_id_number", party_id_number),
        legal_representative=clean_text(errors, "legal_representative", legal_representative)
        or (entity.legal_representative if entity else ""),
        clue_received_on=received,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for _attempt in range(5):
        case.number = _next_number(dept, received.year)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five concurrent clues in one department
        raise ValidationError(_("The case number is taken; try again."), code="conflict")
    start_clock(case=case, kind=ClockKind.VERIFICATION, started_on=received)
    log_step(
        case=case,
        actor=actor,
        action="clue_recorded",
        to_stage=CaseStage.CLUE,
        changes={"source": source, "title": title, "received_on": received.isoformat()},
    )
    return case


def _officers(
    case: Case, users: list[Any], on: dt.date
) -> list[tuple[Any, EnforcementCredential | None]]:
    """(user, valid credential) for users who may work cases in the lead department."""
    rows = []
    for user in users:
        if not access.acts_for(user, permissions.CHANGE, case.department_id):
            raise ValidationError(
                {
                    "officers": [
                        ValidationError(
                            _("%(name)s is not a case officer of the lead department."),
                            code="not_officer",
                            params={"name": str(user)},
                        )
                    ]
                }
            )
        credential = (
            EnforcementCredential.objects.filter(
                user=user, is_revoked=False, issued_on__lte=on, valid_until__gte=on
            )
            .order_by("-valid_until")
            .first()
        )
        rows.append((user, credential))
    return rows


def _assign(case: Case, rows: list[tuple[Any, EnforcementCredential | None]]) -> None:
    existing = {o.user_id: o for o in case.officers.all()}
    for index, (user, credential) in enumerate(rows):
        role = OfficerRole.LEAD if index == 0 else OfficerRole.ASSISTANT
        officer = existing.get(user.pk)
        if officer is None:
            CaseOfficer.objects.create(case=case, user=user, role=role, credential=credential)
        else:
            officer.role, officer.credential = role, credential
            officer.save(update_fields=["role", "credential", "updated_at"])


@transaction.atomic
def begin_verification(*, actor: Any, case: Case, officers: list[Any] | None = None) -> Case:
    """Start checking a clue (核查), assigning the officers (the actor by default)."""
    case = lock_case(actor, case, "change")
    require_stage(case, CaseStage.CLUE)
    users = list(officers or [actor])
    _assign(case, _officers(case, users, today()))
    move(case, CaseStage.VERIFICATION, actor=actor, action="verification_started")
    return case


@transaction.atomic
def file_case(
    *,
    actor: Any,
    case: Case,
    officers: list[Any] | None = None,
    is_major: bool = False,
    filed_on: Any = None,
    opinion: str = "",
    legal_basis: str = "",
    officer_opinion: str = "",
) -> Case:
    """The head approves opening the case (立案, 第19条): ≥ 2 officers with credentials.

    ``legal_basis`` (立案依据) and ``officer_opinion`` (承办人意见) are printed on the
    立案审批表 with the head's ``opinion``.

    Stops the verification clock, starts the 90-day decision clock (第64条), renders the
    立案审批表 and publishes ``CaseFiled``.
    """
    case = lock_case(actor, case, "approve")
    require_stage(case, CaseStage.VERIFICATION, CaseStage.CLUE)
    on = clean_day(filed_on, "filed_on")
    require(
        on >= case.clue_received_on,
        _("A case cannot be filed before its clue was received."),
        "before_clue",
        "filed_on",
    )
    users = list(officers) if officers else [o.user for o in case.officers.select_related("user")]
    rows = _officers(case, users, on)
    credentialed = [user for user, credential in rows if credential is not None]
    require(
        len({u.pk for u in credentialed}) >= 2,
        _("At least two officers holding valid enforcement credentials must handle the case."),
        "officers_without_credentials",
        "officers",
    )
    _assign(case, rows)
    if case.stage == CaseStage.CLUE:
        move(case, CaseStage.VERIFICATION, actor=actor, action="verification_started")
    stop_clocks(case, {ClockKind.VERIFICATION}, on)
    move(
        case,
        CaseStage.INVESTIGATION,
        actor=actor,
        action="case_filed",
        note=opinion,
        filed_on=on,
        is_major=bool(is_major),
    )
    legal_basis = " ".join(str(legal_basis or "").split())[:500]
    officer_opinion = str(officer_opinion or "").strip()[:2000]
    start_clock(case=case, kind=ClockKind.DECISION, started_on=on)
    names = [str(u) for u, _credential in rows]
    generate_document(
        actor=actor,
        case=case,
        kind=CaseDocumentKind.FILING_APPROVAL,
        title=str(_("Case filing approval form %(number)s") % {"number": case.number}),
        context={
            "number": case.number,
            "department_name": case.department.name,
            "case_title": case.title,
            "case_source": ClueSource(case.source).label,
            "party_name": case.party_name,
            "party_credit_code": case.party_credit_code,
            "party_address": case.entity.address if case.entity else "",
            "legal_representative": case.legal_representative,
            "clue_received_on": case.clue_received_on,
            "facts": case.facts,
            "legal_basis": legal_basis,
            "officers": names,
            "officer_opinion": officer_opinion,
            "head_opinion": opinion or "同意立案",
            "approver": str(actor),
            "approved_on": on,
        },
    )
    participants = tuple(case.participants.values_list("department_id", flat=True))
    emit_webhook("case.filed", case, {"filed_on": on.isoformat()}, f"case.filed:{case.public_id}")
    publish(
        CaseFiled(
            case_id=case.pk,
            case_public_id=case.public_id,
            number=case.number,
            department_id=case.department_id,
            region_code=case.region_id,
            entity_id=case.entity_id,
            title=case.title,
            participant_department_ids=participants,
            actor_id=getattr(actor, "pk", None),
        )
    )
    return case


@transaction.atomic
def decline_case(*, actor: Any, case: Case, reason: str) -> Case:
    """The head decides not to open a case (第20条), with the reason."""
    case = lock_case(actor, case, "approve")
    require_stage(case, CaseStage.CLUE, CaseStage.VERIFICATION)
    reason = required_text(reason, "reason", _("Give the reason for not filing the case."))
    stop_clocks(case, None, today())
    move(
        case,
        CaseStage.NOT_FILED,
        actor=actor,
        action="case_not_filed",
        note=reason,
        not_filed_reason=reason,
    )
    return case
