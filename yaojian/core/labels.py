"""Internal codes in words: the one registry of labels for audit actions and periodic tasks.

The audit trail stores an action code (``case.filed`` style: ``enforcement.case_filed``) and
the scheduler a task name (``notices.escalate_overdue``); a person reads neither. Each app keeps
the labels of the codes it writes in its own ``labels.py`` and adds them from its
``AppConfig.ready()`` (as it adds its roles and panels, ADR 0008); periodic tasks bring their
label with ``clocks.schedule.register_periodic(…, label=…)``. Pages show
``{% load labels %}{{ event.action|audit_action }}``. A code without a label is shown as it is,
and the tests fail on it (``audit/tests/test_action_labels.py``). See ADR 0026.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import apps


class LabelRegistry:
    """Codes of one kind and their (lazily translated) labels."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._labels: dict[str, Any] = {}

    def register(self, labels: Mapping[str, Any]) -> None:
        """Add labels; registering a code again replaces its label (``ready()`` may run twice)."""
        for code, label in labels.items():
            if not code or not str(label).strip():
                raise ValueError(f"{self.kind} label for {code!r} is empty")
            self._labels[code] = label

    def label(self, code: str) -> str:
        """The translated label of ``code``; the code itself when it has none."""
        found = self._labels.get(code)
        return str(found) if found is not None else code

    def has(self, code: str) -> bool:
        return code in self._labels

    def codes(self) -> frozenset[str]:
        return frozenset(self._labels)


AUDIT_ACTIONS = LabelRegistry("audit action")
PERIODIC_TASKS = LabelRegistry("periodic task")


def object_type_label(object_type: str) -> str:
    """An audit event's ``object_type`` (``registry.entity``) as the model's name, translated
    (the code when no model has it)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
