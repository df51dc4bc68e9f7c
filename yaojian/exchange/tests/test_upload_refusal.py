"""A file whose import could not succeed is refused at upload, on every path, with one message.

Header only, or a cell over the limit: the page, the API and ``manage.py import_file`` answer
the same sentence (in the request's language) and leave no batch, job, audit event or stored
file behind.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from yaojian.audit.models import AuditEvent
from yaojian.exchange.models import ImportBatch
from yaojian.exchange.tests.conftest import department_of
from yaojian.exchange.tests.factories import LICENCE_HEADERS, csv_bytes, licence_row, xlsx_bytes
from yaojian.jobs.models import Job

pytestmark = pytest.mark.django_db

NO_ROWS = {
    "en": "The file has a header but no rows.",
    "zh-hans": "文件只有表头，没有数据行。",
}
TOO_LONG = {
    "en": (
        "Line 3 has a cell longer than 10000 characters, more than any column may hold. "
        "Check the file: an unclosed quotation mark joins many cells into one."
    ),
    "zh-hans": "第 3 行有一个单元格超过 10000 个字符，超出任何一列的容量。请检查文件：未闭合的引号会把许多单元格连成一个。",
}


def _long_cell(length: int) -> list[Any]:
    return licence_row(2, address="北" * length)


FILES = {
    "header-only.xlsx": (xlsx_bytes(LICENCE_HEADERS, []), NO_ROWS),
    "header-only.csv": (csv_bytes(LICENCE_HEADERS, []), NO_ROWS),
    "header-and-blank-lines.csv": (csv_bytes(LICENCE_HEADERS, [[""] * 11, []]), NO_ROWS),
    "long-cell.xlsx": (xlsx_bytes(LICENCE_HEADERS, [licence_row(1), _long_cell(10001)]), TOO_LONG),
    "long-cell.csv": (csv_bytes(LICENCE_HEADERS, [licence_row(1), _long_cell(10001)]), TOO_LONG),
    # Past the csv module's own field limit (131072): the same sentence, not its error text.
    "huge-cell.csv": (csv_bytes(LICENCE_HEADERS, [licence_row(1), _long_cell(200_000)]), TOO_LONG),
}


def _uploads() -> set[Path]:
    return set((Path(settings.MEDIA_ROOT)).rglob("*"))


def _assert_nothing_written(before: set[Path]) -> None:
    assert ImportBatch.objects.count() == 0
    assert Job.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="exchange.").count() == 0
    assert _uploads() - before == set()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_page_refuses_the_file_under_the_file_field(client, steward, name, language):
    data, messages = FILES[name]
    client.force_login(steward)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = _uploads()
    response = client.post(
        reverse("exchange:upload"),
        {"kind": "licence_register", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"file": [messages[language]]}
    assert messages[language] in response.content.decode()
    _assert_nothing_written(before)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_api_refuses_the_file_with_400(api_client_for, steward, name, language):
    data, messages = FILES[name]
    before = _uploads()
    response = api_client_for(steward).post(
        "/api/v1/exchange/imports/",
        {"kind": "licence_register", "file": SimpleUploadedFile(name, data)},
        format="multipart",
        headers={"Accept-Language": language},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == {"file": [messages[language]]}
    _assert_nothing_written(before)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_command_refuses_the_file(steward, tmp_path, name, language):
    data, messages = FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    before = _uploads()
    out = StringIO()
    with translation.override(language), pytest.raises(CommandError) as refused:
        call_command(
            "import_file",
            "licence_register",
            str(path),
            "--department",
            department_of(steward).code,
            "--user",
            steward.username,
            stdout=out,
        )
    assert str(refused.value) == messages[language]
    assert out.getvalue() == ""
    _assert_nothing_written(before)


def test_a_file_with_rows_still_imports_and_counts_them_exactly(
    api_client_for, steward, django_capture_on_commit_callbacks
):
    rows = [licence_row(1), [""] * 11, licence_row(2), licence_row(3, address="北" * 255)]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(steward).post(
            "/api/v1/exchange/imports/",
            {
                "kind": "licence_register",
                "file": SimpleUploadedFile("ok.csv", csv_bytes(LICENCE_HEADERS, rows)),
            },
            format="multipart",
        )
    assert response.status_code == 202
    batch = ImportBatch.objects.get()
    assert (batch.total_rows, batch.accepted_count) == (3, 3)
