"""Pages of the holiday calendar: the years, a year month by month, the due-date calculator.

Everyone signed in reads; administrators (``clocks.change_calendarday``) change. Changes on
the year page use htmx and answer the ``#year-days`` partial (422 with errors in place);
without htmx they are plain forms that redirect back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yaojian.accounts.scoping import has_permission
from yaojian.clocks import selectors, services
from yaojian.clocks.calculator import compute_due_date
from yaojian.clocks.calendar import CalendarNotCoveredError
from yaojian.clocks.forms import (
    CalculatorForm,
    CalendarDayForm,
    CalendarImportForm,
    CalendarYearChangeForm,
    CalendarYearForm,
)
from yaojian.clocks.models import CalendarDay, CalendarYear
from yaojian.clocks.permissions import CHANGE_CALENDAR
from yaojian.clocks.schedule import next_runs
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, template_for


def _can_change(request: HttpRequest) -> bool:
    return has_permission(request.user, CHANGE_CALENDAR)


def _require_change(request: HttpRequest) -> None:
    if not _can_change(request):
        raise PermissionDenied


def _calculator_context(form: CalculatorForm) -> dict[str, Any]:
    context: dict[str, Any] = {"calculator_form": form, "result": None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            context["result"] = compute_due_date(data["start"], data["days"], mode=data["mode"])
        except (ValueError, CalendarNotCoveredError) as error:
            form.add_error(None, str(error))
    return context


def _list_context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    return {
        "rows": selectors.years_overview(),
        "can_change": _can_change(request),
        "year_form": forms.get("year_form") or CalendarYearForm(),
        "import_form": forms.get("import_form") or CalendarImportForm(),
        **_calculator_context(forms.get("calculator_form") or CalculatorForm()),
    }


@require_GET
def year_list(request: HttpRequest) -> HttpResponse:
    """The covered years with their counts and status."""
    return render(
        request,
        template_for(request, "clocks/year_list.html", "year-table"),
        _list_context(request),
    )


@require_POST
def year_create(request: HttpRequest) -> HttpResponse:
    """Add a year (administrators)."""
    _require_change(request)
    form = CalendarYearForm(request.POST)
    if form.is_valid():
        try:
            row = services.add_calendar_year(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Year %(year)s was added.") % {"year": row.year})
            return redirect("clocks:year_detail", year=row.year)
    return render(
        request,
        "clocks/year_list.html",
        _list_context(request, year_form=form),
        status=UNPROCESSABLE,
    )


@require_POST
def year_import(request: HttpRequest) -> HttpResponse:
    """Import a year's days from a CSV file (administrators)."""
    _require_change(request)
    form = CalendarImportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.import_calendar_year(
                actor=request.user,
                year=data["year"],
                text=data["file"],
                status=data["status"],
                source=data["source"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Year %(year)s was imported.") % {"year": row.year})
            return redirect("clocks:year_detail", year=row.year)
    return render(
        request,
        "clocks/year_list.html",
        _list_context(request, import_form=form),
        status=UNPROCESSABLE,
    )


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    """Start date + N days → the due date and the days skipped (htmx: the result only)."""
    form = CalculatorForm(request.GET or None)
    context = _calculator_context(form)
    status = UNPROCESSABLE if form.is_bound and form.errors else 200
    return render(
        request,
        template_for(request, "clocks/calculator.html", "calculator-result"),
        context,
        status=status,
    )


def _year(year: int) -> CalendarYear:
    try:
        return selectors.get_calendar_year(year)
    except CalendarYear.DoesNotExist as error:
        raise Http404 from error


def _detail_context(request: HttpRequest, row: CalendarYear, **forms: Any) -> dict[str, Any]:
    return {
        "calendar_year": row,
        "months": selectors.year_months(row.year),
        "days": selectors.days_of_year(row.year),
        "can_change": _can_change(request),
        "day_form": forms.get("day_form") or CalendarDayForm(),
        "change_form": forms.get("change_form")
        or CalendarYearChangeForm(initial={"status": row.status, "source": row.source}),
        **_calculator_context(CalculatorForm(initial={"start": dt.date(row.year, 1, 1)})),
    }


@require_GET
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """A year month by month, holidays and make-up working days marked."""
    row = _year(year)
    return render(
        request,
        template_for(request, "clocks/year_detail.html", "year-days"),
        _detail_context(request, row),
    )


def _days_response(
    request: HttpRequest, row: CalendarYear, *, status: int = 200, **forms: Any
) -> HttpResponse:
    if is_partial(request):
        return render(
            request,
            "clocks/year_detail.html#year-days",
            _detail_context(request, row, **forms),
            status=status,
        )
    if status == 200:
        return redirect("clocks:year_detail", year=row.year)
    return render(
        request, "clocks/year_detail.html", _detail_context(request, row, **forms), status=status
    )


@require_POST
def year_update(request: HttpRequest, year: int) -> HttpResponse:
    """Change a year's status and source (administrators)."""
    _require_change(request)
    row = _year(year)
    form = CalendarYearChangeForm(request.POST)
    if form.is_valid():
        try:
            row = services.update_calendar_year(actor=request.user, year=row, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _days_response(request, row)
    return _days_response(request, row, status=UNPROCESSABLE, change_form=form)


@require_POST
def day_create(request: HttpRequest, year: int) -> HttpResponse:
    """List a holiday or make-up working day in ``year`` (administrators)."""
    _require_change(request)
    row = _year(year)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["date"].year != row.year:
            form.add_error("date", _("Choose a day of %(year)s.") % {"year": row.year})
        else:
            try:
                services.add_calendar_day(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _days_response(request, row)
    return _days_response(request, row, status=UNPROCESSABLE, day_form=form)


@require_POST
def day_delete(request: HttpRequest, date: str) -> HttpResponse:
    """Remove a listed day (administrators)."""
    _require_change(request)
    try:
        day = selectors.get_calendar_day(dt.date.fromisoformat(date))
    except (ValueError, CalendarDay.DoesNotExist) as error:
        raise Http404 from error
    services.delete_calendar_day(actor=request.user, day=day)
    return _days_response(request, _year(day.date.year))


@require_GET
def scheduler_status(request: HttpRequest) -> HttpResponse:
    """The registered periodic tasks and when each was last enqueued (administrators)."""
    _require_change(request)
    return render(request, "clocks/scheduler.html", {"runs": next_runs()})
