"""Administrative regions (GB/T 2260) and grid cells (监管网格)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.territory.choices import GridLevel, RegionLevel


class Region(models.Model):
    """An administrative division. Codes are never reused, so the code is the key.

    Abolished regions stay, with ``valid_to`` set and ``successor`` pointing at the region
    that replaced them, so that codes on old records still resolve.
    """

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=16, blank=True, help_text=_("e.g. 地级市, 自治州, 县, 市辖区")
    )
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )
    prefix = models.CharField(
        _("subtree prefix"),
        max_length=6,
        db_index=True,
        help_text=_("Codes of this region and everything below it start with this."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Set when the code was abolished.")
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_current(self) -> bool:
        """True while the code has not been abolished."""
        return self.valid_to is None


class GridCellQuerySet(ScopedQuerySet["GridCell"]):
    """Grid cells are seen in the jurisdiction that contains them."""

    scope_region_field = "region"


class GridCell(PublicIdModel, TimeStampedModel):
    """A regulatory grid cell (监管网格) inside a county, with its responsible officers."""

    code = models.CharField(_("grid code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="grid_cells",
        verbose_name=_("county"),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="grid_cells",
        verbose_name=_("responsible officers"),
    )
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(
        _("grid level"), max_length=16, choices=GridLevel.choices, default=GridLevel.TOWNSHIP
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent cell"),
    )
    place_names = models.CharField(
        _("place names"),
        max_length=255,
        blank=True,
        help_text=_(
            "Township or village names, separated by commas, that place an entity in this "
            "cell when its address contains one of them."
        ),
    )

    objects = GridCellQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid cell")
        verbose_name_plural = _("grid cells")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class GridOfficerTerm(TimeStampedModel):
    """An officer's responsibility for a grid cell over time (from, until): the history of
    ``GridCell.officers``, which holds the current ones."""

    cell = models.ForeignKey(
        GridCell, on_delete=models.CASCADE, related_name="terms", verbose_name=_("grid cell")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grid_terms",
        verbose_name=_("officer"),
    )
    started_on = models.DateField(_("responsible from"))
    ended_on = models.DateField(_("responsible until"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid officer term")
        verbose_name_plural = _("grid officer terms")
        ordering = ["cell_id", "-started_on", "id"]
        indexes = [models.Index(fields=["officer", "ended_on"], name="territory_term_officer")]

    def __str__(self) -> str:
        return f"{self.cell} — {self.officer}"
