"""The registry's pages in the left menu (ADR 0015): anyone signed in may open them; the
lists show only what the user's scope covers."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp

menu.register(
    "registry.entities",
    group="records",
    label=_("Regulated entities"),
    url_name="registry:entity_list",
    icon="building-store",
    order=10,
)
menu.register(
    "registry.products",
    group="records",
    label=_("Products"),
    url_name="registry:product_list",
    icon="packages",
    order=20,
)

pagehelp.register(
    "registry:entity_list",
    _(
        "Find a regulated entity in your jurisdiction by a fragment of its name, its unified social credit code or a licence number, and narrow the list by region, kind and licence status."
    ),
    anchor="查找监管对象",
)
pagehelp.register(
    "registry:entity_detail",
    _(
        "The one record of this entity that every department in the jurisdiction shares: licences with their status (valid, suspended, revoked, expired), products, persons, and the cards other departments add."
    ),
    anchor="一户一档监管对象档案",
)
pagehelp.register(
    "registry:product_list",
    _("Products registered in the platform and the entities that hold them."),
    anchor="查找监管对象",
)
pagehelp.register(
    "registry:entity_create",
    _("Register a new regulated entity; the credit code is checked and must be unique."),
    anchor="查找监管对象",
)

pagehelp.register(
    "registry:entity_update",
    _("Correct an entity's basic information; give the reason, it is kept in the history."),
    anchor="一户一档监管对象档案",
)

pagehelp.register(
    "registry:licence_create",
    _("Add a licence your department issued to this entity."),
    anchor="一户一档监管对象档案",
)

pagehelp.register(
    "registry:licence_transition",
    _(
        "Change a licence's state (suspend, revoke, cancel, expire, restore); only the issuing department may, with a reason."
    ),
    anchor="一户一档监管对象档案",
)

pagehelp.register(
    "registry:licence_holder_change",
    _(
        "Pass a licence to a new holder (issuing department only, with a reason); credit restrictions of both holders are checked."
    ),
    anchor="一户一档监管对象档案",
)

pagehelp.register(
    "registry:entity_product_link",
    _("Link a registered product to this entity (it makes, sells or uses it)."),
    anchor="一户一档监管对象档案",
)

pagehelp.register(
    "registry:entity_person_add",
    _("Add a person (legal representative, person in charge, quality officer) to this entity."),
    anchor="一户一档监管对象档案",
)

pagehelp.register(
    "registry:product_create",
    _("Register a product: name, kind, approval number and holder."),
    anchor="查找监管对象",
)

pagehelp.register(
    "registry:product_detail",
    _("A product and the entities linked to it."),
    anchor="查找监管对象",
)

pagehelp.register(
    "registry:product_update",
    _("Correct a product's information; the change is kept in the history."),
    anchor="查找监管对象",
)
