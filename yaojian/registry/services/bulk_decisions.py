"""处处受限 for bulk licence writes: an import issues, renews and designates like a form does.

``add_licence`` asks the decision hook (``registry.decisions.require_clear``) before every
licence; :func:`apply_entity_rows` used to skip it, so a restricted entity could get a licence
through an import. :func:`refuse_restricted` runs the same check for the rows of a bulk write
at once (``registry.decisions.refused_in_bulk``: one set-based check, not a query per row):

- a new licence of a stored entity is ``licence.issue`` (``insurance.designate`` for a
  medical-insurance agreement, ``decision_action``);
- a stored licence is renewed (``licence.renew`` / ``insurance.designate``) when the row moves
  its end date later or brings it back to valid;
- a restricted row passes only with an override a head recorded beforehand (consumed and
  audited by the hook); the others are refused with the restrictions in the platform's
  language, and one ``registry.restricted_rows_refused`` audit event names them.

A new entity has no credit file yet, so its first licence is not checked.

Naming a legal representative is ``person.appoint`` (a ban follows the person): the legal
representative of a new entity, and the changed one of a stored entity when the row writes it
(an authoritative source, or the field was empty). A file names the representative without an
identity card number, so the check is by name (credit's ``check_many``: set-based); a row that
names a restricted person is refused on ``legal_representative`` with the reasons, unless a
head recorded an override for that person beforehand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.audit.services import record
from yaojian.registry.choices import LicenceStatus
from yaojian.registry.decisions import DecisionSubject, describe, refused_in_bulk
from yaojian.registry.models import Licence
from yaojian.registry.names import normalise_name
from yaojian.registry.services.licences import decision_action

AUDIT_CHUNK = 500


def licence_decision(values: Any, licence: Licence | None) -> str | None:
    """The decision a bulk row's licence values take (``None`` when they decide nothing)."""
    if licence is None:
        return decision_action(values.kind)
    later = (
        values.valid_until is not None
        and licence.valid_until is not None
        and values.valid_until > licence.valid_until
    )
    reinstated = values.status == LicenceStatus.VALID and licence.status != LicenceStatus.VALID
    if later or reinstated:
        return decision_action(licence.kind, renewal=True)
    return None


def representative_appointment(entity_id: int | None, name: str) -> tuple[DecisionSubject, str]:
    """The decision naming ``name`` legal representative is (of the entity ``entity_id``,
    ``None`` for a new one): ``person.appoint`` by name, since an import's row and the entity
    form carry the name only (credit answers it set-based, ``check_many``)."""
    return DecisionSubject(entity_id=entity_id, name=name), "person.appoint"


def representative_named(item: Any, *, authoritative: bool) -> str:
    """The legal representative a bulk row names anew ('' for nobody new): the one of a new
    entity, and a stored entity's changed one when the row writes it."""
    entity, name = item.row.entity, (item.row.legal_representative or "").strip()
    if not name or entity is None or entity.pk is None:
        return name
    if entity.legal_representative and not (authoritative and not item.row.linked):
        return ""  # a non-authoritative row only fills an empty field
    if normalise_name(name) == normalise_name(entity.legal_representative or ""):
        return ""
    return name


def refuse_restricted(
    items: Sequence[Any],
    *,
    actor: Any,
    department: Department,
    source: models.Model | None,
    authoritative: bool = True,
) -> list[dict[str, str] | None]:
    """One refusal (or ``None``) per item (``_Work`` of ``bulk.py``: ``row``, ``licence``)."""
    checked: list[tuple[int, DecisionSubject, str]] = []
    for index, item in enumerate(items):
        entity, values = item.row.entity, item.row.licence
        representative = representative_named(item, authoritative=authoritative)
        if representative:
            entity_id = entity.pk if entity is not None else None
            checked.append((index, *representative_appointment(entity_id, representative)))
        if values is None or entity is None or entity.pk is None:
            continue
        action = licence_decision(values, item.licence)
        if action is not None:
            checked.append((index, DecisionSubject(entity_id=entity.pk), action))
    refusals: list[dict[str, str] | None] = [None] * len(items)
    if not checked:
        return refusals
    with translation.override(settings.LANGUAGE_CODE):
        answers = refused_in_bulk(
            actor=actor,
            decisions=[(subject, action) for _i, subject, action in checked],
            department_id=department.pk,
            obj=source,
        )
        refused: list[dict[str, Any]] = []
        for (index, subject, action), restrictions in zip(checked, answers, strict=True):
            if not restrictions:
                continue
            item = items[index]
            listed = "；".join(describe(r) for r in restrictions)
            if action == "person.appoint":
                refusal = {
                    "field": "legal_representative",
                    "code": "restricted",
                    "message": str(
                        _(
                            "The legal representative named in this row (%(name)s) may not be "
                            "appointed: %(list)s. If it is another person of the same name, a "
                            "department head may record an override for the person on the "
                            "credit pages; then import the row again."
                        )
                        % {"name": subject.name, "list": listed}
                    ),
                }
            else:
                refusal = {
                    "field": "licence_number",
                    "code": "restricted",
                    "message": str(
                        _(
                            "This licence decision is restricted by credit: %(list)s. A "
                            "department head may record an override on the credit pages; then "
                            "import the row again."
                        )
                        % {"list": listed}
                    ),
                }
            if refusals[index] is None:
                refusals[index] = refusal
            entity = item.row.entity
            refused.append(
                {
                    "ref": str(item.row.ref),
                    "entity": str(entity.public_id) if entity is not None else None,
                    "licence": item.row.licence.number if item.row.licence else None,
                    "action": action,
                    "measures": [r.measure for r in restrictions],
                    "legal_basis": [r.legal_basis for r in restrictions],
                }
            )
    for start in range(0, len(refused), AUDIT_CHUNK):
        record(
            actor=actor,
            action="registry.restricted_rows_refused",
            obj=source,
            changes={"rows": refused[start : start + AUDIT_CHUNK]},
            reason=str(_("Refused by the credit restriction check.")),
            department=department,
        )
    return refusals
