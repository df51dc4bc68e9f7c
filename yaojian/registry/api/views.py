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

from yaojian.core.pagination import CappedCountPagination
from yaojian.registry import selectors, services
from yaojian.registry.api.filters import EntityFilter, LicenceFilter, PersonFilter, ProductFilter
from yaojian.registry.api.serializers import (
    EntityCreateSerializer,
    EntityPersonLinkEndSerializer,
    EntityPersonLinkSerializer,
    EntityPersonSerializer,
    EntityProductLinkSerializer,
    EntityProductSerializer,
    EntitySerializer,
    EntityUpdateSerializer,
    LicenceCreateSerializer,
    LicenceHolderChangeSerializer,
    LicenceSerializer,
    LicenceTransitionSerializer,
    PersonalDataSerializer,
    PersonCreateSerializer,
    PersonSerializer,
    ProductCreateSerializer,
    ProductSerializer,
    ProductUpdateSerializer,
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
    stewards) in a department whose jurisdiction covers the entity. So do the actions on
    an entity's products and persons (`link-product`, `link-person`, `end-person-link`):
    404 when the entity is not visible, 403 when it is but may not be changed.
    """

    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = CappedCountPagination

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

    def _entity_context(self, entity: Entity) -> dict[str, Any]:
        return {**self.get_serializer_context(), "entity": entity}

    @extend_schema(
        request=EntityProductLinkSerializer, responses={201: EntityProductSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="link-product")
    def link_product(self, request: Request, public_id: str) -> Response:
        """Record that the entity holds, manufactures, distributes or sells a product.

        Audited on the entity (`registry.entity_product_linked`). A product already linked
        in the same way is a field error on `product`.
        """
        entity = self.get_object()
        serializer = EntityProductLinkSerializer(
            data=request.data, context=self._entity_context(entity)
        )
        serializer.is_valid(raise_exception=True)
        link = serializer.save(entity=entity)
        data = EntityProductSerializer(link, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EntityPersonLinkSerializer, responses={201: EntityPersonSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="link-person")
    def link_person(self, request: Request, public_id: str) -> Response:
        """Give a registered person (`POST /persons/` registers one) a role at the entity.

        Audited on the entity (`registry.entity_person_linked`). A person who holds the role
        already is a field error on `person`.
        """
        entity = self.get_object()
        serializer = EntityPersonLinkSerializer(
            data=request.data, context=self._entity_context(entity)
        )
        serializer.is_valid(raise_exception=True)
        link = serializer.save(entity=entity)
        data = EntityPersonSerializer(link, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EntityPersonLinkEndSerializer, responses={200: EntityPersonSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="end-person-link")
    def end_person_link(self, request: Request, public_id: str) -> Response:
        """End the person's current role at the entity, on `ended_on` (default today).

        The role is named by the person and the role, as a person holds each role at an
        entity at most once at a time. Audited on the entity, with the reason given
        (`registry.entity_person_link_ended`).
        """
        entity = self.get_object()
        serializer = EntityPersonLinkEndSerializer(
            data=request.data, context=self._entity_context(entity)
        )
        serializer.is_valid(raise_exception=True)
        link = serializer.save(entity=entity)
        data = EntityPersonSerializer(link, context=self.get_serializer_context()).data
        return Response(data)


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

    @extend_schema(
        request=LicenceHolderChangeSerializer, responses={200: LicenceSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="holder-change")
    def holder_change(self, request: Request, public_id: str) -> Response:
        """File a licence-holder change: the licence passes to the entity with `credit_code`
        (issuing department only; audited). Credit restrictions of both holders are checked;
        a restricted change answers 400 with the reasons under `override_reason`."""
        licence = self.get_object()
        serializer = LicenceHolderChangeSerializer(
            licence, data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        licence = serializer.save()
        return Response(self._read(licence))

    def _read(self, licence: Licence) -> Any:
        fresh = self.get_queryset().get(pk=licence.pk)
        return LicenceSerializer(fresh, context=self.get_serializer_context()).data


@extend_schema(tags=["products"])
class ProductViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Product]
):
    """Drugs, devices and cosmetics of the national reference list (every member sees them).

    Adding and changing need `registry.add_product` / `registry.change_product` (data
    stewards and administrators).
    """

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    lookup_field = "public_id"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Product]:
        return selectors.products_visible_to(self.request.user)

    @extend_schema(request=ProductCreateSerializer, responses={201: ProductSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """Add a drug, device or cosmetic to the reference list (audited).

        The approval number is validated for the kind (for drugs its scheme, origin and
        category are derived) and is unique per kind: a duplicate names the product that
        has it. A holder must lie in the caller's jurisdiction.
        """
        serializer = ProductCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        product = serializer.save()
        return Response(self._read(product), status=status.HTTP_201_CREATED)

    @extend_schema(request=ProductUpdateSerializer, responses={200: ProductSerializer, **ERRORS})
    def partial_update(self, request: Request, public_id: str) -> Response:
        """Change any of a product's fields, with a reason (audited). The kind cannot change."""
        product = self.get_object()
        serializer = ProductUpdateSerializer(
            product, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        product = serializer.save()
        return Response(self._read(product))

    def _read(self, product: Product) -> Any:
        fresh = self.get_queryset().get(pk=product.pk)
        return ProductSerializer(fresh, context=self.get_serializer_context()).data


@extend_schema(tags=["persons"])
class PersonViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Person]
):
    """Persons linked to entities (legal representatives, pharmacists, …).

    Identity card numbers and phones are always masked here; `reveal` returns them in
    clear to members entitled to them, and audits every such read. Registering a person
    needs `registry.add_person` over the person's region; roles at entities are given and
    ended on the entity (`link-person`, `end-person-link`).
    """

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    lookup_field = "public_id"
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """Register a person in a region of the caller's jurisdiction (audited, masked).

        The caller's most local department there (or `department`) owns the personal data.
        An identity card number registered already is refused without naming anyone: give
        that person a role with `POST /entities/{public_id}/link-person/` instead.
        """
        serializer = PersonCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        person = serializer.save()
        fresh = self.get_queryset().get(pk=person.pk)
        data = PersonSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

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
