"""Pages of the registry (一户一档); thin, htmx-aware, writing only through the services."""

from yaojian.registry.views.entities import (
    entity_create,
    entity_detail,
    entity_export,
    entity_list,
    entity_update,
)
from yaojian.registry.views.licences import licence_create, licence_transition
from yaojian.registry.views.persons import person_reveal
from yaojian.registry.views.products import product_detail, product_list

__all__ = [
    "entity_create",
    "entity_detail",
    "entity_export",
    "entity_list",
    "entity_update",
    "licence_create",
    "licence_transition",
    "person_reveal",
    "product_detail",
    "product_list",
]
