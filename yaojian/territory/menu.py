"""The territory's pages in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp

menu.register(
    "territory.grid",
    group="records",
    label=_("Grid"),
    url_name="territory:gridcell_list",
    icon="grid-dots",
    order=30,
)
menu.register(
    "territory.regions",
    group="admin",
    label=_("Administrative regions"),
    url_name="territory:region_list",
    icon="map-pin",
    order=60,
)

pagehelp.register(
    "territory:gridcell_list",
    _("Grid cells divide a county among its inspectors; each entity belongs to one cell."),
    anchor="网格",
)
pagehelp.register(
    "territory:region_list",
    _("The national administrative divisions; abolished codes show their successor."),
    anchor="网格",
)

pagehelp.register(
    "territory:gridcell_create",
    _("Draw a new grid cell: a part of a county that named officers patrol."),
    anchor="网格",
)

pagehelp.register(
    "territory:gridcell_detail",
    _("A grid cell: its county, its officers and the entities inside it."),
    anchor="网格",
)

pagehelp.register(
    "territory:gridcell_update",
    _("Change a grid cell's name or description; the change is audited."),
    anchor="网格",
)
