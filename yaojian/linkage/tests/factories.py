"""Factories of the linkage app."""

from __future__ import annotations

import factory

from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.linkage.models import LinkReview
from yaojian.registry.tests.factories import EntityFactory


class LinkReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkReview

    department = factory.SubFactory(DepartmentFactory, region_id="540102")
    source_app = "exchange"
    source_ref = factory.Sequence(lambda n: f"batch-1:row-{n}")
    payload = factory.LazyFunction(lambda: {"row": 1})
    record_key = factory.Sequence(lambda n: f"row-{n}")
    record_name = "拉萨市康仁药店"
    record_address = "城关区北京中路12号"
    record_region_code = "540102"
    candidate = factory.SubFactory(
        EntityFactory, name="拉萨康仁大药房有限公司", address="拉萨市城关区北京中路12号"
    )
    probability = 0.8
    match_weight = 2.0
    explanation = factory.LazyFunction(lambda: [["name", 6.5], ["address", 4.0], ["region", -1.2]])
