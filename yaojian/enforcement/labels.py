"""What the enforcement app writes to the audit trail, in words (core.labels, ADR 0026).

Each step of a case's log is also an audit action ``enforcement.<step>``: the labels are the
timeline's (``steps.STEP_LABELS``), so the case page and the audit trail say the same.
"""

from __future__ import annotations

from yaojian.enforcement.steps import STEP_LABELS

AUDIT_ACTIONS = {f"enforcement.{code}": label for code, label in STEP_LABELS.items()}
