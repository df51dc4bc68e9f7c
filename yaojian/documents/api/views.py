"""Views of the documents API: the caller's department's documents, one document, its file."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from yaojian.documents import selectors, services
from yaojian.documents.api.serializers import DocumentSerializer
from yaojian.documents.models import Document


class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Document]
):
    """Documents of the caller's departments (list); any document the caller may read (one)."""

    serializer_class = DocumentSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Document]:
        queryset = selectors.documents_visible_to(self.request.user)
        subject = self.request.query_params.get("subject")
        if subject:
            queryset = queryset.filter(subject=subject)
        return queryset

    def get_object(self) -> Document:
        return selectors.get_document_for_user(self.request.user, self.kwargs["public_id"])

    @extend_schema(
        parameters=[OpenApiParameter("subject", str, description="Only documents of this subject.")]
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="Missing, or not readable by the caller."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, public_id: str) -> HttpResponse:
        """The PDF (audited)."""
        document = self.get_object()
        content = document.read_bytes()
        services.record_document_read(actor=request.user, document=document, purpose="api")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="document.pdf"'
        response["X-Content-SHA256"] = document.sha256
        return response
