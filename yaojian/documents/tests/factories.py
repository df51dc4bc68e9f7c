"""Factories of the documents tests (stored PDFs without rendering, for speed)."""

from __future__ import annotations

import hashlib
from typing import Any

import factory
from django.core.files.base import ContentFile

from yaojian.documents.choices import DocumentKind
from yaojian.documents.models import Document

PDF = b"%PDF-1.4\n% a stand-in for a generated document\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    class Meta:
        model = Document

    kind = DocumentKind.PENALTY_NOTICE
    title = factory.Sequence(lambda n: f"行政处罚告知书 {n}")
    subject = factory.Sequence(lambda n: f"enforcement.case:{n}")
    sha256 = hashlib.sha256(PDF).hexdigest()
    size = len(PDF)
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="doc.pdf"))

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Document:
        return super()._create(model_class, *args, **kwargs)
