"""One ``INSERT … RETURNING`` for new rows on hot write paths, without the ORM's compiler.

``Model.save()`` and ``Manager.create()`` build an insert query and compile it on every call
(for a complaint's sixty columns about half a millisecond of CPU, more than the statement takes
to run). Here the statement of a model is built once per database vendor and number of rows,
and the values are prepared by the fields themselves exactly as the ORM does
(``Field.pre_save(obj, add=True)`` — ``auto_now``, ``auto_now_add`` — then
``Field.get_db_prep_save``): same columns, same adapted values, same primary key set on the
instance, which then counts as saved (``_state.adding`` false). Values are always parameters;
only table and column names, quoted by the backend, appear in the statement.

Like ``bulk_create`` this calls no ``save()`` method. One object inserted with :func:`insert`
sends ``pre_save`` and ``post_save`` as ``save()`` does when a receiver listens (the task
queue's rows have one, ``django_tasks_db``'s ``run_after``; ADR 0041): the receiver runs before
the fields prepare their values, exactly where ``save()`` runs it. Several objects of a model
with a receiver go through ``bulk_create`` (which, like it, sends none). A model with a
database default, a generated column, a field with its own placeholder SQL or parent models
(multi-table inheritance), and databases other than SQLite and PostgreSQL take the ORM's path
(same result, its cost).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models import signals

_PLANS: dict[tuple[type[models.Model], str, int, bool], tuple[str, list[Any]]] = {}
VENDORS = {"sqlite", "postgresql"}
CHUNK = 50  # rows per statement (far below either database's limit of parameters)


def _fields(model: type[models.Model]) -> list[Any] | None:
    """The columns an insert writes (the auto primary key excluded), or None for a model
    this module does not insert itself."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    if meta.parents or meta.proxy:
        return None
    for f in fields:
        if f.generated or f.has_db_default() or hasattr(f, "get_placeholder"):
            return None
    return fields


def _plan(
    model: type[models.Model], vendor: str, quote: Any, rows: int, ignore: bool
) -> tuple[str, list[Any]] | None:
    key = (model, vendor, rows, ignore)
    plan = _PLANS.get(key)
    if plan is None:
        fields = _fields(model)
        if fields is None:
            return None
        meta = model._meta
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (
            f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 - quoted names only
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([row] * rows)}"
            f"{' ON CONFLICT DO NOTHING' if ignore else ''} "
            f"RETURNING {quote(meta.pk.column)}"  # type: ignore[union-attr]
        )
        plan = _PLANS[key] = (sql, fields)
    return plan


def insert(obj: models.Model, *, ignore_conflicts: bool = False) -> bool:
    """Insert the unsaved ``obj`` and set its primary key; True when the row was written.

    With ``ignore_conflicts`` a row that would break a unique constraint (or the primary key)
    is not written (``ON CONFLICT DO NOTHING``) and False is returned: the caller's
    transaction goes on, so no savepoint is needed around a retry. Other violations raise
    ``IntegrityError`` as ``save()`` would."""
    return insert_all([obj], ignore_conflicts=ignore_conflicts) == 1


def insert_all(objs: Sequence[models.Model], *, ignore_conflicts: bool = False) -> int:
    """Insert unsaved ``objs`` of one model in one statement and set their primary keys (in
    the order given, as ``bulk_create`` does); the number of rows written. A list with a
    conflicting row is for ``bulk_create``: ``ignore_conflicts`` only with one object."""
    if not objs:
        return 0
    if ignore_conflicts and len(objs) > 1:
        raise ValueError("ignore_conflicts inserts one object at a time")
    if len(objs) > CHUNK:
        return sum(insert_all(objs[i : i + CHUNK]) for i in range(0, len(objs), CHUNK))
    model = type(objs[0])
    alias = router.db_for_write(model, instance=objs[0])
    connection = connections[alias]
    # save()'s signals for one object (bulk_create, the path of several, sends none).
    signalled = _listened(model)
    plan = (
        _plan(model, connection.vendor, connection.ops.quote_name, len(objs), ignore_conflicts)
        if connection.vendor in VENDORS
        and connection.features.can_return_columns_from_insert
        and not (signalled and len(objs) > 1)
        else None
    )
    if plan is None:
        return _orm_insert(objs, alias, ignore_conflicts)
    sql, fields = plan
    if signalled:
        if not objs[0]._state.adding:
            raise ValueError("insert_all takes new objects of one model")
        signals.pre_save.send(
            sender=model, instance=objs[0], raw=False, using=alias, update_fields=None
        )
    params: list[Any] = []
    for obj in objs:
        if not obj._state.adding or type(obj) is not model:
            raise ValueError("insert_all takes new objects of one model")
        obj._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
        params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return 0
    pk_field = model._meta.pk
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk_field.to_python(pk) if pk_field is not None else pk
        obj._state.adding = False
        obj._state.db = alias
    if signalled:
        signals.post_save.send(
            sender=model, instance=objs[0], created=True, update_fields=None, raw=False, using=alias
        )
    return len(ids)


def _listened(model: type[models.Model]) -> bool:
    """Whether a receiver (ours or a library's) listens to the model's save signals: then
    one object is inserted with them sent as ``save()`` sends them, several by the ORM."""
    return signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)


def _orm_insert(objs: Sequence[models.Model], alias: str, ignore_conflicts: bool) -> int:
    from django.db import IntegrityError, transaction

    if not ignore_conflicts:
        if len(objs) == 1:
            objs[0].save(using=alias, force_insert=True)
        else:
            type(objs[0])._default_manager.using(alias).bulk_create(objs)
        return len(objs)
    try:
        with transaction.atomic(using=alias):
            objs[0].save(using=alias, force_insert=True)
    except IntegrityError:
        return 0
    return 1
