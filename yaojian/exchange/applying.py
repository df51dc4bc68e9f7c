"""Applying the accepted rows of a batch: link each to an entity, write registry rows in bulk,
record what the department holds (source records, per-field provenance), audit and publish.

This is the bulk path (ADR-level note in docs/domain/exchange.md): instead of calling
``registry.services`` once per row (about 20 queries a row), it prefetches entities and licences
by credit code and number in chunks and writes with ``bulk_create``/``bulk_update``. It
re-checks what those services check (identifiers and regions in ``rows``; jurisdiction, the
issuing department and licence transitions here), writes one ``exchange.rows_applied`` audit
event per chunk of entities with each entity's and licence's diff, and publishes the registry's
own events (EntityCreated, EntityUpdated, LicenceAdded, LicenceStatusChanged) after commit.
Must run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.audit.services import record
from yaojian.core.events import publish
from yaojian.exchange import bulk, overwrites
from yaojian.exchange.choices import RowOutcome, SourceKind
from yaojian.exchange.models import FieldProvenance, ImportBatch, SourceRecord, current_fields
from yaojian.exchange.rows import CleanRow
from yaojian.registry import names
from yaojian.registry.choices import LICENCE_TRANSITIONS, EntityStatus, LicenceStatus
from yaojian.registry.events import (
    EntityCreated,
    EntityUpdated,
    LicenceAdded,
    LicenceStatusChanged,
)
from yaojian.registry.models import Entity, Licence, LicenceStatusChange

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
PAYLOAD_TO_ENTITY = {
    "entity_name": "name",
    "unified_social_credit_code": "unified_social_credit_code",
    "entity_kind": "kind",
    "region_code": "region",
    "address": "address",
    "legal_representative": "legal_representative",
}
NEW = "new"


@dataclass
class Outcome:
    """What happened to one row."""

    line: int
    outcome: str
    record_key: str = ""
    entity_id: int | None = None
    reasons: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Plan:
    row: CleanRow
    entity: Entity | None = None
    licence: Licence | None = None
    existing_record: SourceRecord | None = None
    # Found by linkage (no credit code): the row may fill empty fields but never rewrites the
    # registered entity; its values still appear in the department's provenance.
    linked: bool = False


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _reason(field_key: str, code: str, message: Any) -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return {"field": field_key, "code": code, "message": str(message)}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Applier:
    """Applies the clean rows of one batch for one department (inside a transaction)."""

    def __init__(
        self,
        *,
        batch: ImportBatch,
        actor: Any,
        department: Department,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.batch = batch
        self.report = report
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()
        self.actor = actor
        self.department = department
        self.kind = batch.source_kind
        self.prefix = _prefix(department.region_id)
        self.now = timezone.now()
        self.authoritative = self.kind == SourceKind.LICENCE_REGISTER
        self.outcomes: list[Outcome] = []
        self.new_entities: dict[str, Entity] = {}
        self.entity_diffs: dict[int | str, dict[str, list[Any]]] = {}
        self.changed_entities: dict[int, Entity] = {}
        # Fields of entities another department registered that this batch changes.
        self.overwritten: dict[int, dict[str, list[Any]]] = {}
        self.licence_diffs: dict[str, dict[str, list[Any]]] = {}
        self.events: list[Any] = []
        self.created_ids: frozenset[int] = frozenset()

    # --- entry point ---------------------------------------------------------------------

    def apply(
        self, rows: list[CleanRow], progress: Callable[[int], None] | None = None
    ) -> list[Outcome]:
        """Apply ``rows``; one :class:`Outcome` per row (accepted, unchanged, rejected, held)."""
        records = self._existing_records([r.record_key for r in rows])
        todo: list[_Plan] = []
        for row in rows:
            existing = records.get(row.record_key)
            if (
                existing is not None
                and existing.content_hash == row.content_hash
                and row.link is None
            ):
                self.outcomes.append(
                    Outcome(row.line, RowOutcome.UNCHANGED, row.record_key, existing.entity_id)
                )
            else:
                todo.append(_Plan(row=row, existing_record=existing))
        self._step("compare", _("matching entities"))
        self._resolve_entities(todo)
        accepted = [plan for plan in todo if self._check(plan)]
        self._step("match", _("writing entities"))
        self._write(accepted)
        if progress:
            progress(len(rows))
        self.outcomes.sort(key=lambda o: o.line)
        return self.outcomes

    def _step(self, key: str, label: Any) -> None:
        """Note how long the step ``key`` took and say which step comes next."""
        now = time.perf_counter()
        self.timings[key] = round(now - self._clock, 2)
        self._clock = now
        if self.report is not None:
            self.report(str(label))

    # --- planning ------------------------------------------------------------------------

    def _existing_records(self, keys: list[str]) -> dict[str, SourceRecord]:
        found: dict[str, SourceRecord] = {}
        if connection.vendor == "postgresql" and keys:
            # One query with an array parameter: after a large import the table's statistics
            # may still say "empty", and a hundred IN-list queries would each scan it.
            table = connection.ops.quote_name(SourceRecord._meta.db_table)
            for rec in SourceRecord.objects.raw(
                f"SELECT id, record_key, content_hash, entity_id FROM {table}"  # noqa: S608
                " WHERE department_id = %s AND source_kind = %s AND record_key = ANY(%s)",
                [self.department.pk, self.kind, sorted(set(keys))],
            ):
                found[rec.record_key] = rec
            return found
        for chunk in _chunks(sorted(set(keys))):
            for rec in SourceRecord.objects.filter(
                department=self.department, source_kind=self.kind, record_key__in=chunk
            ).only("pk", "record_key", "content_hash", "entity_id"):  # not the payloads
                found[rec.record_key] = rec
        return found

    def _resolve_entities(self, plans: list[_Plan]) -> None:
        codes = sorted({p.row.get("unified_social_credit_code") for p in plans} - {""})
        by_code: dict[str, Entity] = {}
        for chunk in _chunks(codes):
            for entity in Entity.objects.filter(unified_social_credit_code__in=chunk):
                by_code[entity.unified_social_credit_code or ""] = entity
        licence_keys = {
            (p.row.get("licence_kind"), p.row.get("licence_number"))
            for p in plans
            if p.row.get("licence_number")
        }
        licences: dict[tuple[str, str], Licence] = {}
        numbers = sorted({number for _kind, number in licence_keys})
        for chunk in _chunks(numbers):
            for licence in Licence.objects.filter(number__in=chunk).select_related("entity"):
                licences[(licence.kind, licence.number)] = licence
        record_entity_ids = sorted(
            {
                p.existing_record.entity_id
                for p in plans
                if p.existing_record and p.existing_record.entity_id
            }
        )
        by_id: dict[int, Entity] = {}
        for chunk in _chunks(record_entity_ids):
            by_id.update(Entity.objects.in_bulk(list(chunk)))
        for plan in plans:
            if plan.row.link is not None:
                if plan.row.link == NEW:
                    plan.entity = None
                else:
                    plan.entity = Entity.objects.filter(pk=plan.row.link).first()
                    plan.linked = True
            plan.licence = licences.get(
                (plan.row.get("licence_kind"), plan.row.get("licence_number"))
            )
        unresolved: list[_Plan] = []
        for plan in plans:
            if plan.row.link is not None:
                continue
            code = plan.row.get("unified_social_credit_code")
            if code and code in by_code:
                plan.entity = by_code[code]
            elif plan.licence is not None:
                plan.entity = plan.licence.entity
            elif plan.existing_record is not None and plan.existing_record.entity_id in by_id:
                plan.entity = by_id[plan.existing_record.entity_id]
            elif not code:
                unresolved.append(plan)
        self._link(unresolved)

    def _link(self, plans: list[_Plan]) -> None:
        """Rows without a known credit code: ask the linkage app (auto, review or new)."""
        if not plans:
            return
        from yaojian.linkage.matching import Band, LinkRecord, link_to_registry

        records = [
            LinkRecord(
                key=str(plan.row.line),
                name=plan.row.get("entity_name"),
                address=plan.row.get("address"),
                region_code=plan.row.get("region_code"),
                legal_representative=plan.row.get("legal_representative"),
                licence_number=plan.row.get("licence_number"),
            )
            for plan in plans
        ]
        matches = link_to_registry(records, region_prefix=self.prefix)
        ids = [m.entity_id for m in matches if m.band == Band.AUTO and m.entity_id]
        entities = Entity.objects.in_bulk(ids)
        for plan, record_, match in zip(plans, records, matches, strict=True):
            if match.band == Band.AUTO and match.entity_id in entities:
                plan.entity = entities[match.entity_id]
                plan.linked = True
            elif match.band == Band.REVIEW and self.kind != SourceKind.SUPERVISION_PROBLEMS:
                self._hold(plan, record_, match)

    def _hold(self, plan: _Plan, link_record: Any, match: Any) -> None:
        from yaojian.linkage.services import queue_for_review

        queue_for_review(
            actor=self.actor,
            department=self.department,
            record=link_record,
            match=match,
            source_app="exchange",
            source_ref=f"{self.batch.public_id}:{plan.row.line}",
            payload={
                "batch_id": self.batch.pk,
                "line": plan.row.line,
                "record_key": plan.row.record_key,
                "payload": plan.row.payload,
            },
        )
        plan.row.held = True
        self.outcomes.append(Outcome(plan.row.line, RowOutcome.HELD, plan.row.record_key))

    def _reject(self, plan: _Plan, reason: dict[str, str]) -> bool:
        self.outcomes.append(
            Outcome(plan.row.line, RowOutcome.REJECTED, plan.row.record_key, reasons=[reason])
        )
        return False

    def _check(self, plan: _Plan) -> bool:
        """Checks that need the database; False (and a rejection or hold) to skip the row."""
        if plan.row.held:
            return False
        entity, licence = plan.entity, plan.licence
        if entity is not None and not entity.region_id.startswith(self.prefix):
            return self._reject(
                plan,
                _reason(
                    "region_code",
                    "outside_jurisdiction",
                    _(
                        "The entity with this credit code is registered outside your department's jurisdiction."
                    ),
                ),
            )
        if licence is not None:
            if entity is not None and licence.entity_id != entity.pk:
                return self._reject(
                    plan,
                    _reason(
                        "licence_number",
                        "licence_of_another_entity",
                        _("This number is already registered to another entity (“%(name)s”).")
                        % {"name": licence.entity.name},
                    ),
                )
            if licence.issued_by_id != self.department.pk:
                return self._reject(
                    plan,
                    _reason(
                        "licence_number",
                        "issued_by_another_department",
                        _(
                            "This number was recorded by another department; only that department may change it."
                        ),
                    ),
                )
            to_status = plan.row.get("licence_status")
            if to_status != licence.status and to_status not in LICENCE_TRANSITIONS.get(
                licence.status, set()
            ):
                with translation.override(settings.LANGUAGE_CODE):
                    message = _("A licence cannot go from “%(from)s” to “%(to)s”.") % {
                        "from": LicenceStatus(licence.status).label,
                        "to": LicenceStatus(to_status).label,
                    }
                return self._reject(plan, _reason("licence_status", "invalid_transition", message))
        return True

    # --- writing -------------------------------------------------------------------------

    def _write(self, plans: list[_Plan]) -> None:
        for plan in plans:
            if self.kind == SourceKind.SUPERVISION_PROBLEMS:
                continue
            plan.entity = self._entity_for(plan)
        created = list(self.new_entities.values())
        bulk.insert_objects(Entity, created)
        if self.changed_entities:
            for entity in self.changed_entities.values():
                entity.updated_at = self.now
            Entity.objects.bulk_update(
                list(self.changed_entities.values()),
                [*ENTITY_FIELDS, "search_key", "updated_at"],
                batch_size=500,
            )
        for entity in created:
            self.entity_diffs[entity.pk] = self.entity_diffs.pop(id(entity), {})
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
        self._step("entities", _("writing licences"))
        if self.kind == SourceKind.SUPERVISION_PROBLEMS:
            plans = [plan for plan in plans if self._record_problem(plan)]
        else:
            self._write_licences(plans)
        self._step("licences", _("writing source records"))
        self._write_records(plans)
        self._step("records", _("writing provenance"))
        self._write_provenance(plans)
        overwrites.flag(
            self.overwritten,
            self.changed_entities,
            actor=self.actor,
            department=self.department,
            batch=self.batch,
            now=self.now,
        )
        self.created_ids = frozenset(entity.pk for entity in created)
        self._step("provenance", _("auditing"))
        self._audit()
        for event in self.events:
            publish(event)
        self._step("audit", "")

    def _entity_for(self, plan: _Plan) -> Entity:
        row = plan.row
        values = {PAYLOAD_TO_ENTITY[k]: row.get(k) for k in PAYLOAD_TO_ENTITY}
        entity = plan.entity
        if entity is None:
            search_key = names.search_key(values["name"])
            key = values["unified_social_credit_code"] or f"{search_key}@{values['region']}"
            entity = self.new_entities.get(key)
            if entity is None:
                entity = Entity(
                    name=values["name"],
                    search_key=search_key,
                    unified_social_credit_code=values["unified_social_credit_code"] or None,
                    kind=values["kind"],
                    status=EntityStatus.ACTIVE,
                    region_id=values["region"],
                    address=values["address"],
                    legal_representative=values["legal_representative"],
                    registered_by=self.department,
                )
                self.new_entities[key] = entity
                self.entity_diffs[id(entity)] = {
                    f: [None, getattr(entity, "region_id" if f == "region" else f)]
                    for f in ENTITY_FIELDS
                }
            return entity
        if entity.pk is None:
            return entity
        changes: dict[str, Any] = {}
        if self.authoritative and not plan.linked:
            changes = {f: v for f, v in values.items() if f != "unified_social_credit_code" and v}
        else:
            changes = {
                f: values[f]
                for f in ("address", "legal_representative")
                if values[f] and not getattr(entity, f)
            }
        if values["unified_social_credit_code"] and not entity.unified_social_credit_code:
            changes["unified_social_credit_code"] = values["unified_social_credit_code"]
        diff = self.entity_diffs.setdefault(entity.pk, {})
        for name_, value in changes.items():
            attribute = "region_id" if name_ == "region" else name_
            before = getattr(entity, attribute)
            if before != value:
                overwrites.note(self.overwritten, entity, name_, before, value, self.department.pk)
                diff[name_] = [diff.get(name_, [before])[0], value]
                setattr(entity, attribute, value)
                if name_ == "name":
                    entity.search_key = names.search_key(value)
                self.changed_entities[entity.pk] = entity
        return entity

    def _write_licences(self, plans: list[_Plan]) -> None:
        new: list[Licence] = []
        changed: list[Licence] = []
        history: list[LicenceStatusChange] = []
        status_events: list[tuple[Licence, str, str]] = []
        today = timezone.localdate()
        for plan in plans:
            row, licence = plan.row, plan.licence
            if plan.entity is None:  # cannot happen: every non-problem row has an entity
                continue
            if licence is None:
                start = _date(row.get("valid_from"))
                end = _date(row.get("valid_until"))
                status = row.get("licence_status") or LicenceStatus.VALID
                if status == LicenceStatus.VALID and end and end < today:
                    status = LicenceStatus.EXPIRED
                licence = Licence(
                    entity=plan.entity,
                    kind=row.get("licence_kind"),
                    number=row.get("licence_number"),
                    issued_by=self.department,
                    valid_from=start,  # type: ignore[misc]  # required: validated in rows
                    valid_until=end,
                    status=status,
                )
                plan.licence = licence
                new.append(licence)
                self.licence_diffs[f"{licence.kind}:{licence.number}"] = {
                    "entity": [None, str(plan.entity.public_id)],
                    "valid_from": [None, row.get("valid_from")],
                    "valid_until": [None, row.get("valid_until")],
                    "status": [None, status],
                }
                continue
            diff: dict[str, list[Any]] = {}
            for attr in ("valid_from", "valid_until"):
                value = _date(row.get(attr))
                if getattr(licence, attr) != value:
                    diff[attr] = [_iso(getattr(licence, attr)), row.get(attr)]
                    setattr(licence, attr, value)
            to_status = row.get("licence_status")
            if to_status != licence.status:
                diff["status"] = [licence.status, to_status]
                history.append(
                    LicenceStatusChange(
                        licence=licence,
                        from_status=licence.status,
                        to_status=to_status,
                        reason=str(
                            _("Changed by import batch %(batch)s.")
                            % {"batch": self.batch.public_id}
                        ),
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
        bulk.insert_objects(Licence, new)
        if changed:
            Licence.objects.bulk_update(
                changed, ["valid_from", "valid_until", "status", "updated_at"], batch_size=500
            )
        bulk.insert_objects(LicenceStatusChange, history)
        # The first history entry of each new licence, as plain rows (one per licence).
        stamp = bulk.db_value(LicenceStatusChange, "created_at", self.now)
        bulk.insert_rows(
            LicenceStatusChange,
            [
                bulk.column(LicenceStatusChange, name)
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
                    str(_("Import batch %(batch)s") % {"batch": self.batch.public_id}),
                    self.actor.pk,
                )
            )

    def _record_problem(self, plan: _Plan) -> bool:
        """Forward a supervision problem to the notices app (its service audits it and sends
        the notices its routing rules name). A row it refuses is rejected with its reasons."""
        from django.core.exceptions import PermissionDenied, ValidationError

        from yaojian.notices.services import record_problem

        row = plan.row
        category = self._problem_categories().get(str(row.get("category")).strip().lower())
        if category is None:
            with translation.override(settings.LANGUAGE_CODE):
                message = _("“%(value)s” is not a problem category. Use one of: %(choices)s.") % {
                    "value": str(row.get("category"))[:40],
                    "choices": "、".join(self._category_names),
                }
            return self._reject(plan, _reason("category", "invalid_choice", message))
        try:
            with translation.override(settings.LANGUAGE_CODE):
                record_problem(
                    actor=self.actor,
                    department=self.department,
                    category=category,
                    description=row.get("description"),
                    entity=plan.entity,
                    region_code=row.get("region_code")
                    or (plan.entity.region_id if plan.entity else ""),
                    found_on=_date(row.get("found_on")),
                )
        except ValidationError as exc:
            with translation.override(settings.LANGUAGE_CODE):
                fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                reasons = [
                    {"field": key, "code": "refused_by_notices", "message": str(message)}
                    for key, messages in fields.items()
                    for message in messages
                ]
            self.outcomes.append(
                Outcome(plan.row.line, RowOutcome.REJECTED, plan.row.record_key, reasons=reasons)
            )
            return False
        except PermissionDenied as exc:
            return self._reject(plan, _reason("", "permission_denied", str(exc)))
        return True

    def _problem_categories(self) -> dict[str, str]:
        """Category code, Chinese and English name (lower case) → code; loaded once."""
        if not hasattr(self, "_categories"):
            from yaojian.notices.models import ProblemCategory

            self._categories: dict[str, str] = {}
            self._category_names: list[str] = []
            for code, zh, en in (
                ProblemCategory.objects.filter(is_active=True)
                .order_by("order", "code")
                .values_list("code", "name_zh", "name_en")
            ):
                self._category_names.append(zh)
                for key in (code, zh, en):
                    self._categories[key.strip().lower()] = code
        return self._categories

    def _write_records(self, plans: list[_Plan]) -> None:
        """What the department now holds about each entity: its latest record (freshness)."""
        new: list[tuple[Any, ...]] = []
        changed: list[SourceRecord] = []
        stamp = bulk.db_value(SourceRecord, "received_at", self.now)
        department, batch = self.department.pk, self.batch.pk
        for plan in plans:
            row = plan.row
            entity_id = plan.entity.pk if plan.entity is not None else None
            rec = plan.existing_record
            if rec is None:
                new.append(
                    (
                        stamp,
                        stamp,
                        department,
                        self.kind,
                        row.record_key,
                        entity_id,
                        bulk.json_value(row.payload),
                        row.content_hash,
                        batch,
                        stamp,
                    )
                )
            else:
                rec.entity_id = entity_id
                rec.payload = row.payload
                rec.content_hash = row.content_hash
                rec.batch = self.batch
                rec.received_at = self.now
                rec.updated_at = self.now
                changed.append(rec)
            self.outcomes.append(Outcome(row.line, RowOutcome.ACCEPTED, row.record_key, entity_id))
        bulk.insert_rows(
            SourceRecord,
            [
                bulk.column(SourceRecord, name)
                for name in (
                    "created_at",
                    "updated_at",
                    "department",
                    "source_kind",
                    "record_key",
                    "entity",
                    "payload",
                    "content_hash",
                    "batch",
                    "received_at",
                )
            ],
            new,
        )
        if changed:
            SourceRecord.objects.bulk_update(
                changed,
                ["entity", "payload", "content_hash", "batch", "received_at", "updated_at"],
                batch_size=500,
            )

    def _write_provenance(self, plans: list[_Plan]) -> None:
        """One statement per entity: the fields this batch gives for the first time or changes
        (compared with the department's current provenance of that entity)."""
        claims: dict[int, dict[str, str]] = {}
        for plan in plans:
            if plan.entity is None:
                continue
            claims.setdefault(plan.entity.pk, {}).update(
                provenance_fields(self.kind, plan.row.payload)
            )
        created = {entity.pk for entity in self.new_entities.values()}
        entity_ids = sorted(set(claims) - created)
        statements: dict[int, list[tuple[int, dict[str, str]]]] = {}
        for chunk in _chunks(entity_ids):
            for entity_id, statement_id, values in FieldProvenance.objects.filter(
                department=self.department, entity_id__in=chunk
            ).values_list("entity_id", "id", "values"):
                statements.setdefault(entity_id, []).append((statement_id, values))
        new: list[tuple[Any, ...]] = []
        department, batch = self.department.pk, self.batch.pk
        recorded_at = bulk.db_value(FieldProvenance, "recorded_at", self.now)
        for entity_id, fields in claims.items():
            if entity_id in statements:
                current = current_fields(statements[entity_id])
                fields = {k: v for k, v in fields.items() if k not in current or current[k][0] != v}
            if fields:
                new.append((entity_id, department, bulk.json_value(fields), batch, recorded_at))
        bulk.insert_rows(
            FieldProvenance,
            [
                bulk.column(FieldProvenance, name)
                for name in ("entity", "department", "values", "batch", "recorded_at")
            ],
            new,
        )

    def _audit(self) -> None:
        """One audit event per chunk of entities, with each entity's and licence's diff."""
        entity_ids = sorted(
            k for k in self.entity_diffs if isinstance(k, int) and self.entity_diffs[k]
        )
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
                action="exchange.rows_applied",
                obj=self.batch,
                changes={
                    "entities": dict(entity_items[start : start + AUDIT_CHUNK]),
                    "licences": dict(licence_items[start : start + AUDIT_CHUNK]),
                },
                department=self.department,
            )


def provenance_fields(kind: str, payload: dict[str, Any]) -> dict[str, str]:
    """The fields a record states about its entity, as ``{field name: value}``."""
    fields: dict[str, str] = {}
    for key in (
        "entity_name",
        "unified_social_credit_code",
        "region_code",
        "address",
        "legal_representative",
        "entity_kind",
    ):
        if payload.get(key):
            fields[PAYLOAD_TO_ENTITY[key]] = str(payload[key])
    if kind == SourceKind.SUPERVISION_PROBLEMS:
        return {k: v for k, v in fields.items() if k in ("name", "unified_social_credit_code")}
    if kind == SourceKind.INSURANCE_DESIGNATIONS:
        fields.pop("kind", None)  # only a hint for new institutions
    prefix = f"licence:{payload.get('licence_kind')}:{payload.get('licence_number')}"
    for key in ("licence_status", "valid_from", "valid_until"):
        if payload.get(key):
            fields[f"{prefix}:{key.removeprefix('licence_')}"] = str(payload[key])
    if payload.get("level"):
        fields["level"] = str(payload["level"])
    return fields


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _prefix(region_code: str) -> str:
    from yaojian.territory.codes import subtree_prefix

    return subtree_prefix(region_code)
