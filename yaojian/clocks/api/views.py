"""Views of the calendar API: years, days, and working-day arithmetic.

Every signed-in caller reads; adding and removing need ``clocks.change_calendarday``
(administrators). Writes call the clocks services (validated, audited).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.accounts.scoping import has_permission
from yaojian.clocks import selectors, services
from yaojian.clocks.api.serializers import (
    CalculatorQuerySerializer,
    CalendarDayCreateSerializer,
    CalendarDaySerializer,
    CalendarYearCreateSerializer,
    CalendarYearSerializer,
    DueDateSerializer,
)
from yaojian.clocks.calculator import compute_due_date
from yaojian.clocks.calendar import CalendarNotCoveredError
from yaojian.clocks.permissions import CHANGE_CALENDAR

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: `errors` holds the messages per field.")),
    403: OpenApiResponse(description=_("Only administrators change the calendar.")),
    404: OpenApiResponse(description=_("The year or day is not in the calendar.")),
}


def _year_payload(row: selectors.YearRow) -> dict[str, Any]:
    return {
        "year": row.year.year,
        "status": row.year.status,
        "source": row.year.source,
        "holidays": row.holidays,
        "workdays": row.workdays,
    }


@extend_schema(tags=["calendar"])
class CalendarYearViewSet(viewsets.ViewSet):
    """Years covered by the holiday calendar (newest first), with their counts."""

    @extend_schema(responses={200: CalendarYearSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return Response([_year_payload(row) for row in selectors.years_overview()])

    @extend_schema(
        request=CalendarYearCreateSerializer, responses={201: CalendarYearSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        """Add a year (administrators); then add its days."""
        serializer = CalendarYearCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.add_calendar_year(actor=request.user, **serializer.validated_data)
        payload = {"year": row.year, "status": row.status, "source": row.source}
        return Response({**payload, "holidays": 0, "workdays": 0}, status=status.HTTP_201_CREATED)


YEAR_PARAMETER = OpenApiParameter("year", int, required=True, description=_("The year."))


@extend_schema(tags=["calendar"])
class CalendarDayViewSet(viewsets.ViewSet):
    """Days that differ from Monday–Friday: holidays and make-up working days (调休)."""

    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"

    @extend_schema(parameters=[YEAR_PARAMETER], responses={200: CalendarDaySerializer(many=True)})
    def list(self, request: Request) -> Response:
        """The listed days of ``?year=`` in date order."""
        query = serializers.IntegerField(min_value=2000, max_value=2100)
        try:
            year = query.run_validation(request.query_params.get("year"))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"year": error.detail}) from error
        days = selectors.days_of_year(year)
        return Response(CalendarDaySerializer(days, many=True).data)

    @extend_schema(
        request=CalendarDayCreateSerializer, responses={201: CalendarDaySerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        """List a holiday or a make-up working day (administrators)."""
        serializer = CalendarDayCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        day = services.add_calendar_day(actor=request.user, **serializer.validated_data)
        return Response(CalendarDaySerializer(day).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request: Request, date: str) -> Response:
        """Remove a listed day (administrators)."""
        parsed = serializers.DateField().run_validation(date)
        if not has_permission(request.user, CHANGE_CALENDAR):
            raise PermissionDenied(_("Only administrators may change the holiday calendar."))
        day = selectors.get_calendar_day(parsed)
        services.delete_calendar_day(actor=request.user, day=day)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["calendar"])
class AddWorkingDaysView(APIView):
    """The due date ``days`` working days after ``start`` (or calendar days rolled forward)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description=_("YYYY-MM-DD")),
            OpenApiParameter("days", int, required=True),
            OpenApiParameter("mode", str, enum=["working", "calendar"]),
        ],
        responses={200: DueDateSerializer, 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        query = CalculatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            result = compute_due_date(data["start"], data["days"], mode=data["mode"])
        except CalendarNotCoveredError as error:
            raise serializers.ValidationError({"start": [str(error)]}) from error
        return Response(DueDateSerializer(result).data)
