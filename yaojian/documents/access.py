"""Who besides the owning department may read a document: rules registered by upper apps.

An app above documents registers, from its ``AppConfig.ready()``, a rule for the subjects it
owns::

    register_access_rule("referrals.referral:", can_read_referral_document)

``fn(user, document)`` returns True to let the user read the document. Rules are checked only
for documents whose ``subject`` starts with the rule's prefix; a failing rule counts as "no" (a
database error propagates).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError

logger = logging.getLogger(__name__)

AccessRule = Callable[[Any, Any], bool]
_rules: dict[str, list[AccessRule]] = {}


def register_access_rule(prefix: str, fn: AccessRule) -> None:
    """Let ``fn(user, document)`` grant access to documents whose subject starts with ``prefix``
    (idempotent, so ``ready()`` may run twice)."""
    if not prefix:
        raise ValueError("an access rule needs a non-empty subject prefix")
    rules = _rules.setdefault(prefix, [])
    if fn not in rules:
        rules.append(fn)


def unregister_access_rule(prefix: str, fn: AccessRule) -> None:
    """Remove a rule (used by tests)."""
    if fn in _rules.get(prefix, []):
        _rules[prefix].remove(fn)


def rules_for(subject: str) -> list[AccessRule]:
    """The rules whose prefix matches ``subject``."""
    return [
        fn for prefix, fns in sorted(_rules.items()) if subject.startswith(prefix) for fn in fns
    ]


def allowed_by_rules(user: Any, document: Any) -> bool:
    """True if a registered rule lets ``user`` read ``document``."""
    for fn in rules_for(document.subject):
        try:
            if fn(user, document):
                return True
        except DatabaseError:
            raise  # never hidden: the transaction is broken and the caller must know
        except Exception:  # a broken rule fails closed: no access, and the trace is logged
            logger.exception("document access rule %r failed", fn)
    return False
