"""Serializers of the calendar API: shape and input validation only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from yaojian.clocks.calculator import CALENDAR, MAX_DAYS, WORKING
from yaojian.clocks.models import CalendarDay, CalendarYear, DayKind, YearStatus


class CalendarYearSerializer(serializers.ModelSerializer[CalendarYear]):
    holidays = serializers.IntegerField(read_only=True, help_text=_("Listed holidays."))
    workdays = serializers.IntegerField(read_only=True, help_text=_("Listed make-up working days."))

    class Meta:
        model = CalendarYear
        fields = ["year", "status", "source", "holidays", "workdays"]


class CalendarYearCreateSerializer(serializers.Serializer[CalendarYear]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    status = serializers.ChoiceField(choices=YearStatus.choices, default=YearStatus.OFFICIAL)
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, required=False, allow_blank=True, default=""
    )


class CalendarDaySerializer(serializers.ModelSerializer[CalendarDay]):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class CalendarDayCreateSerializer(serializers.Serializer[CalendarDay]):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CalculatorQuerySerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=0, max_value=MAX_DAYS)
    mode = serializers.ChoiceField(choices=[WORKING, CALENDAR], default=WORKING)


class SkippedDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    reason = serializers.CharField()


class DueDateSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    days = serializers.IntegerField()
    mode = serializers.CharField()
    due = serializers.DateField()
    skipped = SkippedDaySerializer(many=True)
