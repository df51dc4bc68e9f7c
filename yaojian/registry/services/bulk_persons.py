"""The persons table follows a bulk change of legal representative (issue 9 item 3).

When ``apply_entity_rows`` changes the ``legal_representative`` of a stored entity (a provincial
licence register renaming a county's entity's representative, say), the registry's persons
(``EntityPerson`` with role 法定代表人) must say the same as the entity's basic information:

* every current legal-representative link whose person has another name ends today;
* unless a current link already names the new representative, the new representative is
  linked from today: a person already linked to the entity under that name (a former
  representative, a person in another role) is reused, otherwise a person is registered in the
  entity's region, owned by the importing department (no identity card number: the import
  does not carry one);
* the profile's history shows it: the registry's own audit events on the entity
  (``registry.entity_person_link_ended``, ``registry.entity_person_linked``), one per change,
  as the single-row services write them.

Entities created by the import get no person (as ``create_entity``): the persons table is
filled where a department registers a person. A few queries per 900 changed entities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from yaojian.accounts.models import Department
from yaojian.audit.services import record
from yaojian.registry.choices import PersonRole
from yaojian.registry.models import Entity, EntityPerson, Person
from yaojian.registry.names import normalise_name

CHUNK = 900


def sync_legal_representatives(
    changes: dict[int, dict[str, list[Any]]],
    entities: dict[int, Entity],
    *,
    actor: Any,
    department: Department,
    today: dt.date,
    reason: str = "",
) -> int:
    """Make the persons of ``entities`` follow their changed legal representative.

    ``changes`` is the applier's ``{entity pk: {field: [before, after]}}``; entities whose
    ``legal_representative`` did not change are left alone. Returns the number of links written
    (ended plus started). Runs inside the caller's transaction.
    """
    targets = {
        pk: str(diff["legal_representative"][1] or "").strip()
        for pk, diff in changes.items()
        if "legal_representative" in diff and pk in entities
    }
    if not targets:
        return 0
    links = _links(sorted(targets))
    ended: list[EntityPerson] = []
    new_persons: list[Person] = []
    new_links: list[EntityPerson] = []
    audit: list[tuple[Entity, str, dict[str, list[Any]]]] = []
    for pk, name in targets.items():
        entity = entities[pk]
        wanted = normalise_name(name)
        known: dict[str, Person] = {}
        holds = False
        for link in links.get(pk, []):
            person_key = normalise_name(link.person.name)
            known.setdefault(person_key, link.person)
            if link.role != PersonRole.LEGAL_REPRESENTATIVE or link.ended_on is not None:
                continue
            if wanted and person_key == wanted:
                holds = True
                continue
            link.ended_on = max(today, link.started_on) if link.started_on else today
            ended.append(link)
            audit.append(
                (
                    entity,
                    "registry.entity_person_link_ended",
                    {
                        "person": [str(link.person.public_id)] * 2,
                        "person_name": [link.person.name] * 2,
                        "role": [link.role] * 2,
                        "ended_on": [None, link.ended_on.isoformat()],
                    },
                )
            )
        if not wanted or holds:
            continue
        person = known.get(wanted)
        if person is None:
            person = Person(name=name, region_id=entity.region_id, department=department)
            new_persons.append(person)
        new_links.append(
            EntityPerson(
                entity=entity,
                person=person,
                role=PersonRole.LEGAL_REPRESENTATIVE,
                started_on=today,
            )
        )
    if ended:
        now = timezone.now()
        for link in ended:
            link.updated_at = now
        EntityPerson.objects.bulk_update(ended, ["ended_on", "updated_at"], batch_size=500)
    Person.objects.bulk_create(new_persons, batch_size=500)
    for link in new_links:
        link.person_id = link.person.pk
        audit.append(
            (
                link.entity,
                "registry.entity_person_linked",
                {
                    "person": [None, str(link.person.public_id)],
                    "person_name": [None, link.person.name],
                    "role": [None, link.role],
                    "started_on": [None, today.isoformat()],
                },
            )
        )
    EntityPerson.objects.bulk_create(new_links, batch_size=500)
    for entity, action, diff in audit:
        record(
            actor=actor,
            action=action,
            obj=entity,
            changes=diff,
            reason=reason,
            department=department,
        )
    return len(ended) + len(new_links)


def _links(entity_ids: Sequence[int]) -> dict[int, list[EntityPerson]]:
    """Every link (any role, current or ended) of the entities, with its person."""
    found: dict[int, list[EntityPerson]] = {}
    for start in range(0, len(entity_ids), CHUNK):
        for link in (
            EntityPerson.objects.filter(entity_id__in=entity_ids[start : start + CHUNK])
            .select_related("person")
            .order_by("entity_id", "id")
        ):
            found.setdefault(link.entity_id, []).append(link)
    return found
