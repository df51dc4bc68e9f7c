"""Writes of the notices app. These functions are the only writers of its models.

Other apps call :func:`record_problem` and :func:`send_notice` (stable signatures).
"""

from yaojian.notices.services.escalation import escalate_overdue_notices
from yaojian.notices.services.notices import (
    acknowledge_notice,
    answer_notice,
    close_notice,
    send_notice,
    transition_notice,
    view_notice,
)
from yaojian.notices.services.problems import record_problem, reveal_problem_personal_data
from yaojian.notices.services.rules import create_routing_rule, update_routing_rule

__all__ = [
    "acknowledge_notice",
    "answer_notice",
    "close_notice",
    "create_routing_rule",
    "escalate_overdue_notices",
    "record_problem",
    "reveal_problem_personal_data",
    "send_notice",
    "transition_notice",
    "update_routing_rule",
    "view_notice",
]
