"""Serializers of the registry API: shape and input validation only.

Writes go through :mod:`yaojian.registry.services`; references in input (grid cells,
headquarters, departments, products, persons) are resolved among what the caller may see.
"""

from yaojian.registry.api.serializers.common import (
    NOT_VISIBLE,
    EntityRefSerializer,
    PersonRefSerializer,
    ProductRefSerializer,
    ReferenceMixin,
    renamed,
)
from yaojian.registry.api.serializers.entities import (
    ENTITY_FIELDS,
    EntityCreateSerializer,
    EntitySerializer,
    EntityUpdateSerializer,
    EntityWriteSerializer,
    LicenceSummarySerializer,
)
from yaojian.registry.api.serializers.licences import (
    LicenceCreateSerializer,
    LicenceHolderChangeSerializer,
    LicenceSerializer,
    LicenceTransitionSerializer,
)
from yaojian.registry.api.serializers.persons import (
    PERSON_FIELDS,
    EntityPersonLinkEndSerializer,
    EntityPersonLinkSerializer,
    EntityPersonSerializer,
    PersonalDataSerializer,
    PersonCreateSerializer,
    PersonSerializer,
)
from yaojian.registry.api.serializers.products import (
    EntityProductLinkSerializer,
    EntityProductSerializer,
    ProductCreateSerializer,
    ProductSerializer,
    ProductUpdateSerializer,
    ProductWriteSerializer,
)

__all__ = [
    "ENTITY_FIELDS",
    "NOT_VISIBLE",
    "PERSON_FIELDS",
    "EntityCreateSerializer",
    "EntityPersonLinkEndSerializer",
    "EntityPersonLinkSerializer",
    "EntityPersonSerializer",
    "EntityProductLinkSerializer",
    "EntityProductSerializer",
    "EntityRefSerializer",
    "EntitySerializer",
    "EntityUpdateSerializer",
    "EntityWriteSerializer",
    "LicenceCreateSerializer",
    "LicenceHolderChangeSerializer",
    "LicenceSerializer",
    "LicenceSummarySerializer",
    "LicenceTransitionSerializer",
    "PersonCreateSerializer",
    "PersonRefSerializer",
    "PersonSerializer",
    "PersonalDataSerializer",
    "ProductCreateSerializer",
    "ProductRefSerializer",
    "ProductSerializer",
    "ProductUpdateSerializer",
    "ProductWriteSerializer",
    "ReferenceMixin",
    "renamed",
]
