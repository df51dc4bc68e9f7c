"""The leadership dashboard: figures equal the lists behind them, scoping, empty regions."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.audit.models import AuditEvent
from yaojian.dashboard.models import Snapshot
from yaojian.dashboard.scope import dashboard_scope
from yaojian.dashboard.services import refresh_snapshot
from yaojian.dashboard.tests.conftest import member
from yaojian.enforcement import selectors as case_selectors
from yaojian.enforcement.choices import CaseStage
from yaojian.notices import selectors as notice_selectors
from yaojian.registry import selectors as registry_selectors

pytestmark = pytest.mark.django_db


def _figures(user: Any, region: str = "") -> dict[str, Any]:
    snapshot = refresh_snapshot(actor=None, scope=dashboard_scope(user, region))
    return snapshot.figures


def _rows(figure: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in figure["rows"]}


def test_provincial_figures_equal_the_lists_behind_them(province: Any) -> None:
    leader = province.leader
    figures = _figures(leader)
    stages = _rows(figures["cases_by_stage"])
    assert {k: r["value"] for k, r in stages.items() if r["value"]} == {
        CaseStage.VERIFICATION: 2,
        CaseStage.INVESTIGATION: 2,
        CaseStage.REVIEW: 1,
        CaseStage.CLOSED: 1,
    }
    for stage, row in stages.items():
        listed = case_selectors.department_cases(leader, {"stage": stage}).count()
        assert row["value"] == listed, stage
    counties = _rows(figures["cases_by_county"])
    assert {k: r["value"] for k, r in counties.items()} == {"540102": 4, "540103": 2}
    for code, row in counties.items():
        assert row["value"] == case_selectors.department_cases(leader, {"region": code}).count()
        assert row["url"] == f"/enforcement/cases/?region={code}"
    overdue = _rows(figures["overdue_cases_by_county"])
    assert {k: r["value"] for k, r in overdue.items()} == {"540102": 2, "540103": 1}
    for code, row in overdue.items():
        overdue_cases = case_selectors.department_cases(leader, {"region": code, "due": "overdue"})
        assert row["value"] == overdue_cases.count()
    entities = _rows(figures["entities_by_county"])
    assert {k: r["value"] for k, r in entities.items()} == {"540102": 4, "540103": 2}
    for code, row in entities.items():
        assert row["value"] == registry_selectors.search_entities(leader, region=code).count()
    notices = _rows(figures["notices_by_department"])
    assert notices["SAMR-540102"]["value"] == 2
    assert notices["SAMR-540102"]["received"] == 3
    assert notices["SAMR-540102"]["answered"] == 1
    assert notices["SAMR-540102"]["on_time"] == 1  # answered on 02-27, due 03-01
    assert notices["SAMR-540103"]["value"] == 0
    overdue_listed = notice_selectors.inbox(leader, overdue=True, department="SAMR-540102")
    assert overdue_listed.count() == 2
    assert notices["SAMR-540102"]["url"] == "/notices/?department=SAMR-540102&overdue=1"


def test_the_health_commission_case_is_not_the_drug_regulators(province: Any) -> None:
    figures = _figures(province.leader)
    assert figures["cases_by_stage"]["total"] == 6
    assert case_selectors.cases_visible_to(province.leader).count() == 6


def test_a_county_head_sees_only_the_county(province: Any, client: Any) -> None:
    head = province.head_a
    scope = dashboard_scope(head)
    assert scope.region.code == "540102"
    figures = _figures(head)
    assert {r["key"] for r in figures["cases_by_county"]["rows"]} == {"540102"}
    assert figures["cases_by_stage"]["total"] == 4
    assert {r["key"] for r in figures["notices_by_department"]["rows"]} == {"SAMR-540102"}
    client.force_login(head)
    assert client.get(reverse("dashboard:dashboard") + "?region=540103").status_code == 404
    assert client.get(reverse("dashboard:dashboard") + "?region=540000").status_code == 404
    assert client.get(reverse("dashboard:dashboard") + "?region=abc").status_code == 404


def test_inspectors_have_no_dashboard(province: Any, client: Any) -> None:
    client.force_login(province.inspector_a)
    assert client.get(reverse("dashboard:dashboard")).status_code == 403
    assert not Snapshot.objects.exists()


def test_an_empty_region_has_meaningful_empty_states(db: Any, regions: None, client: Any) -> None:
    department = DepartmentFactory(
        kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.PROVINCE, region_id="650000"
    )
    leader = member(department, Role.LEADER)
    client.force_login(leader)
    response = client.get(reverse("dashboard:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="figure-empty"') == len(Snapshot.objects.get().figures)
    figures = Snapshot.objects.get().figures
    assert figures["cases_by_stage"]["total"] == 0
    assert figures["notices_by_department"]["rows"] == []
    assert figures["penalties_by_kind"]["fines"] == "0"
    for path in ("dashboard:workbook", "dashboard:briefing"):
        assert client.get(reverse(path)).status_code == 200


def test_the_page_states_freshness_and_links_every_figure(province: Any, client: Any) -> None:
    client.force_login(province.leader)
    response = client.get(reverse("dashboard:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="dashboard-freshness"' in html
    assert "2026-03-04 09:00" in html
    assert 'href="/enforcement/cases/?region=540102"' in html
    assert 'href="/notices/?department=SAMR-540102&amp;overdue=1"' in html
    assert 'id="dashboard-data" type="application/json"' in html
    assert "<script>" not in html  # no inline script (CSP)


def test_refresh_is_audited_and_recomputes(province: Any, client: Any) -> None:
    client.force_login(province.leader)
    client.get(reverse("dashboard:dashboard"))
    assert AuditEvent.objects.filter(action="dashboard.snapshot_refreshed").count() == 0
    from yaojian.dashboard.tests.conftest import make_case

    make_case(province.samr_b, "540103", CaseStage.CLUE)
    response = client.post(reverse("dashboard:refresh") + "?region=540000")
    assert response.status_code == 302
    assert Snapshot.objects.get().figures["cases_by_stage"]["total"] == 7
    assert AuditEvent.objects.filter(action="dashboard.snapshot_refreshed").count() == 1


def test_dashboard_query_count_is_bounded(
    province: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(province.leader)
    client.get(reverse("dashboard:dashboard"))  # computes the snapshot once
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dashboard:dashboard")).status_code == 200


def test_workbook_and_briefing(province: Any, client: Any) -> None:
    client.force_login(province.leader)
    response = client.get(reverse("dashboard:workbook"))
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(response.content))
    assert book.worksheets[0]["B1"].value == "西藏自治区"
    titles = [sheet["A1"].value for sheet in book.worksheets[1:]]
    # one sheet per figure: the dashboard's own and those other apps register
    assert {"监管对象（按类型）", "监管对象（按区县）", "案件（按阶段）"} <= set(titles)
    assert len(titles) == len(set(titles))
    pdf = client.get(reverse("dashboard:briefing"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
