"""Choices of the enforcement app, and the case's allowed stage transitions (one table)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStage(models.TextChoices):
    """Where a case stands (市场监督管理行政处罚程序规定)."""

    CLUE = "clue", _("Clue recorded")
    VERIFICATION = "verification", _("Verification")
    NOT_FILED = "not_filed", _("Not filed")
    INVESTIGATION = "investigation", _("Filed, under investigation")
    REVIEW = "review", _("Under review")
    NOTICE = "notice", _("Notice of proposed penalty")
    HEARING = "hearing", pgettext_lazy("case stage", "Hearing")
    DECIDED = "decided", _("Decided")
    EXECUTION = "execution", _("Served, under execution")
    CLOSED = "closed", pgettext_lazy("case stage", "Closed")


OPEN_STAGES = frozenset(
    {
        CaseStage.CLUE,
        CaseStage.VERIFICATION,
        CaseStage.INVESTIGATION,
        CaseStage.REVIEW,
        CaseStage.NOTICE,
        CaseStage.HEARING,
        CaseStage.DECIDED,
        CaseStage.EXECUTION,
    }
)

# The one table of allowed stage changes. Every change goes through
# ``services.lifecycle.transition_case`` which refuses anything not listed here.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStage.CLUE: frozenset({CaseStage.VERIFICATION, CaseStage.NOT_FILED}),
    CaseStage.VERIFICATION: frozenset({CaseStage.INVESTIGATION, CaseStage.NOT_FILED}),
    CaseStage.NOT_FILED: frozenset(),
    # 撤销立案 (dropped) closes a filed case without a decision.
    CaseStage.INVESTIGATION: frozenset({CaseStage.REVIEW, CaseStage.CLOSED}),
    # Review returns a case for more investigation, approves the notice, or (no penalty due,
    # 不予行政处罚) goes straight to a decision.
    CaseStage.REVIEW: frozenset({CaseStage.INVESTIGATION, CaseStage.NOTICE, CaseStage.DECIDED}),
    CaseStage.NOTICE: frozenset({CaseStage.HEARING, CaseStage.DECIDED, CaseStage.REVIEW}),
    CaseStage.HEARING: frozenset({CaseStage.DECIDED, CaseStage.REVIEW}),
    CaseStage.DECIDED: frozenset({CaseStage.EXECUTION}),
    CaseStage.EXECUTION: frozenset({CaseStage.CLOSED}),
    CaseStage.CLOSED: frozenset(),
}


class ClueSource(models.TextChoices):
    """Where a clue came from."""

    INSPECTION = "inspection", _("Inspection finding")
    COMPLAINT = "complaint", _("Complaint or report")
    SAMPLING = "sampling", _("Failed sampling test")
    RISK_WARNING = "risk_warning", _("Risk warning")
    DEPARTMENT_NOTICE = "department_notice", _("Notice from another department")
    ASSISTANCE = "assistance", _("Assistance request from another region")
    TRACEABILITY = "traceability", _("Traceability anomaly")


class PartyKind(models.TextChoices):
    """The kind of party: the fine grid is the article's own for all three (DOMAIN.md §2.6);
    第118条 fines responsible persons inside an organisation; hearing thresholds (§2.2) treat
    a natural person and an individual business (民法典 第54条) as a citizen (公民)."""

    ORGANISATION = "organisation", _("Organisation")
    NATURAL_PERSON = "natural_person", _("Natural person")
    INDIVIDUAL_BUSINESS = "individual_business", _("Individual business (个体工商户)")


# Kinds whose hearing thresholds are those of a citizen (听证办法 第5条 “公民”).
CITIZEN_PARTY_KINDS = frozenset({PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS})


class OfficerRole(models.TextChoices):
    """An officer's part in a case."""

    LEAD = "lead", _("Lead officer")
    ASSISTANT = "assistant", _("Assisting officer")


class ClockKind(models.TextChoices):
    """The legal clocks a case runs (DOMAIN.md §2.1, §2.2)."""

    VERIFICATION = "verification", _("Verification (核查)")
    PRESERVATION = "preservation", _("Registered preservation (先行登记保存)")
    SEIZURE = "seizure", _("Seizure (查封扣押)")
    REVIEW = "review", _("Legal review (法制审核)")
    DEFENCE = "defence", _("Statement and defence (陈述申辩)")
    HEARING_REQUEST = "hearing_request", _("Hearing request")
    HEARING_PRESIDING = "hearing_presiding", _("Presiding officer appointed")
    HEARING_FILE = "hearing_file", _("Case file handed to the presiding officer")
    HEARING_SCHEDULE = "hearing_schedule", _("Hearing time and place fixed")
    HEARING_REPORT = "hearing_report", _("Hearing report")
    DECISION = "decision", _("Decision (90 days)")
    SERVICE = "service", _("Service of the decision (送达)")
    PAYMENT = "payment", _("Payment of the fine")
    CLOSURE = "closure", _("Closure (结案)")
    JOINT_TASK = "joint_task", _("Joint task")
    ASSISTANCE = "assistance", _("Assistance request (协查)")


class ClockUnit(models.TextChoices):
    """How a clock counts."""

    WORKING_DAYS = "wd", _("working days")
    DAYS = "days", _("calendar days")


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class PauseReason(models.TextChoices):
    """Time excluded from a clock (第18条, 第37条, 第64条)."""

    SUSPENSION = "suspension", _("Suspension (中止)")
    TESTING = "testing", _("Testing, inspection or appraisal")
    HEARING = "hearing", pgettext_lazy("pause reason", "Hearing")
    ANNOUNCEMENT = "announcement", _("Public announcement")
    IDENTIFICATION = "identification", _("Identification or appraisal by the rights holder")
    PRICE_REFUND = "price_refund", _("Ordered return of overcharged prices")


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class EvidenceKind(models.TextChoices):
    DOCUMENTARY = "documentary", _("Documentary evidence")
    PHYSICAL = "physical", _("Physical evidence")
    ELECTRONIC = "electronic", _("Electronic data")
    TESTIMONY = "testimony", _("Witness testimony")
    STATEMENT = "statement", _("Statement of the party")
    TEST_REPORT = "test_report", _("Test or appraisal report")
    RECORD = "record", _("Inspection record")
    AUDIOVISUAL = "audiovisual", _("Audio-visual material")


class MeasureKind(models.TextChoices):
    PRESERVATION = "preservation", _("Registered preservation (先行登记保存)")
    SEIZURE = "seizure", _("Seizure or detention (查封扣押)")


class ReviewKind(models.TextChoices):
    LEGAL = "legal", _("Legal review (法制审核)")
    CASE = "case", _("Case review (案件审核)")


class ReviewConclusion(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for further investigation")


class DefenceKind(models.TextChoices):
    STATEMENT = "statement", _("Statement and defence")
    WAIVER = "waiver", _("Waiver")
    SILENCE = "silence", _("No answer within the period (waiver)")


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    EFFECTIVE = "effective", _("In effect")
    CHANGED = "changed", _("Changed")
    REVOKED = "revoked", _("Revoked")


class PenaltyKind(models.TextChoices):
    """Kinds of penalty and measure (DOMAIN.md §2.6, §3.3, §3.4)."""

    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    CONFISCATE_GAINS = "confiscate_gains", _("Confiscation of illegal gains")
    CONFISCATE_GOODS = "confiscate_goods", _("Confiscation of illegal goods")
    SUSPEND_BUSINESS = "suspend_business", _("Suspension of production or business")
    REVOKE_LICENCE = "revoke_licence", _("Revocation of a licence")
    BAN_PERSON = "ban_person", _("Ban on a person")
    AGREEMENT_SUSPENSION = "agreement_suspension", _("Suspension of the insurance agreement")
    AGREEMENT_TERMINATION = "agreement_termination", _("Termination of the insurance agreement")
    FUND_RECOVERY = "fund_recovery", _("Recovery of insurance funds")


# Kinds that only a medical-insurance bureau decides.
INSURANCE_KINDS = frozenset(
    {
        PenaltyKind.AGREEMENT_SUSPENSION,
        PenaltyKind.AGREEMENT_TERMINATION,
        PenaltyKind.FUND_RECOVERY,
    }
)
# Kinds that carry an amount.
AMOUNT_KINDS = frozenset(
    {PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS, PenaltyKind.FUND_RECOVERY}
)


class TaskState(models.TextChoices):
    OPEN = "open", pgettext_lazy("task state", "Open")
    DONE = "done", _("Done")


class AssistanceState(models.TextChoices):
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")


class CaseDocumentKind(models.TextChoices):
    FILING_APPROVAL = "case_filing_approval", _("Case filing approval form (立案审批表)")
    PENALTY_NOTICE = "penalty_notice", _("Notice of proposed penalty (行政处罚告知书)")
    PENALTY_DECISION = "penalty_decision", _("Penalty decision (行政处罚决定书)")
    ATTACHMENT = "attachment", _("Attachment")
