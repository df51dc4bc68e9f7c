"""Writes of the registry (一户一档). These functions are the only writers of its models.

Each takes a keyword-only ``actor``, checks permission and scope, validates every field
(``ValidationError`` per field, nothing written on failure), runs in one transaction with its
audit event and publishes its events after commit.
"""

from yaojian.registry.services.bulk import apply_entity_rows
from yaojian.registry.services.entities import create_entity, update_entity
from yaojian.registry.services.licences import (
    add_licence,
    change_licence_holder,
    transition_licence,
)
from yaojian.registry.services.persons import (
    add_person_to_entity,
    create_person,
    end_person_link,
    link_person,
    reveal_personal_data,
)
from yaojian.registry.services.products import create_product, link_product, update_product

__all__ = [
    "add_licence",
    "add_person_to_entity",
    "apply_entity_rows",
    "change_licence_holder",
    "create_entity",
    "create_person",
    "create_product",
    "end_person_link",
    "link_person",
    "link_product",
    "reveal_personal_data",
    "transition_licence",
    "update_entity",
    "update_product",
]
