"""The restriction check (处处受限): is an action restricted for an entity or a person?

Kept cheap because every decision point and other departments' systems call it (issue 11:
p95 under 20 ms): one query for the current rule sets (their parsed form is cached per
rule-set version in the process, :func:`grades.current_rules`), one for the subject's active
records (plain SQL; the entity found by its credit code and the person by the identity card
number in the same statement, through the unique indexes) — and, for an appointment, one for the listings
of the entities the person represents. Reads only; nothing is logged (an identity card number
never enters a log).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from yaojian.credit import grades
from yaojian.credit.choices import LISTED_STATES, Action, RecordKind, RecordStatus
from yaojian.credit.models import Listing
from yaojian.credit.rules import DEFAULT, Rules
from yaojian.registry.decisions import DecisionSubject, Restriction
from yaojian.registry.models import Entity, EntityPerson, Person

LISTING_BASIS = "《市场监督管理严重违法失信名单管理办法》第15条"


def _subject_filters(subject: Any, prefix: str = "") -> tuple[Q | None, Q | None]:
    """(entity condition, person condition) on ``prefix``-ed fields; at most one is set.

    A decision about a person (by id or identity card number) checks the person only."""
    sql = _subject_sql(subject)
    if sql is None:
        return None, None
    column, value = sql
    field = {
        "entity_id": "entity_id",
        "credit_code": "entity__unified_social_credit_code",
        "person_id": "person_id",
        "id_number": "person__id_number",
    }[column]
    condition = Q(**{f"{prefix}{field}": value})
    if column in ("person_id", "id_number"):
        if isinstance(subject, DecisionSubject) and subject.person_id and column == "id_number":
            condition |= Q(**{f"{prefix}person_id": subject.person_id})
        return None, condition
    return condition, None


def _subject_sql(subject: Any) -> tuple[str, Any] | None:
    """How the subject is found: (``entity_id`` | ``credit_code`` | ``person_id`` |
    ``id_number``, value); None when there is no subject."""
    if isinstance(subject, Entity):
        return "entity_id", subject.pk
    if isinstance(subject, Person):
        return "person_id", subject.pk
    if isinstance(subject, str):
        code = subject.strip().upper()
        return ("credit_code", code) if code else None
    if isinstance(subject, DecisionSubject):
        number = subject.id_number.strip().upper()
        if number:
            return "id_number", number
        if subject.person_id is not None:
            return "person_id", subject.person_id
        if subject.entity_id is not None:
            return "entity_id", subject.entity_id
    return None


# The subject's active records of the kinds that may restrict, with the source department's
# name. Plain SQL (the same on SQLite and PostgreSQL): the check runs at every decision and
# for other systems, and building the query through the ORM cost more than running it. Each
# subject condition uses a unique index (credit code, identity card number) and then the
# (entity, kind) or (person, kind) index of the records.
_RECORDS_SQL = """
    SELECT r.kind, r.region_id, r.legal_basis, r.expires_on, d.name
    FROM credit_creditrecord r
    JOIN accounts_department d ON d.id = r.source_department_id
    WHERE {subject}
      AND r.kind IN ({kinds})
      AND r.status = %s
      AND r.occurred_on <= %s
      AND (r.expires_on IS NULL OR r.expires_on > %s)
    ORDER BY r.occurred_on DESC, r.id DESC
"""
_SUBJECT_SQL = {
    "entity_id": "r.entity_id = %s",
    "person_id": "r.person_id = %s",
    "credit_code": (
        "r.entity_id = (SELECT e.id FROM registry_entity e WHERE e.unified_social_credit_code = %s)"
    ),
    "id_number": (
        "r.person_id IN (SELECT p.id FROM registry_person p WHERE p.id_number = %s UNION SELECT %s)"
    ),
}


def _active_rows(subject: Any, column: str, value: Any, kinds: list[str], day: dt.date) -> Any:
    params: list[Any] = [value]
    if column == "id_number":
        extra = subject.person_id if isinstance(subject, DecisionSubject) else None
        params.append(extra or 0)
    sql = _RECORDS_SQL.format(subject=_SUBJECT_SQL[column], kinds=", ".join(["%s"] * len(kinds)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *kinds, RecordStatus.ACTIVE, day, day])
        return cursor.fetchall()


def _restricting(rules: Rules, action: str) -> set[str]:
    return {kind for kind, actions in rules.restrictions.items() if action in actions}


def check_restrictions(
    subject: Any, action: str, *, day: dt.date | None = None
) -> list[Restriction]:
    """Whether ``action`` on ``subject`` is restricted, with the reasons and legal basis.

    ``subject`` is an :class:`Entity`, a :class:`Person`, a credit code (str) or a
    :class:`~yaojian.registry.decisions.DecisionSubject`. A person is found across the whole
    platform by the identity card number: bans follow the person to other companies and
    counties, and a person who is legal representative of a listed entity is restricted too.
    A record restricts by the rule set of its subject's province (the record's region).
    """
    day = day or timezone.localdate()
    if action not in Action.values:
        return []
    how = _subject_sql(subject)
    if how is None:
        return []
    column, value = how
    is_person = column in ("person_id", "id_number")
    current = grades.current_rules()
    kinds = set().union(*(_restricting(r, action) for r in [DEFAULT, *current.values()]))
    found: list[Restriction] = []
    if kinds:
        template = (
            gettext("%(action)s is restricted: %(kind)s of the person")
            if is_person
            else gettext("%(action)s is restricted: %(kind)s")
        )
        for row in _active_rows(subject, column, value, sorted(kinds), day):
            restriction = _restriction(current, action, template, *row)
            if restriction is not None:
                found.append(restriction)
    if is_person and action == Action.PERSON_APPOINT:
        found.extend(_listed_representative(subject, day))
    return found


def _restriction(
    current: dict[str, Rules],
    action: str,
    template: str,
    kind: str,
    region: str,
    basis: str,
    expires: Any,
    department: str,
) -> Restriction | None:
    """The restriction one active record puts on ``action`` (by its province's rule set)."""
    rules = current.get(grades.province_of(region), DEFAULT)
    if kind not in _restricting(rules, action):
        return None
    if isinstance(expires, str):  # SQLite returns dates as text
        expires = dt.date.fromisoformat(expires)
    return Restriction(
        measure=template % {"action": Action(action).label, "kind": RecordKind(kind).label},
        legal_basis=basis,
        source_department=department,
        until=expires.isoformat() if expires else "",
    )


# The active records of many entities at once (an import's licences): the same statement with
# the entity in a list; one per 900 entities (SQLite's parameter limit).
_MANY_SQL = """
    SELECT r.entity_id, r.kind, r.region_id, r.legal_basis, r.expires_on, d.name
    FROM credit_creditrecord r
    JOIN accounts_department d ON d.id = r.source_department_id
    WHERE r.entity_id IN ({entities})
      AND r.kind IN ({kinds})
      AND r.status = %s
      AND r.occurred_on <= %s
      AND (r.expires_on IS NULL OR r.expires_on > %s)
    ORDER BY r.occurred_on DESC, r.id DESC
"""
CHUNK = 900


def check_many(
    decisions: list[tuple[DecisionSubject, str]], *, day: dt.date | None = None
) -> list[list[Restriction]]:
    """:func:`check_restrictions` of many decisions, one answer per decision in order.

    Decisions about entities (by id) are answered set-based: one query for the rule sets and
    one per 900 entities for all their active records, whatever the number of rows. A decision
    about a person (or by credit code) is checked alone."""
    day = day or timezone.localdate()
    answers: list[list[Restriction]] = [[] for _d in decisions]
    by_entity: dict[int, list[int]] = {}
    for index, (subject, action) in enumerate(decisions):
        if action not in Action.values:
            continue
        if (
            isinstance(subject, DecisionSubject)
            and subject.entity_id is not None
            and subject.person_id is None
            and not subject.id_number.strip()
        ):
            by_entity.setdefault(subject.entity_id, []).append(index)
        else:
            answers[index] = check_restrictions(subject, action, day=day)
    if not by_entity:
        return answers
    current = grades.current_rules()
    actions = {decisions[i][1] for indexes in by_entity.values() for i in indexes}
    kinds = sorted(
        set().union(*(_restricting(r, a) for r in [DEFAULT, *current.values()] for a in actions))
    )
    if not kinds:
        return answers
    template = gettext("%(action)s is restricted: %(kind)s")
    ids = sorted(by_entity)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        sql = _MANY_SQL.format(
            entities=", ".join(["%s"] * len(chunk)), kinds=", ".join(["%s"] * len(kinds))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*chunk, *kinds, RecordStatus.ACTIVE, day, day])
            rows = cursor.fetchall()
        for entity_id, *row in rows:
            for index in by_entity[entity_id]:
                restriction = _restriction(current, decisions[index][1], template, *row)
                if restriction is not None:
                    answers[index].append(restriction)
    return answers


def _listed_representative(subject: Any, day: dt.date) -> list[Restriction]:
    """A person who is or was (within the listing) legal representative of a listed entity."""
    _entity, person = _subject_filters(subject)
    if person is None:
        return []
    entity_ids = EntityPerson.objects.filter(person, role="legal_representative").values(
        "entity_id"
    )
    listings = Listing.objects.filter(
        entity_id__in=entity_ids, state__in=sorted(LISTED_STATES), listed_until__gt=day
    ).select_related("entity", "department")
    return [
        Restriction(
            measure=gettext(
                "The person is legal representative of %(name)s, on the serious-dishonesty list"
            )
            % {"name": listing.entity.name},
            legal_basis=LISTING_BASIS,
            source_department=listing.department.name,
            until=listing.listed_until.isoformat() if listing.listed_until else "",
        )
        for listing in listings
    ]
