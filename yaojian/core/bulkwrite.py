"""Fast inserts of many new rows for the import's bulk path (100,000-row files).

``bulk_create`` spends most of its time preparing each value of each object in Python (about
10 µs a value). Here the constant columns (creation times, defaults) are prepared once and the
rows go to the database as plain tuples: PostgreSQL's ``COPY … FROM STDIN`` and SQLite's
``executemany``. Values are always parameters (never formatted into SQL); only table and column
names, taken from the models and quoted by the backend, appear in the statement.

Like ``bulk_create``, this calls no ``save()`` and sends no signals. Must run inside the
caller's transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

CHUNK = 5000
FETCH_CHUNK = 900


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` becomes a database value (``None``: as it is)."""
    postgres = connection.vendor == "postgresql"
    if isinstance(field, models.UUIDField):
        return None if postgres else (lambda v: v.hex if isinstance(v, uuid.UUID) else v)
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, cls=field.encoder)
    if isinstance(field, models.DateTimeField):
        prepared: dict[Any, Any] = {}  # an import writes the same few instants many times

        def convert(value: Any) -> Any:
            if value not in prepared:
                prepared[value] = field.get_db_prep_save(value, connection)
            return prepared[value]

        return convert
    if isinstance(field, models.DateField):
        return None if postgres else (lambda v: None if v is None else v.isoformat())
    return None


class Blueprint:
    """Unsaved instances of one model, built without ``Model.__init__``.

    ``Model.__init__`` walks every field and descriptor of the model for each object (tens of
    microseconds for a registry row); an import of 100,000 rows builds twice that many. A
    blueprint does it once, for a prototype built with the values every object shares, and
    then copies the prototype's attributes: only callable defaults (``uuid4`` for a
    ``public_id``) are called again per object. Values are given by attribute (``entity``
    for a related object, kept in the relation's cache as ``Model.__init__`` would;
    ``entity_id`` for a key). No ``pre_init``/``post_init`` signals are sent; no model of
    the bulk path listens to them.
    """

    def __init__(self, model: type[models.Model], **constant: Any) -> None:
        self.model = model
        prototype = model(**constant)
        self.base = {k: v for k, v in prototype.__dict__.items() if k != "_state"}
        self.cache = dict(prototype._state.fields_cache)
        self.fresh = [
            (field.attname, field.default)
            for field in model._meta.concrete_fields
            if field.has_default() and callable(field.default) and field.name not in constant
        ]
        self.relations = {
            field.name: field.attname
            for field in model._meta.concrete_fields
            if field.is_relation and field.many_to_one
        }

    def __call__(self, **values: Any) -> Any:
        obj = self.model.__new__(self.model)
        obj._state = models.base.ModelState()
        obj._state.fields_cache = dict(self.cache)
        attributes = obj.__dict__
        attributes.update(self.base)
        for attname, default in self.fresh:
            attributes[attname] = default()
        for name, value in values.items():
            relation = self.relations.get(name)
            if relation is None:
                attributes[name] = value
            else:
                attributes[relation] = None if value is None else value.pk
                obj._state.fields_cache[name] = value
        return obj


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert unsaved ``objects`` of ``model`` and set their primary keys, as ``bulk_create``
    would: on PostgreSQL taken from the table's sequence beforehand (one query), on SQLite
    fetched back by ``public_id`` when the model has one."""
    if not objects:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters: list[Callable[[models.Model], Any]] = []
    for field in fields:
        convert = _converter(field)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
        getters.append(_getter(field.attname, convert))
    columns = [str(f.column) for f in fields]
    if connection.vendor == "postgresql":
        for obj, pk in zip(objects, _next_ids(model, len(objects)), strict=True):
            obj.pk = pk
        pk_column = str(model._meta.pk.column)  # type: ignore[union-attr]
        getters.insert(0, lambda obj: obj.pk)
        columns.insert(0, pk_column)
    rows = (tuple(get(obj) for get in getters) for obj in objects)
    insert_rows(model, columns, rows)
    if connection.vendor == "postgresql":
        for obj in objects:
            obj._state.adding = False
            obj._state.db = connection.alias
    elif any(f.name == "public_id" for f in fields):
        by_public = {obj.public_id: obj for obj in objects}  # type: ignore[attr-defined]
        keys = list(by_public)
        for start in range(0, len(keys), FETCH_CHUNK):
            found = model._default_manager.filter(
                public_id__in=keys[start : start + FETCH_CHUNK]
            ).values_list("public_id", "pk")
            for public_id, pk in found:
                by_public[public_id].pk = pk
                by_public[public_id]._state.adding = False
                by_public[public_id]._state.db = connection.alias


def _next_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys from the sequence of ``model``'s table (PostgreSQL): the
    rows then go in with their ids, so nothing has to be read back."""
    pk_column = str(model._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), pk_column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _getter(attname: str, convert: Callable[[Any], Any] | None) -> Callable[[models.Model], Any]:
    if convert is None:
        return lambda obj: getattr(obj, attname)
    return lambda obj: convert(getattr(obj, attname))


def insert_rows(
    model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples of database values in ``columns`` order) into ``model``'s table."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Identifiers only (from the model, quoted by the backend); values are parameters.
        placeholders = ", ".join(["%s"] * len(columns))
        statement = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                cursor.executemany(statement, chunk)
                chunk = []
        if chunk:
            cursor.executemany(statement, chunk)


def update_objects(
    model: type[models.Model], objects: Sequence[models.Model], field_names: Sequence[str]
) -> None:
    """``UPDATE … SET <fields> WHERE pk = …`` for each of ``objects`` (saved), as
    ``bulk_update`` would, but one prepared statement run with ``executemany`` (pipelined on
    PostgreSQL) instead of a ``CASE WHEN`` per field and batch, whose statements grow with
    the batch and cost seconds per thousand rows."""
    if not objects:
        return
    fields = [_field(model, name) for name in field_names]
    getters = [_getter(f.attname, _converter(f)) for f in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    pk_column = quote(str(model._meta.pk.column))  # type: ignore[union-attr]
    # Identifiers only (from the model, quoted by the backend); values are parameters.
    statement = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    rows = [(*(get(obj) for get in getters), obj.pk) for obj in objects]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(statement, rows[start : start + CHUNK])


def _field(model: type[models.Model], field_name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{field_name} is not a column")
    return field


def db_value(model: type[models.Model], field_name: str, value: Any) -> Any:
    """``value`` of ``model.field_name`` as the database takes it (for constant columns)."""
    return _field(model, field_name).get_db_prep_save(value, connection)


def column(model: type[models.Model], field_name: str) -> str:
    """The database column of ``model.field_name``."""
    return str(_field(model, field_name).column)


def json_value(value: Any) -> str:
    """A JSON column's value (both backends take the JSON text)."""
    return json.dumps(value)
