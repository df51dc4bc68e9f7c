"""Helpers of the registry pages: form errors from services, the audit history for display."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from yaojian.audit.models import AuditEvent
from yaojian.core import tables
from yaojian.core.labels import AUDIT_ACTIONS
from yaojian.registry.choices import (
    EntityKind,
    EntityStatus,
    LicenceKind,
    LicenceStatus,
    PersonRole,
    ProductRelation,
)
from yaojian.registry.models import Entity, Licence

# The tables of an entity's profile (data_table.html; the rows are the profile's own).
LICENCE_COLUMNS = tables.columns(
    ("kind", _("Kind")),
    ("number", _("Number")),
    ("issued_by", _("Issued by")),
    ("valid", _("Valid")),
    ("status", _("Status")),
    ("history", _("History")),
)
PRODUCT_COLUMNS = tables.columns(
    ("product", _("Product")),
    ("approval_number", _("Approval number")),
    ("relation", _("Relation")),
    ("risk_class", _("Risk class")),
)
PERSON_COLUMNS = tables.columns(
    ("name", _("Name")),
    ("role", _("Role")),
    ("qualification", _("Qualification")),
    ("since", _("Since")),
    ("personal_data", _("Identity card number · phone")),
)
PAST_PERSON_COLUMNS = tables.columns(
    ("name", _("Name")),
    ("role", _("Role")),
    ("period", _("Period")),
    ("personal_data", _("Identity card number · phone")),
)
HISTORY_COLUMNS = tables.columns(
    ("when", _("When")),
    ("who", _("Who")),
    ("department", _("Department")),
    ("what", _("What")),
    ("changes", _("Changes")),
    ("reason", _("Reason")),
)


def profile_columns(*, can_change: bool) -> dict[str, list[tables.Column]]:
    """The column heads of the profile's tables (an action column for those who may change)."""
    return {
        "licences": LICENCE_COLUMNS,
        "products": PRODUCT_COLUMNS,
        "persons": [*PERSON_COLUMNS, tables.Column("actions", "")]
        if can_change
        else PERSON_COLUMNS,
        "past_persons": PAST_PERSON_COLUMNS,
        "history": HISTORY_COLUMNS,
    }


@dataclass(frozen=True)
class ChangeRow:
    """One changed field of an audit event, labelled."""

    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryRow:
    """An audit event of the entity's history, ready for display."""

    event: AuditEvent
    label: str
    changes: list[ChangeRow]
    is_creation: bool  # nothing before: show the values only


def _field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in (Licence, Entity):
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if verbose:
                labels[field.name] = str(verbose)
    labels["region"] = str(_("region"))
    labels["product_name"] = str(_("product"))
    labels["person_name"] = str(_("person"))
    labels["relation"] = str(_("relation"))
    labels["role"] = str(_("role"))
    labels["started_on"] = str(_("started on"))
    labels["ended_on"] = str(_("ended on"))
    return labels


HIDDEN_CHANGE_KEYS = frozenset({"entity", "product", "person"})  # ids, shown by name instead
VALUE_CHOICES: dict[tuple[str, str], Any] = {
    ("registry.entity", "status"): EntityStatus,
    ("registry.entity", "kind"): EntityKind,
    ("registry.entity", "relation"): ProductRelation,
    ("registry.entity", "role"): PersonRole,
    ("registry.licence", "status"): LicenceStatus,
    ("registry.licence", "kind"): LicenceKind,
}


def _display(object_type: str, key: str, value: Any) -> Any:
    choices = VALUE_CHOICES.get((object_type, key))
    if choices is None or value is None:
        return value
    try:
        return choices(value).label
    except ValueError:
        return value


def history_rows(events: list[AuditEvent]) -> list[HistoryRow]:
    """Audit events with translated action and field labels; ``[old, new]`` pairs split."""
    labels = _field_labels()
    rows = []
    for event in events:
        changes = []
        for key, value in sorted((event.changes or {}).items()):
            if key in HIDDEN_CHANGE_KEYS:
                continue
            before, after = value if isinstance(value, list) and len(value) == 2 else (None, value)
            changes.append(
                ChangeRow(
                    label=labels.get(key, key),
                    before=_display(event.object_type, key, before),
                    after=_display(event.object_type, key, after),
                )
            )
        is_creation = all(change.before is None for change in changes)
        if is_creation:
            changes = [change for change in changes if change.after not in (None, "")]
        rows.append(
            HistoryRow(
                event=event,
                label=AUDIT_ACTIONS.label(event.action),
                changes=changes,
                is_creation=is_creation,
            )
        )
    return rows
