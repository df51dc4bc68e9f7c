"""Events the registry publishes (after commit) for other apps to react to.

They carry ids and scalars only, never model instances.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntityCreated:
    """A regulated entity was registered."""

    entity_id: int
    public_id: str
    region_code: str
    kind: str
    actor_id: int | None


@dataclass(frozen=True)
class EntityRegisteredByHand:
    """An entity was registered one at a time (the form or the API), not by an import.

    Published beside ``EntityCreated`` so that reactions an import gets once per batch (the
    exchange's ``BatchApplied``) can take hand-registered entities one by one, without an
    outbox row per entity of a large import.
    """

    entity_id: int
    region_code: str
    actor_id: int | None


@dataclass(frozen=True)
class EntityUpdated:
    """Fields of a regulated entity changed."""

    entity_id: int
    public_id: str
    changed_fields: tuple[str, ...]
    actor_id: int | None


@dataclass(frozen=True)
class LicenceAdded:
    """A licence was recorded for an entity."""

    licence_id: int
    public_id: str
    entity_id: int
    kind: str
    number: str
    status: str
    actor_id: int | None


@dataclass(frozen=True)
class LicenceStatusChanged:
    """A licence went from one status to another (suspended, revoked, …)."""

    licence_id: int
    public_id: str
    entity_id: int
    kind: str
    number: str
    from_status: str
    to_status: str
    reason: str
    actor_id: int | None
