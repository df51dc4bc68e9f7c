"""A data steward's import, in a real browser (数据交换).

The steward of the county drug regulator uploads a licence register of three pharmacies, one
with an unknown region code. The import runs as a job on the database queue: the batch page
shows it queued with its progress bar and follows it (htmx polling) until a worker has run it;
then it shows 2 accepted and 1 rejected. The steward downloads the error report (the original
values, the line and the reason), fixes the row and uploads the file again: 1 accepted and 2
unchanged. The pharmacy's profile shows per field which department said it, in which batch.

Rows are made before the browser starts; the worker runs and the database is read only
between page actions.
"""

from __future__ import annotations

import io
import signal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)
from yaojian.exchange.models import ImportBatch
from yaojian.exchange.tests.factories import LICENCE_HEADERS, licence_row, xlsx_bytes
from yaojian.registry.models import Entity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _run_worker() -> None:
    """``manage.py db_worker --batch`` in-process (it installs signal handlers: restore them)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.fixture
def steward(regions, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    # This journey follows a queued import through the worker: small files would otherwise
    # be applied in the upload's request (EXCHANGE_INLINE_MAX_ROWS).
    settings.EXCHANGE_INLINE_MAX_ROWS = 0
    department = DepartmentFactory(
        code="MPA-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.DRUG_REGULATOR,
        region_id="540102",
        level=DepartmentLevel.COUNTY,
    )
    user = UserFactory(username="steward")
    MembershipFactory(user=user, department=department, role=Role.DATA_STEWARD)
    return user


def _upload(page, data: bytes, name: str) -> None:
    page.goto(reverse("exchange:upload"))
    page.locator("select[name=kind]").select_option("licence_register")
    page.locator("input[name=file]").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": data}
    )
    with page.expect_navigation():
        page.get_by_test_id("exchange-upload-submit").click()


def _watch_until_applied(page) -> None:
    status = page.get_by_test_id("batch-status")
    expect(status).to_have_attribute("data-status", "queued")
    progress = page.get_by_test_id("batch-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("aria-valuenow", "0")
    _run_worker()
    # The page polls every second and swaps the status in place (no reload).
    expect(page.get_by_test_id("batch-status")).to_have_attribute("data-status", "applied")


def test_steward_fixes_a_rejected_row_and_the_profile_shows_provenance(
    page, sign_in, screenshot, steward
):
    rows = [licence_row(n) for n in (1, 2, 3)]
    rows[1][3] = "549999"  # line 3: no such region
    sign_in("steward", TEST_PASSWORD)

    # Upload a file with an error and watch the import.
    _upload(page, xlsx_bytes(LICENCE_HEADERS, rows), "许可证登记.xlsx")
    _watch_until_applied(page)
    expect(page.get_by_test_id("count-accepted")).to_have_text("2")
    expect(page.get_by_test_id("count-rejected")).to_have_text("1")
    expect(page.locator("[data-testid=rejected-rows] tr[data-line='3']")).to_contain_text("549999")
    screenshot("exchange-batch-with-errors")

    # Download the error report: original values, line and reason.
    with page.expect_download() as download_info:
        page.get_by_test_id("error-report-download").click()
    report = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    values = [list(r) for r in report.worksheets[0].iter_rows(values_only=True)]
    body = [r for r in values[1:] if any(v not in (None, "") for v in r)]
    assert len(body) == 1
    assert body[0][0] == 3
    assert rows[1][0] in body[0]
    assert "549999" in body[0]
    assert any(isinstance(v, str) and "549999" in v and v != "549999" for v in body[0])

    # Fix the row, upload again: only the fixed row is applied.
    rows[1][3] = "540102"
    _upload(page, xlsx_bytes(LICENCE_HEADERS, rows), "许可证登记(修正).xlsx")
    _watch_until_applied(page)
    expect(page.get_by_test_id("count-accepted")).to_have_text("1")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("2")
    expect(page.get_by_test_id("count-rejected")).to_have_text("0")

    first, second = ImportBatch.objects.order_by("created_at")
    fixed = Entity.objects.get(name=rows[1][0])
    other = Entity.objects.get(name=rows[0][0])

    # The profile shows, per field, the department and the batch that said it.
    page.goto(reverse("registry:entity_detail", args=[fixed.public_id]))
    holding = page.locator("[data-testid=holding][data-department='MPA-540102']")
    expect(holding).to_be_visible()
    expect(holding.get_by_test_id("holding-freshness")).to_be_visible()
    name_row = holding.locator("tr[data-testid=provenance][data-field='name']")
    expect(name_row).to_have_attribute("data-batch", str(second.public_id))
    expect(name_row).to_contain_text("许可证登记(修正).xlsx")
    region_row = holding.locator("tr[data-testid=provenance][data-field='region']")
    expect(region_row).to_contain_text("540102")
    screenshot("exchange-profile-provenance")

    page.goto(reverse("registry:entity_detail", args=[other.public_id]))
    other_name = page.locator(
        "[data-testid=holding][data-department='MPA-540102'] "
        "tr[data-testid=provenance][data-field='name']"
    )
    expect(other_name).to_have_attribute("data-batch", str(first.public_id))
