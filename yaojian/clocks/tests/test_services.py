"""Calendar maintenance services: rules, permission, audit, cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.clocks import services
from yaojian.clocks.calendar import CalendarNotCoveredError, add_working_days, is_working_day
from yaojian.clocks.models import CalendarDay, CalendarYear, DayKind, YearStatus


@pytest.fixture
def admin(user_in_department):
    return user_in_department(role=Role.ADMINISTRATOR)


def test_add_day_changes_working_day_arithmetic_at_once(admin):
    # given: 2026-03-10 (Tuesday) is an ordinary working day, already cached
    assert is_working_day(dt.date(2026, 3, 10))
    # when
    services.add_calendar_day(
        actor=admin, date=dt.date(2026, 3, 10), kind=DayKind.HOLIDAY, name="测试假日"
    )
    # then
    assert not is_working_day(dt.date(2026, 3, 10))
    event = AuditEvent.objects.get(action="clocks.calendar_day_added")
    assert event.object_id == "2026-03-10"


def test_make_up_working_day_must_be_a_weekend(admin):
    with pytest.raises(ValidationError) as error:
        services.add_calendar_day(actor=admin, date=dt.date(2026, 3, 11), kind=DayKind.WORKDAY)
    assert "kind" in error.value.message_dict
    assert not CalendarDay.objects.filter(date=dt.date(2026, 3, 11)).exists()
    assert not AuditEvent.objects.filter(action__startswith="clocks.").exists()


def test_holiday_on_a_weekend_is_allowed(admin):
    day = services.add_calendar_day(actor=admin, date=dt.date(2026, 3, 14), kind=DayKind.HOLIDAY)
    assert day.kind == DayKind.HOLIDAY


def test_make_up_saturday_becomes_a_working_day(admin):
    services.add_calendar_day(actor=admin, date=dt.date(2026, 3, 14), kind=DayKind.WORKDAY)
    assert is_working_day(dt.date(2026, 3, 14))


def test_day_needs_its_year_in_the_calendar(admin):
    with pytest.raises(ValidationError) as error:
        services.add_calendar_day(actor=admin, date=dt.date(2029, 5, 1), kind=DayKind.HOLIDAY)
    assert "date" in error.value.message_dict


def test_duplicate_day_is_refused(admin):
    with pytest.raises(ValidationError) as error:
        services.add_calendar_day(actor=admin, date=dt.date(2026, 1, 1), kind=DayKind.HOLIDAY)
    assert "date" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.DEPARTMENT_HEAD, Role.DATA_STEWARD])
def test_only_administrators_change_the_calendar(user_in_department, role):
    user = user_in_department(role=role)
    with pytest.raises(PermissionDenied):
        services.add_calendar_day(actor=user, date=dt.date(2026, 3, 14), kind=DayKind.HOLIDAY)
    with pytest.raises(PermissionDenied):
        services.add_calendar_year(actor=user, year=2028)
    with pytest.raises(PermissionDenied):
        services.delete_calendar_day(actor=user, day=CalendarDay.objects.first())
    assert not AuditEvent.objects.filter(action__startswith="clocks.").exists()


def test_add_year_then_it_is_covered(admin):
    with pytest.raises(CalendarNotCoveredError):
        add_working_days(dt.date(2028, 3, 1), 1)
    services.add_calendar_year(
        actor=admin, year=2028, status=YearStatus.PROVISIONAL, source="法定节假日"
    )
    assert add_working_days(dt.date(2028, 3, 1), 1) == dt.date(2028, 3, 2)
    with pytest.raises(ValidationError):
        services.add_calendar_year(actor=admin, year=2028)
    assert AuditEvent.objects.filter(action="clocks.calendar_year_added").count() == 1


def test_update_year_status(admin):
    year = CalendarYear.objects.get(year=2027)
    services.update_calendar_year(
        actor=admin, year=year, status=YearStatus.OFFICIAL, source="国办发明电"
    )
    year.refresh_from_db()
    assert (year.status, year.source) == (YearStatus.OFFICIAL, "国办发明电")
    event = AuditEvent.objects.get(action="clocks.calendar_year_changed")
    assert event.changes["status"] == [YearStatus.PROVISIONAL, YearStatus.OFFICIAL]


def test_update_and_delete_day(admin):
    day = CalendarDay.objects.get(date=dt.date(2026, 1, 1))
    services.update_calendar_day(actor=admin, day=day, kind=DayKind.HOLIDAY, name="元旦节")
    assert CalendarDay.objects.get(date=day.date).name == "元旦节"
    services.delete_calendar_day(actor=admin, day=day)
    assert is_working_day(dt.date(2026, 1, 1))
    assert AuditEvent.objects.get(action="clocks.calendar_day_removed").object_id == "2026-01-01"


CSV_2028 = """date,kind,name
2028-01-01,holiday,元旦
2028-01-29,workday,春节调休
2028-01-26,holiday,春节
"""


def test_import_year_from_csv(admin):
    row = services.import_calendar_year(
        actor=admin, year=2028, text=CSV_2028, status=YearStatus.OFFICIAL, source="通知"
    )
    assert row.year == 2028
    assert list(CalendarDay.objects.filter(date__year=2028).values_list("date", "kind")) == [
        (dt.date(2028, 1, 1), "holiday"),
        (dt.date(2028, 1, 26), "holiday"),
        (dt.date(2028, 1, 29), "workday"),
    ]
    assert is_working_day(dt.date(2028, 1, 29))
    # importing again replaces the year's days
    services.import_calendar_year(actor=admin, year=2028, text="2028-05-01,holiday,劳动节\n")
    assert CalendarDay.objects.filter(date__year=2028).count() == 1
    assert AuditEvent.objects.filter(action="clocks.calendar_year_imported").count() == 2


def test_import_rejects_the_whole_file_on_one_bad_line(admin):
    text = CSV_2028 + "2028-02-02,workday,周三调休\n2027-12-31,holiday,跨年\nnot-a-date,holiday,x\n"
    with pytest.raises(ValidationError) as error:
        services.import_calendar_year(actor=admin, year=2028, text=text)
    problems = error.value.message_dict["file"]
    assert len(problems) == 3
    assert not CalendarYear.objects.filter(year=2028).exists()
    assert not CalendarDay.objects.filter(date__year=2028).exists()
