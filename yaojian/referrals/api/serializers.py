"""Serializers of the referrals API."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from yaojian.clocks.calendar import due_is_provisional
from yaojian.referrals import clocks
from yaojian.referrals.choices import PoliceComplexity, ReferralAction
from yaojian.referrals.models import Referral


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    """A referral with where it stands and its clocks."""

    case = serializers.UUIDField(source="case.public_id", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    police_department = serializers.CharField(
        source="police_department.code", default=None, read_only=True
    )
    clocks = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "public_id",
            "case",
            "case_number",
            "department",
            "police_department",
            "state",
            "suspected_crime",
            "report",
            "reported_at",
            "decided_at",
            "decision_reasons",
            "transferred_at",
            "letter_document_id",
            "received_at",
            "complexity",
            "answered_at",
            "answer_reasons",
            "police_case_number",
            "reconsideration_requested_at",
            "reconsideration_decided_at",
            "supervision_requested_at",
            "procuratorate",
            "handed_over_at",
            "clocks",
        ]
        read_only_fields = fields

    def get_clocks(self, obj: Referral) -> list[dict[str, Any]]:
        now = timezone.now()
        return [
            {
                "key": c.key,
                "started_at": c.started_at,
                "due_at": c.due_at,
                "provisional": due_is_provisional(c.due_at),
                "done_at": c.done_at,
                "status": c.status(now),
            }
            for c in clocks.referral_clocks(obj)
        ]


class CreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    suspected_crime = serializers.CharField(max_length=200)
    report = serializers.CharField()
    team = serializers.ListField(child=serializers.UUIDField(), min_length=2)


class StepSerializer(serializers.Serializer[Any]):
    """The input of one step; which fields count depends on ``action``."""

    action = serializers.ChoiceField(choices=ReferralAction.choices)
    approve = serializers.BooleanField(required=False, default=False)
    accept = serializers.BooleanField(required=False, default=False)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    police_department = serializers.CharField(required=False, allow_blank=True, default="")
    to_department = serializers.CharField(required=False, allow_blank=True, default="")
    attachments = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    complexity = serializers.ChoiceField(
        choices=PoliceComplexity.choices, required=False, default=PoliceComplexity.ORDINARY
    )
    approval = serializers.CharField(required=False, allow_blank=True, default="")
    police_case_number = serializers.CharField(required=False, allow_blank=True, default="")
    procuratorate = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
