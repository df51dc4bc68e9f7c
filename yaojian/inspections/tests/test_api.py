"""The inspections API: plans, draws, records, ratings — contract, authorization matrix,
side effects and query counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yaojian.accounts.choices import DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.inspections import services
from yaojian.inspections.models import Draw, Inspection, Plan

API = "/api/v1/inspections"
PLAN_BODY = {
    "year": 2026,
    "kind": "annual",
    "title": "2026年度药品零售双随机抽查",
    "items": ["ypjy_gsp"],
    "proportion": "20",
    "inspection_kind": "gsp_pharmacy",
}
ANSWERS = dict.fromkeys(("P01", "P02", "P03", "P04", "P05"), "yes")


@dataclass
class World:
    county: Any
    plan: Plan
    draw: Draw
    inspection: Inspection
    team: list[Any]
    outsider: Any  # an inspector not on the team
    steward: Any  # same department, no inspection permission
    other_head: Any  # head of another county's drug regulator
    province_leader: Any  # leader of the provincial regulator (oversees the county)
    other_plan: Plan


@pytest.fixture
def world(county: Any, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    plan = services.create_plan(
        actor=county.head, department=county.department, **{**PLAN_BODY, "proportion": "10"}
    )
    draw = services.make_draw(actor=county.head, plan=plan, seed="api-seed")
    drawn = draw.entities.order_by("position").first()
    assert drawn is not None
    inspection = services.start_from_assignment(actor=county.head, drawn=drawn)
    team = list(inspection.inspectors.order_by("username"))
    outsider = next(u for u in county.inspectors if u not in team)
    steward = UserFactory(username="steward1")
    MembershipFactory(user=steward, department=county.department, role=Role.DATA_STEWARD)
    other = DepartmentFactory(region_id="540202")
    other_head = UserFactory(username="head2")
    MembershipFactory(user=other_head, department=other, role=Role.DEPARTMENT_HEAD)
    for _n in range(2):
        MembershipFactory(user=UserFactory(), department=other, role=Role.INSPECTOR)
    other_plan = services.create_plan(actor=other_head, department=other, **PLAN_BODY)
    province = DepartmentFactory(region_id="540000", level=DepartmentLevel.PROVINCE)
    leader = UserFactory(username="leader1")
    MembershipFactory(user=leader, department=province, role=Role.LEADER)
    return World(
        county, plan, draw, inspection, team, outsider, steward, other_head, leader, other_plan
    )


def get(api_client_for: Any, user: Any, url: str) -> Any:
    return api_client_for(user).get(url)


# --- plans ----------------------------------------------------------------------------------


def test_plan_list_gives_the_department_s_plans_only(world: World, api_client_for: Any) -> None:
    response = get(api_client_for, world.county.head, f"{API}/plans/")
    assert response.status_code == 200
    assert [row["public_id"] for row in response.json()["results"]] == [str(world.plan.public_id)]
    row = response.json()["results"][0]
    assert row["department"] == world.county.department.code
    assert row["proportion"] == "10.00"
    assert row["draw_count"] == 1
    assert row["joint_departments"] == []


def test_plan_list_filters_by_year(world: World, api_client_for: Any) -> None:
    assert get(api_client_for, world.county.head, f"{API}/plans/?year=2025").json()["count"] == 0
    assert get(api_client_for, world.county.head, f"{API}/plans/?year=2026").json()["count"] == 1


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("steward", 403),  # same department, no inspections.view_plan
        ("other_head", 404),  # another county: as if it did not exist
        ("outsider", 200),  # an inspector of the department reads its plans
        ("province_leader", 200),  # the province oversees the county
        ("head", 200),
    ],
)
def test_plan_detail_matrix(world: World, api_client_for: Any, who: str, expected: int) -> None:
    user = _user(world, who)
    response = api_client_for(user).get(f"{API}/plans/{world.plan.public_id}/")
    assert response.status_code == expected
    if expected != 200:
        assert response.json()["code"] in {"not_authenticated", "permission_denied", "not_found"}


def test_a_malformed_plan_id_answers_404(world: World, api_client_for: Any) -> None:
    response = get(api_client_for, world.county.head, f"{API}/plans/not-a-uuid/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_head_creates_a_joint_plan(world: World, api_client_for: Any) -> None:
    # given
    body = {
        **PLAN_BODY,
        "department": str(world.county.department.public_id),
        "inspectors_per_entity": 2,
        "joint_departments": [str(world.county.market.public_id)],
        "scope": {"kinds": ["single_pharmacy"], "region": "540102", "due_only": False},
    }
    # when
    response = api_client_for(world.county.head).post(f"{API}/plans/", body, format="json")
    # then
    assert response.status_code == 201, response.content
    data = response.json()
    plan = Plan.objects.get(public_id=data["public_id"])
    assert data["joint_departments"] == [world.county.market.code]
    assert data["scope"] == {"kinds": ["single_pharmacy"], "region": "540102"}
    assert list(plan.joint_departments.all()) == [world.county.market]
    assert AuditEvent.objects.filter(action="inspections.plan_created").count() == 3


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("steward", 403), ("outsider", 403), ("province_leader", 403)],
)
def test_plan_create_matrix_writes_nothing(
    world: World, api_client_for: Any, who: str, expected: int
) -> None:
    plans, audits = Plan.objects.count(), AuditEvent.objects.count()
    response = api_client_for(_user(world, who)).post(f"{API}/plans/", PLAN_BODY, format="json")
    assert response.status_code == expected
    assert (Plan.objects.count(), AuditEvent.objects.count()) == (plans, audits)


def test_a_head_cannot_plan_for_another_department(world: World, api_client_for: Any) -> None:
    body = {**PLAN_BODY, "department": str(world.other_plan.department.public_id)}
    plans = Plan.objects.count()
    response = api_client_for(world.county.head).post(f"{API}/plans/", body, format="json")
    assert response.status_code == 403
    assert Plan.objects.count() == plans


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"proportion": "0"}, "proportion"),
        ({"items": ["nonsense"]}, "items.0"),
        ({"scope": {"region": "540202"}}, "scope"),  # outside the county
        ({"inspectors_per_entity": 1}, "inspectors_per_entity"),
        ({"joint_departments": ["00000000-0000-0000-0000-000000000000"]}, "joint_departments"),
    ],
)
def test_bad_plans_are_refused_per_field(
    world: World, api_client_for: Any, body: dict[str, Any], field: str
) -> None:
    plans = Plan.objects.count()
    response = api_client_for(world.county.head).post(
        f"{API}/plans/", {**PLAN_BODY, **body}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    assert Plan.objects.count() == plans


# --- draws ----------------------------------------------------------------------------------


def test_a_draw_with_the_same_seed_gives_the_same_result(world: World, api_client_for: Any) -> None:
    client = api_client_for(world.county.head)
    first = client.post(f"{API}/plans/{world.plan.public_id}/draws/", {"seed": "s-1"}, "json")
    again = client.post(f"{API}/plans/{world.plan.public_id}/draws/", {"seed": "s-1"}, "json")
    other = client.post(f"{API}/plans/{world.plan.public_id}/draws/", {"seed": "s-2"}, "json")
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 201)
    assert first.json()["seed"] == "s-1"
    assert first.json()["algorithm"] == "draw-v1"
    assert first.json()["drawn_count"] == 2  # ceil(20 entities × 10 %)
    assert first.json()["result_hash"] == again.json()["result_hash"]
    assert first.json()["result_hash"] != other.json()["result_hash"]
    results = client.get(f"{API}/draws/{first.json()['public_id']}/results/").json()
    assert results["count"] == 2
    assert [row["position"] for row in results["results"]] == [0, 1]
    assert len(results["results"][0]["team"]) == 2
    check = client.get(f"{API}/draws/{first.json()['public_id']}/verification/").json()
    assert check == {"verified": True, "reason": ""}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("steward", 403), ("outsider", 403), ("other_head", 404)],
)
def test_draw_matrix_writes_nothing(
    world: World, api_client_for: Any, who: str, expected: int
) -> None:
    draws, audits = Draw.objects.count(), AuditEvent.objects.count()
    response = api_client_for(_user(world, who)).post(
        f"{API}/plans/{world.plan.public_id}/draws/", {"seed": "x"}, format="json"
    )
    assert response.status_code == expected
    assert (Draw.objects.count(), AuditEvent.objects.count()) == (draws, audits)


def test_a_draw_the_inspector_pool_cannot_staff_is_refused_with_numbers(
    world: World, api_client_for: Any
) -> None:
    plan = services.create_plan(
        actor=world.county.head,
        department=world.county.department,
        **{**PLAN_BODY, "proportion": "100"},
        inspectors_per_entity=7,  # the department has six inspectors
    )
    response = api_client_for(world.county.head).post(
        f"{API}/plans/{plan.public_id}/draws/", {"seed": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["plan"] == ["检查人员库只有 6 人；每户需要 7 人。"]
    assert not Draw.objects.filter(plan=plan).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("steward", 403), ("other_head", 404), ("outsider", 200)],
)
def test_draw_read_matrix(world: World, api_client_for: Any, who: str, expected: int) -> None:
    client = api_client_for(_user(world, who))
    for suffix in ("", "results/", "verification/"):
        response = client.get(f"{API}/draws/{world.draw.public_id}/{suffix}")
        assert response.status_code == expected, suffix


def test_draw_list_is_scoped(world: World, api_client_for: Any) -> None:
    mine = get(api_client_for, world.county.head, f"{API}/draws/").json()
    theirs = get(api_client_for, world.other_head, f"{API}/draws/").json()
    assert [row["public_id"] for row in mine["results"]] == [str(world.draw.public_id)]
    assert theirs["count"] == 0


# --- inspection records ---------------------------------------------------------------------


def test_the_team_records_a_result_with_a_critical_finding(
    world: World, api_client_for: Any
) -> None:
    from yaojian.enforcement.models import Case

    # given
    body = {
        "answers": {**ANSWERS, "P05": "no"},
        "findings": [
            {
                "severity": "critical",
                "clause": "药品管理法 第98条",
                "description": "陈列过期药品",
                "item": "P05",
            }
        ],
        "conclusion": "failed",
        "signed_by": "店长",
    }
    # when
    response = api_client_for(world.team[0]).post(
        f"{API}/records/{world.inspection.public_id}/result/", body, format="json"
    )
    # then
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "recorded"
    assert data["findings"][0]["severity"] == "critical"
    assert data["publish_due_on"] is not None
    assert Case.objects.filter(entity=world.inspection.entity).count() == 1
    assert AuditEvent.objects.filter(action="inspections.inspection_recorded").count() == 1
    # and a second recording is refused
    again = api_client_for(world.team[0]).post(
        f"{API}/records/{world.inspection.public_id}/result/", body, format="json"
    )
    assert again.status_code == 400


def test_unanswered_mandatory_items_are_refused(world: World, api_client_for: Any) -> None:
    response = api_client_for(world.team[0]).post(
        f"{API}/records/{world.inspection.public_id}/result/",
        {"answers": {"P01": "yes"}, "conclusion": "passed", "signed_by": "店长"},
        format="json",
    )
    assert response.status_code == 400
    assert "answers" in response.json()["errors"]
    world.inspection.refresh_from_db()
    assert world.inspection.state == "planned"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("steward", 403),
        ("other_head", 404),
        ("outsider", 403),  # sees the department's inspection, is not on the team
        ("province_leader", 403),
    ],
)
def test_record_matrix_writes_nothing(
    world: World, api_client_for: Any, who: str, expected: int
) -> None:
    audits = AuditEvent.objects.count()
    response = api_client_for(_user(world, who)).post(
        f"{API}/records/{world.inspection.public_id}/result/",
        {"answers": ANSWERS, "conclusion": "passed", "signed_by": "店长"},
        format="json",
    )
    assert response.status_code == expected
    world.inspection.refresh_from_db()
    assert world.inspection.state == "planned"
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("steward", 403), ("other_head", 404), ("team", 200), ("head", 200)],
)
def test_record_read_matrix(world: World, api_client_for: Any, who: str, expected: int) -> None:
    response = api_client_for(_user(world, who)).get(f"{API}/records/{world.inspection.public_id}/")
    assert response.status_code == expected


def test_record_list_filters_by_state(world: World, api_client_for: Any) -> None:
    client = api_client_for(world.county.head)
    assert client.get(f"{API}/records/?state=planned").json()["count"] == 1
    assert client.get(f"{API}/records/?state=published").json()["count"] == 0
    assert client.get(f"{API}/records/?state=nonsense").status_code == 400
    assert api_client_for(world.other_head).get(f"{API}/records/").json()["count"] == 0


# --- ratings --------------------------------------------------------------------------------


def test_ratings_give_the_worksheet_and_are_scoped(world: World, api_client_for: Any) -> None:
    services.rate_all(prefix="540102")
    entity = world.county.entities[0]
    client = api_client_for(world.county.head)
    response = client.get(f"{API}/ratings/{entity.public_id}/")
    assert response.status_code == 200
    data = response.json()
    assert data["entity"] == str(entity.public_id)
    assert data["interval_months"] <= data["floor_months"]
    assert set(data["factors"]) >= {"kind", "classes", "critical", "major", "cases", "credit"}
    assert client.get(f"{API}/ratings/").json()["count"] == 20
    other = api_client_for(world.other_head)
    assert other.get(f"{API}/ratings/{entity.public_id}/").status_code == 404
    assert other.get(f"{API}/ratings/").json()["count"] == 0
    assert api_client_for(world.steward).get(f"{API}/ratings/").status_code == 403


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["plans/", "draws/", "records/", "ratings/", "draws/{draw}/results/"]
)
def test_lists_run_a_bounded_number_of_queries(
    world: World, api_client_for: Any, path: str
) -> None:
    services.rate_all(prefix="540102")
    for _n in range(3):
        services.make_draw(actor=world.county.head, plan=world.plan, seed=f"q{_n}")
    client = api_client_for(world.county.head)
    url = f"{API}/{path.format(draw=world.draw.public_id)}"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(captured) <= 12, [q["sql"] for q in captured.captured_queries]


def _user(world: World, who: str) -> Any:
    return {
        "anonymous": None,
        "steward": world.steward,
        "other_head": world.other_head,
        "outsider": world.outsider,
        "province_leader": world.province_leader,
        "head": world.county.head,
        "team": world.team[0] if world.team else None,
    }[who]


def test_a_team_member_opens_a_drawn_entity_s_inspection(world: World, api_client_for: Any) -> None:
    # given the second entity of the draw, not opened yet
    drawn = world.draw.entities.get(position=1)
    member = drawn.team.first().inspector
    url = f"{API}/draws/{world.draw.public_id}/results/1/start/"
    # when someone of the department who is not on its team tries, then its member
    outsider = next(
        u for u in world.county.inspectors if u.pk not in {a.inspector_id for a in drawn.team.all()}
    )
    refused = api_client_for(outsider).post(url)
    opened = api_client_for(member).post(url)
    again = api_client_for(member).post(url)
    # then only the member opens it, once
    assert refused.status_code == 403
    assert opened.status_code == 201
    assert opened.json()["state"] == "planned"
    assert again.json()["public_id"] == opened.json()["public_id"]
    assert Inspection.objects.filter(drawn=drawn).count() == 1
    assert (
        api_client_for(member)
        .post(f"{API}/draws/{world.draw.public_id}/results/99/start/")
        .status_code
        == 404
    )
    assert api_client_for(world.other_head).post(url).status_code == 404


# --- photos and files (on-site evidence) ----------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def upload(
    api_client_for: Any, user: Any, inspection: Inspection, content: bytes, name: str
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api_client_for(user).post(
        f"{API}/records/{inspection.public_id}/files/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("steward", 403),  # same department, no inspections.view_inspection
        ("other_head", 404),  # another county: as if it did not exist
        ("outsider", 403),  # sees the record, is not on its team
        ("province_leader", 403),  # oversees, does not record
        ("team", 201),
    ],
)
def test_file_upload_matrix(world: World, api_client_for: Any, who: str, expected: int) -> None:
    response = upload(api_client_for, _user(world, who), world.inspection, PNG, "现场.png")
    assert response.status_code == expected
    added = AuditEvent.objects.filter(action="inspections.file_added")
    if expected == 201:
        import hashlib

        body = response.json()
        assert body["sha256"] == hashlib.sha256(PNG).hexdigest()
        assert (body["name"], body["content_type"], body["size"], body["is_photo"]) == (
            "现场.png",
            "image/png",
            len(PNG),
            True,
        )
        assert added.count() == 1
    else:
        assert not world.inspection.attachments.exists()
        assert not added.exists()


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"MZ\x90\x00 not an image", "photo.jpg", "invalid_type"),  # the name says JPEG
        (b"", "empty.png", "empty"),
    ],
)
def test_a_file_that_is_not_a_photo_or_pdf_is_refused(
    world: World, api_client_for: Any, content: bytes, name: str, code: str
) -> None:
    response = upload(api_client_for, world.team[0], world.inspection, content, name)
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    assert not world.inspection.attachments.exists()
    assert not AuditEvent.objects.filter(action="inspections.file_added").exists()


def test_a_file_over_the_size_limit_is_refused(
    world: World, api_client_for: Any, settings: Any
) -> None:
    big = PNG + b"0" * (services.MAX_UPLOAD + 1 - len(PNG))
    response = upload(api_client_for, world.team[0], world.inspection, big, "big.png")
    assert response.status_code == 400
    assert "10 MB" in str(response.json())
    assert not world.inspection.attachments.exists()


def test_no_file_is_added_once_the_result_is_published(world: World, api_client_for: Any) -> None:
    Inspection.objects.filter(pk=world.inspection.pk).update(state="published")
    response = upload(api_client_for, world.team[0], world.inspection, PNG, "late.png")
    assert response.status_code == 400
    assert not world.inspection.attachments.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("steward", 403),
        ("other_head", 404),
        ("outsider", 200),  # the department reads its records
        ("province_leader", 200),
        ("team", 200),
    ],
)
def test_file_list_and_download_matrix(
    world: World, api_client_for: Any, who: str, expected: int
) -> None:
    import hashlib

    assert upload(api_client_for, world.team[0], world.inspection, PNG, "a.png").status_code == 201
    sha = hashlib.sha256(PNG).hexdigest()
    client = api_client_for(_user(world, who))
    listed = client.get(f"{API}/records/{world.inspection.public_id}/files/")
    assert listed.status_code == expected
    downloaded = client.get(f"{API}/records/{world.inspection.public_id}/files/{sha}/")
    assert downloaded.status_code == expected
    reads = AuditEvent.objects.filter(action="inspections.file_downloaded")
    if expected == 200:
        assert [row["sha256"] for row in listed.json()] == [sha]
        assert downloaded.content == PNG
        assert downloaded["Content-Type"] == "image/png"
        assert downloaded["X-Content-SHA256"] == sha
        event = reads.get()
        assert event.actor_id == _user(world, who).pk
        assert event.changes == {"file": "a.png", "sha256": sha, "purpose": "api"}
    else:
        assert not reads.exists()


def test_an_unknown_file_answers_404(world: World, api_client_for: Any) -> None:
    client = api_client_for(world.county.head)
    url = f"{API}/records/{world.inspection.public_id}/files/{'0' * 64}/"
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="inspections.file_downloaded").exists()


def test_a_file_of_another_inspection_is_not_reachable_through_this_one(
    world: World, api_client_for: Any
) -> None:
    import hashlib

    assert upload(api_client_for, world.team[0], world.inspection, PNG, "a.png").status_code == 201
    other = services.start_inspection(
        actor=world.county.head,
        entity=world.county.entities[5],
        department=world.county.department,
        kind="gsp_pharmacy",
        scheduled_on=world.inspection.scheduled_on,
        inspectors=world.team,
    )
    sha = hashlib.sha256(PNG).hexdigest()
    url = f"{API}/records/{other.public_id}/files/{sha}/"
    assert api_client_for(world.county.head).get(url).status_code == 404
