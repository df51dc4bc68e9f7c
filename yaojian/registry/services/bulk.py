"""Bulk writes of entities and licences: many rows from one department in one transaction.

``create_entity``/``add_licence`` cost about 20 queries a row; an import of 100,000 rows
(exchange) cannot afford that. :func:`apply_entity_rows` writes the same rows with a few
queries per 900 rows (COPY on PostgreSQL) and keeps the registry's rules itself:

- every value is checked again (kind, status, region in the department's jurisdiction, name,
  credit code, validity dates); a row that breaks a rule is *refused* with a reason and the
  other rows go on — partial acceptance is what a bulk caller needs;
- an entity matched by the caller must lie in the department's jurisdiction; a licence number
  already registered belongs to its entity and may only be changed by the department that
  issued it, along ``LICENCE_TRANSITIONS``;
- a matched entity found by linkage (``linked``) or given by a non-authoritative source only
  gets its empty fields filled; an authoritative source (the licence register) rewrites them;
- a licence issued, renewed or designated for a stored entity, and a legal representative
  named (checked by name: a file carries no identity card number), go through the decision
  hook like a form's (处处受限, ``bulk_decisions.py``, set-based); a restricted row is refused;
- one ``registry.entity_rows_applied`` audit event per 500 entities with each entity's and
  licence's before/after, the licence history, and the registry's own events
  (EntityCreated, EntityUpdated, LicenceAdded, LicenceStatusChanged) published after commit.

The caller (exchange) keeps reading files, checking their shape, deciding linkage and
recording provenance; it calls this service inside its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.core import bulkwrite
from yaojian.core.events import publish
from yaojian.registry import names
from yaojian.registry.choices import (
    LICENCE_TRANSITIONS,
    EntityKind,
    EntityStatus,
    LicenceKind,
    LicenceStatus,
)
from yaojian.registry.events import (
    EntityCreated,
    EntityUpdated,
    LicenceAdded,
    LicenceStatusChanged,
)
from yaojian.registry.identifiers import uscc, validate_unified_social_credit_code
from yaojian.registry.models import Entity, Licence, LicenceStatusChange
from yaojian.registry.services.bulk_decisions import refuse_restricted
from yaojian.registry.services.bulk_persons import sync_legal_representatives
from yaojian.territory.codes import subtree_prefix
from yaojian.territory.models import Region

CHUNK = 900
AUDIT_CHUNK = 500
ENTITY_FIELDS = (
    "name",
    "unified_social_credit_code",
    "kind",
    "region",
    "address",
    "legal_representative",
)
FILLABLE = ("address", "legal_representative")
# Looked up for every row: computed once (``TextChoices.values`` builds a list each time).
ENTITY_KINDS = frozenset(EntityKind.values)
LICENCE_KINDS = frozenset(LicenceKind.values)
LICENCE_STATUSES = frozenset(LicenceStatus.values)


def _canonical_code_valid(code: str) -> bool:
    """True for a canonical code (18 allowed symbols, region digits) whose two check characters
    are right: what ``validate_unified_social_credit_code`` accepts unchanged, without its
    normalisation (about 10× faster); anything else goes through the validator."""
    if len(code) != uscc.LENGTH or any(ch not in uscc._VALUES for ch in code):
        return False
    if not code[2:8].isdigit() or not code[2:8].isascii():
        return False
    total = sum(uscc._VALUES[ch] * w for ch, w in zip(code[:17], uscc._WEIGHTS, strict=True))
    if uscc.ALPHABET[(31 - total % 31) % 31] != code[17]:
        return False
    org = sum(uscc._ORG_VALUES[ch] * w for ch, w in zip(code[8:16], uscc._ORG_WEIGHTS, strict=True))
    return {10: "X", 11: "0"}.get(11 - org % 11, str(11 - org % 11)) == code[16]


@dataclass
class LicenceValues:
    """A licence as a bulk source states it."""

    kind: str
    number: str
    status: str
    valid_from: dt.date | None
    valid_until: dt.date | None = None


@dataclass
class EntityRow:
    """One entity (and optionally its licence) to create or update.

    ``entity`` is the registered entity the caller matched (by credit code, licence number,
    an earlier record or linkage), ``None`` for a new one; ``linked`` says it was found by
    linkage, so the row may only fill empty fields. ``ref`` is the caller's reference (a line).
    """

    ref: Any
    name: str
    kind: str
    region_code: str
    unified_social_credit_code: str = ""
    address: str = ""
    legal_representative: str = ""
    entity: Entity | None = None
    linked: bool = False
    licence: LicenceValues | None = None


@dataclass
class RowResult:
    """What became of one row: its entity and licence, or why it was refused."""

    ref: Any
    entity: Entity | None = None
    licence: Licence | None = None
    refusal: dict[str, str] | None = None


@dataclass
class BulkResult:
    """The rows' results in input order and the ids of the entities created."""

    rows: list[RowResult]
    created_ids: frozenset[int] = frozenset()
    updated_ids: frozenset[int] = frozenset()
    licences_added: int = 0
    licences_changed: int = 0
    # Fields changed on stored entities ({pk: {field: [before, after]}}) and those entities.
    entity_changes: dict[int, dict[str, list[Any]]] = field(default_factory=dict)
    changed_entities: dict[int, Any] = field(default_factory=dict)


def _refusal(field_key: str, code: str, message: Any) -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return {"field": field_key, "code": code, "message": str(message)}


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class _Work:
    row: EntityRow
    result: RowResult
    licence: Licence | None = None
    values: dict[str, Any] = field(default_factory=dict)
    search_key: str | None = None  # of values["name"], once computed


@transaction.atomic
def apply_entity_rows(
    rows: Sequence[EntityRow],
    *,
    actor: Any,
    department: Department,
    authoritative: bool,
    source: models.Model | None = None,
    reason: str = "",
) -> BulkResult:
    """Create or update the entities and licences of ``rows`` for ``department``.

    ``authoritative``: the source is the register of record (its values overwrite a matched
    entity's fields). ``source`` is the object the rows came from (the import batch), named
    in the audit events; ``reason`` goes into the licence history and the status events.
    Raises ``PermissionDenied`` when the actor does not act for a department that may
    register entities; refuses single rows (``RowResult.refusal``) for broken rules.
    """
    _require(actor, department)
    applier = _BulkApplier(actor, department, authoritative, source, reason)
    return applier.run(rows)


def _require(actor: Any, department: Department) -> None:
    """The actor must act for ``department`` with the registry's write permissions."""
    scope = scope_for(actor)
    if scope.is_superuser:
        return
    for member in scope.members_with("registry.add_entity"):
        if member.department_id == department.pk and "registry.add_licence" in member.permissions:
            return
    raise PermissionDenied(
        _("You are not allowed to register regulated entities for this department.")
    )


class _BulkApplier:
    def __init__(
        self,
        actor: Any,
        department: Department,
        authoritative: bool,
        source: models.Model | None,
        reason: str,
    ) -> None:
        self.actor = actor
        self.department = department
        self.authoritative = authoritative
        self.source = source
        self.reason = reason
        self.prefix = subtree_prefix(department.region_id)
        self.now = timezone.now()
        self.new_entities: dict[str, Entity] = {}
        self.changed_entities: dict[int, Entity] = {}
        self.entity_diffs: dict[int, dict[str, list[Any]]] = {}
        self.licence_diffs: dict[str, dict[str, list[Any]]] = {}
        self.events: list[Any] = []
        self.new_diffs: dict[int, dict[str, list[Any]]] = {}  # by id() until inserted
        self.new_entity = bulkwrite.Blueprint(
            Entity, status=EntityStatus.ACTIVE, registered_by=department
        )

    # --- checks --------------------------------------------------------------------------

    def run(self, rows: Sequence[EntityRow]) -> BulkResult:
        work = [_Work(row=row, result=RowResult(ref=row.ref)) for row in rows]
        licences = self._licences(work)
        regions = self._regions(work)
        codes = self._registered_codes(work)
        accepted: list[_Work] = []
        for item in work:
            if item.row.licence is not None:
                item.licence = licences.get((item.row.licence.kind, item.row.licence.number))
            refusal = self._check(item, regions, codes)
            if refusal is None:
                accepted.append(item)
            else:
                item.result.refusal = refusal
        accepted = self._clear(accepted)
        created = self._write_entities(accepted)
        added, changed = self._write_licences(accepted)
        self._audit()
        sync_legal_representatives(  # the persons table follows (bulk_persons.py)
            self.entity_diffs,
            self.changed_entities,
            actor=self.actor,
            department=self.department,
            today=timezone.localdate(),
            reason=self.reason,
        )
        for event in self.events:
            publish(event)
        return BulkResult(
            rows=[item.result for item in work],
            created_ids=frozenset(e.pk for e in created),
            updated_ids=frozenset(self.changed_entities),
            licences_added=added,
            licences_changed=changed,
            entity_changes={pk: self.entity_diffs.get(pk, {}) for pk in self.changed_entities},
            changed_entities=dict(self.changed_entities),
        )

    def _clear(self, work: list[_Work]) -> list[_Work]:
        """The rows whose licence decision and named legal representative credit does not
        restrict (bulk_decisions.py)."""
        refusals = refuse_restricted(
            work,
            actor=self.actor,
            department=self.department,
            source=self.source,
            authoritative=self.authoritative,
        )
        clear: list[_Work] = []
        for item, refusal in zip(work, refusals, strict=True):
            if refusal is None:
                clear.append(item)
            else:
                item.result.refusal = refusal
        return clear

    def _licences(self, work: list[_Work]) -> dict[tuple[str, str], Licence]:
        numbers = sorted({i.row.licence.number for i in work if i.row.licence is not None})
        found: dict[tuple[str, str], Licence] = {}
        for chunk in _chunks(numbers):
            for licence in Licence.objects.filter(number__in=chunk).select_related("entity"):
                found[(licence.kind, licence.number)] = licence
        return found

    def _regions(self, work: list[_Work]) -> set[str]:
        """The current regions among the rows' codes (one query per 900 codes)."""
        codes = sorted({i.row.region_code for i in work if i.row.entity is None})
        current: set[str] = set()
        for chunk in _chunks(codes):
            current.update(
                Region.objects.filter(code__in=chunk, valid_to__isnull=True).values_list(
                    "code", flat=True
                )
            )
        return current

    def _registered_codes(self, work: list[_Work]) -> set[str]:
        """Credit codes of new rows that are already registered (to another entity)."""
        codes = sorted(
            {
                i.row.unified_social_credit_code
                for i in work
                if i.row.entity is None and i.row.unified_social_credit_code
            }
        )
        taken: set[str] = set()
        for chunk in _chunks(codes):
            taken.update(
                code
                for code in Entity.objects.filter(unified_social_credit_code__in=chunk).values_list(
                    "unified_social_credit_code", flat=True
                )
                if code
            )
        return taken

    def _check(self, item: _Work, regions: set[str], codes: set[str]) -> dict[str, str] | None:
        row, entity, licence = item.row, item.row.entity, item.licence
        values = {
            "name": (row.name or "").strip(),
            "unified_social_credit_code": row.unified_social_credit_code or "",
            "kind": row.kind,
            "region": row.region_code,
            "address": (row.address or "").strip(),
            "legal_representative": (row.legal_representative or "").strip(),
        }
        item.values = values
        if entity is None or authoritative_rewrite(self.authoritative, row.linked):
            item.search_key = names.search_key(values["name"])
            if not item.search_key:
                return _refusal(
                    "entity_name",
                    "invalid_name",
                    _("The name must contain at least one letter, character or digit."),
                )
            if values["kind"] not in ENTITY_KINDS:
                return _refusal(
                    "entity_kind",
                    "invalid_choice",
                    _("“%(value)s” is not a kind of entity.") % {"value": values["kind"]},
                )
        if values["unified_social_credit_code"]:
            code = values["unified_social_credit_code"]
            if not _canonical_code_valid(code):
                try:
                    code = validate_unified_social_credit_code(code)
                except ValidationError as exc:
                    return _refusal("unified_social_credit_code", "invalid_uscc", exc.messages[0])
            values["unified_social_credit_code"] = code
            if entity is None and code in codes:
                return _refusal(
                    "unified_social_credit_code",
                    "duplicate_uscc",
                    _("The unified social credit code %(code)s is already registered.")
                    % {"code": code},
                )
        if entity is None:
            if values["region"] not in regions:
                return _refusal(
                    "region_code",
                    "unknown_region",
                    _("%(code)s is not a current region code.") % {"code": values["region"]},
                )
            if not values["region"].startswith(self.prefix):
                return _refusal(
                    "region_code",
                    "outside_jurisdiction",
                    _("%(region)s lies outside your department's jurisdiction.")
                    % {"region": values["region"]},
                )
        elif not entity.region_id.startswith(self.prefix):
            return _refusal(
                "region_code",
                "outside_jurisdiction",
                _(
                    "The entity with this credit code is registered outside your department's jurisdiction."
                ),
            )
        if row.licence is not None:
            return self._check_licence(row.licence, licence, entity)
        return None

    def _check_licence(
        self, values: LicenceValues, licence: Licence | None, entity: Entity | None
    ) -> dict[str, str] | None:
        if values.kind not in LICENCE_KINDS:
            return _refusal(
                "licence_kind",
                "invalid_choice",
                _("“%(value)s” is not a kind of licence.") % {"value": values.kind},
            )
        if values.status and values.status not in LICENCE_STATUSES:
            return _refusal(
                "licence_status",
                "invalid_choice",
                _("“%(value)s” is not a licence status.") % {"value": values.status},
            )
        if licence is None:
            if values.valid_from is None:
                return _refusal("valid_from", "required", _("A new licence needs a start date."))
            if values.valid_until is not None and values.valid_until < values.valid_from:
                return _refusal(
                    "valid_until",
                    "invalid_validity",
                    _("A licence cannot end before it starts."),
                )
            return None
        if entity is None or licence.entity_id != entity.pk:
            return _refusal(
                "licence_number",
                "licence_of_another_entity",
                _("This number is already registered to another entity (“%(name)s”).")
                % {"name": licence.entity.name},
            )
        if licence.issued_by_id != self.department.pk:
            return _refusal(
                "licence_number",
                "issued_by_another_department",
                _(
                    "This number was recorded by another department; only that department may change it."
                ),
            )
        to_status = values.status or licence.status
        if to_status != licence.status and to_status not in LICENCE_TRANSITIONS.get(
            licence.status, set()
        ):
            with translation.override(settings.LANGUAGE_CODE):
                message = _("A licence cannot go from “%(from)s” to “%(to)s”.") % {
                    "from": LicenceStatus(licence.status).label,
                    "to": LicenceStatus(to_status).label,
                }
            return _refusal("licence_status", "invalid_transition", message)
        start = values.valid_from or licence.valid_from
        end = values.valid_until
        if end is not None and end < start:
            return _refusal(
                "valid_until", "invalid_validity", _("A licence cannot end before it starts.")
            )
        return None

    # --- entities ------------------------------------------------------------------------

    def _write_entities(self, work: list[_Work]) -> list[Entity]:
        for item in work:
            item.result.entity = self._entity_for(item)
        created = list(self.new_entities.values())
        bulkwrite.insert_objects(Entity, created)
        if self.changed_entities:
            for entity in self.changed_entities.values():
                entity.updated_at = self.now
            bulkwrite.update_objects(
                Entity,
                list(self.changed_entities.values()),
                [*ENTITY_FIELDS, "search_key", "updated_at"],
            )
        for entity in created:
            self.entity_diffs[entity.pk] = self.new_diffs.pop(id(entity), {})
            self.events.append(
                EntityCreated(
                    entity.pk, str(entity.public_id), entity.region_id, entity.kind, self.actor.pk
                )
            )
        for entity in self.changed_entities.values():
            self.events.append(
                EntityUpdated(
                    entity.pk,
                    str(entity.public_id),
                    tuple(self.entity_diffs.get(entity.pk, {})),
                    self.actor.pk,
                )
            )
        return created

    def _entity_for(self, item: _Work) -> Entity:
        values, entity = item.values, item.row.entity
        if entity is None:
            search_key = (
                item.search_key if item.search_key is not None else names.search_key(values["name"])
            )
            key = values["unified_social_credit_code"] or f"{search_key}@{values['region']}"
            entity = self.new_entities.get(key)
            if entity is None:
                entity = self.new_entity(
                    name=values["name"],
                    search_key=search_key,
                    unified_social_credit_code=values["unified_social_credit_code"] or None,
                    kind=values["kind"],
                    region_id=values["region"],
                    address=values["address"],
                    legal_representative=values["legal_representative"],
                )
                self.new_entities[key] = entity
                self.new_diffs[id(entity)] = {
                    f: [None, getattr(entity, "region_id" if f == "region" else f)]
                    for f in ENTITY_FIELDS
                }
            return entity
        if entity.pk is None:
            return entity
        if authoritative_rewrite(self.authoritative, item.row.linked):
            changes = {f: v for f, v in values.items() if f != "unified_social_credit_code" and v}
        else:
            changes = {f: values[f] for f in FILLABLE if values[f] and not getattr(entity, f)}
        if values["unified_social_credit_code"] and not entity.unified_social_credit_code:
            changes["unified_social_credit_code"] = values["unified_social_credit_code"]
        diff = self.entity_diffs.setdefault(entity.pk, {})
        for name_, value in changes.items():
            attribute = "region_id" if name_ == "region" else name_
            before = getattr(entity, attribute)
            if before != value:
                diff[name_] = [diff.get(name_, [before])[0], value]
                setattr(entity, attribute, value)
                if name_ == "name":
                    entity.search_key = names.search_key(value)
                self.changed_entities[entity.pk] = entity
        return entity

    # --- licences ------------------------------------------------------------------------

    def _write_licences(self, work: list[_Work]) -> tuple[int, int]:
        new: list[Licence] = []
        changed: list[Licence] = []
        history: list[LicenceStatusChange] = []
        status_events: list[tuple[Licence, str, str]] = []
        today = timezone.localdate()
        new_licence = bulkwrite.Blueprint(Licence, issued_by=self.department)
        for item in work:
            values, licence, entity = item.row.licence, item.licence, item.result.entity
            if values is None or entity is None:
                continue
            if licence is None:
                status = values.status or LicenceStatus.VALID
                if (
                    status == LicenceStatus.VALID
                    and values.valid_until
                    and values.valid_until < today
                ):
                    status = LicenceStatus.EXPIRED
                licence = new_licence(
                    entity=entity,
                    kind=values.kind,
                    number=values.number,
                    valid_from=values.valid_from,  # type: ignore[misc]  # checked above
                    valid_until=values.valid_until,
                    status=status,
                )
                new.append(licence)
                self.licence_diffs[f"{licence.kind}:{licence.number}"] = {
                    "entity": [None, str(entity.public_id)],
                    "valid_from": [None, _iso(values.valid_from)],
                    "valid_until": [None, _iso(values.valid_until)],
                    "status": [None, status],
                }
                item.result.licence = licence
                continue
            item.result.licence = licence
            diff: dict[str, list[Any]] = {}
            for attr in ("valid_from", "valid_until"):
                value = getattr(values, attr)
                if attr == "valid_from" and value is None:
                    continue
                if getattr(licence, attr) != value:
                    diff[attr] = [_iso(getattr(licence, attr)), _iso(value)]
                    setattr(licence, attr, value)
            to_status = values.status or licence.status
            if to_status != licence.status:
                diff["status"] = [licence.status, to_status]
                history.append(
                    LicenceStatusChange(
                        licence=licence,
                        from_status=licence.status,
                        to_status=to_status,
                        reason=self.reason,
                        changed_by=self.actor,
                    )
                )
                status_events.append((licence, licence.status, to_status))
                licence.status = to_status
            if diff:
                licence.updated_at = self.now
                changed.append(licence)
                self.licence_diffs[f"{licence.kind}:{licence.number}"] = diff
        for licence in new:
            licence.entity = licence.entity  # refresh entity_id after the entities' insert
        bulkwrite.insert_objects(Licence, new)
        if changed:
            bulkwrite.update_objects(
                Licence, changed, ["valid_from", "valid_until", "status", "updated_at"]
            )
        bulkwrite.insert_objects(LicenceStatusChange, history)
        # The first history entry of each new licence, as plain rows (one per licence).
        stamp = bulkwrite.db_value(LicenceStatusChange, "created_at", self.now)
        bulkwrite.insert_rows(
            LicenceStatusChange,
            [
                bulkwrite.column(LicenceStatusChange, name)
                for name in (
                    "created_at",
                    "updated_at",
                    "licence",
                    "from_status",
                    "to_status",
                    "reason",
                    "changed_by",
                )
            ],
            ((stamp, stamp, lic.pk, "", lic.status, "", self.actor.pk) for lic in new),
        )
        for lic in new:
            self.events.append(
                LicenceAdded(
                    lic.pk,
                    str(lic.public_id),
                    lic.entity_id,
                    lic.kind,
                    lic.number,
                    lic.status,
                    self.actor.pk,
                )
            )
        for lic, before, after in status_events:
            self.events.append(
                LicenceStatusChanged(
                    lic.pk,
                    str(lic.public_id),
                    lic.entity_id,
                    lic.kind,
                    lic.number,
                    before,
                    after,
                    self.reason,
                    self.actor.pk,
                )
            )
        return len(new), len(changed)

    # --- audit ---------------------------------------------------------------------------

    def _audit(self) -> None:
        """One audit event per chunk of entities, with each entity's and licence's diff."""
        entity_ids = sorted(k for k, v in self.entity_diffs.items() if v)
        public = {
            e.pk: e.public_id
            for e in [*self.new_entities.values(), *self.changed_entities.values()]
        }
        entity_items = [(str(public.get(pk, pk)), self.entity_diffs[pk]) for pk in entity_ids]
        licence_items = sorted(self.licence_diffs.items())
        count = max(len(entity_items), len(licence_items))
        for start in range(0, count, AUDIT_CHUNK):
            record(
                actor=self.actor,
                action="registry.entity_rows_applied",
                obj=self.source,
                changes={
                    "entities": dict(entity_items[start : start + AUDIT_CHUNK]),
                    "licences": dict(licence_items[start : start + AUDIT_CHUNK]),
                },
                reason=self.reason,
                department=self.department,
            )


def authoritative_rewrite(authoritative: bool, linked: bool) -> bool:
    """True when a row's values replace a matched entity's (not only fill its empty fields)."""
    return authoritative and not linked
