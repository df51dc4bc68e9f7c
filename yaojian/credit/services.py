"""Writes of credit: records, rule sets, the serious-dishonesty list, repair, the ledger,
overrides; and the restriction check (处处受限) with its registry decision hook.

Every write checks permission and scope, validates every field (``ValidationError`` per field,
nothing written on failure), is audited in the same transaction and recomputes the grades it
touches (set-based, :mod:`yaojian.credit.grades`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentLevel
from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.clocks.calendar import CalendarNotCoveredError, add_working_days
from yaojian.core.events import publish
from yaojian.credit import grades, restrictions
from yaojian.credit import permissions as perms
from yaojian.credit.choices import (
    LISTED_STATES,
    LISTING_TRANSITIONS,
    Action,
    LedgerState,
    ListingState,
    RecordKind,
    RecordOrigin,
    RecordStatus,
    RemovalKind,
    RepairState,
)
from yaojian.credit.events import CreditRepaired, EntityDelisted, EntityListed
from yaojian.credit.models import (
    CreditRecord,
    LedgerEntry,
    Listing,
    Override,
    RepairApplication,
    RuleSet,
)
from yaojian.credit.rules import parse_rules
from yaojian.registry.decisions import DecisionSubject, Restriction
from yaojian.registry.models import Entity, Person
from yaojian.registry.services.validation import (
    FieldErrors,
    clean_choice,
    clean_date,
    clean_text,
    departments_acting,
)

# 第6条 (drugs), 第10条 (licences) triggers by the decision's conduct (enforcement.fines).
ARTICLE_6_CONDUCTS = frozenset(
    {"counterfeit", "substandard", "unapproved_drug", "counterfeit_use", "substandard_use"}
)
ARTICLE_10_CONDUCTS = frozenset({"unlicensed", "fraudulent_approval", "forged_licence"})
HEAVY_KINDS = frozenset({RecordKind.HEAVY_PENALTY, RecordKind.PRACTICE_BAN})
PENALTY_KINDS = frozenset({RecordKind.PENALTY, RecordKind.HEAVY_PENALTY})
NEVER_REPAIRED_EARLY = frozenset(
    {RecordKind.HEAVY_PENALTY, RecordKind.PRACTICE_BAN, RecordKind.SERIOUS_DISHONESTY}
)
LISTING_BASIS = restrictions.LISTING_BASIS
LEDGER_WORKING_DAYS = 10


def _working_days_or_none(start: dt.date, days: int) -> dt.date | None:
    """``days`` working days after ``start``; None when the holiday calendar does not cover it
    yet (an administrator enters each year; the work list then shows no deadline)."""
    try:
        return add_working_days(start, days)
    except CalendarNotCoveredError:
        return None


def today() -> dt.date:
    return timezone.localdate()


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _acting(actor: Any, permission: str, region_code: str, message: Any) -> Department:
    """The actor's most local department holding ``permission`` over ``region_code``."""
    if scope_for(actor).is_superuser:
        department = (
            Department.objects.filter(is_active=True, region_id=region_code).first()
            or Department.objects.filter(is_active=True).order_by("pk").first()
        )
        if department is None:
            raise PermissionDenied(message)
        return department
    ids = departments_acting(actor, permission, region_code)
    if not ids:
        raise PermissionDenied(message)
    return Department.objects.get(pk=ids[0])


# --- rule sets -------------------------------------------------------------------------------


@transaction.atomic
def save_rule_set(
    *,
    actor: Any,
    province_code: str,
    text: str,
    valid_from: dt.date | str | None = None,
    note: str = "",
) -> RuleSet:
    """Save a new version of a province's rule set; the old one is kept when this one fails."""
    department = _acting(
        actor, perms.RULES, province_code, _("You are not allowed to change the credit rules.")
    )
    if not scope_for(actor).is_superuser and department.level != DepartmentLevel.PROVINCE:
        raise PermissionDenied(_("Only a province department may change the credit rules."))
    errors = FieldErrors()
    start = clean_date(errors, "valid_from", valid_from, required=False) or today()
    try:
        parse_rules(text or "")
    except ValidationError as exc:
        errors.add_error("text", exc)
    note = clean_text(errors, "note", note)
    errors.raise_if_any()
    previous = (
        RuleSet.objects.select_for_update()
        .filter(province_code=province_code)
        .order_by("-version")
        .first()
    )
    RuleSet.objects.filter(province_code=province_code, is_current=True).update(is_current=False)
    rule_set = RuleSet.objects.create(
        province_code=province_code,
        version=(previous.version + 1) if previous else 1,
        text=text,
        valid_from=start,
        note=note,
        created_by=actor,
    )
    record(
        actor=actor,
        action="credit.rule_set_saved",
        obj=rule_set,
        changes={"version": [previous.version if previous else None, rule_set.version]},
        department=department,
    )
    grades.recompute_province(province_code)
    return rule_set


# --- records ---------------------------------------------------------------------------------


def resolve_entity(errors: FieldErrors, field: str, actor: Any, credit_code: str) -> Entity | None:
    code = (credit_code or "").strip().upper()
    if not code:
        return None
    entity = Entity.objects.visible_to(actor).filter(unified_social_credit_code=code).first()
    if entity is None:
        errors.add(
            field,
            _("No regulated entity with the credit code %(code)s in your jurisdiction."),
            "unknown_entity",
            {"code": code[:18]},
        )
    return entity


def resolve_person(errors: FieldErrors, field: str, actor: Any, id_number: str) -> Person | None:
    number = (id_number or "").strip().upper()
    if not number:
        return None
    person = Person.objects.visible_to(actor).filter(id_number=number).first()
    if person is None:
        from yaojian.registry.identifiers import mask_id_card_number

        errors.add(
            field,
            _("No person with the identity card number %(number)s in your jurisdiction."),
            "unknown_person",
            {"number": mask_id_card_number(number) if len(number) == 18 else "…"},
        )
    return person


def _snapshot(item: CreditRecord) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "entity": str(item.entity.public_id) if item.entity else None,
        "person": str(item.person.public_id) if item.person else None,
        "legal_basis": item.legal_basis,
        "occurred_on": item.occurred_on.isoformat(),
        "expires_on": item.expires_on.isoformat() if item.expires_on else None,
        "origin": item.origin,
        "origin_ref": item.origin_ref,
    }


@transaction.atomic
def create_record(
    *,
    actor: Any,
    kind: str,
    legal_basis: str,
    occurred_on: dt.date | str | None,
    entity: Entity | None = None,
    person: Person | None = None,
    expires_on: dt.date | str | None = None,
    summary: str = "",
    conduct: str = "",
    origin: str = RecordOrigin.UI,
    origin_ref: str = "",
    source_department: Department | None = None,
    system: bool = False,
) -> CreditRecord:
    """Put a fact on the credit file of ``entity`` and/or ``person`` (audited; the entity's
    grade is recomputed). ``system`` records (from events) name their source department."""
    errors = FieldErrors()
    if entity is None and person is None:
        errors.add("entity", _("Name the entity or the person the record is about."), "required")
        errors.raise_if_any()
    if not system:
        if entity is not None:
            entity = Entity.objects.visible_to(actor).get(pk=entity.pk)
        if person is not None:
            person = Person.objects.visible_to(actor).get(pk=person.pk)
    region_id = entity.region_id if entity is not None else person.region_id  # type: ignore[union-attr]
    if system:
        if source_department is None:
            raise ValueError("a system record names its source department")
        department = source_department
    else:
        department = _acting(
            actor, perms.ADD_RECORD, region_id, _("You are not allowed to record credit facts.")
        )
        if source_department is not None and source_department.pk != department.pk:
            if not scope_for(actor).is_superuser:
                errors.add(
                    "source_department",
                    _("You can record facts only for your own department."),
                    "not_your_department",
                )
            else:
                department = source_department
    kind = clean_choice(errors, "kind", kind, RecordKind)
    legal_basis = clean_text(errors, "legal_basis", legal_basis)
    if not legal_basis and not errors.has("legal_basis"):
        errors.add("legal_basis", _("Give the legal basis."), "required")
    day = clean_date(errors, "occurred_on", occurred_on, required=True)
    end = clean_date(errors, "expires_on", expires_on, required=False)
    summary = clean_text(errors, "summary", summary, multiline=True)[:500]
    rule_set, rules = grades.rules_for(grades.province_of(region_id))
    if day is not None:
        if day > today():
            errors.add("occurred_on", _("The date cannot be in the future."), "future")
        elif rule_set is not None and day < rule_set.valid_from:
            errors.add(
                "occurred_on",
                _("The date is before the rule set in force (valid from %(date)s)."),
                "outside_rule_set",
                {"date": rule_set.valid_from.isoformat()},
            )
        if end is not None and end <= day:
            errors.add("expires_on", _("A record must expire after its date."), "expires_first")
    errors.raise_if_any()
    assert day is not None  # noqa: S101 (narrowing after raise_if_any)
    if end is None and kind in rules.expiry_years and kind != RecordKind.PRACTICE_BAN:
        end = _years_after(day, rules.expiry_years[kind])
    item = CreditRecord(
        entity=entity,
        person=person,
        region_id=region_id,
        kind=kind,
        origin=origin,
        source_department=department,
        legal_basis=legal_basis,
        summary=summary,
        conduct=(conduct or "")[:64],
        occurred_on=day,
        expires_on=end,
        origin_ref=origin_ref[:100],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        errors.add("origin_ref", _("This record was already recorded."), "duplicate")
        errors.raise_if_any()
    record(
        actor=actor,
        action="credit.record_added",
        obj=item,
        changes={k: [None, v] for k, v in _snapshot(item).items()},
        department=department,
    )
    if entity is not None:
        grades.recompute(entity_ids=[entity.pk])
    return item


@transaction.atomic
def withdraw_record(*, actor: Any, item: CreditRecord, reason: str) -> CreditRecord:
    """Withdraw a record entered in error or whose decision was revoked (reason required)."""
    locked = (
        CreditRecord.objects.visible_to(actor)
        .select_for_update(no_key=True, of=("self",))
        .get(pk=item.pk)
    )
    department = _acting(
        actor, perms.CHANGE_RECORD, locked.region_id, _("You are not allowed to withdraw records.")
    )
    errors = FieldErrors()
    reason = clean_text(errors, "reason", reason, multiline=True)
    if not reason and not errors.has("reason"):
        errors.add("reason", _("Give the reason."), "required")
    if locked.status != RecordStatus.ACTIVE:
        errors.add("reason", _("This record is no longer active."), "not_active")
    errors.raise_if_any()
    locked.status = RecordStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action="credit.record_withdrawn",
        obj=locked,
        changes={"status": [RecordStatus.ACTIVE, RecordStatus.WITHDRAWN]},
        reason=reason,
        department=department,
    )
    if locked.entity_id:
        grades.recompute(entity_ids=[locked.entity_id])
    return locked


# --- records from enforcement decisions (event handler) ----------------------------------------


def _record_once(
    created: list[CreditRecord],
    *,
    ref: str,
    department: Department,
    day: dt.date,
    legal_basis: str,
    conduct: str,
    **fields: Any,
) -> None:
    """One record per (decision, kind, entity, person): a hand-off delivered twice — or two
    hand-offs about the same decision — add nothing the second time."""
    exists = CreditRecord.objects.filter(
        origin_ref=ref,
        kind=fields["kind"],
        entity=fields.get("entity"),
        person=fields.get("person"),
    ).exists()
    if exists:
        return
    created.append(
        create_record(
            actor=None,
            system=True,
            source_department=department,
            origin=RecordOrigin.EVENT,
            origin_ref=ref,
            occurred_on=day,
            legal_basis=legal_basis,
            conduct=conduct,
            **fields,
        )
    )


def _entity_records(
    created: list[CreditRecord],
    *,
    entity: Entity,
    department: Department,
    publication: Any,
    conduct: str,
) -> None:
    """The entity's records of a decision: the penalty (heavier for revocation, suspension or
    a ban) and the medical-insurance measure."""
    kinds = set(publication.penalty_kinds)
    common = {
        "ref": str(publication.decision_public_id),
        "department": department,
        "day": publication.decided_on,
        "legal_basis": publication.legal_basis or publication.decision_number,
        "conduct": conduct,
        "entity": entity,
        "summary": f"{publication.decision_number} {publication.penalty_summary}"[:500],
    }
    insurance = kinds & {"agreement_suspension", "agreement_termination", "fund_recovery"}
    other = kinds - insurance
    if other:
        heavy = bool(other & {"revoke_licence", "suspend_business", "ban_person"})
        _record_once(
            created, kind=RecordKind.HEAVY_PENALTY if heavy else RecordKind.PENALTY, **common
        )
    if "agreement_termination" in insurance:
        _record_once(created, kind=RecordKind.INSURANCE_TERMINATION, **common)
    elif insurance:
        _record_once(created, kind=RecordKind.INSURANCE_MEASURE, **common)


def record_decision(event: Any) -> list[CreditRecord]:
    """A decided case: one record per consequence (penalty, insurance measure, person ban).

    Idempotent: a record is keyed by the decision and the kind (a hand-off delivered twice adds
    nothing)."""
    from yaojian.enforcement.models import PenaltyItem

    publication = event.publication
    if publication is None:
        return []
    department = Department.objects.get(pk=event.department_id)
    ref = str(publication.decision_public_id)
    day = publication.decided_on
    items = list(PenaltyItem.objects.filter(decision_id=event.decision_id).select_related("person"))
    conduct = next((i.conduct for i in items if i.conduct), "")
    created: list[CreditRecord] = []
    entity = Entity.objects.filter(pk=event.entity_id).first() if event.entity_id else None
    if entity is not None:
        _entity_records(
            created, entity=entity, department=department, publication=publication, conduct=conduct
        )
    summary = f"{publication.decision_number} {publication.penalty_summary}"[:500]
    for item in items:
        if item.kind != "ban_person" or item.person is None:
            continue
        end = _years_after(day, item.ban_years) if item.ban_years else None
        _record_once(
            created,
            ref=ref,
            department=department,
            day=day,
            legal_basis=publication.legal_basis or publication.decision_number,
            conduct=conduct,
            person=item.person,
            kind=RecordKind.PRACTICE_BAN,
            summary=summary,
            expires_on=end,
        )
    return created


def record_substantiated_report(
    *, entity: Entity, department: Department, publication: Any, conduct: str = ""
) -> list[CreditRecord]:
    """A report confirmed by a penalty decision (complaints' ``ComplaintSubstantiated``): the
    violation goes on the credit file of the registered entity the report named.

    Keyed like :func:`record_decision` (the decision and the kind), so the penalty counts once
    whichever hand-off runs first; it adds the record when the case was opened on a party not
    linked to the register (the report named the entity). Idempotent; the grade is recomputed
    by :func:`create_record`."""
    created: list[CreditRecord] = []
    _entity_records(
        created, entity=entity, department=department, publication=publication, conduct=conduct
    )
    return created


# --- restrictions (处处受限) -------------------------------------------------------------------


# The check itself lives in :mod:`yaojian.credit.restrictions` (kept cheap: it runs at every
# decision point and for other departments' systems).
check_restrictions = restrictions.check_restrictions


OVERRIDE_VALID_DAYS = 30


def _subject_person_ids(subject: DecisionSubject) -> list[int]:
    """The persons a decision is about: by id, by identity card number, or — named only, as
    an import names a legal representative — every person of that name (an override a head
    recorded for one of them lets the row through)."""
    ids = [subject.person_id] if subject.person_id else []
    if subject.id_number:
        ids += list(
            Person.objects.filter(id_number=subject.id_number.strip().upper()).values_list(
                "pk", flat=True
            )
        )
    elif not ids and subject.name.strip():
        ids = list(Person.objects.filter(name=subject.name.strip()).values_list("pk", flat=True))
    return ids


@transaction.atomic
def record_override(
    *,
    actor: Any,
    action: str,
    reason: str,
    credit_code: str = "",
    id_number: str = "",
) -> Override:
    """A department head records an override of the restrictions on one decision, with the
    reason (audited); the deciding officer's next such decision in that department uses it
    (valid :data:`OVERRIDE_VALID_DAYS` days)."""
    errors = FieldErrors()
    action = clean_choice(errors, "action", action, Action)
    reason = clean_text(errors, "reason", reason, multiline=True)
    if not reason and not errors.has("reason"):
        errors.add("reason", _("Give the reason for overriding the restriction."), "required")
    entity = None
    person = None
    if id_number:
        person = Person.objects.filter(id_number=id_number.strip().upper()).first()
        if person is None:
            errors.add("id_number", _("No person with this identity card number."), "unknown")
    elif credit_code:
        entity = resolve_entity(errors, "credit_code", actor, credit_code)
    else:
        errors.add("credit_code", _("Name the entity or the person."), "required")
    errors.raise_if_any()
    subject = DecisionSubject(
        entity_id=entity.pk if entity else None, person_id=person.pk if person else None
    )
    found = check_restrictions(subject, action)
    if not found:
        errors.add("action", _("No restriction applies to this decision."), "not_restricted")
        errors.raise_if_any()
    members = [m for m in scope_for(actor).members if perms.OVERRIDE in m.permissions]
    if not members and not scope_for(actor).is_superuser:
        raise PermissionDenied(_("Only a department head may override a restriction."))
    department = (
        Department.objects.get(pk=members[0].department_id)
        if members
        else (Department.objects.order_by("pk").first())
    )
    if department is None:
        raise PermissionDenied(_("Only a department head may override a restriction."))
    override = Override.objects.create(
        action=action,
        entity=entity,
        person=person,
        reasons_shown=[r.__dict__ for r in found],
        reason=reason,
        department=department,
        overridden_by=actor,
        valid_until=today() + dt.timedelta(days=OVERRIDE_VALID_DAYS),
    )
    record(
        actor=actor,
        action="credit.restriction_overridden",
        obj=override,
        changes={"action": action, "measures": [r.measure for r in found]},
        reason=reason,
        department=department,
    )
    return override


class CreditChecker:
    """The registry's decision hook (registered from ``CreditConfig.ready``)."""

    override_permission = perms.OVERRIDE

    def check(self, subject: DecisionSubject, action: str) -> list[Restriction]:
        return check_restrictions(subject, action)

    def check_many(self, decisions: list[tuple[DecisionSubject, str]]) -> list[list[Restriction]]:
        """Many decisions at once (an import's licences; set-based)."""
        return restrictions.check_many(decisions)

    def consume_override(
        self, *, actor: Any, subject: DecisionSubject, action: str, department_id: int | None
    ) -> bool:
        """Use a head's override recorded for this decision in one of the actor's departments."""
        departments = sorted(scope_for(actor).department_ids)
        if department_id is not None:
            departments = [d for d in departments if d == department_id]
        person_ids = _subject_person_ids(subject)
        match = Q(person_id__in=person_ids) if person_ids else Q(entity_id=subject.entity_id)
        override = (
            Override.objects.select_for_update()
            .filter(match, action=action, used_at__isnull=True, valid_until__gte=today())
            .filter(department_id__in=departments)
            .order_by("created_at")
            .first()
        )
        if override is None:
            return False
        override.used_at = timezone.now()
        override.used_by = actor
        override.save(update_fields=["used_at", "used_by", "updated_at"])
        return True

    def record_override(
        self,
        *,
        actor: Any,
        subject: DecisionSubject,
        action: str,
        restrictions: list[Restriction],
        reason: str,
        department_id: int | None,
    ) -> None:
        department = (
            Department.objects.get(pk=department_id)
            if department_id
            else Department.objects.filter(pk__in=scope_for(actor).department_ids)
            .order_by("pk")
            .first()
        )
        if department is None:
            raise PermissionDenied(_("Only a department head may override a restriction."))
        person_ids = _subject_person_ids(subject)
        override = Override.objects.create(
            action=action,
            entity_id=subject.entity_id,
            person_id=person_ids[0] if person_ids else None,
            reasons_shown=[r.__dict__ for r in restrictions],
            reason=reason,
            department=department,
            overridden_by=actor,
            valid_until=today(),
            used_at=timezone.now(),
            used_by=actor,
        )
        record(
            actor=actor,
            action="credit.restriction_overridden",
            obj=override,
            changes={"action": action, "measures": [r.measure for r in restrictions]},
            reason=reason,
            department=department,
        )


# --- the serious-dishonesty list (DOMAIN.md §2.5) -----------------------------------------------


def listing_triggers(
    item: CreditRecord, *, refused_to_comply: bool, other_serious: bool
) -> list[str]:
    """The articles of 总局令第44号 that the penalty meets (shown with the proposal)."""
    found = []
    if item.conduct in ARTICLE_6_CONDUCTS or other_serious:
        found.append("第6条")
    if item.conduct in ARTICLE_10_CONDUCTS:
        found.append("第10条")
    if refused_to_comply:
        found.append("第11条")
    return found


def _lock_listing(actor: Any, listing: Listing) -> Listing:
    return (
        Listing.objects.visible_to(actor)
        .select_for_update(no_key=True, of=("self",))
        .select_related("entity", "department__region")
        .get(pk=listing.pk)
    )


def _move(listing: Listing, to: str) -> None:
    if to not in LISTING_TRANSITIONS.get(listing.state, set()):
        raise ValidationError(
            {
                "state": ValidationError(
                    _("A listing cannot go from “%(from)s” to “%(to)s”."),
                    code="invalid_transition",
                    params={
                        "from": ListingState(listing.state).label,
                        "to": ListingState(to).label,
                    },
                )
            }
        )
    listing.state = to


@transaction.atomic
def propose_listing(
    *,
    actor: Any,
    item: CreditRecord,
    reasons: str,
    refused_to_comply: bool = False,
    other_serious: bool = False,
    no_intent_proved: bool = False,
) -> Listing:
    """Propose listing the entity with the penalty decision (第13条); refused without a
    qualifying heavier penalty (第2条) or a trigger (第6、10、11条), or when the party proved
    it had no intent (第12条). A province office's listing is approved at once; county and city
    offices need the upper level (第22条)."""
    item = CreditRecord.objects.visible_to(actor).select_related("entity").get(pk=item.pk)
    errors = FieldErrors()
    if item.entity is None:
        errors.add("record", _("A listing needs a penalty on an entity."), "no_entity")
        errors.raise_if_any()
    department = _acting(
        actor, perms.ADD_LISTING, item.region_id, _("You are not allowed to propose listings.")
    )
    if item.kind not in PENALTY_KINDS:
        errors.add("record", _("A listing needs an administrative penalty."), "not_a_penalty")
    elif item.kind != RecordKind.HEAVY_PENALTY:
        errors.add(
            "record",
            _(
                "A listing needs a heavier penalty (revocation, suspension, a ban or an "
                "aggravated fine; 第2条)."
            ),
            "not_heavy",
        )
    if item.status != RecordStatus.ACTIVE:
        errors.add("record", _("This penalty is no longer active."), "not_active")
    triggers = listing_triggers(
        item, refused_to_comply=refused_to_comply, other_serious=other_serious
    )
    if not triggers:
        errors.add(
            "record",
            _("None of the triggers of 第6、10、11条 applies to this penalty."),
            "no_trigger",
        )
    if no_intent_proved:
        errors.add(
            "no_intent_proved",
            _("The party proved it had no intent: the entity is not listed (第12条)."),
            "no_intent",
        )
    reasons = clean_text(errors, "reasons", reasons, multiline=True)
    if not reasons and not errors.has("reasons"):
        errors.add("reasons", _("Give the reasons for listing."), "required")
    if Listing.objects.filter(
        entity=item.entity, state__in=sorted(LISTED_STATES | {ListingState.PROPOSED})
    ).exists():
        errors.add("record", _("This entity is already listed or proposed."), "already_listed")
    errors.raise_if_any()
    needs_approval = department.level in (DepartmentLevel.COUNTY, DepartmentLevel.CITY)
    assert item.entity is not None  # noqa: S101 (refused above otherwise)
    listing = Listing.objects.create(
        entity=item.entity,
        department=department,
        penalty_record=item,
        triggers=triggers,
        reasons=reasons,
        decided_on=item.occurred_on,
        needs_approval=needs_approval,
        created_by=actor,
    )
    record(
        actor=actor,
        action="credit.listing_proposed",
        obj=listing,
        changes={"triggers": [None, triggers], "needs_approval": [None, needs_approval]},
        department=department,
    )
    if not needs_approval:
        _approve(actor, listing, today())
    return listing


@transaction.atomic
def approve_listing(
    *, actor: Any, listing: Listing, approve: bool = True, reasons: str = ""
) -> Listing:
    """The upper-level office approves (or refuses) a county's or city's listing (第22条)."""
    locked = _lock_listing(actor, listing)
    allowed = scope_for(actor).is_superuser or any(
        m.department_id != locked.department_id
        and perms.APPROVE_LISTING in m.permissions
        and locked.department.region_id.startswith(m.prefix)
        and len(m.prefix) < len(locked.department.region.prefix)
        for m in scope_for(actor).members
    )
    if not allowed:
        raise PermissionDenied(_("Only the upper-level office may approve this listing."))
    if approve:
        _move(locked, ListingState.APPROVED)
        _approve(actor, locked, today())
    else:
        _move(locked, ListingState.REFUSED)
        locked.removal_reasons = reasons
        locked.save()
        record(actor=actor, action="credit.listing_refused", obj=locked, reason=reasons)
    return locked


def _approve(actor: Any, listing: Listing, on: dt.date) -> None:
    listing.state = ListingState.APPROVED
    listing.approved_on = on
    listing.approved_by = actor if getattr(actor, "pk", None) else None
    listing.publish_due_on = add_working_days(on, 20)
    listing.listed_until = _years_after(on, 3)
    listing.save()
    CreditRecord.objects.create(
        entity=listing.entity,
        region_id=listing.entity.region_id,
        kind=RecordKind.SERIOUS_DISHONESTY,
        origin=RecordOrigin.LISTING,
        origin_ref=str(listing.public_id),
        source_department=listing.department,
        legal_basis=LISTING_BASIS,
        summary=listing.reasons[:500],
        occurred_on=on,
        expires_on=listing.listed_until,
        created_by=listing.approved_by,
    )
    record(
        actor=actor,
        action="credit.listing_approved",
        obj=listing,
        changes={"listed_until": [None, listing.listed_until.isoformat()]},
        department=listing.department,
    )
    _open_ledger(listing)
    grades.recompute(entity_ids=[listing.entity_id])
    publish(
        EntityListed(
            listing_id=listing.pk,
            listing_public_id=listing.public_id,
            entity_id=listing.entity_id,
            department_id=listing.department_id,
            listed_until=listing.listed_until,
        )
    )


@transaction.atomic
def publish_listing(*, actor: Any, listing: Listing, published_on: Any = None) -> Listing:
    """Record the publication on the portal (within 20 wd of the listing decision, 第14条)."""
    locked = _lock_listing(actor, listing)
    _acting(actor, perms.CHANGE_LISTING, locked.entity.region_id, _("Not allowed."))
    errors = FieldErrors()
    on = clean_date(errors, "published_on", published_on, required=False) or today()
    errors.raise_if_any()
    _move(locked, ListingState.PUBLISHED)
    locked.published_on = on
    locked.save()
    record(actor=actor, action="credit.listing_published", obj=locked)
    return locked


@transaction.atomic
def apply_for_removal(
    *, actor: Any, listing: Listing, statement: str, applied_on: Any = None
) -> Listing:
    """Early removal on the entity's application: only after ≥1 year (第16条); 2 wd to accept."""
    locked = _lock_listing(actor, listing)
    _acting(actor, perms.CHANGE_LISTING, locked.entity.region_id, _("Not allowed."))
    errors = FieldErrors()
    on = clean_date(errors, "applied_on", applied_on, required=False) or today()
    statement = clean_text(errors, "statement", statement, multiline=True)
    if locked.approved_on and on < _years_after(locked.approved_on, 1):
        errors.add(
            "applied_on",
            _("Early removal may be applied for one year after listing, from %(date)s (第16条)."),
            "too_early",
            {"date": _years_after(locked.approved_on, 1).isoformat()},
        )
    errors.raise_if_any()
    _move(locked, ListingState.REMOVAL_APPLIED)
    locked.removal_applied_on = on
    locked.removal_accept_due_on = add_working_days(on, 2)
    locked.removal_accepted_on = None
    locked.removal_decide_due_on = None
    locked.removal_reasons = statement
    locked.save()
    record(actor=actor, action="credit.listing_removal_applied", obj=locked)
    return locked


@transaction.atomic
def accept_removal_application(*, actor: Any, listing: Listing, accepted_on: Any = None) -> Listing:
    """Accept the application (第17条: 2 wd); the decision is due 15 wd later."""
    locked = _lock_listing(actor, listing)
    _acting(actor, perms.CHANGE_LISTING, locked.entity.region_id, _("Not allowed."))
    errors = FieldErrors()
    on = clean_date(errors, "accepted_on", accepted_on, required=False) or today()
    if locked.state != ListingState.REMOVAL_APPLIED or locked.removal_accepted_on:
        errors.add("state", _("There is no application waiting to be accepted."), "not_waiting")
    errors.raise_if_any()
    locked.removal_accepted_on = on
    locked.removal_decide_due_on = add_working_days(on, 15)
    locked.save()
    record(actor=actor, action="credit.listing_removal_accepted", obj=locked)
    return locked


@transaction.atomic
def decide_removal(
    *,
    actor: Any,
    listing: Listing,
    obligations_fulfilled: bool,
    harm_remedied: bool,
    reasons: str,
    decided_on: Any = None,
) -> Listing:
    """Decide an early removal (第16–18条): every condition must hold; publication stops 3 wd."""
    locked = _lock_listing(actor, listing)
    department = _acting(
        actor, perms.APPROVE_LISTING, locked.entity.region_id, _("Only a head may decide.")
    )
    errors = FieldErrors()
    on = clean_date(errors, "decided_on", decided_on, required=False) or today()
    reasons = clean_text(errors, "reasons", reasons, multiline=True)
    if not reasons and not errors.has("reasons"):
        errors.add("reasons", _("Give the reasons of the decision."), "required")
    if locked.state != ListingState.REMOVAL_APPLIED or not locked.removal_accepted_on:
        errors.add("state", _("Accept the application before deciding it."), "not_accepted")
    errors.raise_if_any()
    failed = []
    if not obligations_fulfilled:
        failed.append(str(_("the obligations of the penalty are not fulfilled")))
    if not harm_remedied:
        failed.append(str(_("the harm is not remedied")))
    since = locked.approved_on or locked.decided_on
    later = CreditRecord.objects.filter(
        entity=locked.entity,
        kind=RecordKind.HEAVY_PENALTY,
        occurred_on__gt=since,
        status=RecordStatus.ACTIVE,
    )
    if later.exists():
        failed.append(str(_("a further heavier penalty was imposed")))
    if failed:
        _move(locked, ListingState.PUBLISHED)
        locked.removal_reasons = reasons + "\n" + "；".join(failed)
        locked.save()
        record(
            actor=actor,
            action="credit.listing_removal_refused",
            obj=locked,
            changes={"failed": failed},
            reason=reasons,
            department=department,
        )
        return locked
    _remove(actor, locked, on, RemovalKind.EARLY, reasons)
    return locked


def _remove(actor: Any, listing: Listing, on: dt.date, kind: str, reasons: str) -> None:
    _move(listing, ListingState.REMOVED)
    listing.removed_on = on
    listing.removal_kind = kind
    listing.removal_reasons = reasons
    listing.stop_publication_due_on = _working_days_or_none(on, 3)
    listing.save()
    CreditRecord.objects.filter(
        origin_ref=str(listing.public_id), kind=RecordKind.SERIOUS_DISHONESTY
    ).update(expires_on=on)
    record(
        actor=actor,
        action="credit.listing_removed",
        obj=listing,
        changes={"removal_kind": [None, kind]},
        reason=reasons,
    )
    grades.recompute(entity_ids=[listing.entity_id])
    publish(
        EntityDelisted(
            listing_id=listing.pk, entity_id=listing.entity_id, removal_kind=kind, removed_on=on
        )
    )


@transaction.atomic
def stop_publication(*, actor: Any, listing: Listing, stopped_on: Any = None) -> Listing:
    """Record that the publication stopped (within 3 wd of the removal, 第18条)."""
    locked = _lock_listing(actor, listing)
    _acting(actor, perms.CHANGE_LISTING, locked.entity.region_id, _("Not allowed."))
    errors = FieldErrors()
    on = clean_date(errors, "stopped_on", stopped_on, required=False) or today()
    if locked.state != ListingState.REMOVED or locked.publication_stopped_on:
        errors.add("state", _("Nothing to stop."), "nothing_to_stop")
    errors.raise_if_any()
    locked.publication_stopped_on = on
    locked.save()
    record(actor=actor, action="credit.listing_publication_stopped", obj=locked)
    return locked


@transaction.atomic
def relist(*, actor: Any, listing: Listing, reasons: str) -> Listing:
    """Removal obtained by fraud: listed again, the period restarts (第20条)."""
    locked = _lock_listing(actor, listing)
    _acting(actor, perms.APPROVE_LISTING, locked.entity.region_id, _("Only a head may relist."))
    errors = FieldErrors()
    reasons = clean_text(errors, "reasons", reasons, multiline=True)
    if not reasons and not errors.has("reasons"):
        errors.add("reasons", _("Give the reasons."), "required")
    if locked.state != ListingState.REMOVED or locked.removal_kind != RemovalKind.EARLY:
        errors.add("state", _("Only an early removal can be undone."), "not_early")
    errors.raise_if_any()
    new = Listing.objects.create(
        entity=locked.entity,
        department=locked.department,
        penalty_record=locked.penalty_record,
        triggers=locked.triggers,
        reasons=reasons,
        decided_on=today(),
        relisted_from=locked,
        created_by=actor,
    )
    record(actor=actor, action="credit.listing_relisted", obj=new, reason=reasons)
    _approve(actor, new, today())
    return new


def expire_listings(*, day: dt.date | None = None) -> int:
    """Remove every listing whose 3 years have passed (第21条); idempotent."""
    day = day or today()
    done = 0
    for pk in Listing.objects.filter(
        state__in=sorted(LISTED_STATES), listed_until__lte=day
    ).values_list("pk", flat=True):
        with transaction.atomic():
            listing = Listing.objects.select_for_update().select_related("entity").get(pk=pk)
            if listing.state not in LISTED_STATES:
                continue
            listing.state = ListingState.PUBLISHED
            _remove(None, listing, day, RemovalKind.EXPIRED, "")
            done += 1
    return done


# --- the execution ledger (joint punishment) ----------------------------------------------------

MEASURES: dict[str, Any] = {
    "drug_regulator": _("Key supervision with more frequent inspections; no 告知承诺制"),
    "market_regulator": _("Key supervision; licensing, procurement and tenders restricted"),
    "medical_insurance": _("Designation agreements: no signing or renewal; review existing"),
    "health_commission": _("No honours; procurement by medical institutions restricted"),
}


def _open_ledger(listing: Listing) -> None:
    from yaojian.notices.services import send_notice
    from yaojian.territory.selectors import most_local_departments

    _rs, rules = grades.rules_for(grades.province_of(listing.entity.region_id))
    kinds = tuple(rules.departments.get(RecordKind.SERIOUS_DISHONESTY, ()))
    due = add_working_days(listing.approved_on or today(), LEDGER_WORKING_DAYS)
    for department in most_local_departments(listing.entity.region_id, kinds):
        with translation.override(settings.LANGUAGE_CODE):
            measure = str(MEASURES.get(department.kind, _("Joint punishment measure")))
            params = {"name": listing.entity.name, "measure": measure}
            subject = (
                gettext("Joint punishment: %(name)s is on the serious-dishonesty list") % params
            )
            body = (
                gettext(
                    "%(name)s was put on the serious-dishonesty list. Apply this measure and "
                    "record it in the execution ledger: %(measure)s."
                )
                % params
            )
        entry, created = LedgerEntry.objects.get_or_create(
            listing=listing,
            department=department,
            measure=measure[:255],
            defaults={"legal_basis": LISTING_BASIS, "due_on": due},
        )
        if not created or department.pk == listing.department_id:
            continue
        notices = send_notice(
            actor=None,
            sender_department=listing.department,
            recipient_departments=[department],
            subject=subject,
            body=body,
            entity=listing.entity,
            due_working_days=LEDGER_WORKING_DAYS,
            source_app="credit",
            source_ref=str(entry.public_id),
            url=reverse("credit:ledger_detail", args=[entry.public_id]),
        )
        entry.notice_public_id = notices[0].public_id if notices else None
        entry.save(update_fields=["notice_public_id", "updated_at"])


@transaction.atomic
def record_execution(
    *, actor: Any, entry: LedgerEntry, state: str, reason: str = "", evidence: str = ""
) -> LedgerEntry:
    """The concerned department records the measure as applied (evidence) or not applicable
    (reason); its notice is answered with the same outcome."""
    locked = (
        LedgerEntry.objects.visible_to(actor, "change")
        .select_for_update(no_key=True, of=("self",))
        .select_related("listing__entity", "department")
        .get(pk=entry.pk)
    )
    allowed = scope_for(actor).is_superuser or any(
        m.department_id == locked.department_id and perms.LEDGER in m.permissions
        for m in scope_for(actor).members
    )
    if not allowed:
        raise PermissionDenied(_("You are not allowed to record this measure."))
    errors = FieldErrors()
    state = clean_choice(errors, "state", state, LedgerState)
    reason = clean_text(errors, "reason", reason, multiline=True)
    evidence = clean_text(errors, "evidence", evidence, multiline=True)
    if state == LedgerState.PENDING:
        errors.add("state", _("Record the measure as applied or not applicable."), "pending")
    if state == LedgerState.NOT_APPLICABLE and not reason:
        errors.add("reason", _("Say why the measure does not apply."), "required")
    if state == LedgerState.APPLIED and not evidence:
        errors.add("evidence", _("Describe the evidence that the measure was applied."), "required")
    if locked.state != LedgerState.PENDING:
        errors.add("state", _("This measure was already recorded."), "recorded")
    errors.raise_if_any()
    locked.state = state
    locked.reason = reason
    locked.evidence = evidence
    locked.recorded_on = today()
    locked.recorded_by = actor
    locked.save()
    record(
        actor=actor,
        action="credit.measure_recorded",
        obj=locked,
        changes={"state": [LedgerState.PENDING, state]},
        reason=reason,
        department=locked.department,
    )
    _answer_notice(actor, locked)
    return locked


def _answer_notice(actor: Any, entry: LedgerEntry) -> None:
    if entry.notice_public_id is None:
        return
    from yaojian.notices.choices import NoticeState
    from yaojian.notices.models import Notice
    from yaojian.notices.services import acknowledge_notice, answer_notice, view_notice

    notice = Notice.objects.filter(public_id=entry.notice_public_id).first()
    if notice is None or notice.state not in (
        NoticeState.UNREAD,
        NoticeState.READ,
        NoticeState.ACKNOWLEDGED,
    ):
        return
    if notice.state == NoticeState.UNREAD:
        notice = view_notice(actor=actor, notice=notice)
    if notice.state == NoticeState.READ:
        notice = acknowledge_notice(actor=actor, notice=notice)
    answer = f"{entry.get_state_display()}: {entry.evidence or entry.reason}"
    answer_notice(actor=actor, notice=notice, answer=answer)


# --- credit repair (DOMAIN.md §2.4 第14条) -----------------------------------------------------


def repair_failures(
    item: CreditRecord, *, on: dt.date, penalty_complied: bool, harm_remedied: bool
) -> list[str]:
    """Each condition of 第14条 that fails, in words (empty: repair possible)."""
    failed: list[str] = []
    if item.kind in NEVER_REPAIRED_EARLY:
        failed.append(
            str(
                _(
                    "Suspension, business or practice restrictions, revocation and the "
                    "serious-dishonesty list are never stopped early (第14条)."
                )
            )
        )
        return failed
    _rs, rules = grades.rules_for(grades.province_of(item.region_id))
    earliest = _years_after(item.occurred_on, rules.repair_min_years)
    if on < earliest:
        failed.append(
            str(_("The minimum period has not passed: repair is possible from %(date)s."))
            % {"date": earliest.isoformat()}
        )
    if not penalty_complied:
        failed.append(str(_("The penalty has not been complied with.")))
    if not harm_remedied:
        failed.append(str(_("The harm has not been remedied.")))
    same = CreditRecord.objects.filter(
        entity_id=item.entity_id or 0,
        kind__in=sorted(PENALTY_KINDS),
        occurred_on__gt=item.occurred_on,
        status=RecordStatus.ACTIVE,
    ).exclude(pk=item.pk)
    if item.conduct:
        same = same.filter(conduct=item.conduct)
    if item.entity_id and same.exists():
        failed.append(str(_("A further penalty for the same type of violation was imposed.")))
    if (
        item.entity_id
        and Listing.objects.filter(
            entity_id=item.entity_id, state__in=sorted(LISTED_STATES)
        ).exists()
    ):
        failed.append(str(_("The entity is on the serious-dishonesty list.")))
    return failed


@transaction.atomic
def apply_for_repair(
    *,
    actor: Any,
    item: CreditRecord,
    penalty_complied: bool,
    harm_remedied: bool,
    statement: str = "",
    applied_on: Any = None,
) -> RepairApplication:
    """An entity's repair application, entered by a department user on its behalf or through
    the API; refused at once, each failed condition named, when a condition fails."""
    item = CreditRecord.objects.visible_to(actor).get(pk=item.pk)
    department = _acting(
        actor,
        perms.ADD_REPAIR,
        item.region_id,
        _("You are not allowed to enter repair applications."),
    )
    errors = FieldErrors()
    on = clean_date(errors, "applied_on", applied_on, required=False) or today()
    statement = clean_text(errors, "statement", statement, multiline=True)
    if item.kind not in PENALTY_KINDS | {
        RecordKind.INSURANCE_MEASURE,
        RecordKind.HEALTH_FINDING,
        RecordKind.COMMITMENT_BREACH,
        RecordKind.PRACTICE_BAN,
        RecordKind.SERIOUS_DISHONESTY,
    }:
        errors.add("record", _("Only records of a violation can be repaired."), "not_repairable")
    if item.status != RecordStatus.ACTIVE:
        errors.add("record", _("This record is no longer active."), "not_active")
    if RepairApplication.objects.filter(record=item, state=RepairState.APPLIED).exists():
        errors.add("record", _("An application for this record is already open."), "open")
    errors.raise_if_any()
    failed = repair_failures(
        item, on=on, penalty_complied=penalty_complied, harm_remedied=harm_remedied
    )
    if failed:
        raise ValidationError(
            {"record": [ValidationError(text, code="condition_failed") for text in failed]}
        )
    application = RepairApplication.objects.create(
        record=item,
        applied_on=on,
        penalty_complied=penalty_complied,
        harm_remedied=harm_remedied,
        statement=statement,
        created_by=actor,
    )
    record(actor=actor, action="credit.repair_applied", obj=application, department=department)
    return application


@transaction.atomic
def decide_repair(
    *, actor: Any, application: RepairApplication, grant: bool, reasons: str
) -> RepairApplication:
    """A head decides with reasons; the conditions are checked again on the day."""
    locked = (
        RepairApplication.objects.visible_to(actor)
        .select_for_update(no_key=True, of=("self",))
        .select_related("record")
        .get(pk=application.pk)
    )
    department = _acting(
        actor, perms.DECIDE_REPAIR, locked.record.region_id, _("Only a head may decide repairs.")
    )
    errors = FieldErrors()
    reasons = clean_text(errors, "reasons", reasons, multiline=True)
    if not reasons and not errors.has("reasons"):
        errors.add("reasons", _("Give the reasons of the decision."), "required")
    if locked.state != RepairState.APPLIED:
        errors.add("state", _("This application was already decided."), "decided")
    errors.raise_if_any()
    item = locked.record
    if grant:
        failed = repair_failures(
            item,
            on=today(),
            penalty_complied=locked.penalty_complied,
            harm_remedied=locked.harm_remedied,
        )
        if failed:
            raise ValidationError(
                {"reasons": [ValidationError(text, code="condition_failed") for text in failed]}
            )
    locked.state = RepairState.GRANTED if grant else RepairState.REFUSED
    locked.decided_on = today()
    locked.decided_by = actor
    locked.decision_reasons = reasons
    locked.save()
    record(
        actor=actor,
        action="credit.repair_decided",
        obj=locked,
        changes={"state": [RepairState.APPLIED, locked.state]},
        reason=reasons,
        department=department,
    )
    if grant:
        CreditRecord.objects.filter(pk=item.pk).update(status=RecordStatus.REPAIRED)
        if item.entity_id:
            grades.recompute(entity_ids=[item.entity_id])
        publish(
            CreditRepaired(
                record_id=item.pk,
                entity_id=item.entity_id,
                origin_ref=item.origin_ref,
                repaired_on=today(),
            )
        )
    return locked
