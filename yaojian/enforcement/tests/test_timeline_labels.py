"""The case timeline shows what happened in words, never an internal code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from yaojian.enforcement import steps
from yaojian.enforcement.tests.conftest import filed_case

SERVICES = Path(steps.__file__).parent / "services"


def test_every_step_the_services_write_has_a_label() -> None:
    written: set[str] = set()
    for path in SERVICES.glob("*.py"):
        written |= set(re.findall(r'action="([a-z_]+)"', path.read_text(encoding="utf-8")))

    assert written
    assert written - set(steps.STEP_LABELS) == set()


@pytest.mark.django_db
def test_the_timeline_shows_labels_not_codes(client: Any, office: Any, frozen: Any) -> None:
    case = filed_case(office)
    client.force_login(office.officer)

    with translation.override("zh-hans"):
        body = client.get(reverse("enforcement:case_detail", args=[case.public_id])).content
    timeline = body.decode().split('data-testid="case-timeline"')[1].split("</ol>")[0]
    visible = re.sub(r"<[^>]+>", "", timeline)

    assert "已立案" in visible
    assert "线索已登记" in visible
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", visible), visible
