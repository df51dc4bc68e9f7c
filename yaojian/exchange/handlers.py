"""Reactions of the exchange app to other apps' events (connected from ``ready()``)."""

from __future__ import annotations

from typing import Any

from yaojian.core.events import subscribe


def on_link_review_resolved(event: Any) -> None:
    """A linkage review of a held row was decided: apply the row to the chosen entity."""
    if event.source_app != "exchange":
        return
    from yaojian.exchange.services import apply_reviewed_row

    payload = event.payload or {}
    apply_reviewed_row(
        batch_id=int(payload.get("batch_id", 0)),
        line=int(payload.get("line", 0)),
        record_key=str(payload.get("record_key", "")),
        payload=dict(payload.get("payload") or {}),
        entity_id=event.entity_id,
        decision=event.decision,
    )


def connect() -> None:
    """Subscribe the handlers (idempotent)."""
    from yaojian.linkage.events import LinkReviewResolved

    subscribe(LinkReviewResolved, on_link_review_resolved)
