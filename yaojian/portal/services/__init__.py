"""Writes of the portal: every change of a publication or a typical case goes through here."""

from yaojian.portal.services.decisions import apply_decision_change, ingest_decision
from yaojian.portal.services.publications import (
    expire_publications,
    publish_publication,
    stop_for_credit_repair,
    stop_publication_early,
    withdraw_publication,
)
from yaojian.portal.services.typical_cases import (
    create_typical_case,
    publish_typical_case,
    unpublish_typical_case,
    update_typical_case,
)

__all__ = [
    "apply_decision_change",
    "create_typical_case",
    "expire_publications",
    "ingest_decision",
    "publish_publication",
    "publish_typical_case",
    "stop_for_credit_repair",
    "stop_publication_early",
    "unpublish_typical_case",
    "update_typical_case",
    "withdraw_publication",
]
