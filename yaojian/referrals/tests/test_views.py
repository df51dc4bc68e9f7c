"""Pages, API and bundle: who sees what (police only theirs), the steps, tampering."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from yaojian.audit.models import AuditEvent
from yaojian.documents.bundles import verify_bundle
from yaojian.referrals import services
from yaojian.referrals.choices import ReferralState

pytestmark = pytest.mark.django_db


@pytest.fixture
def transferred(world):
    referral = services.create_referral(
        actor=world.officer,
        case=world.case,
        suspected_crime="生产、销售假药罪",
        report="涉嫌犯罪。",
        team=[world.officer, world.colleague],
    )
    referral = services.decide_referral(
        actor=world.head, referral=referral, approve=True, police_department=world.police_department
    )
    return services.transfer_referral(actor=world.officer, referral=referral)


def test_police_see_only_referrals_addressed_to_them(client, world, transferred):
    pages = {}
    for name in ("police", "other_police", "outsider", "officer"):
        client.force_login(getattr(world, name))
        listing = client.get(reverse("referrals:referral_list"))
        detail = client.get(reverse("referrals:referral_detail", args=[transferred.public_id]))
        pages[name] = (listing.content.count(b'data-testid="referral-row"'), detail.status_code)

    assert pages == {
        "police": (1, 200),
        "other_police": (0, 404),
        "outsider": (0, 404),
        "officer": (1, 200),
    }


def test_police_see_nothing_before_the_transfer(client, world):
    referral = services.create_referral(
        actor=world.officer, case=world.case, suspected_crime="x", report="y",
        team=[world.officer, world.colleague],
    )  # fmt: skip
    client.force_login(world.police)

    response = client.get(reverse("referrals:referral_detail", args=[referral.public_id]))

    assert response.status_code == 404


def test_police_cannot_open_the_case_panel_or_case_documents(client, world, transferred):
    client.force_login(world.police)

    panel = client.get(reverse("referrals:case_panel", args=[world.case.public_id]))
    letter = client.get(reverse("documents:download", args=[transferred.letter_document_id]))

    assert panel.status_code == 404
    assert letter.status_code == 200  # the transfer letter is theirs to read


def test_police_answer_through_the_page(client, world, transferred):
    client.force_login(world.police)
    detail = reverse("referrals:referral_detail", args=[transferred.public_id])
    assert b'data-testid="step-receipt"' in client.get(detail).content

    receipt = client.post(
        reverse("referrals:referral_step", args=[transferred.public_id, "receipt"]),
        {"complexity": "ordinary", "approval": ""},
    )
    refused = client.post(
        reverse("referrals:referral_step", args=[transferred.public_id, "answer"]),
        {"accept": "0", "reasons": ""},
    )
    answered = client.post(
        reverse("referrals:referral_step", args=[transferred.public_id, "answer"]),
        {"accept": "1", "police_case_number": "城公刑立〔2026〕1号", "reasons": ""},
    )

    assert receipt.status_code == 302
    assert refused.status_code == 422
    assert answered.status_code == 302
    transferred.refresh_from_db()
    assert transferred.state == ReferralState.ACCEPTED
    assert transferred.police_case_number == "城公刑立〔2026〕1号"


def test_the_agency_cannot_take_police_steps(client, world, transferred):
    client.force_login(world.officer)

    response = client.post(
        reverse("referrals:referral_step", args=[transferred.public_id, "receipt"]),
        {"complexity": "ordinary"},
    )

    assert response.status_code == 403
    transferred.refresh_from_db()
    assert transferred.state == ReferralState.TRANSFERRED


def test_case_panel_shows_the_referral_and_the_no_substitution_warning(client, world, transferred):
    client.force_login(world.officer)

    response = client.get(reverse("referrals:case_panel", args=[world.case.public_id]))

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'data-testid="no-substitution-warning"' in response.content
    assert response.content.count(b'data-testid="case-referral"') == 1


def test_create_page_needs_two_officers(client, world):
    client.force_login(world.officer)
    url = reverse("referrals:referral_create", args=[world.case.public_id])

    bad = client.post(url, {"suspected_crime": "x", "report": "y", "team": [world.officer.pk]})
    good = client.post(
        url,
        {"suspected_crime": "x", "report": "y", "team": [world.officer.pk, world.colleague.pk]},
    )

    assert bad.status_code == 422
    assert good.status_code == 302


def test_bundle_verifies_and_any_changed_byte_fails(client, world, transferred, tmp_path):
    client.force_login(world.police)

    response = client.get(reverse("referrals:referral_bundle", args=[transferred.public_id]))

    assert response.status_code == 200
    path = tmp_path / "bundle.zip"
    path.write_bytes(response.content)
    assert verify_bundle(path, check_chain=True) == []
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names[:2] == ["manifest.json", "manifest.seal"]
    assert any(n.startswith("files/letter/") for n in names)
    assert AuditEvent.objects.filter(action="referrals.bundle_exported").count() == 1
    letter = next(n for n in names if n.startswith("files/letter/"))
    for member in ("manifest.json", letter):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename == member:
                    data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
                target.writestr(zipfile.ZipInfo(info.filename, info.date_time), data)
        path.write_bytes(out.getvalue())
        assert verify_bundle(path) != [], member


def test_outsiders_cannot_download_the_bundle(client, world, transferred):
    client.force_login(world.other_police)

    response = client.get(reverse("referrals:referral_bundle", args=[transferred.public_id]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="referrals.bundle_exported").exists()


def test_api_lists_and_answers(api_client_for, world, transferred):
    police = api_client_for(world.police)
    other = api_client_for(world.other_police)

    listed = police.get("/api/v1/referrals/")
    hidden = other.get(f"/api/v1/referrals/{transferred.public_id}/")
    step = police.post(
        f"/api/v1/referrals/{transferred.public_id}/steps/",
        {"action": "receipt", "complexity": "complex"},
        format="json",
    )
    forbidden = api_client_for(world.officer).post(
        f"/api/v1/referrals/{transferred.public_id}/steps/",
        {"action": "answer", "accept": True},
        format="json",
    )

    assert [r["public_id"] for r in listed.json()["results"]] == [str(transferred.public_id)]
    assert hidden.status_code == 404
    assert step.status_code == 200
    assert step.json()["state"] == "received"
    assert forbidden.status_code == 403


def test_api_list_query_count(api_client_for, world, transferred, django_assert_max_num_queries):
    client = api_client_for(world.officer)

    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/referrals/")

    assert response.json()["count"] == 1


def test_the_referral_timeline_shows_steps_in_words(client, world, transferred):
    import re

    from django.utils import translation

    client.force_login(world.police)
    with translation.override("zh-hans"):
        body = client.get(reverse("referrals:referral_detail", args=[transferred.public_id]))
    html = body.content.decode()
    steps = re.findall(r'<span data-action="([a-z_]+)">([^<]*)</span>', html)

    assert [code for code, _label in steps][:3] == ["report", "decide", "transfer"]
    assert all(label and label != code for code, label in steps)
    assert dict(steps)["transfer"] == "移送公安机关"
