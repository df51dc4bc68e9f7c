"""The actions of the case page: who may see each form, at which stages, which service it calls.

The API's ``cases/<id>/actions/<name>/`` uses the same table, so the UI and the API behave alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from yaojian.enforcement import forms, services
from yaojian.enforcement.choices import CaseStage as S
from yaojian.enforcement.choices import ClockKind
from yaojian.enforcement.selectors import CaseAccess
from yaojian.enforcement.services.clocks import active_clock
from yaojian.enforcement.services.decisions import proposed_decision
from yaojian.enforcement.services.investigation import latest_review_approved

WORK = (S.VERIFICATION, S.INVESTIGATION)
OPEN = (
    S.CLUE,
    S.VERIFICATION,
    S.INVESTIGATION,
    S.REVIEW,
    S.NOTICE,
    S.HEARING,
    S.DECIDED,
    S.EXECUTION,
)
FILED = (S.INVESTIGATION, S.REVIEW, S.NOTICE, S.HEARING, S.DECIDED, S.EXECUTION)
AFTER_FILING = (*FILED, S.CLOSED)


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    form: type[forms.CaseForm]
    role: str  # "change" | "approve" | "review" | "participant_head" | "decider"
    stages: tuple[str, ...]
    run: Callable[[Any, Any, dict[str, Any]], Any]
    # Whether the case is ready for the action (the service's own preconditions): an action
    # the user cannot take yet, or any more, is not offered on the case page. A POST still
    # reaches the service, which refuses it with its message (422).
    ready: Callable[[Any, CaseAccess], bool] | None = None

    def offered(self, case: Any, case_access: CaseAccess) -> bool:
        """Shown on the case page: allowed for this user, and the case is ready for it."""
        return self.allowed(case, case_access) and (
            self.ready is None or self.ready(case, case_access)
        )

    def allowed(self, case: Any, case_access: CaseAccess) -> bool:
        if case.stage not in self.stages:
            return False
        if self.role == "participant_head":
            # A participating department's head records that department's own decision.
            return bool(case_access.participant_heads)
        if self.role == "decider":
            # The head of a department that decided in the case changes its decision.
            return bool(case_access.deciding_departments)
        if not case_access.is_lead:
            return False
        if self.role == "review":
            return case_access.can_review or case_access.can_approve
        return bool(getattr(case_access, f"can_{self.role}"))


def _review_pending(case: Any, case_access: Any = None) -> bool:
    """A review is due: the review clock runs (it stops when the review is given)."""
    return active_clock(case, ClockKind.REVIEW) is not None


def _extension_requested(case: Any, case_access: Any = None) -> bool:
    """An extension waits for the head's decision (nothing to approve otherwise)."""
    from yaojian.enforcement.choices import ExtensionState
    from yaojian.enforcement.models import ClockExtension

    return ClockExtension.objects.filter(clock__case=case, state=ExtensionState.REQUESTED).exists()


def _decidable(case: Any, case_access: Any = None) -> bool:
    """The preconditions of ``services.decide_case`` for the case's stage."""
    decision = proposed_decision(case)
    if decision is None:
        return False
    if case.stage == S.REVIEW:
        # 不予行政处罚 after an approving review; a penalty needs the notice first.
        return (
            not _review_pending(case)
            and latest_review_approved(case)
            and not decision.items.exists()
        )
    if case.stage == S.NOTICE:
        return active_clock(case, ClockKind.DEFENCE) is None
    if case.stage == S.HEARING:
        return bool(getattr(getattr(case, "hearing", None), "report", ""))
    return True


def _has_own_decision(case: Any, case_access: CaseAccess) -> bool:
    """A decision in effect of one of the user's deciding departments (to change it)."""
    from yaojian.enforcement.choices import DecisionState

    return case.decisions.filter(
        state=DecisionState.EFFECTIVE,
        department_id__in=sorted(case_access.deciding_departments),
    ).exists()


def _notifiable(case: Any, case_access: Any = None) -> bool:
    decision = proposed_decision(case)
    return (
        not _review_pending(case)
        and latest_review_approved(case)
        and decision is not None
        and decision.items.exists()
    )


def _officers(data: dict[str, Any]) -> list[Any] | None:
    return list(data["officers"]) or None


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "verify",
            _("Start verification"),
            forms.OfficersForm,
            "change",
            (S.CLUE,),
            lambda u, c, d: services.begin_verification(actor=u, case=c, officers=_officers(d)),
        ),
        Action(
            "file",
            _("File the case"),
            forms.FileForm,
            "approve",
            (S.CLUE, S.VERIFICATION),
            lambda u, c, d: services.file_case(
                actor=u,
                case=c,
                officers=_officers(d),
                is_major=d["is_major"],
                opinion=d["opinion"],
                legal_basis=d.get("legal_basis", ""),
                officer_opinion=d.get("officer_opinion", ""),
            ),
        ),
        Action(
            "not_file",
            _("Do not file"),
            forms.ReasonForm,
            "approve",
            (S.CLUE, S.VERIFICATION),
            lambda u, c, d: services.decline_case(actor=u, case=c, reason=d["reason"]),
        ),
        Action(
            "evidence",
            _("Add evidence"),
            forms.EvidenceForm,
            "change",
            WORK,
            lambda u, c, d: services.add_evidence(
                actor=u,
                case=c,
                kind=d["kind"],
                description=d["description"],
                collected_on=d["collected_on"],
                file=d.get("file"),
            ),
        ),
        Action(
            "measure",
            _("Apply preservation or seizure"),
            forms.MeasureForm,
            "change",
            WORK,
            lambda u, c, d: services.apply_measure(
                actor=u, case=c, kind=d["kind"], items=d["items"]
            ),
        ),
        Action(
            "end_measure",
            _("End a measure"),
            forms.EndMeasureForm,
            "change",
            OPEN,
            lambda u, c, d: services.end_measure(
                actor=u, measure=d["measure"], outcome=d["outcome"]
            ),
        ),
        Action(
            "participant",
            _("Add a participating department"),
            forms.DepartmentForm,
            "change",
            OPEN,
            lambda u, c, d: services.add_participant(actor=u, case=c, department=d["department"]),
        ),
        Action(
            "task",
            _("Give a joint task"),
            forms.TaskForm,
            "change",
            OPEN,
            lambda u, c, d: services.create_task(
                actor=u,
                case=c,
                department=d["department"],
                description=d["description"],
                due_working_days=d["due_working_days"],
            ),
        ),
        Action(
            "assistance",
            _("Send an assistance request"),
            forms.AssistanceForm,
            "change",
            OPEN,
            lambda u, c, d: services.send_assistance_request(
                actor=u,
                case=c,
                to_department=d["to_department"],
                subject=d["subject"],
                questions=d["questions"],
                due_working_days=d["due_working_days"],
            ),
        ),
        Action(
            "pause",
            _("Pause a clock"),
            forms.PauseForm,
            "change",
            OPEN,
            lambda u, c, d: services.pause_clock(
                actor=u,
                clock=d["clock"],
                reason=d["reason"],
                note=d["note"],
                paused_on=d.get("paused_on"),
            ),
        ),
        Action(
            "resume",
            _("Resume a clock"),
            forms.ResumeForm,
            "change",
            OPEN,
            lambda u, c, d: services.resume_clock(
                actor=u, clock=d["clock"], resumed_on=d.get("resumed_on")
            ),
        ),
        Action(
            "extension",
            _("Request an extension"),
            forms.ExtensionForm,
            "change",
            OPEN,
            lambda u, c, d: services.request_extension(
                actor=u,
                clock=d["clock"],
                days=d["days"],
                reason=d["reason"],
                is_collective=d["is_collective"],
            ),
        ),
        Action(
            "decide_extension",
            _("Approve or refuse an extension"),
            forms.DecideExtensionForm,
            "approve",
            OPEN,
            lambda u, c, d: services.decide_extension(
                actor=u, extension=d["extension"], approve=d["approve"]
            ),
            ready=_extension_requested,
        ),
        Action(
            "propose",
            _("Propose the penalty"),
            forms.ProposeForm,
            "change",
            (S.INVESTIGATION,),
            lambda u, c, d: services.propose_penalty(
                actor=u,
                case=c,
                violation=d["violation"],
                legal_basis=d["legal_basis"],
                items=d["_items"],
            ),
        ),
        Action(
            "submit_review",
            _("Submit for review"),
            forms.EmptyForm,
            "change",
            (S.INVESTIGATION,),
            lambda u, c, d: services.submit_for_review(actor=u, case=c),
        ),
        Action(
            "review",
            _("Review opinion"),
            forms.ReviewForm,
            "review",
            (S.REVIEW,),
            lambda u, c, d: services.review_case(
                actor=u, case=c, opinion=d["opinion"], conclusion=d["conclusion"]
            ),
            _review_pending,
        ),
        Action(
            "notice",
            _("Issue the notice of proposed penalty"),
            forms.EmptyForm,
            "change",
            (S.REVIEW,),
            lambda u, c, d: services.issue_notice(actor=u, case=c),
            _notifiable,
        ),
        Action(
            "defence",
            _("Record the defence or waiver"),
            forms.DefenceForm,
            "change",
            (S.NOTICE,),
            lambda u, c, d: services.record_defence(
                actor=u,
                case=c,
                kind=d["kind"],
                text=d["text"],
                hearing_requested=d["hearing_requested"],
            ),
        ),
        Action(
            "presiding",
            _("Appoint the presiding officer"),
            forms.PresidingForm,
            "approve",
            (S.HEARING,),
            lambda u, c, d: services.appoint_presiding_officer(
                actor=u, case=c, presiding_officer=d["presiding_officer"]
            ),
        ),
        Action(
            "hand_over",
            _("Hand over the case file"),
            forms.EmptyForm,
            "change",
            (S.HEARING,),
            lambda u, c, d: services.hand_over_file(actor=u, case=c),
        ),
        Action(
            "schedule",
            _("Schedule the hearing"),
            forms.ScheduleForm,
            "change",
            (S.HEARING,),
            lambda u, c, d: services.schedule_hearing(
                actor=u,
                case=c,
                scheduled_for=d["scheduled_for"],
                place=d["place"],
                notice_served_on=d.get("notice_served_on"),
                announced_on=d.get("announced_on"),
                is_public=d.get("is_public", True),
            ),
        ),
        Action(
            "held",
            _("Record the hearing held"),
            forms.EmptyForm,
            "change",
            (S.HEARING,),
            lambda u, c, d: services.record_hearing_held(actor=u, case=c),
        ),
        Action(
            "report",
            _("Submit the hearing report"),
            forms.ReportForm,
            "change",
            (S.HEARING,),
            lambda u, c, d: services.submit_hearing_report(actor=u, case=c, report=d["report"]),
        ),
        Action(
            "decide",
            _("Decide"),
            forms.DecideForm,
            "approve",
            (S.REVIEW, S.NOTICE, S.HEARING),
            lambda u, c, d: services.decide_case(actor=u, case=c, is_collective=d["is_collective"]),
            _decidable,
        ),
        Action(
            "serve",
            _("Record the service of the decision"),
            forms.EmptyForm,
            "change",
            (S.DECIDED,),
            lambda u, c, d: services.serve_decision(actor=u, case=c),
        ),
        Action(
            "payment",
            _("Record a payment"),
            forms.PaymentForm,
            "change",
            (S.EXECUTION,),
            lambda u, c, d: services.record_payment(
                actor=u,
                decision=c.decisions.filter(department=c.department, state="effective").latest(
                    "id"
                ),
                amount=d["amount"],
            ),
        ),
        Action(
            "close",
            _("Close the case"),
            forms.CloseForm,
            "approve",
            (S.EXECUTION,),
            lambda u, c, d: services.close_case(actor=u, case=c, note=d["note"]),
        ),
        Action(
            "drop",
            _("Drop the case (撤销立案)"),
            forms.CloseForm,
            "approve",
            (S.INVESTIGATION,),
            lambda u, c, d: services.close_case(actor=u, case=c, note=d["note"]),
        ),
        Action(
            "department_decision",
            _("Record our department's decision"),
            forms.DepartmentDecisionForm,
            "participant_head",
            FILED,
            lambda u, c, d: services.record_department_decision(
                actor=u,
                case=c,
                department=d["department"],
                violation=d["violation"],
                legal_basis=d["legal_basis"],
                items=d["_items"],
            ),
        ),
        Action(
            "change_decision",
            _("Change, revoke or void a decision"),
            forms.ChangeDecisionForm,
            "decider",
            AFTER_FILING,
            lambda u, c, d: services.change_decision(
                actor=u, decision=d["decision"], change=d["change"], reason=d["reason"]
            ),
            _has_own_decision,
        ),
    )
}


def cleaned(action: Action, form: forms.CaseForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    if isinstance(form, forms.ProposeForm | forms.DepartmentDecisionForm):
        data["_items"] = form.items()
    return data
