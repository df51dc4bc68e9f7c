"""Serializers of the notices API: shape and input validation; writes call the services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yaojian.clocks.calendar import due_is_provisional
from yaojian.notices.choices import NoticeState
from yaojian.notices.models import Notice, Problem, RoutingRule
from yaojian.notices.selectors import masked_persons, problem_recipients, working_days_left


class NoticeSerializer(serializers.ModelSerializer[Notice]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    sender = serializers.CharField(source="sender.code", read_only=True)
    recipient = serializers.CharField(source="recipient.code", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True, allow_null=True)
    entity = serializers.UUIDField(source="entity.public_id", read_only=True, allow_null=True)
    problem = serializers.UUIDField(source="problem.public_id", read_only=True, allow_null=True)
    working_days_left = serializers.SerializerMethodField()
    due_on_provisional = serializers.SerializerMethodField(
        help_text="True when the deadline was computed with a provisional holiday schedule."
    )

    class Meta:
        model = Notice
        fields = [
            "id",
            "subject",
            "body",
            "expected_answer",
            "sender",
            "recipient",
            "category",
            "entity",
            "problem",
            "state",
            "due_on",
            "due_on_provisional",
            "working_days_left",
            "escalation_level",
            "answer",
            "read_at",
            "acknowledged_at",
            "answered_at",
            "closed_at",
            "source_app",
            "source_ref",
            "url",
            "created_at",
        ]
        read_only_fields = fields

    def get_working_days_left(self, obj: Notice) -> int | None:
        return working_days_left(obj)

    def get_due_on_provisional(self, obj: Notice) -> bool:
        return due_is_provisional(obj.due_on)


class NoticeQuerySerializer(serializers.Serializer[Any]):
    """The query parameters of the notice list; an unknown value answers 400."""

    box = serializers.ChoiceField(
        choices=["inbox", "sent"], default="inbox", help_text="Received (default) or sent."
    )
    state = serializers.ChoiceField(choices=NoticeState.choices, required=False)
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only open notices past their due date."
    )


class AnswerSerializer(serializers.Serializer[Any]):
    answer = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=10000)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class PersonInputSerializer(serializers.Serializer[Any]):
    role = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")


class ProblemCreateSerializer(serializers.Serializer[Any]):
    department = serializers.UUIDField(
        required=False, help_text="Reporting department; default: your first."
    )
    category = serializers.CharField()
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    entity = serializers.UUIDField(required=False, allow_null=True)
    region_code = serializers.CharField(required=False, allow_blank=True, default="")
    found_on = serializers.DateField(required=False, allow_null=True)
    personal_data = PersonInputSerializer(many=True, required=False)


class ProblemNoticeSerializer(serializers.Serializer[Any]):
    """A department notified of the problem. ``id``, ``state`` and ``due_on`` only for notices
    your departments sent or received; of a co-recipient's notice you see only the department
    and whether it answered."""

    id = serializers.UUIDField(allow_null=True)
    recipient = serializers.CharField(help_text="The notified department's code.")
    recipient_name = serializers.CharField()
    answered = serializers.BooleanField()
    state = serializers.CharField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class ProblemSerializer(serializers.ModelSerializer[Problem]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    entity = serializers.UUIDField(source="entity.public_id", read_only=True, allow_null=True)
    region = serializers.CharField(source="region_id", read_only=True)
    personal_data = serializers.SerializerMethodField(help_text="Always masked; reveal is audited.")
    notices = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "department",
            "category",
            "entity",
            "region",
            "description",
            "found_on",
            "personal_data",
            "notices",
            "created_at",
        ]
        read_only_fields = fields

    def get_personal_data(self, obj: Problem) -> list[dict[str, str]]:
        return [
            {"role": p.role, "name": p.name, "id_number": p.id_number, "phone": p.phone}
            for p in masked_persons(obj)
        ]

    @extend_schema_field(ProblemNoticeSerializer(many=True))
    def get_notices(self, obj: Problem) -> list[dict[str, Any]]:
        rows = []
        for row in problem_recipients(self.context["request"].user, obj):
            notice = row.notice
            rows.append(
                {
                    "id": str(notice.public_id) if notice else None,
                    "recipient": row.recipient.code,
                    "recipient_name": row.recipient.name,
                    "answered": row.answered,
                    "state": notice.state if notice else None,
                    "due_on": notice.due_on.isoformat() if notice and notice.due_on else None,
                }
            )
        return rows


class RoutingRuleSerializer(serializers.ModelSerializer[RoutingRule]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    category = serializers.CharField(source="category.code")

    class Meta:
        model = RoutingRule
        fields = [
            "id",
            "category",
            "entity_kind",
            "target_kind",
            "target_level",
            "due_working_days",
            "expected_answer",
            "is_active",
        ]
