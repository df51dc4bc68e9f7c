"""The shared registry: regulated entities, licences, products and persons (一户一档)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import ShareKind
from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import OwnedByDepartment, PublicIdModel, TimeStampedModel
from yaojian.registry.choices import (
    ApprovalOrigin,
    ApprovalScheme,
    EntityKind,
    EntityStatus,
    EthnicMedicine,
    LicenceKind,
    LicenceStatus,
    PersonRole,
    ProductKind,
    ProductRelation,
    RiskClass,
)


class EntityQuerySet(ScopedQuerySet["Entity"]):
    """Entities are the shared profile: every department sees those in its jurisdiction."""

    scope_region_field = "region"


class Entity(PublicIdModel, TimeStampedModel):
    """A regulated entity (监管对象): one profile shared by every department."""

    name = models.CharField(_("name"), max_length=200)
    search_key = models.CharField(
        _("search key"),
        max_length=400,
        editable=False,
        help_text=_("Normalised name used for searching (registry.names.search_key)."),
    )
    unified_social_credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=32, choices=EntityKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=EntityStatus.choices, default=EntityStatus.ACTIVE
    )
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="entities",
        verbose_name=_("region"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    grid_cell = models.ForeignKey(
        "territory.GridCell",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entities",
        verbose_name=_("grid cell"),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("headquarters"),
        help_text=_("For a chain store: its chain headquarters."),
    )
    registered_by = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="registered_entities",
        verbose_name=_("registered by"),
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("regulated entity")
        verbose_name_plural = _("regulated entities")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unified_social_credit_code"],
                condition=Q(unified_social_credit_code__isnull=False),
                name="registry_entity_unified_social_credit_code_unique",
            )
        ]
        indexes = [
            models.Index(fields=["region", "kind"], name="registry_entity_region_kind"),
            # The partners' bulk walk (api: entities/bulk/) pages by (created_at, id).
            models.Index(fields=["created_at", "id"], name="registry_entity_created_id"),
            # Search pages are ordered by (name, id): a page of a broad search is read in
            # index order instead of sorting every match (docs/benchmarks.md).
            models.Index(fields=["name", "id"], name="registry_entity_name_id"),
            # A county's list in name order (county scoping compares the code exactly).
            models.Index(fields=["region", "name", "id"], name="registry_entity_region_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EntityGram(models.Model):
    """A posting of the name search on PostgreSQL: one row per entity and pair of adjacent
    characters of its normalised name (ADR 0032).

    The table is written only by a database trigger on ``registry_entity`` (every write
    path, bulk or raw, keeps it in step) and exists only on PostgreSQL. Its indexes
    ``(gram, name, entity_id)`` and ``(gram, region_id, name, entity_id)`` give the matches of
    a two-character fragment already in the list's name order, for the province or county by
    county, so a page reads 25 postings instead of sorting or discarding thousands of rows.
    """

    pk = models.CompositePrimaryKey("gram", "name", "entity")
    gram = models.CharField(max_length=2)
    name = models.CharField(max_length=200)
    entity = models.ForeignKey(
        Entity, on_delete=models.DO_NOTHING, related_name="grams", db_constraint=False
    )
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        managed = False
        db_table = "registry_entity_gram"

    def __str__(self) -> str:
        return f"{self.gram} · {self.name}"


class LicenceQuerySet(ScopedQuerySet["Licence"]):
    """Licences are public: seen in the jurisdiction; changed by the issuing department."""

    scope_region_field = "entity__region"

    def visible_to(self, user: Any, action: str = "view") -> LicenceQuerySet:
        if action == "view":
            return super().visible_to(user, action)  # type: ignore[return-value]
        # Changes belong to the issuing department only.
        from yaojian.accounts.scoping import scope_q

        return self.filter(
            scope_q(
                user,
                region_field="entity__region",
                department_field="issued_by",
                share_kind=ShareKind.LICENCES,
                permission=f"registry.{action}_licence",
            )
        )


class Licence(PublicIdModel, TimeStampedModel):
    """A licence, certificate or agreement an entity holds."""

    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="licences", verbose_name=_("entity")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=LicenceKind.choices)
    number = models.CharField(_("number"), max_length=64)
    issued_by = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="issued_licences",
        verbose_name=_("issuing department"),
    )
    scope_of_business = models.TextField(_("scope"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["entity_id", "kind", "number"]
        indexes = [
            # Searching by a licence number does not know its kind (docs/benchmarks.md).
            models.Index(fields=["number"], name="registry_licence_number"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"], name="registry_licence_kind_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="registry_licence_valid_until_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class LicenceStatusChange(TimeStampedModel):
    """One change of a licence's status: the licence's history."""

    licence = models.ForeignKey(
        Licence,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("licence"),
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=LicenceStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=LicenceStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("licence status change")
        verbose_name_plural = _("licence status changes")
        ordering = ["licence_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.licence}: {self.from_status} → {self.to_status}"


class ProductQuerySet(ScopedQuerySet["Product"]):
    """Products are national reference data: every signed-in member may see them."""

    scope_region_field = None


class Product(PublicIdModel, TimeStampedModel):
    """A drug, device or cosmetic, with its approval number and risk class."""

    kind = models.CharField(_("kind"), max_length=16, choices=ProductKind.choices)
    name = models.CharField(_("name"), max_length=200)
    generic_name = models.CharField(_("generic name"), max_length=200, blank=True)
    approval_number = models.CharField(
        _("approval number"),
        max_length=64,
        help_text=_("批准文号, device registration or filing number, or cosmetic number."),
    )
    approval_scheme = models.CharField(
        _("numbering scheme"), max_length=32, choices=ApprovalScheme.choices, blank=True
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=ApprovalOrigin.choices, blank=True
    )
    category = models.CharField(_("category"), max_length=8, blank=True)
    dosage_form = models.CharField(_("dosage form"), max_length=64, blank=True)
    strength = models.CharField(_("strength"), max_length=64, blank=True)
    ethnic_medicine = models.CharField(
        _("ethnic medicine"),
        max_length=16,
        choices=EthnicMedicine.choices,
        blank=True,
        default=EthnicMedicine.NONE,
    )
    risk_class = models.CharField(
        _("risk class"), max_length=32, choices=RiskClass.choices, default=RiskClass.ORDINARY
    )
    holder = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_products",
        verbose_name=_("holder"),
    )
    entities = models.ManyToManyField(
        Entity,
        through="EntityProduct",
        related_name="products",
        verbose_name=_("entities"),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "approval_number"],
                name="registry_product_kind_approval_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_tibetan_medicine(self) -> bool:
        return self.ethnic_medicine == EthnicMedicine.TIBETAN


class EntityProduct(TimeStampedModel):
    """An entity's relation to a product (holds, manufactures, distributes, sells)."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="product_links",
        verbose_name=_("entity"),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="entity_links",
        verbose_name=_("product"),
    )
    relation = models.CharField(_("relation"), max_length=16, choices=ProductRelation.choices)

    class Meta:
        verbose_name = _("entity product")
        verbose_name_plural = _("entity products")
        ordering = ["entity_id", "product_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "product", "relation"],
                name="registry_entityproduct_entity_product_relation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.product} ({self.get_relation_display()})"


class PersonQuerySet(ScopedQuerySet["Person"]):
    """Persons are seen in the jurisdiction; their personal data is guarded separately."""

    scope_region_field = "region"


class Person(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """A natural person linked to entities: legal representative, pharmacist, …

    ``id_number`` and ``phone`` are personal data: shown only to members with
    ``registry.view_personal_data`` in the owning department or one it shared them with,
    and every such read is audited (``registry.services.reveal_personal_data``).
    """

    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(
        _("identity card number"), max_length=18, blank=True, help_text=_("Personal data.")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text=_("Personal data."))
    qualification = models.CharField(
        _("qualification"), max_length=128, blank=True, help_text=_("e.g. 执业药师")
    )
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("region"),
    )
    entities = models.ManyToManyField(
        Entity, through="EntityPerson", related_name="persons", verbose_name=_("entities")
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="registry_person_id_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EntityPerson(TimeStampedModel):
    """A person's role at an entity over time."""

    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="person_links", verbose_name=_("entity")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="entity_links", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("entity person")
        verbose_name_plural = _("entity persons")
        ordering = ["entity_id", "role", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="registry_entityperson_ended_after_started",
            ),
            models.UniqueConstraint(
                fields=["entity", "person", "role"],
                condition=Q(ended_on__isnull=True),
                name="registry_entityperson_current_role_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.entity} ({self.get_role_display()})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
