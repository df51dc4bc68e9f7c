"""The entity serializers' fields, built once per class and language (core.serializers)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.utils import translation
from rest_framework import serializers

from yaojian.accounts.api.serializers import DepartmentRefSerializer
from yaojian.core.serializers import FieldsBuiltOnce
from yaojian.registry.api.serializers.entities import EntitySerializer, LicenceSummarySerializer
from yaojian.registry.tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db


def _plain(cls: type[Any]) -> type[Any]:
    """The same serializer without ``FieldsBuiltOnce``: DRF builds its fields every time."""
    attrs: dict[str, Any] = {
        name: copy.deepcopy(field) for name, field in cls._declared_fields.items()
    }
    attrs["Meta"] = cls.Meta
    return type(f"Plain{cls.__name__}", (serializers.ModelSerializer,), attrs)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_fields_and_data_as_drf_builds_them(entity: Any, language: str) -> None:
    LicenceFactory(entity=entity)
    LicenceFactory(entity=entity)
    with translation.override(language):
        for _round in range(2):  # the second from the kept fields
            for cls, obj in (
                (EntitySerializer, entity),
                (LicenceSummarySerializer, entity.licences.first()),
                (DepartmentRefSerializer, entity.registered_by),
            ):
                assert issubclass(cls, FieldsBuiltOnce)
                ours, drfs = cls(obj), _plain(cls)(obj)
                assert ours.data == drfs.data
                assert [(n, repr(f), str(f.label)) for n, f in ours.fields.items()] == [
                    (n, repr(f), str(f.label)) for n, f in drfs.fields.items()
                ]


def test_each_serializer_gets_its_own_fields(entity: Any) -> None:
    first, second = EntitySerializer(entity), EntitySerializer(entity)
    for name in ("name", "status", "licences", "registered_by"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second


def test_labels_follow_the_language(entity: Any) -> None:
    with translation.override("en"):
        english = str(EntitySerializer(entity).fields["status"].label)
    with translation.override("zh-hans"):
        chinese = str(EntitySerializer(entity).fields["status"].label)
    assert english != chinese
