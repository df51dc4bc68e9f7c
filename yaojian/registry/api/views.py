"""Views of the registry API: entities, licences, products and persons.

Querysets come from the registry's scoping (``visible_to`` / selectors); writes call the
registry's services, which check permission and scope again and write the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.registry import selectors, services
from yaojian.registry.api.filters import EntityFilter, LicenceFilter, PersonFilter, ProductFilter
from yaojian.registry.api.serializers import (
    EntityCreateSerializer,
    EntitySerializer,
    EntityUpdateSerializer,
    LicenceCreateSerializer,
    LicenceSerializer,
    LicenceTransitionSerializer,
    PersonalDataSerializer,
    PersonSerializer,
    ProductSerializer,
)
from yaojian.registry.models import Entity, Licence, Person, Product

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: `errors` holds the messages per field.")),
    403: OpenApiResponse(description=_("The caller's roles do not allow this.")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller.")),
}


def _licences_in_order() -> Prefetch[Any]:
    return Prefetch("licences", queryset=Licence.objects.order_by("kind", "number"))


ENTITY_LIST_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description=_(
            "A fragment of the name (full-width, case and punctuation ignored), an exact "
            "unified social credit code or an exact licence number."
        ),
    ),
    OpenApiParameter(
        "region",
        str,
        description=_(
            "Division code of a prefecture or county in the caller's jurisdictions: entities "
            "in it or below it."
        ),
    ),
]


@extend_schema_view(list=extend_schema(parameters=ENTITY_LIST_PARAMETERS))
class EntityListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Entity]):
    """Regulated entities in the caller's jurisdictions, with their licences."""

    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Entity]:
        return (
            selectors.entities_visible_to(self.request.user)
            .select_related("grid_cell", "parent")
            .prefetch_related(_licences_in_order())
        )


@extend_schema(tags=["entities"])
class EntityViewSet(mixins.RetrieveModelMixin, EntityListViewSet):
    """Regulated entities (监管对象): the shared profile of each, seen in its jurisdiction.

    Registering and changing need `registry.add_entity` / `registry.change_entity` (data
    stewards) in a department whose jurisdiction covers the entity.
    """

    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=EntityCreateSerializer, responses={201: EntitySerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        serializer = EntityCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        entity = serializer.save()
        return Response(self._read(entity), status=status.HTTP_201_CREATED)

    @extend_schema(request=EntityUpdateSerializer, responses={200: EntitySerializer, **ERRORS})
    def partial_update(self, request: Request, public_id: str) -> Response:
        entity = self.get_object()
        serializer = EntityUpdateSerializer(
            entity, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        entity = serializer.save()
        return Response(self._read(entity))

    def _read(self, entity: Entity) -> Any:
        fresh = self.get_queryset().get(pk=entity.pk)
        return EntitySerializer(fresh, context=self.get_serializer_context()).data


@extend_schema(tags=["licences"])
class LicenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Licence]
):
    """Licences, certificates and agreements of the entities in the caller's jurisdictions.

    Recording one needs `registry.add_licence`; changing its status is for the issuing
    department only.
    """

    serializer_class = LicenceSerializer
    filterset_class = LicenceFilter
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Licence]:
        return Licence.objects.visible_to(self.request.user).select_related("entity", "issued_by")

    @extend_schema(request=LicenceCreateSerializer, responses={201: LicenceSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        serializer = LicenceCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        licence = serializer.save()
        return Response(self._read(licence), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=LicenceTransitionSerializer, responses={200: LicenceSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, public_id: str) -> Response:
        """Move the licence to another status, with the reason (audited)."""
        licence = self.get_object()
        serializer = LicenceTransitionSerializer(
            licence, data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        licence = serializer.save()
        return Response(self._read(licence))

    def _read(self, licence: Licence) -> Any:
        fresh = self.get_queryset().get(pk=licence.pk)
        return LicenceSerializer(fresh, context=self.get_serializer_context()).data


@extend_schema(tags=["products"])
class ProductViewSet(viewsets.ReadOnlyModelViewSet[Product]):
    """Drugs, devices and cosmetics of the national reference list."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Product]:
        return selectors.products_visible_to(self.request.user)


@extend_schema(tags=["persons"])
class PersonViewSet(viewsets.ReadOnlyModelViewSet[Person]):
    """Persons linked to entities (legal representatives, pharmacists, …).

    Identity card numbers and phones are always masked here; `reveal` returns them in
    clear to members entitled to them, and audits every such read.
    """

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Person]:
        return (
            Person.objects.visible_to(self.request.user)
            .select_related("department", "region")
            .order_by("name", "id")
        )

    @extend_schema(request=None, responses={200: PersonalDataSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, public_id: str) -> Response:
        """The clear identity card number and phone (audited as a personal-data read)."""
        person = self.get_object()
        data = services.reveal_personal_data(actor=request.user, person=person)
        response = Response(PersonalDataSerializer(data).data)
        response["Cache-Control"] = "no-store"
        return response
