"""Applying the accepted rows of a batch: link each to an entity, hand the entity and licence
writes to the registry, record what the department holds (source records, per-field
provenance) and audit that.

Exchange reads (prefetches entities and licences by credit code and number in chunks, and the
department's earlier records), decides linkage for rows without a known code, and writes its own
rows (source records, provenance) with ``core.bulkwrite``. The entities and licences themselves
are written by ``registry.services.bulk.apply_entity_rows``, which checks the registry's rules
(jurisdiction, the issuing department, licence transitions), audits its changes
(``registry.entity_rows_applied``) and publishes the registry's events; the rows it refuses are
rejected with its reasons. Must run inside the caller's transaction.
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
from yaojian.core import bulkwrite as bulk
from yaojian.exchange import overwrites
from yaojian.exchange.choices import RowOutcome, SourceKind
from yaojian.exchange.models import FieldProvenance, ImportBatch, SourceRecord, current_fields
from yaojian.exchange.plugins import plugin_source
from yaojian.exchange.rows import CleanRow
from yaojian.registry.models import Entity, Licence
from yaojian.registry.services.bulk import EntityRow, LicenceValues, apply_entity_rows

CHUNK = 900
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
        self.created_ids: frozenset[int] = frozenset()
        self.records_created = 0
        self.records_updated = 0
        self.provenance_statements = 0

    # --- entry point ---------------------------------------------------------------------

    def apply(
        self, rows: list[CleanRow], progress: Callable[[int], None] | None = None
    ) -> list[Outcome]:
        """Apply ``rows``; one :class:`Outcome` per row (accepted, unchanged, rejected, held).

        A kind contributed by another app (``exchange.plugins``) is applied by that app."""
        contributed = plugin_source(self.kind)
        if contributed is not None:
            outcomes = list(contributed.apply(batch=self.batch, rows=rows, actor=self.actor))
            self._step("apply", "")
            if progress:
                progress(len(rows))
            return sorted(outcomes, key=lambda o: o.line)
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
        self._step("match", _("writing entities"))
        self._write(todo)
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

    # --- writing -------------------------------------------------------------------------

    def _write(self, plans: list[_Plan]) -> None:
        plans = [plan for plan in plans if not plan.row.held]
        if self.kind == SourceKind.SUPERVISION_PROBLEMS:
            self._step("entities", _("writing licences"))
            plans = [plan for plan in plans if self._record_problem(plan)]
        else:
            plans = self._write_registry(plans)
        self._step("licences", _("writing source records"))
        self._write_records(plans)
        self._step("records", _("writing provenance"))
        self._write_provenance(plans)
        overwrites.flag(
            getattr(self, "overwritten", {}),
            getattr(self, "changed_entities", {}),
            actor=self.actor,
            department=self.department,
            batch=self.batch,
            now=self.now,
        )
        self._step("provenance", _("auditing"))
        self._audit(plans)
        self._step("audit", "")

    def _write_registry(self, plans: list[_Plan]) -> list[_Plan]:
        """Entities and licences through the registry's bulk service; the rows it refuses
        are rejected with its reasons."""
        rows = [self._entity_row(plan) for plan in plans]
        result = apply_entity_rows(
            rows,
            actor=self.actor,
            department=self.department,
            authoritative=self.authoritative,
            source=self.batch,
            reason=str(_("Import batch %(batch)s") % {"batch": self.batch.public_id}),
        )
        self._step("entities", _("writing licences"))
        self.created_ids = result.created_ids
        # Facts another department registered that this batch changes (history and alerts).
        self.changed_entities = result.changed_entities
        self.overwritten: dict[int, dict[str, list[Any]]] = {}
        for pk, changes in result.entity_changes.items():
            for name_, (before, after) in changes.items():
                overwrites.note(
                    self.overwritten,
                    result.changed_entities[pk],
                    name_,
                    before,
                    after,
                    self.department.pk,
                )
        accepted: list[_Plan] = []
        for plan, applied in zip(plans, result.rows, strict=True):
            if applied.refusal is not None:
                self._reject(plan, applied.refusal)
                continue
            plan.entity = applied.entity
            plan.licence = applied.licence
            accepted.append(plan)
        return accepted

    def _entity_row(self, plan: _Plan) -> EntityRow:
        row = plan.row
        licence = None
        if row.get("licence_number"):
            licence = LicenceValues(
                kind=row.get("licence_kind"),
                number=row.get("licence_number"),
                status=row.get("licence_status"),
                valid_from=_date(row.get("valid_from")),
                valid_until=_date(row.get("valid_until")),
            )
        return EntityRow(
            ref=row.line,
            name=row.get("entity_name"),
            kind=row.get("entity_kind"),
            region_code=row.get("region_code"),
            unified_social_credit_code=row.get("unified_social_credit_code"),
            address=row.get("address"),
            legal_representative=row.get("legal_representative"),
            entity=plan.entity,
            linked=plan.linked,
            licence=licence,
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
        self.records_created, self.records_updated = len(new), len(changed)
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
        entity_ids = sorted(set(claims) - self.created_ids)
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
        self.provenance_statements = len(new)
        bulk.insert_rows(
            FieldProvenance,
            [
                bulk.column(FieldProvenance, name)
                for name in ("entity", "department", "values", "batch", "recorded_at")
            ],
            new,
        )

    def _audit(self, plans: list[_Plan]) -> None:
        """One event for what the department now holds: the records and provenance written
        (the registry audits its own entity and licence changes)."""
        if not plans:
            return
        record(
            actor=self.actor,
            action="exchange.rows_applied",
            obj=self.batch,
            changes={
                "accepted": len(plans),
                "entities_created": len(self.created_ids),
                "records_created": self.records_created,
                "records_updated": self.records_updated,
                "provenance_statements": self.provenance_statements,
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
