"""The periodic scheduler: due ticks are enqueued once, however many schedulers run."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import task

from yaojian.clocks import schedule
from yaojian.clocks.models import PeriodicRun

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
RUNS: list[str] = []


@task()
def note_run_task() -> None:
    RUNS.append("ran")


@pytest.fixture
def only_test_task():
    saved = dict(schedule._registry)
    schedule._registry.clear()
    RUNS.clear()
    schedule.register_periodic(
        "test.note", note_run_task, every=dt.timedelta(minutes=10), label="Note a run"
    )
    yield
    schedule._registry.clear()
    schedule._registry.update(saved)


def test_apps_register_their_periodic_tasks():
    names = {p.name for p in schedule.registered()}
    assert {"jobs.fail_stale_jobs", "webhooks.send_due_deliveries"} <= names


@pytest.mark.django_db
def test_due_task_is_enqueued_once_per_interval(only_test_task, django_capture_on_commit_callbacks):
    def tick() -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            return schedule.run_due()

    with time_machine.travel(T0, tick=False) as traveller:
        assert tick() == ["test.note"]
        # a second scheduler process in the same tick finds nothing to do
        assert tick() == []
        traveller.shift(dt.timedelta(minutes=9, seconds=59))
        assert tick() == []
        traveller.shift(dt.timedelta(seconds=1))
        assert tick() == ["test.note"]
    assert RUNS == ["ran", "ran"]
    assert PeriodicRun.objects.get(name="test.note").last_enqueued_at == T0 + dt.timedelta(
        minutes=10
    )


@pytest.mark.django_db
def test_claim_is_a_conditional_update(only_test_task):
    # given: another scheduler claimed this tick a moment ago
    PeriodicRun.objects.create(name="test.note", last_enqueued_at=T0)
    with time_machine.travel(T0 + dt.timedelta(seconds=3), tick=False):
        assert schedule.run_due() == []
    assert RUNS == []


@pytest.mark.django_db
def test_run_scheduler_once(only_test_task, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue() == "Enqueued test.note.\n"
    assert RUNS == ["ran"]


def test_register_refuses_bad_input():
    with pytest.raises(ValueError, match="once a second"):
        schedule.register_periodic("x", note_run_task, every=dt.timedelta(0), label="x")
    with pytest.raises(TypeError):
        schedule.register_periodic("x", lambda: None, every=dt.timedelta(minutes=1), label="x")


@pytest.mark.django_db
def test_load_calendar_is_idempotent():
    out = StringIO()
    call_command("load_calendar", stdout=out)
    assert out.getvalue() == "Holiday calendar: 0 year(s) and day(s) added.\n"


@pytest.mark.django_db
def test_stale_calendar_check_is_info_before_december_and_warning_after():
    from yaojian.clocks.checks import check_calendar_covers_next_year
    from yaojian.clocks.models import CalendarYear

    CalendarYear.objects.filter(year=2027).delete()
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC)):
        messages = check_calendar_covers_next_year()
        assert [m.id for m in messages] == ["clocks.I001"]
    with time_machine.travel(dt.datetime(2026, 12, 2, tzinfo=dt.UTC)):
        assert [m.id for m in check_calendar_covers_next_year()] == ["clocks.W001"]
    with time_machine.travel(dt.datetime(2025, 12, 2, tzinfo=dt.UTC)):
        assert check_calendar_covers_next_year() == []


@pytest.mark.django_db
def test_tick_claimed_but_not_enqueued_is_retried_not_lost(
    only_test_task, django_capture_on_commit_callbacks
):
    # given: a scheduler claimed the tick and died before the task reached the queue
    PeriodicRun.objects.create(name="test.note", last_enqueued_at=T0, enqueued=False)
    with time_machine.travel(T0 + schedule.STRANDED_AFTER - dt.timedelta(seconds=1), tick=False):
        # a moment later: it may still be enqueuing, so nobody steps in
        assert schedule.run_due() == []
        assert schedule.stranded() == ["test.note"]
    # when: another scheduler ticks once the claim is stale
    later = T0 + schedule.STRANDED_AFTER
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert schedule.run_due() == ["test.note"]
    # then: enqueued (it ran) and marked so
    assert RUNS == ["ran"]
    run = PeriodicRun.objects.get(name="test.note")
    assert (run.last_enqueued_at, run.enqueued) == (later, True)
    assert schedule.stranded() == []


@pytest.mark.django_db
def test_enqueue_that_fails_leaves_the_tick_to_be_retried(
    only_test_task, settings, django_capture_on_commit_callbacks
):
    # given: the task backend refuses the task (its only queue is another one)
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["elsewhere"],
        }
    }
    with (
        time_machine.travel(T0, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert schedule.run_due() == ["test.note"]
    # then: nothing ran, and the tick is not marked enqueued: a later tick retries it
    assert RUNS == []
    assert PeriodicRun.objects.get(name="test.note").enqueued is False
    assert schedule.stranded() == ["test.note"]
