import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.portal import services
from yaojian.portal.models import TypicalCase
from yaojian.portal.tests.factories import decision_changed, penalty

pytestmark = pytest.mark.django_db

TEXT = {
    "title": "某药店销售劣药案",
    "summary": "一家药店销售劣药被罚。",
    "body": "案情……\n处理结果……",
}


def test_heads_write_and_publish_cases(head, department, client):
    case = services.create_typical_case(actor=head, **TEXT)
    assert case.department == department
    assert case.region_id == "540102"
    assert not case.is_published
    assert (
        client.get(reverse("portal:typical_case_detail", args=[case.public_id])).status_code == 404
    )
    services.publish_typical_case(actor=head, case=case)
    response = client.get(reverse("portal:typical_case_detail", args=[case.public_id]))
    assert response.status_code == 200
    assert "某药店销售劣药案" in response.content.decode()
    assert list(
        AuditEvent.objects.filter(action__startswith="portal.").values_list("action", flat=True)
    ) == ["portal.typical_case_created", "portal.typical_case_published"]


def test_case_officers_may_not_write_cases(officer):
    with pytest.raises(PermissionDenied):
        services.create_typical_case(actor=officer, **TEXT)
    assert TypicalCase.objects.count() == 0


def test_personal_numbers_are_refused(head):
    with pytest.raises(ValidationError) as error:
        services.create_typical_case(actor=head, **{**TEXT, "body": "联系电话13912345678"})
    assert error.value.error_dict["body"][0].code == "personal_data"
    assert TypicalCase.objects.count() == 0


def test_another_department_cannot_change_a_case(head, other_department, member_of):
    case = services.create_typical_case(actor=head, **TEXT)
    stranger = member_of(other_department, Role.DEPARTMENT_HEAD)
    with pytest.raises(TypicalCase.DoesNotExist):
        services.update_typical_case(actor=stranger, case=case, **TEXT)


def test_revoking_the_decision_unpublishes_linked_cases(published, head):
    case = services.create_typical_case(actor=head, publication=published, **TEXT)
    services.publish_typical_case(actor=head, case=case)
    payload = penalty(published.department, decision_public_id=published.decision_public_id)
    services.apply_decision_change(event=decision_changed(payload, "revoked", dt.date(2025, 10, 9)))
    case.refresh_from_db()
    assert not case.is_published


def test_title_is_escaped_and_cases_are_listed(head, client):
    case = services.create_typical_case(actor=head, **{**TEXT, "title": "<b>x</b>案"})
    services.publish_typical_case(actor=head, case=case)
    page = client.get(reverse("portal:typical_case_list")).content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;案" in page
    assert client.get(reverse("portal:home")).content.decode().count("&lt;b&gt;x&lt;/b&gt;案") == 1


def test_case_pages_for_staff(head, client):
    client.force_login(head)
    response = client.post(reverse("portal:case_create"), {**TEXT, "title": ""})
    assert response.status_code == 422
    response = client.post(reverse("portal:case_create"), TEXT)
    case = TypicalCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case_edit", args=[case.public_id])
    response = client.post(reverse("portal:case_publish", args=[case.public_id]), {"publish": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_published
    assert client.get(reverse("portal:case_manage_list")).status_code == 200


def test_case_pages_refuse_officers(officer, client):
    client.force_login(officer)
    assert client.get(reverse("portal:case_create")).status_code == 403
    assert client.get(reverse("portal:case_manage_list")).status_code == 403


def test_the_typical_cases_sort_by_title_and_page(head, client, monkeypatch):
    import re

    from yaojian.portal.views import manage as manage_views

    for title in ("beta case", "alpha case", "gamma case"):
        services.create_typical_case(actor=head, **{**TEXT, "title": title})
    monkeypatch.setattr(manage_views, "QUEUE_PAGE", 2)
    client.force_login(head)
    url = reverse("portal:case_manage_list")

    def titles(params):
        html = client.get(url, params).content.decode()
        return re.findall(r'data-testid="case-manage-row">\s*<td[^>]*><a [^>]*>([^<]+)<', html)

    assert titles({"sort": "title"}) == ["alpha case", "beta case"]
    assert titles({"sort": "title", "page": 2}) == ["gamma case"]
    assert titles({"sort": "-title"}) == ["gamma case", "beta case"]
    assert len(titles({"sort": "summary; --"})) == 2  # off the whitelist: the default order
