"""Decision hooks: apps above the registry check a decision before the registry takes it.

"一处违法，处处受限": credit registers a checker from its ``AppConfig.ready()``::

    from yaojian.registry.decisions import register_checker
    register_checker("credit", checker)

and the registry's services call :func:`require_clear` at each decision point (issuing a
licence, naming a legal representative or licensed pharmacist …). A restricted decision is
refused with the restrictions under the ``override_reason`` field unless the actor holds the
checker's override permission in the deciding department and gives a reason; the override is
recorded by the checker and audited here. No import goes upwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.audit.services import record


@dataclass(frozen=True)
class Restriction:
    """Why a decision is restricted."""

    measure: str
    legal_basis: str
    source_department: str
    until: str = ""  # ISO date, empty for no end


@dataclass(frozen=True)
class DecisionSubject:
    """Who the decision is about: an entity and/or a person (by id or identity card number)."""

    entity_id: int | None = None
    person_id: int | None = None
    id_number: str = ""
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Checker(Protocol):
    override_permission: str

    def check(self, subject: DecisionSubject, action: str) -> list[Restriction]: ...

    def consume_override(
        self, *, actor: Any, subject: DecisionSubject, action: str, department_id: int | None
    ) -> bool: ...

    def record_override(
        self,
        *,
        actor: Any,
        subject: DecisionSubject,
        action: str,
        restrictions: list[Restriction],
        reason: str,
        department_id: int | None,
    ) -> None: ...


_checkers: dict[str, Checker] = {}


def register_checker(key: str, checker: Checker) -> None:
    """Add (or replace) a checker; idempotent, so ``ready()`` may run twice."""
    _checkers[key] = checker


def unregister_checker(key: str) -> None:
    _checkers.pop(key, None)


def restrictions_for(subject: DecisionSubject, action: str) -> list[tuple[Checker, Restriction]]:
    """Every restriction every checker finds for ``action`` on ``subject``."""
    found: list[tuple[Checker, Restriction]] = []
    for key in sorted(_checkers):
        checker = _checkers[key]
        found.extend((checker, r) for r in checker.check(subject, action))
    return found


def restrictions_for_many(
    decisions: Sequence[tuple[DecisionSubject, str]],
) -> list[list[tuple[Checker, Restriction]]]:
    """:func:`restrictions_for` of many decisions at once, one answer per decision in order.

    A checker with a ``check_many(decisions) -> list[list[Restriction]]`` method answers them
    all at once (set-based: an import checks thousands of rows); another is asked per decision.
    """
    found: list[list[tuple[Checker, Restriction]]] = [[] for _d in decisions]
    if not decisions:
        return found
    for key in sorted(_checkers):
        checker = _checkers[key]
        check_many = getattr(checker, "check_many", None)
        if check_many is not None:
            answers = check_many(list(decisions))
        else:
            answers = [checker.check(subject, action) for subject, action in decisions]
        for index, restrictions in enumerate(answers):
            found[index].extend((checker, r) for r in restrictions)
    return found


def refused_in_bulk(
    *,
    actor: Any,
    decisions: Sequence[tuple[DecisionSubject, str]],
    department_id: int | None,
    obj: Any = None,
) -> list[list[Restriction]]:
    """The restrictions that refuse each of many decisions taken without a person at a form
    (an import): ``[]`` for a clear decision.

    Nobody can give an override reason in a file, so a restricted decision passes only when a
    head recorded an override for it beforehand (credit's page; consumed here and audited as
    ``registry.restriction_overridden``, as :func:`require_clear` does); otherwise it is
    refused with its restrictions. The check itself is set-based (:func:`restrictions_for_many`).
    """
    answers = restrictions_for_many(decisions)
    refused: list[list[Restriction]] = []
    for (subject, action), found in zip(decisions, answers, strict=True):
        if not found:
            refused.append([])
            continue
        restrictions = [r for _c, r in found]
        checkers = list({id(c): c for c, _r in found}.values())
        if all(
            c.consume_override(
                actor=actor, subject=subject, action=action, department_id=department_id
            )
            for c in checkers
        ):
            record(
                actor=actor,
                action="registry.restriction_overridden",
                obj=obj,
                changes={
                    "action": action,
                    "entity_id": subject.entity_id,
                    "restrictions": [r.measure for r in restrictions],
                },
                reason=str(_("Override recorded by a department head.")),
            )
            refused.append([])
            continue
        refused.append(restrictions)
    return refused


def describe(restriction: Restriction) -> str:
    params = {
        "measure": restriction.measure,
        "basis": restriction.legal_basis,
        "department": restriction.source_department,
        "until": restriction.until or str(_("no end date")),
    }
    return str(_("%(measure)s (%(basis)s; %(department)s; until %(until)s)") % params)


def require_clear(
    *,
    actor: Any,
    subject: DecisionSubject,
    action: str,
    override_reason: str = "",
    department_id: int | None = None,
    obj: Any = None,
) -> list[Restriction]:
    """Refuse a restricted decision unless a head overrode it with a reason.

    A head records the override beforehand (credit's page; the decision consumes it), or,
    holding the override permission, gives the reason with the decision. Returns the
    restrictions overridden (empty when none applied). ``ValidationError`` on
    ``override_reason`` lists each restriction and says who may override.
    """
    found = restrictions_for(subject, action)
    if not found:
        return []
    restrictions = [r for _c, r in found]
    listed = "；".join(describe(r) for r in restrictions)
    reason = (override_reason or "").strip()
    from yaojian.accounts.scoping import scope_for

    checkers = list({id(c): c for c, _r in found}.values())
    if all(
        c.consume_override(actor=actor, subject=subject, action=action, department_id=department_id)
        for c in checkers
    ):
        record(
            actor=actor,
            action="registry.restriction_overridden",
            obj=obj,
            changes={"action": action, "restrictions": [r.measure for r in restrictions]},
            reason=str(_("Override recorded by a department head.")),
        )
        return restrictions

    scope = scope_for(actor)
    permissions = {c.override_permission for c, _r in found}
    allowed = scope.is_superuser or any(
        permissions <= member.permissions
        and (department_id is None or member.department_id == department_id)
        for member in scope.members
    )
    if not reason or not allowed:
        if not allowed:
            message = _(
                "This decision is restricted by credit: %(list)s. You cannot proceed until a "
                "department head records an override with a reason."
            )
        else:
            message = _(
                "This decision is restricted by credit: %(list)s. To proceed, give the reason "
                "for overriding the restriction."
            )
        raise ValidationError(
            {"override_reason": ValidationError(message % {"list": listed}, code="restricted")}
        )
    for checker in checkers:
        checker.record_override(
            actor=actor,
            subject=subject,
            action=action,
            restrictions=[r for c, r in found if c is checker],
            reason=reason,
            department_id=department_id,
        )
    record(
        actor=actor,
        action="registry.restriction_overridden",
        obj=obj,
        changes={"action": action, "restrictions": [r.measure for r in restrictions]},
        reason=reason,
    )
    return restrictions
