"""Views of the complaints API: the register, read-only (the reporter's identity is not in it)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins, viewsets

from yaojian.complaints import selectors
from yaojian.complaints.api.serializers import ComplaintSerializer
from yaojian.complaints.models import Complaint


class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Complaint]
):
    """Complaints and reports of the caller's departments (and those they oversee)."""

    serializer_class = ComplaintSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaints_visible_to(self.request.user).select_related("case", "entity")
