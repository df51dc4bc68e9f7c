"""factory_boy factories for accounts."""

from __future__ import annotations

import factory

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.models import Department, Membership, ShareGrant, User

TEST_PASSWORD = "Yaojian-test-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"DEPT-{n:05d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = DepartmentKind.DRUG_REGULATOR
    level = DepartmentLevel.COUNTY
    region_id = "540102"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Role.INSPECTOR


class ShareGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareGrant

    grantor = factory.SubFactory(DepartmentFactory)
    grantee = factory.SubFactory(DepartmentFactory)
    data_kind = "personal_data"
    legal_basis = "《药品管理法》第一百零七条"
