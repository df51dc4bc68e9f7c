"""Checkpoints of the audit chain sent to another department's system (ADR 0011)."""

from __future__ import annotations

import json

import pytest

from yaojian.audit import checkpoints
from yaojian.audit.services import record
from yaojian.webhooks.models import Delivery
from yaojian.webhooks.services import send_audit_checkpoint
from yaojian.webhooks.tests.factories import EndpointFactory

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_when_no_department_is_configured(settings):
    settings.AUDIT_CHECKPOINT_DEPARTMENTS = []
    EndpointFactory(event_types=["audit.checkpoint"])
    assert send_audit_checkpoint() == 0
    assert not Delivery.objects.exists()


def test_the_signed_checkpoint_is_queued_once_to_the_configured_departments(settings, tmp_path):
    # given: the supervision department's system subscribes; another department's does not
    # receive it (not configured)
    wanted = EndpointFactory(event_types=["audit.checkpoint"])
    EndpointFactory(event_types=["*"])
    settings.AUDIT_CHECKPOINT_DEPARTMENTS = [wanted.department.code]
    record(actor=None, action="test.anchored")
    # when
    first = send_audit_checkpoint()
    again = send_audit_checkpoint()
    # then
    assert (first, again) == (1, 0)
    delivery = Delivery.objects.get()
    assert (delivery.endpoint, delivery.event_type) == (wanted, "audit.checkpoint")
    expected = checkpoints.current()
    assert delivery.payload["count"] == expected.count
    assert delivery.payload["head_hash"] == expected.head_hash
    # the receiver's copy, one payload a line, is a checkpoint file verify_audit can read
    copy = tmp_path / "received.jsonl"
    copy.write_text(json.dumps(delivery.payload) + "\n", encoding="utf-8")
    (line,) = list(checkpoints.read(copy))
    assert line.error == ""
    assert line.checkpoint is not None
    assert line.checkpoint.count == expected.count
