"""Models of the enforcement app: cases, their clocks, the work on them and the decisions."""

from yaojian.enforcement.models.case import (
    Case,
    CaseOfficer,
    CaseParticipant,
    CaseStep,
    EnforcementCredential,
)
from yaojian.enforcement.models.clock import CaseClock, ClockExtension, ClockPause
from yaojian.enforcement.models.decision import Decision, Payment, PenaltyItem
from yaojian.enforcement.models.work import (
    AssistanceRequest,
    CaseDocument,
    Defence,
    EvidenceItem,
    Hearing,
    JointTask,
    Measure,
    Review,
)

__all__ = [
    "AssistanceRequest",
    "Case",
    "CaseClock",
    "CaseDocument",
    "CaseOfficer",
    "CaseParticipant",
    "CaseStep",
    "ClockExtension",
    "ClockPause",
    "Decision",
    "Defence",
    "EnforcementCredential",
    "EvidenceItem",
    "Hearing",
    "JointTask",
    "Measure",
    "Payment",
    "PenaltyItem",
    "Review",
]
