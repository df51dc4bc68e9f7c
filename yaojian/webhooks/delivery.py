"""Sending deliveries: claim, POST, record the attempt, schedule the retry.

At-least-once: a delivery stays ``pending``/``failed`` until a 2xx answer. Every attempt
first *claims* the delivery with one conditional UPDATE (due, sendable) that pushes
``next_attempt_at`` a lease ahead, so two workers — or a retry task and the sweeper —
never send the same attempt twice. A worker that dies mid-send leaves the delivery due
again once the lease runs out.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yaojian.webhooks import conf
from yaojian.webhooks.addresses import check_url
from yaojian.webhooks.choices import SENDABLE_STATUSES, DeliveryStatus
from yaojian.webhooks.models import Delivery, DeliveryAttempt
from yaojian.webhooks.signing import signature

logger = logging.getLogger(__name__)

EXCERPT_BYTES = 2048
USER_AGENT = "Yaojian-Webhooks/1"


def _backend_defers() -> bool:
    from yaojian.webhooks.tasks import send_delivery_task

    return bool(send_delivery_task.get_backend().supports_defer)


def send_on_commit(delivery_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue the send once the current transaction commits (at ``run_after`` if given)."""
    from yaojian.webhooks.tasks import send_delivery_task

    def enqueue() -> None:
        task = send_delivery_task
        if run_after is not None:
            if not _backend_defers():
                return  # the periodic sweep (send_due_deliveries_task) picks it up
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id=delivery_id)

    transaction.on_commit(enqueue)


def body_of(delivery: Delivery) -> bytes:
    """The JSON body: the same bytes on every attempt of a delivery."""
    envelope = {
        "id": str(delivery.public_id),
        "event": delivery.event_type,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


@dataclass
class Outcome:
    """What one HTTP attempt produced."""

    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers, not instructions: a 3xx is a failed attempt (SSRF guard)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _excerpt(data: bytes) -> str:
    return data[:EXCERPT_BYTES].decode("utf-8", errors="replace")


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body`` to ``url``; never raises (network errors become the outcome's error)."""
    started = time.monotonic()
    outcome = Outcome()
    try:
        check_url(url)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
        with _opener.open(request, timeout=conf.timeout_seconds()) as response:
            outcome.status_code = response.status
            outcome.excerpt = _excerpt(response.read(EXCERPT_BYTES))
    except urllib.error.HTTPError as error:
        outcome.status_code = error.code
        try:
            outcome.excerpt = _excerpt(error.read(EXCERPT_BYTES))
        except OSError:
            outcome.excerpt = ""
        if not outcome.ok:
            outcome.error = f"HTTP {error.code}"
    except Exception as error:  # any failure is a failed attempt
        outcome.error = f"{type(error).__name__}: {error}"[:1000]
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one attempt if it is due; False if not (or taken)."""
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=SENDABLE_STATUSES, next_attempt_at__lte=now
    ).update(next_attempt_at=now + conf.lease(), attempts=F("attempts") + 1, updated_at=now)
    return claimed == 1


def attempt_delivery(delivery_id: int) -> str | None:
    """Make one attempt at a due delivery; returns its new status (None if not due/taken)."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        outcome = Outcome(error="The endpoint is inactive.")
    else:
        body = body_of(delivery)
        timestamp = str(int(now.timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Yaojian-Event": delivery.event_type,
            "X-Yaojian-Delivery": str(delivery.public_id),
            "Idempotency-Key": delivery.idempotency_key,
            "X-Yaojian-Timestamp": timestamp,
            "X-Yaojian-Signature": signature(endpoint.secret, timestamp, body),
        }
        outcome = post(endpoint.url, body, headers)
    return _finish(delivery, now, outcome, final=not endpoint.is_active)


@transaction.atomic
def _finish(delivery: Delivery, started_at: datetime, outcome: Outcome, *, final: bool) -> str:
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=started_at,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        response_excerpt=outcome.excerpt,
        error=outcome.error,
    )
    done = timezone.now()
    fields: dict[str, Any] = {
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "updated_at": done,
    }
    if outcome.ok:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=done, next_attempt_at=None)
    elif final or conf.policy().gives_up(delivery.attempts):
        fields.update(status=DeliveryStatus.DEAD, next_attempt_at=None)
        logger.warning(
            "webhook delivery %s is dead after %s attempts", delivery.public_id, delivery.attempts
        )
    else:
        retry_at = done + conf.retry_delay(delivery.attempts)
        fields.update(status=DeliveryStatus.FAILED, next_attempt_at=retry_at)
        send_on_commit(delivery.pk, run_after=retry_at)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    return str(fields["status"])


def due_deliveries(now: datetime | None = None, *, grace: timedelta | None = None) -> list[int]:
    """Ids of deliveries whose attempt is due (overdue by ``grace`` at least)."""
    cutoff = (now or timezone.now()) - (grace or timedelta(0))
    return list(
        Delivery.objects.filter(status__in=SENDABLE_STATUSES, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def send_due_deliveries() -> int:
    """Enqueue a send for every due delivery (the safety net behind ``run_after`` retries).

    On a backend that defers tasks, only deliveries overdue by a minute are picked: the
    others have their own retry task queued.
    """
    from yaojian.webhooks.tasks import send_delivery_task

    grace = timedelta(minutes=1) if _backend_defers() else None
    ids = due_deliveries(grace=grace)
    for delivery_id in ids:
        send_delivery_task.enqueue(delivery_id=delivery_id)
    return len(ids)
