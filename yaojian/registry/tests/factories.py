"""factory_boy factories for the registry. They write rows directly (no audit): test data only.

Identifiers are valid: credit codes, licence numbers, approval and identity card numbers carry
correct check characters and formats, so services accept them when tests pass them on.
"""

from __future__ import annotations

import datetime as dt

import factory

from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.registry import names
from yaojian.registry.choices import (
    EntityKind,
    LicenceKind,
    LicenceStatus,
    PersonRole,
    ProductKind,
    ProductRelation,
)
from yaojian.registry.identifiers import (
    make_drug_distribution_licence_number,
    make_id_card_number,
    make_unified_social_credit_code,
)
from yaojian.registry.models import (
    Entity,
    EntityPerson,
    EntityProduct,
    Licence,
    LicenceStatusChange,
    Person,
    Product,
)


def uscc_for(n: int, region: str = "540102") -> str:
    """The ``n``-th valid unified social credit code of an enterprise registered in ``region``."""
    return make_unified_social_credit_code("91", region, f"MA{n:06d}")


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"拉萨测试大药房{n}号店")
    search_key = factory.LazyAttribute(lambda o: names.search_key(o.name))
    unified_social_credit_code = factory.Sequence(lambda n: uscc_for(n))
    kind = EntityKind.SINGLE_PHARMACY
    region_id = "540102"
    address = factory.Sequence(lambda n: f"城关区北京中路{n}号")
    legal_representative = "扎西"
    registered_by = factory.SubFactory(
        DepartmentFactory, region_id=factory.SelfAttribute("..region_id")
    )


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    entity = factory.SubFactory(EntityFactory)
    kind = LicenceKind.DRUG_DISTRIBUTION
    number = factory.Sequence(
        lambda n: make_drug_distribution_licence_number("54", "DA", "8910", n)
    )
    issued_by = factory.LazyAttribute(lambda o: o.entity.registered_by)
    scope_of_business = "化学药制剂、中成药"
    valid_from = dt.date(2024, 1, 1)
    valid_until = dt.date(2029, 12, 31)
    status = LicenceStatus.VALID


class LicenceStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceStatusChange

    licence = factory.SubFactory(LicenceFactory)
    from_status = ""
    to_status = LicenceStatus.VALID


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    kind = ProductKind.DRUG
    name = factory.Sequence(lambda n: f"测试片{n}")
    generic_name = factory.LazyAttribute(lambda o: o.name)
    # Qinghai legacy numbers: tests spell Tibetan ones (Z5402…) literally, so no collision.
    approval_number = factory.Sequence(lambda n: f"国药准字Z6302{n:04d}")
    approval_scheme = "legacy_2002"
    category = "Z"
    dosage_form = "片剂"
    strength = "0.5g"


class EntityProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntityProduct

    entity = factory.SubFactory(EntityFactory)
    product = factory.SubFactory(ProductFactory)
    relation = ProductRelation.SELLS


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    id_number = factory.Sequence(
        lambda n: make_id_card_number(
            "540102", dt.date(1980, 1, 1) + dt.timedelta(days=n // 1000), n % 1000
        )
    )
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    qualification = "执业药师"
    region_id = "540102"
    department = factory.SubFactory(
        DepartmentFactory, region_id=factory.SelfAttribute("..region_id")
    )


class EntityPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntityPerson

    entity = factory.SubFactory(EntityFactory)
    person = factory.SubFactory(PersonFactory)
    role = PersonRole.LICENSED_PHARMACIST
    started_on = dt.date(2024, 1, 1)
