"""Serializers of the documents API (read-only: documents are made by the apps' services)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from yaojian.documents.models import Document


class DocumentSerializer(serializers.ModelSerializer[Document]):
    """A stored document: what it is, whose it is, its SHA-256 and where to download it."""

    department = serializers.CharField(source="department.code", read_only=True)
    created_by = serializers.CharField(source="created_by.username", default="", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "public_id",
            "kind",
            "title",
            "subject",
            "department",
            "created_by",
            "created_at",
            "sha256",
            "size",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Document) -> str:
        url = reverse("documents:download", args=[obj.public_id])
        request: Any = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
