"""The restriction check (处处受限): is an action restricted for an entity or a person?

Kept cheap because every decision point and other departments' systems call it (issue 11:
p95 under 20 ms): one query for the current rule sets (their parsed form is cached per
rule-set version in the process, :func:`grades.current_rules`), one for the subject's active
records — the entity found by its credit code and the person by the identity card number in
the same query, through the unique indexes — and, for an appointment, one for the listings
of the entities the person represents. Reads only; nothing is logged (an identity card number
never enters a log).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from yaojian.credit import grades
from yaojian.credit.choices import LISTED_STATES, Action, RecordStatus
from yaojian.credit.models import CreditRecord, Listing
from yaojian.credit.rules import DEFAULT, Rules
from yaojian.registry.decisions import DecisionSubject, Restriction
from yaojian.registry.models import Entity, EntityPerson, Person

LISTING_BASIS = "《市场监督管理严重违法失信名单管理办法》第15条"


def _subject_filters(subject: Any, prefix: str = "") -> tuple[Q | None, Q | None]:
    """(entity condition, person condition) on ``prefix``-ed fields; at most one is set.

    A decision about a person (by id or identity card number) checks the person only."""
    if isinstance(subject, Entity):
        return Q(**{f"{prefix}entity_id": subject.pk}), None
    if isinstance(subject, Person):
        return None, Q(**{f"{prefix}person_id": subject.pk})
    if isinstance(subject, str):
        code = subject.strip().upper()
        if not code:
            return None, None
        return Q(**{f"{prefix}entity__unified_social_credit_code": code}), None
    if isinstance(subject, DecisionSubject):
        number = subject.id_number.strip().upper()
        if subject.person_id is None and not number:
            if subject.entity_id is None:
                return None, None
            return Q(**{f"{prefix}entity_id": subject.entity_id}), None
        person = Q(pk__in=[])
        if subject.person_id is not None:
            person |= Q(**{f"{prefix}person_id": subject.person_id})
        if number:
            person |= Q(**{f"{prefix}person__id_number": number})
        return None, person
    return None, None


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
    entity_match, person_match = _subject_filters(subject)
    match = entity_match or person_match
    if match is None:
        return []
    current = grades.current_rules()
    kinds = set().union(*(_restricting(r, action) for r in [DEFAULT, *current.values()]))
    found: list[Restriction] = []
    if kinds:
        label = str(Action(action).label)
        template = (
            gettext("%(action)s is restricted: %(kind)s")
            if person_match is None
            else gettext("%(action)s is restricted: %(kind)s of the person")
        )
        rows = (
            CreditRecord.objects.filter(
                match,
                Q(expires_on__isnull=True) | Q(expires_on__gt=day),
                kind__in=sorted(kinds),
                status=RecordStatus.ACTIVE,
                occurred_on__lte=day,
            )
            .select_related("source_department")
            .only(
                "kind",
                "region_id",
                "legal_basis",
                "expires_on",
                "occurred_on",
                "source_department__name",
            )
        )
        for item in rows:
            rules = current.get(grades.province_of(item.region_id), DEFAULT)
            if item.kind not in _restricting(rules, action):
                continue
            found.append(
                Restriction(
                    measure=template % {"action": label, "kind": item.get_kind_display()},
                    legal_basis=item.legal_basis,
                    source_department=item.source_department.name,
                    until=item.expires_on.isoformat() if item.expires_on else "",
                )
            )
    if person_match is not None and action == Action.PERSON_APPOINT:
        found.extend(_listed_representative(subject, day))
    return found


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
