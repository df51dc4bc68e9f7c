"""Pages of the registry (一户一档); thin, htmx-aware, writing only through the services."""

from yaojian.registry.views.entities import (
    entity_create,
    entity_detail,
    entity_export,
    entity_list,
    entity_update,
)
from yaojian.registry.views.entity_links import (
    entity_person_add,
    entity_person_end,
    entity_product_link,
)
from yaojian.registry.views.licences import (
    licence_create,
    licence_holder_change,
    licence_transition,
)
from yaojian.registry.views.persons import person_reveal
from yaojian.registry.views.products import (
    product_create,
    product_detail,
    product_list,
    product_update,
)

__all__ = [
    "entity_create",
    "entity_detail",
    "entity_export",
    "entity_list",
    "entity_person_add",
    "entity_person_end",
    "entity_product_link",
    "entity_update",
    "licence_create",
    "licence_holder_change",
    "licence_transition",
    "person_reveal",
    "product_create",
    "product_detail",
    "product_list",
    "product_update",
]
