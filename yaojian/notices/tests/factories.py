"""factory_boy factories for the notices app."""

from __future__ import annotations

import datetime as dt

import factory

from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.notices.models import Notice, Problem, ProblemCategory


def category(code: str = "counterfeit_drug") -> ProblemCategory:
    """A seeded category (the migration seeds them)."""
    return ProblemCategory.objects.get(code=code)


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    department = factory.SubFactory(DepartmentFactory)
    region_id = "540102"
    category = factory.LazyFunction(lambda: category("counterfeit_drug"))
    description = "销售假药"
    found_on = factory.LazyFunction(lambda: dt.date(2026, 3, 2))


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    sender = factory.SubFactory(DepartmentFactory)
    recipient = factory.SubFactory(DepartmentFactory, kind="medical_insurance")
    subject = factory.Sequence(lambda n: f"通报{n}")
    body = "请核查。"
