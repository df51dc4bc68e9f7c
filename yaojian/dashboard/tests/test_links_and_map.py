"""A figure links only to lists the reader may open; the map has every province-level division."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from yaojian.dashboard.views import _without_closed_links

pytestmark = pytest.mark.django_db

GEO = Path(settings.BASE_DIR) / "static" / "vendor" / "geo"
REGIONS = Path(settings.BASE_DIR) / "yaojian" / "territory" / "data" / "regions.csv"


def test_every_figure_link_of_the_leaders_dashboard_opens(province: Any, client: Any) -> None:
    client.force_login(province.leader)
    html = client.get(reverse("dashboard:dashboard")).content.decode()
    links = set(re.findall(r'<a href="([^"]+)" data-testid="figure-link"', html))
    assert len(links) >= 5
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_rows_behind_a_permission_lose_their_link_for_a_leader(province: Any) -> None:
    rows = [
        {"key": "published", "url": "/portal/penalties/?region=540000", "permission": None},
        {
            "key": "draft",
            "url": "/portal/manage/?status=draft",
            "permission": "portal.publish_publication",
        },
    ]
    figures = [{"figure": None, "data": {"rows": rows, "total": 2}}]
    payload = {"figures": {"publications_by_status": {"rows": rows}}}
    held, shown, data = _without_closed_links(province.leader, figures, payload)
    assert held == []
    assert [r["url"] for r in shown[0]["data"]["rows"]] == ["/portal/penalties/?region=540000", ""]
    assert [r["url"] for r in data["figures"]["publications_by_status"]["rows"]] == [
        "/portal/penalties/?region=540000",
        "",
    ]
    held, shown, _data = _without_closed_links(province.head_a, figures, payload)
    assert held == ["portal.publish_publication"]
    assert shown is figures


def test_the_map_has_every_province_level_division_with_counties() -> None:
    with REGIONS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with_counties = {r["code"][:2] for r in rows if r["level"] == "county"}
    provinces = {r["code"][:2] for r in rows if r["level"] == "province"}
    assert {"31", "50"} <= with_counties
    for prefix in sorted(provinces & with_counties):
        path = GEO / f"{prefix}0000.json"
        assert path.exists(), path.name
    for prefix in ("31", "50"):
        data = json.loads((GEO / f"{prefix}0000.json").read_text(encoding="utf-8"))
        codes = {f["id"] for f in data["features"]}
        assert all(code.startswith(prefix) for code in codes)
        assert len(codes) >= 16


def test_answer_times_are_counted_in_the_database_by_the_local_day(province: Any) -> None:
    import datetime as dt

    from yaojian.dashboard.figures import _answer_times
    from yaojian.notices.choices import NoticeState
    from yaojian.notices.models import Notice
    from yaojian.notices.tests.factories import NoticeFactory

    created = dt.datetime(2026, 2, 20, 0, 0, tzinfo=dt.UTC)
    answers = (
        dt.datetime(2026, 2, 23, 0, 0, tzinfo=dt.UTC),  # 3 days, late
        dt.datetime(2026, 2, 21, 12, 0, tzinfo=dt.UTC),  # 1.5 days, in time
        dt.datetime(2026, 2, 22, 17, 0, tzinfo=dt.UTC),  # 02-23 01:00 in Beijing: late
    )
    ids = [
        NoticeFactory(
            sender=province.mpa,
            recipient=province.samr_b,
            state=NoticeState.ANSWERED,
            due_on=dt.date(2026, 2, 22),
            answered_at=answered,
        ).pk
        for answered in answers
    ]
    Notice.objects.filter(pk__in=ids).update(created_at=created)
    on_time, means = _answer_times(Notice.objects.filter(pk__in=ids))
    assert on_time == {province.samr_b.pk: 1}
    assert means == {province.samr_b.pk: 2.4}
