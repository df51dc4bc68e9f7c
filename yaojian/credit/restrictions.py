"""The restriction check (处处受限): is an action restricted for an entity or a person?

Kept cheap because every decision point and other departments' systems call it (issue 11:
p95 under 20 ms under load): **one** SQL statement per check, whatever the subject — a
``UNION ALL`` of the current rule-set versions (their parsed form is cached per version in the
process), the subject's active records (the entity found by its credit code and the person by
the identity card number in the same statement, through the unique indexes) and, for an
appointment, the listings of the entities the person represents. Under load every round trip
to the database waits its turn, so the number of statements is what costs.
:func:`check_for_caller` (the API) adds the caller's roles to the same statement instead of
building the whole scope (memberships and share grants: two more round trips) for a
permission every role holds. Reads only; nothing is logged (an identity card number never
enters a log).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from yaojian.accounts.roles import permissions_for_role
from yaojian.accounts.scoping import cached_scope, has_permission
from yaojian.credit import grades
from yaojian.credit.choices import LISTED_STATES, Action, RecordKind, RecordStatus
from yaojian.credit.models import RuleSet
from yaojian.credit.rules import DEFAULT, Rules, parse_rules
from yaojian.registry.decisions import DecisionSubject, Restriction
from yaojian.registry.models import Entity, Person

LISTING_BASIS = "《市场监督管理严重违法失信名单管理办法》第15条"


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


# One statement per check (plain SQL, the same on SQLite and PostgreSQL): building ORM queries
# cost more than running them, and under load each extra round trip waits for the database.
# Tagged branches of a UNION ALL, with the same nine columns:
#   'v': a current rule-set version (province, id, updated_at);
#   'r': an active record of the subject (kind, region, basis, expiry, department, date, id);
#   'l': a listing of an entity the person represents (appointments only);
#   'm': the caller's role in an active department (the API only).
# Each subject condition uses a unique index (credit code, identity card number) and then the
# (entity, kind) or (person, kind) index of the records.
_RULES_PART = """
    SELECT 'v', s.province_code, NULL, NULL, NULL, NULL, NULL, s.id, s.updated_at
    FROM credit_ruleset s WHERE s.is_current = %s
"""
_RECORDS_PART = """
    SELECT 'r', r.kind, r.region_id, r.legal_basis, r.expires_on, d.name, r.occurred_on, r.id,
           NULL
    FROM credit_creditrecord r
    JOIN accounts_department d ON d.id = r.source_department_id
    WHERE {subject}
      AND r.status = %s
      AND r.occurred_on <= %s
      AND (r.expires_on IS NULL OR r.expires_on > %s)
"""
_LISTINGS_PART = """
    SELECT 'l', NULL, NULL, e.name, l.listed_until, d.name, l.decided_on, l.id, NULL
    FROM credit_listing l
    JOIN registry_entity e ON e.id = l.entity_id
    JOIN accounts_department d ON d.id = l.department_id
    WHERE l.entity_id IN (
        SELECT ep.entity_id FROM registry_entityperson ep WHERE {person} AND ep.role = %s
      )
      AND l.state IN ({states})
      AND l.listed_until > %s
"""
_ROLES_PART = """
    SELECT 'm', m.role, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM accounts_membership m
    JOIN accounts_department d ON d.id = m.department_id
    WHERE m.user_id = %s AND m.is_active = %s AND d.is_active = %s
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
_PERSON_SQL = {
    "person_id": "ep.person_id = %s",
    "id_number": (
        "ep.person_id IN (SELECT p.id FROM registry_person p WHERE p.id_number = %s UNION SELECT %s)"
    ),
}
# Parsed rule sets by (id, updated_at as the database returns it): read and parsed once per
# version per process, so a new version is seen at once by every worker.
_PARSED: dict[tuple[int, str], Rules] = {}


def _subject_params(subject: Any, column: str, value: Any) -> list[Any]:
    if column != "id_number":
        return [value]
    extra = subject.person_id if isinstance(subject, DecisionSubject) else None
    return [value, extra or 0]


def _rows(
    subject: Any, column: str, value: Any, action: str, day: dt.date, user_id: int | None
) -> list[tuple[Any, ...]]:
    """The rows of the one statement (see above)."""
    params: list[Any] = [True]
    parts = [_RULES_PART]
    parts.append(_RECORDS_PART.format(subject=_SUBJECT_SQL[column]))
    params += [*_subject_params(subject, column, value), RecordStatus.ACTIVE, day, day]
    if action == Action.PERSON_APPOINT and column in _PERSON_SQL:
        states = sorted(LISTED_STATES)
        parts.append(
            _LISTINGS_PART.format(
                person=_PERSON_SQL[column], states=", ".join(["%s"] * len(states))
            )
        )
        params += [*_subject_params(subject, column, value), "legal_representative"]
        params += [*states, day]
    if user_id is not None:
        parts.append(_ROLES_PART)
        params += [user_id, True, True]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return list(cursor.fetchall())


def _current(versions: list[tuple[str, int, Any]]) -> dict[str, Rules]:
    """The parsed current rule set of each province from its (province, id, updated) rows."""
    keys = {pk: (pk, str(stamp)) for _province, pk, stamp in versions}
    missing = [pk for pk, key in keys.items() if key not in _PARSED]
    if missing:
        for pk, text in RuleSet.objects.filter(pk__in=missing).values_list("pk", "text"):
            _PARSED[keys[pk]] = parse_rules(text)
    return {province: _PARSED[keys[pk]] for province, pk, _stamp in versions if keys[pk] in _PARSED}


def _restricting(rules: Rules, action: str) -> set[str]:
    return {kind for kind, actions in rules.restrictions.items() if action in actions}


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, str):  # SQLite returns dates as text
        return dt.date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


def _answer(
    subject: Any, action: str, *, day: dt.date, user_id: int | None = None
) -> tuple[list[str], list[Restriction]]:
    """(the caller's roles when ``user_id`` is given, the restrictions) in one statement."""
    how = _subject_sql(subject)
    if how is None:
        if user_id is None:
            return [], []
        how = ("entity_id", 0)  # no subject: the roles only (the records part finds nothing)
    column, value = how
    rows = _rows(subject, column, value, action, day, user_id)
    current = _current([(row[1], row[7], row[8]) for row in rows if row[0] == "v"])
    template = (
        gettext("%(action)s is restricted: %(kind)s of the person")
        if column in ("person_id", "id_number")
        else gettext("%(action)s is restricted: %(kind)s")
    )
    records = sorted(
        (row for row in rows if row[0] == "r"),
        key=lambda row: (_as_date(row[6]), row[7]),
        reverse=True,
    )
    found: list[Restriction] = []
    for row in records:
        restriction = _restriction(current, action, template, *row[1:6])
        if restriction is not None:
            found.append(restriction)
    listings = sorted(
        (row for row in rows if row[0] == "l"),
        key=lambda row: (_as_date(row[6]) or dt.date.min, row[7]),
        reverse=True,
    )
    for row in listings:
        until = _as_date(row[4])
        found.append(
            Restriction(
                measure=gettext(
                    "The person is legal representative of %(name)s, on the serious-dishonesty list"
                )
                % {"name": row[3]},
                legal_basis=LISTING_BASIS,
                source_department=row[5],
                until=until.isoformat() if until else "",
            )
        )
    return [row[1] for row in rows if row[0] == "m"], found


def check_restrictions(
    subject: Any, action: str, *, day: dt.date | None = None
) -> list[Restriction]:
    """Whether ``action`` on ``subject`` is restricted, with the reasons and legal basis.

    ``subject`` is an :class:`Entity`, a :class:`Person`, a credit code (str) or a
    :class:`~yaojian.registry.decisions.DecisionSubject`. A person is found across the whole
    platform by the identity card number: bans follow the person to other companies and
    counties, and a person who is legal representative of a listed entity is restricted too.
    A record restricts by the rule set of its subject's province (the record's region).
    One statement (module docstring).
    """
    if action not in Action.values:
        return []
    return _answer(subject, action, day=day or timezone.localdate())[1]


def check_for_caller(
    user: Any, subject: Any, action: str, permission: str, *, day: dt.date | None = None
) -> tuple[bool, list[Restriction]]:
    """(may ``user`` hold ``permission``, the restrictions): the API's check in one statement.

    The caller's roles in active departments come with the check, so that a permission that
    every role holds costs no scope of its own; when the scope is known already (the API's
    token authentication loads it with the token) it decides. A superuser may; an inactive user may not. The
    restrictions are only for a caller who may (the view answers 403 otherwise)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, []
    day = day or timezone.localdate()
    if action not in Action.values or cached_scope(user) is not None:
        # The token authentication brought the scope with the token: no roles to read.
        allowed = has_permission(user, permission)
        if not allowed or action not in Action.values:
            return allowed, []
        return True, _answer(subject, action, day=day)[1]
    roles, found = _answer(subject, action, day=day, user_id=user.pk)
    allowed = user.is_superuser or any(permission in permissions_for_role(r) for r in roles)
    return allowed, found if allowed else []


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
    expires = _as_date(expires)
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


# The persons of some names who are restricted for an appointment (an import names a legal
# representative by name only): their active records of the restricting kinds (through the
# records' (person, kind) index: few records are a person's) and the listings of the entities
# they represent. One statement per NAME_CHUNK names.
_NAMES_SQL = """
    SELECT p.name, r.kind, r.region_id, r.legal_basis, r.expires_on, d.name, r.occurred_on,
           r.id, 'r'
    FROM credit_creditrecord r
    JOIN registry_person p ON p.id = r.person_id
    JOIN accounts_department d ON d.id = r.source_department_id
    WHERE r.person_id IS NOT NULL AND p.name IN ({names}) AND r.kind IN ({kinds})
      AND r.status = %s AND r.occurred_on <= %s
      AND (r.expires_on IS NULL OR r.expires_on > %s)
    UNION ALL
    SELECT p.name, NULL, NULL, e.name, l.listed_until, d.name, l.decided_on, l.id, 'l'
    FROM credit_listing l
    JOIN registry_entityperson ep ON ep.entity_id = l.entity_id AND ep.role = %s
    JOIN registry_person p ON p.id = ep.person_id
    JOIN registry_entity e ON e.id = l.entity_id
    JOIN accounts_department d ON d.id = l.department_id
    WHERE p.name IN ({names}) AND l.state IN ({states}) AND l.listed_until > %s
"""
NAME_CHUNK = 400


def _by_name(subject: Any, action: str) -> str:
    """The name an appointment is checked by: a person named without an identity card number
    or a registered person (an import's legal representative); '' otherwise."""
    if (
        action == Action.PERSON_APPOINT
        and isinstance(subject, DecisionSubject)
        and subject.person_id is None
        and not subject.id_number.strip()
    ):
        return subject.name.strip()
    return ""


def _check_names(
    names: list[str], current: dict[str, Rules], day: dt.date
) -> dict[str, list[Restriction]]:
    """The restrictions on appointing a person of each name (see ``_NAMES_SQL``)."""
    action = Action.PERSON_APPOINT
    kinds = sorted(set().union(*(_restricting(r, action) for r in [DEFAULT, *current.values()])))
    states = sorted(LISTED_STATES)
    template = gettext("%(action)s is restricted: %(kind)s of a person of the same name")
    found: dict[str, list[Restriction]] = {}
    for start in range(0, len(names), NAME_CHUNK):
        chunk = names[start : start + NAME_CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        sql = _NAMES_SQL.format(
            names=marks,
            kinds=", ".join(["%s"] * len(kinds)) or "NULL",
            states=", ".join(["%s"] * len(states)),
        )
        params: list[Any] = [*chunk, *kinds, RecordStatus.ACTIVE, day, day]
        params += ["legal_representative", *chunk, *states, day]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        rows.sort(key=lambda row: (row[8], _as_date(row[6]) or dt.date.min, row[7]), reverse=True)
        for name, *row, tag in rows:
            if tag == "r":
                restriction = _restriction(current, action, template, *row[:5])
            else:
                until = _as_date(row[3])
                restriction = Restriction(
                    measure=gettext(
                        "A person of the same name is legal representative of %(name)s, on "
                        "the serious-dishonesty list"
                    )
                    % {"name": row[2]},
                    legal_basis=LISTING_BASIS,
                    source_department=row[4],
                    until=until.isoformat() if until else "",
                )
            if restriction is not None and restriction not in found.get(name, []):
                found.setdefault(name, []).append(restriction)
    return found


def check_many(
    decisions: list[tuple[DecisionSubject, str]], *, day: dt.date | None = None
) -> list[list[Restriction]]:
    """:func:`check_restrictions` of many decisions, one answer per decision in order.

    Decisions about entities (by id) are answered set-based: one query for the rule sets and
    one per 900 entities for all their active records, whatever the number of rows.
    Appointments of a person known by name only (an import's legal representative) are
    answered set-based too, by name (``_NAMES_SQL``): any person of that name who is
    restricted restricts the row — a file carries no identity card number, so a namesake is
    refused until a head records an override for the person. Another decision about a person
    (or by credit code) is checked alone."""
    day = day or timezone.localdate()
    answers: list[list[Restriction]] = [[] for _d in decisions]
    by_entity: dict[int, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, (subject, action) in enumerate(decisions):
        if action not in Action.values:
            continue
        name = _by_name(subject, action)
        if name:
            by_name.setdefault(name, []).append(index)
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
    if not by_entity and not by_name:
        return answers
    current = grades.current_rules()
    if by_name:
        for name, found in _check_names(sorted(by_name), current, day).items():
            for index in by_name[name]:
                answers[index] = list(found)
    if not by_entity:
        return answers
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
