"""Import sources contributed by other apps (credit records, lab results, 12315 hand-offs …).

The exchange app owns everything a data source needs besides its meaning: reading XLSX and CSV
(UTF-8 and GB18030), header matching, the template, required columns, duplicates inside a file,
rejected rows with reasons, the XLSX error report, the upload page, ``POST /api/v1/imports/``,
``manage.py import_file`` and the batch's audit and event. An app higher in the layers adds a
kind of source by registering an :class:`ImportSource` from its ``AppConfig.ready()``::

    register_source(ImportSource(kind="credit_records", label=_("Credit records"),
                                 columns=(...), uploaders=None, clean=clean_row,
                                 record_key=lambda payload: payload["record_id"],
                                 apply=apply_rows))

``clean(validator, raw, out, reasons)`` validates one row (the :class:`RowValidator` passed in
offers ``_text``, ``_uscc``, ``_region``, ``_date`` and ``_choice``); ``apply(batch=, rows=,
actor=)`` writes the clean rows inside the batch's transaction and answers one
:class:`~yaojian.exchange.applying.Outcome` per row (raise to roll the whole batch back).
See ADR 0025.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yaojian.exchange.sources import Column

# kind → its definition, in registration order (the upload page lists them after the built-ins).
_SOURCES: dict[str, ImportSource] = {}


@dataclass(frozen=True)
class ImportSource:
    """One kind of data source contributed by another app."""

    kind: str
    label: Any  # a lazy translation
    columns: tuple[Column, ...]
    uploaders: frozenset[str] | None  # department kinds allowed to upload; None: any
    clean: Callable[[Any, dict[str, Any], dict[str, Any], list[dict[str, str]]], None]
    record_key: Callable[[dict[str, Any]], str]
    apply: Callable[..., list[Any]]
    # Coded columns (``Column.choices``): name → (code, Chinese label) pairs for the template.
    choice_lists: dict[str, Callable[[], list[tuple[str, str]]]] = field(default_factory=dict)


def register_source(source: ImportSource) -> None:
    """Add a kind of data source (idempotent for the same definition; kinds are unique)."""
    from yaojian.exchange.choices import SourceKind

    if len(source.kind) > 32:
        raise ValueError(f"source kind {source.kind!r} is longer than 32 characters")
    if source.kind in SourceKind.values:
        raise ValueError(f"source kind {source.kind!r} is built in")
    existing = _SOURCES.get(source.kind)
    if existing is not None and existing != source:
        raise ValueError(f"source kind {source.kind!r} is registered twice")
    _SOURCES[source.kind] = source


def plugin_source(kind: str) -> ImportSource | None:
    """The contributed source of ``kind``, or ``None`` for a built-in or unknown kind."""
    return _SOURCES.get(kind)


def plugin_sources() -> list[ImportSource]:
    """Every contributed source, in registration order."""
    return list(_SOURCES.values())
