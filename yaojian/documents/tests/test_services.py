"""render_document: stored with its SHA-256, owned by the department, audited; refusals."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.documents import selectors, services
from yaojian.documents.choices import DocumentKind
from yaojian.documents.models import Document
from yaojian.documents.tests.conftest import DECISION_CONTEXT

pytestmark = pytest.mark.django_db


def test_render_document_stores_the_pdf_with_its_sha256(user_in_department):
    officer = user_in_department(role=Role.CASE_OFFICER)
    department = officer.memberships.get().department

    document = services.render_document(
        actor=officer,
        kind=DocumentKind.PENALTY_DECISION,
        context=DECISION_CONTEXT,
        department=department,
        subject="enforcement.case:0b3c",
        title="行政处罚决定书 城市监罚〔2026〕12号",
    )

    content = document.read_bytes()
    assert content.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.department == department
    assert document.created_by == officer
    assert selectors.stored_sha256(document) == document.sha256
    event = AuditEvent.objects.get(action="documents.document_created")
    assert event.object_id == str(document.public_id)
    assert event.changes["sha256"] == document.sha256


@pytest.mark.parametrize(
    ("kind", "title", "subject", "field"),
    [
        ("memo", "t", "enforcement.case:1", "kind"),
        (DocumentKind.PENALTY_NOTICE, "  ", "enforcement.case:1", "title"),
        (DocumentKind.PENALTY_NOTICE, "t", "no-colon", "subject"),
    ],
)
def test_bad_input_writes_nothing(user_in_department, settings, kind, title, subject, field):
    officer = user_in_department(role=Role.CASE_OFFICER)

    with pytest.raises(ValidationError) as caught:
        services.render_document(
            actor=officer,
            kind=kind,
            context={},
            department=officer.memberships.get().department,
            subject=subject,
            title=title,
        )

    assert list(caught.value.message_dict) == [field]
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="documents.document_created").exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.pdf"))


def test_only_members_issue_a_departments_documents(user_in_department):
    officer = user_in_department(role=Role.CASE_OFFICER)
    outsider = user_in_department(role=Role.DEPARTMENT_HEAD)

    with pytest.raises(PermissionDenied):
        services.render_document(
            actor=outsider,
            kind=DocumentKind.PENALTY_NOTICE,
            context={},
            department=officer.memberships.get().department,
            subject="enforcement.case:1",
            title="t",
        )

    assert not Document.objects.exists()
