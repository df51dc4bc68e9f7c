"""What each step of a case's log means, in words (the timeline never shows a code).

``label(action)`` takes a step's action (``clue_recorded``) or an audit action of the case
(``enforcement.clue_recorded``, ``documents.document_created``) and returns its translated
label; an unknown code is returned as it is (and a test checks every code the services write).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yaojian.core.labels import AUDIT_ACTIONS

STEP_LABELS = {
    "assistance_answered": _("Assistance request answered"),
    "assistance_requested": _("Assistance request sent"),
    "case_closed": _("Case closed"),
    "case_decided": _("Decision taken"),
    "case_filed": _("Case filed"),
    "case_not_filed": _("Case not filed"),
    "clock_paused": _("Clock paused"),
    "clock_recomputed": _("Due date recomputed with the official holiday schedule"),
    "clock_resumed": _("Clock resumed"),
    "clue_recorded": _("Clue recorded"),
    "decision_changed": _("Decision changed"),
    "decision_served": _("Decision served"),
    "decision_taken": _("Department's own decision taken"),
    "defence_recorded": _("Statement and defence recorded"),
    "evidence_added": _("Evidence added"),
    "extension_approved": _("Extension approved"),
    "extension_refused": _("Extension refused"),
    "extension_requested": _("Extension requested"),
    "hearing_file_handed_over": _("Case file handed to the presiding officer"),
    "hearing_held": _("Hearing held"),
    "hearing_report_submitted": _("Hearing report submitted"),
    "hearing_requested": _("Hearing requested"),
    "hearing_scheduled": _("Hearing scheduled"),
    "measure_applied": _("Measure applied"),
    "measure_ended": _("Measure ended"),
    "notice_issued": _("Notice of proposed penalty issued"),
    "participant_added": _("Participating department added"),
    "payment_recorded": _("Payment recorded"),
    "penalty_proposed": _("Penalty proposed"),
    "presiding_officer_appointed": _("Presiding officer appointed"),
    "review_approved": _("Review approved"),
    "review_returned": _("Returned for further investigation"),
    "submitted_for_review": _("Submitted for review"),
    "task_completed": _("Task completed"),
    "task_created": _("Task given"),
    "verification_started": _("Verification started"),
}


def label(action: str) -> str:
    """The translated label of a step or audit action (the code itself when unknown)."""
    found = STEP_LABELS.get(action.removeprefix("enforcement."))
    return str(found) if found is not None else AUDIT_ACTIONS.label(action)
