"""Serializers of persons (personal data masked) and of their roles at entities."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from yaojian.accounts.api.serializers import DepartmentRefSerializer
from yaojian.accounts.models import Department
from yaojian.registry import selectors, services
from yaojian.registry.api.serializers.common import (
    EntityRefSerializer,
    PersonRefSerializer,
    ReferenceMixin,
    renamed,
)
from yaojian.registry.choices import PersonRole
from yaojian.registry.identifiers import mask_id_card_number, mask_phone
from yaojian.registry.models import EntityPerson, Person

PERSON_FIELDS = {"region_code": "region"}


class PersonSerializer(serializers.ModelSerializer[Person]):
    """A person linked to entities; the personal data always comes masked.

    The clear values come from ``POST …/reveal/``, which is audited, when ``can_reveal``.
    """

    id_number = serializers.SerializerMethodField(
        help_text=_("Identity card number, masked (e.g. 540102********123X).")
    )
    phone = serializers.SerializerMethodField(help_text=_("Phone number, masked."))
    region_name = serializers.CharField(source="region.name", read_only=True)
    department = DepartmentRefSerializer(
        read_only=True, help_text=_("The department that owns the personal data.")
    )
    can_reveal = serializers.SerializerMethodField(
        help_text=_("Whether the caller may read the clear personal data (audited).")
    )

    class Meta:
        model = Person
        fields = [
            "public_id",
            "name",
            "id_number",
            "phone",
            "qualification",
            "certificate_number",
            "region",
            "region_name",
            "department",
            "can_reveal",
        ]
        read_only_fields = fields
        extra_kwargs = {"region": {"help_text": _("Division code of the person's region.")}}

    def get_id_number(self, person: Person) -> str:
        return mask_id_card_number(person.id_number) if person.id_number else ""

    def get_phone(self, person: Person) -> str:
        return mask_phone(person.phone) if person.phone else ""

    def get_can_reveal(self, person: Person) -> bool:
        has_data = bool(person.id_number or person.phone)
        return has_data and selectors.can_see_personal_data(self.context["request"].user, person)


class PersonalDataSerializer(serializers.Serializer[dict[str, str]]):
    """A person's clear personal data (every read is audited)."""

    id_number = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)


class PersonCreateSerializer(ReferenceMixin, serializers.Serializer[Person]):
    """Input for registering a person; the caller's department owns their personal data.

    The identity card number is unique: a person registered already is linked to an entity
    with `POST /entities/{public_id}/link-person/` instead.
    """

    name = serializers.CharField(max_length=64)
    region = serializers.CharField(
        max_length=12, help_text=_("Division code of the person's region (6 digits).")
    )
    id_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("Identity card number (personal data, checked and stored normalised)."),
    )
    phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text=_("Personal data.")
    )
    qualification = serializers.CharField(max_length=128, required=False, allow_blank=True)
    certificate_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    department = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_(
            "Public id of the caller's department that owns the personal data "
            "(default: the most local one that may)."
        ),
    )

    def validate_department(self, value: Any) -> Department | None:
        return self.department_for(value)

    def create(self, validated_data: dict[str, Any]) -> Person:
        data = dict(validated_data)
        try:
            return services.create_person(actor=self.user, region_code=data.pop("region"), **data)
        except DjangoValidationError as exc:
            raise renamed(exc, PERSON_FIELDS) from exc


class EntityPersonSerializer(serializers.ModelSerializer[EntityPerson]):
    """A person's role at an entity, from `started_on` until `ended_on` (null: current)."""

    entity = EntityRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True)

    class Meta:
        model = EntityPerson
        fields = ["entity", "person", "role", "started_on", "ended_on"]
        read_only_fields = fields


class EntityPersonLinkSerializer(ReferenceMixin, serializers.Serializer[EntityPerson]):
    """Input for giving a registered person a role at the entity."""

    person = serializers.UUIDField(help_text=_("Public id of the person."))
    role = serializers.ChoiceField(choices=PersonRole.choices)
    started_on = serializers.DateField(required=False, allow_null=True)

    def validate_person(self, value: Any) -> Person:
        return self.person_for(value)

    def create(self, validated_data: dict[str, Any]) -> EntityPerson:
        return services.link_person(actor=self.user, **validated_data)


class EntityPersonLinkEndSerializer(ReferenceMixin, serializers.Serializer[EntityPerson]):
    """Input for ending a person's current role at the entity."""

    person = serializers.UUIDField(help_text=_("Public id of the person holding the role."))
    role = serializers.ChoiceField(choices=PersonRole.choices)
    ended_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("The last day of the role (default: today).")
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        link = (
            # Among the entity's own links: the profile lists them whatever the person's region.
            EntityPerson.objects.filter(
                entity=self.context["entity"],
                person__public_id=attrs["person"],
                role=attrs["role"],
                ended_on__isnull=True,
            )
            .select_related("person", "entity")
            .order_by("id")
            .first()
        )
        if link is None:
            raise serializers.ValidationError(
                {"role": _("The person does not currently hold this role at this entity.")}
            )
        attrs["link"] = link
        return attrs

    def create(self, validated_data: dict[str, Any]) -> EntityPerson:
        return services.end_person_link(
            actor=self.user,
            link=validated_data["link"],
            ended_on=validated_data.get("ended_on"),
            reason=validated_data.get("reason", ""),
        )
