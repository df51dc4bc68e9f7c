"""Pages: the authorization matrix (another county gets 404), the record on a phone, the public
results page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.enforcement.models import Case
from yaojian.inspections import services
from yaojian.inspections.models import Draw, Inspection
from yaojian.inspections.tests.test_services import ALL_YES, PNG, plan_for, scheduled


@pytest.fixture
def stranger(user_in_department: Any) -> Any:
    """A department head of another county (林周县)."""
    return user_in_department(role=Role.DEPARTMENT_HEAD, region="540121")


def test_another_county_gets_404_for_plans_draws_inspections_and_worksheets(
    client: Any, county: Any, stranger: Any
) -> None:
    plan = plan_for(county)
    draw = services.make_draw(actor=county.head, plan=plan, seed="s")
    inspection = scheduled(county)
    client.force_login(stranger)
    for url in (
        reverse("inspections:plan_detail", args=[plan.public_id]),
        reverse("inspections:draw_detail", args=[draw.public_id]),
        reverse("inspections:inspection_detail", args=[inspection.public_id]),
        reverse("inspections:inspection_record", args=[inspection.public_id]),
        reverse("inspections:worksheet", args=[county.entities[0].public_id]),
        reverse("inspections:entity_panel", args=[county.entities[0].public_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("inspections:draw_make", args=[plan.public_id])).status_code == 404
    assert (
        client.post(
            reverse("inspections:inspection_publish", args=[inspection.public_id])
        ).status_code
        == 404
    )
    assert Draw.objects.count() == 1


def test_an_inspector_sees_the_department_plans_and_own_assignments_but_cannot_draw(
    client: Any, county: Any
) -> None:
    plan = plan_for(county)
    draw = services.make_draw(actor=county.head, plan=plan, seed="s")
    drawn = draw.entities.prefetch_related("team").first()
    member = drawn.team.first().inspector
    outsider = next(
        u for u in county.inspectors if u.pk not in {a.inspector_id for a in drawn.team.all()}
    )
    client.force_login(member)
    assert client.get(reverse("inspections:plan_detail", args=[plan.public_id])).status_code == 200
    assert client.post(reverse("inspections:draw_make", args=[plan.public_id])).status_code == 404
    page = client.get(reverse("inspections:my_assignments"))
    assert drawn.entity.name in page.content.decode()
    response = client.get(reverse("inspections:assignment_start", args=[drawn.pk]))
    assert response.status_code == 302
    inspection = Inspection.objects.get(drawn=drawn)
    client.force_login(outsider)
    assert client.get(reverse("inspections:assignment_start", args=[drawn.pk])).status_code == 404
    assert (
        client.get(
            reverse("inspections:inspection_record", args=[inspection.public_id])
        ).status_code
        == 404
    )


def test_a_head_draws_from_the_page_and_sees_the_seed_and_verification(
    client: Any, county: Any
) -> None:
    plan = plan_for(county)
    client.force_login(county.head)
    response = client.post(
        reverse("inspections:draw_make", args=[plan.public_id]), {"seed": "page-seed"}
    )
    draw = Draw.objects.get()
    assert response.status_code == 302
    page = client.get(
        reverse("inspections:draw_detail", args=[draw.public_id]) + "?verify=1"
    ).content.decode()
    assert "page-seed" in page
    assert 'data-testid="verified"' in page


def test_a_draw_refused_for_a_small_pool_answers_422(client: Any, county: Any) -> None:
    plan = plan_for(county, inspectors_per_entity=6, joint_departments=[])
    for inspector in county.inspectors[:1]:
        inspector.is_active = False
        inspector.save()
    client.force_login(county.head)
    response = client.post(reverse("inspections:draw_make", args=[plan.public_id]), {"seed": "x"})
    assert response.status_code == 422
    assert Draw.objects.count() == 0


def test_recording_on_the_page_with_a_critical_finding_and_a_photo(
    client: Any, county: Any
) -> None:
    inspection = scheduled(county)
    client.force_login(county.inspectors[0])
    data: dict[str, Any] = {f"answer_{k}": v for k, v in ALL_YES.items()}
    data.update(
        inspected_on="2026-11-02",
        conclusion="failed",
        signed_by="张三",
        finding1_severity="critical",
        finding1_clause="药品管理法 第98条",
        finding1_description="销售过期药品",
        attachments=SimpleUploadedFile("p.png", PNG, content_type="image/png"),
    )
    response = client.post(
        reverse("inspections:inspection_record", args=[inspection.public_id]), data
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == "recorded"
    assert Case.objects.get().source == "inspection"
    pdf = client.get(reverse("inspections:inspection_pdf", args=[inspection.public_id]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_recording_with_a_missing_mandatory_item_answers_422(client: Any, county: Any) -> None:
    inspection = scheduled(county)
    client.force_login(county.inspectors[0])
    response = client.post(
        reverse("inspections:inspection_record", args=[inspection.public_id]),
        {
            "inspected_on": "2026-11-02",
            "conclusion": "passed",
            "signed_by": "张三",
            "answer_P01": "yes",
        },
    )
    assert response.status_code == 422
    assert "P02" in response.content.decode()


def test_published_results_appear_on_the_public_site(client: Any, county: Any) -> None:
    recorded = services.record_inspection(
        actor=county.inspectors[0],
        inspection=scheduled(county),
        answers=ALL_YES,
        conclusion="passed",
        signed_by="张三",
        inspected_on=dt.date(2026, 11, 2),
    )
    url = reverse("portal:inspection_results")
    assert county.entities[0].name not in client.get(url).content.decode()
    services.publish_inspection(actor=county.head, inspection=recorded)
    assert county.entities[0].name in client.get(url).content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "coverage",
        "due_list",
        "plan_list",
        "plan_create",
        "inspection_list",
        "sample_list",
        "capacity",
        "my_assignments",
    ],
)
def test_pages_render_for_the_head(client: Any, county: Any, name: str) -> None:
    services.rate_entities([e.pk for e in county.entities])
    client.force_login(county.head)
    params = "?inspectors=6&year_hours=1000&proportions=3,5" if name == "capacity" else ""
    assert client.get(reverse(f"inspections:{name}") + params).status_code == 200


def test_entity_panel_shows_cell_and_officers_with_dates(client: Any, county: Any) -> None:
    from yaojian.territory.services import assign_officers

    services.place_entities(actor=county.head, county_code="540102")
    assign_officers(actor=county.head, cell=county.cells[0], officers=[county.inspectors[0]])
    client.force_login(county.head)
    page = client.get(
        reverse("inspections:entity_panel", args=[county.entities[0].public_id])
    ).content.decode()
    assert "八廓街道网格" in page
    assert county.inspectors[0].username in page or county.inspectors[0].full_name in page


def test_a_photo_is_listed_on_the_record_and_downloaded_with_an_audit_event(
    client: Any, county: Any, stranger: Any
) -> None:
    import hashlib

    from yaojian.audit.models import AuditEvent

    inspection = scheduled(county)
    services.add_attachment(
        actor=county.inspectors[0],
        inspection=inspection,
        upload=SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
    )
    sha = hashlib.sha256(PNG).hexdigest()
    url = reverse("inspections:inspection_file", args=[inspection.public_id, sha])
    client.force_login(county.head)
    page = client.get(reverse("inspections:inspection_detail", args=[inspection.public_id]))
    assert f'href="{url}" data-testid="attachment-download">现场.png' in page.content.decode()
    response = client.get(url)
    assert (response.status_code, response.content) == (200, PNG)
    assert response["Content-Type"] == "image/png"
    assert AuditEvent.objects.get(action="inspections.file_downloaded").changes == {
        "file": "现场.png",
        "sha256": sha,
        "purpose": "page",
    }
    assert client.get(url.replace(sha, "0" * 64)).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="inspections.file_downloaded").count() == 1


def test_the_sample_list_gives_each_sample_at_the_lab_its_own_result_form(
    client: Any, county: Any
) -> None:
    for n in range(2):
        services.record_sample(
            actor=county.head,
            department=county.department,
            entity=county.entities[n],
            number=f"CJ-2026-{n}",
            product_name="阿莫西林胶囊",
            risk_class="",
            batch_number="B1",
            sampled_on=dt.date(2026, 11, 2),
        )
    client.force_login(county.head)
    page = client.get(reverse("inspections:sample_list")).content.decode()
    assert page.count('data-testid="sample-result-form"') == 2
    ids = [part.split('"')[0] for part in page.split(' id="id_')[1:]]
    assert len(ids) == len(set(ids))  # no id twice on the page
