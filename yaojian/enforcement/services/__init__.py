"""Writes of enforcement. These functions are the only writers of its models.

Each takes a keyword-only ``actor``, locks the case, checks the role and the stage (the
``ALLOWED_TRANSITIONS`` table), validates every field (``ValidationError``, nothing written on
failure), logs the step and the audit event in the same transaction, and publishes its events
after commit.
"""

from yaojian.enforcement.services.cases import (
    begin_verification,
    decline_case,
    file_case,
    record_clue,
)
from yaojian.enforcement.services.clocks import (
    decide_extension,
    pause_clock,
    request_extension,
    resume_clock,
)
from yaojian.enforcement.services.decisions import (
    change_decision,
    close_case,
    decide_case,
    issue_notice,
    propose_penalty,
    record_defence,
    record_department_decision,
    record_payment,
    serve_decision,
)
from yaojian.enforcement.services.hearings import (
    appoint_presiding_officer,
    hand_over_file,
    record_hearing_held,
    schedule_hearing,
    submit_hearing_report,
)
from yaojian.enforcement.services.investigation import (
    add_evidence,
    apply_measure,
    end_measure,
    review_case,
    submit_for_review,
)
from yaojian.enforcement.services.joint import (
    add_participant,
    answer_assistance_request,
    complete_task,
    create_task,
    send_assistance_request,
)
from yaojian.enforcement.services.penalties import ItemInput

__all__ = [
    "ItemInput",
    "add_evidence",
    "add_participant",
    "answer_assistance_request",
    "apply_measure",
    "appoint_presiding_officer",
    "begin_verification",
    "change_decision",
    "close_case",
    "complete_task",
    "create_task",
    "decide_case",
    "decide_extension",
    "decline_case",
    "end_measure",
    "file_case",
    "hand_over_file",
    "issue_notice",
    "pause_clock",
    "propose_penalty",
    "record_clue",
    "record_defence",
    "record_department_decision",
    "record_hearing_held",
    "record_payment",
    "request_extension",
    "resume_clock",
    "review_case",
    "schedule_hearing",
    "send_assistance_request",
    "serve_decision",
    "submit_for_review",
    "submit_hearing_report",
]
