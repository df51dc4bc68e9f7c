"""Project-wide pytest fixtures (see STYLE.md §17)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory

# Property tests check properties, not speed: on a shared 2-core machine a first call that
# builds a cached table (pinyin, OpenCC) can exceed Hypothesis's 200 ms deadline and flake.
hypothesis_settings.register_profile("yaojian", deadline=None)
hypothesis_settings.load_profile("yaojian")


def pytest_sessionstart(session: Any) -> None:
    """Compile the translation catalogs, so tests see the zh_Hans strings in any checkout."""
    from django.core.management import call_command
    from django.utils.translation import trans_real

    call_command("compile_catalogs", verbosity=0)
    # Django may have loaded (empty) catalogs during set-up: load them again.
    trans_real._translations = {}
    trans_real._default = None


def _ensure_regions() -> None:
    from yaojian.territory.models import Region
    from yaojian.territory.services import load_regions

    if not Region.objects.filter(code="540102").exists():
        load_regions(actor=None)
    _ensure_calendar()


def _ensure_calendar() -> None:
    from yaojian.clocks.models import CalendarYear
    from yaojian.clocks.reference import load_reference_calendar

    if not CalendarYear.objects.exists():
        load_reference_calendar()


# Reference data that migrations load (RunPython), by (app, migration, a model it fills).
REFERENCE_MIGRATIONS = (("notices", "0002_seed_categories_and_rules", "ProblemCategory"),)


def _ensure_reference_data() -> None:
    """Regions, the holiday calendar and the migrations' seed data, when missing."""
    import importlib

    from django.apps import apps
    from django.db.migrations.operations.special import RunPython

    _ensure_regions()
    for app_label, migration, model_name in REFERENCE_MIGRATIONS:
        if apps.get_model(app_label, model_name).objects.exists():
            continue
        module = importlib.import_module(f"yaojian.{app_label}.migrations.{migration}")
        for operation in module.Migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


def _reload_after_flush(sender: Any, **kwargs: Any) -> None:
    """A transactional test's flush empties every table; put the reference data back.

    Django sends ``post_migrate`` (once per app) after the flush that ends a
    TransactionTestCase or a ``transactional_db``/``live_server`` test.
    """
    if getattr(sender, "label", "") == "registry":
        _ensure_reference_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the reference data once per test database, and again after every flush."""
    from django.db.models.signals import post_migrate

    with django_db_blocker.unblock():
        _ensure_reference_data()
    post_migrate.connect(_reload_after_flush, dispatch_uid="yaojian-reference-data")


@pytest.fixture
def regions(db: Any) -> None:
    """Regions present (transactional tests flush them, so reload when needed)."""
    _ensure_regions()


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path_factory: Any) -> None:
    """Tasks run in-process and at once; static files need no manifest; media in a tmp dir."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # receivers in tests listen on loopback
    # Checkpoints of a test's (rolled-back) chain never land in the developer's var/.
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path_factory.mktemp("audit") / "checkpoints.jsonl")


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Any:
    """Each test reads the holiday calendar from its own database."""
    from yaojian.clocks.calendar import forget_calendar

    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture(autouse=True)
def _fresh_subdivisions() -> Any:
    """Each test reads the prefectures and counties from its own database."""
    from yaojian.territory.selectors import forget_subdivisions

    forget_subdivisions()
    yield
    forget_subdivisions()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language (a request may leave another active)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def user_in_department(db: Any, regions: None) -> Callable[..., Any]:
    """Make a user with one membership: ``user_in_department(role=..., region=..., kind=...)``."""

    def make(
        role: str = Role.INSPECTOR,
        region: str = "540102",
        kind: str = DepartmentKind.DRUG_REGULATOR,
        department: Any = None,
        **user_fields: Any,
    ) -> Any:
        if department is None:
            level = (
                DepartmentLevel.PROVINCE
                if region.endswith("0000")
                else DepartmentLevel.CITY
                if region.endswith("00")
                else DepartmentLevel.COUNTY
            )
            department = DepartmentFactory(region_id=region, kind=kind, level=level)
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, department=department, role=role)
        return user

    return make


@pytest.fixture
def system_user(db: Any) -> Any:
    """A superuser standing for the system."""
    return UserFactory(username="system", is_superuser=True, is_staff=True)


@pytest.fixture
def api_client_for() -> Callable[[Any], APIClient]:
    """An API client authenticated with the user's token (or anonymous for ``None``)."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def deliver_outbox() -> Callable[[], int]:
    """``deliver_outbox()`` runs every due hand-off of the event outbox now; returns how many.

    For tests whose on-commit callbacks did not run (a plain ``db`` test without
    ``django_capture_on_commit_callbacks(execute=True)``): the hand-offs are in the outbox,
    pending, and this delivers them as the worker would.
    """
    from yaojian.outbox.delivery import deliver_due

    return deliver_due
