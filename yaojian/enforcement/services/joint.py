"""Writes of joint cases: participants, joint tasks, assistance requests (协查函)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.enforcement import access, clock_rules, permissions
from yaojian.enforcement.choices import (
    AssistanceState,
    CaseDocumentKind,
    CaseStage,
    ClockKind,
    TaskState,
)
from yaojian.enforcement.models import (
    AssistanceRequest,
    Case,
    CaseDocument,
    CaseParticipant,
    JointTask,
)
from yaojian.enforcement.services.clocks import start_clock, stop_clock
from yaojian.enforcement.services.common import (
    lock_case,
    log_step,
    require,
    required_text,
    today,
)
from yaojian.enforcement.services.investigation import sha256_of

CLOSED = (CaseStage.CLOSED, CaseStage.NOT_FILED)


@transaction.atomic
def add_participant(*, actor: Any, case: Case, department: Department) -> CaseParticipant:
    """Make a department (any kind) a participant of the joint case."""
    case = lock_case(actor, case, "change")
    require(case.stage not in CLOSED, _("The case is closed."), "closed")
    require(
        department is not None and department.pk != case.department_id,
        _("Choose another department."),
        "invalid",
        "department",
    )
    require(
        not case.participants.filter(department=department).exists(),
        _("%(department)s already takes part in the case."),
        "duplicate",
        "department",
        department=str(department),
    )
    participant = CaseParticipant.objects.create(case=case, department=department, added_by=actor)
    log_step(
        case=case, actor=actor, action="participant_added", changes={"department": department.code}
    )
    return participant


@transaction.atomic
def create_task(
    *,
    actor: Any,
    case: Case,
    department: Department,
    description: str,
    due_working_days: Any = None,
) -> JointTask:
    """Give a task to the lead or a participating department, due in working days."""
    case = lock_case(actor, case, "change")
    require(case.stage not in CLOSED, _("The case is closed."), "closed")
    require(
        department is not None
        and (
            department.pk == case.department_id
            or case.participants.filter(department=department).exists()
        ),
        _("Add the department as a participant first."),
        "not_participant",
        "department",
    )
    description = required_text(description, "description", _("Describe the task."))
    days = _due_working_days(due_working_days, "joint_task_wd")
    clock = start_clock(
        case=case,
        kind=ClockKind.JOINT_TASK,
        started_on=today(),
        department=department,
        label=description[:200],
        period=days,
    )
    task = JointTask.objects.create(
        case=case,
        department=department,
        description=description,
        due_working_days=days,
        clock=clock,
        created_by=actor,
    )
    log_step(
        case=case,
        actor=actor,
        action="task_created",
        obj=task,
        changes={"department": department.code, "due_on": str(clock.due_on)},
    )
    return task


def _attach(files: list[Any], *, case: Case, department: Any, actor: Any, **link: Any) -> None:
    for file in files or []:
        CaseDocument.objects.create(
            case=case,
            kind=CaseDocumentKind.ATTACHMENT,
            title=getattr(file, "name", "")[:200] or str(_("Attachment")),
            file=file,
            sha256=sha256_of(file),
            shared=True,
            department=department,
            created_by=actor,
            **link,
        )


@transaction.atomic
def complete_task(
    *, actor: Any, task: JointTask, outcome: str, files: list[Any] | None = None
) -> JointTask:
    """The assignee department returns its outcome (text and attachments)."""
    if not Case.objects.visible_to(actor).filter(pk=task.case_id).exists():
        raise JointTask.DoesNotExist
    if not access.acts_for(actor, permissions.CHANGE, task.department_id):
        raise PermissionDenied(
            _("Only the case officers of the assigned department may complete this task.")
        )
    task = (
        JointTask.objects.select_for_update(no_key=True)
        .select_related("case", "clock")
        .get(pk=task.pk)
    )
    require(task.state == TaskState.OPEN, _("This task is already done."), "done")
    outcome = required_text(outcome, "outcome", _("Report the outcome."))
    on = today()
    task.state, task.outcome, task.completed_on, task.completed_by = (
        TaskState.DONE,
        outcome,
        on,
        actor,
    )
    task.save(update_fields=["state", "outcome", "completed_on", "completed_by", "updated_at"])
    task.clock.case = task.case
    stop_clock(task.clock, on)
    _attach(files or [], case=task.case, department=task.department, actor=actor, task=task)
    log_step(
        case=task.case,
        actor=actor,
        action="task_completed",
        obj=task,
        department=task.department,
        note=outcome,
    )
    return task


@transaction.atomic
def send_assistance_request(
    *,
    actor: Any,
    case: Case,
    to_department: Department,
    subject: str,
    questions: str,
    due_working_days: Any = None,
) -> AssistanceRequest:
    """Send a 协查函 to a department of another region or level (default 15 wd)."""
    case = lock_case(actor, case, "change")
    require(case.stage not in CLOSED, _("The case is closed."), "closed")
    require(
        to_department is not None and to_department.pk != case.department_id,
        _("Choose another department."),
        "invalid",
        "to_department",
    )
    subject = required_text(subject, "subject", _("Give the request a subject."))
    questions = required_text(questions, "questions", _("Say what should be checked."))
    days = _due_working_days(due_working_days, "assistance_wd")
    on = today()
    clock = start_clock(
        case=case,
        kind=ClockKind.ASSISTANCE,
        started_on=on,
        department=to_department,
        label=subject[:200],
        period=days,
    )
    request = AssistanceRequest.objects.create(
        case=case,
        to_department=to_department,
        subject=subject,
        questions=questions,
        sent_on=on,
        clock=clock,
        sent_by=actor,
    )
    log_step(
        case=case,
        actor=actor,
        action="assistance_requested",
        obj=request,
        changes={"to": to_department.code, "due_on": str(clock.due_on)},
    )
    return request


@transaction.atomic
def answer_assistance_request(
    *, actor: Any, request: AssistanceRequest, answer: str, files: list[Any] | None = None
) -> AssistanceRequest:
    """The requested department answers (its case officers)."""
    if not access.acts_for(actor, permissions.VIEW, request.to_department_id):
        raise AssistanceRequest.DoesNotExist
    if not access.acts_for(actor, permissions.CHANGE, request.to_department_id):
        raise PermissionDenied(_("Only the case officers of the requested department may answer."))
    request = (
        AssistanceRequest.objects.select_for_update(no_key=True)
        .select_related("case", "clock")
        .get(pk=request.pk)
    )
    require(
        request.state == AssistanceState.SENT,
        _("This request has already been answered."),
        "answered",
    )
    answer = required_text(answer, "answer", _("Write the answer."))
    on = today()
    request.state, request.answer, request.answered_on, request.answered_by = (
        AssistanceState.ANSWERED,
        answer,
        on,
        actor,
    )
    request.save(update_fields=["state", "answer", "answered_on", "answered_by", "updated_at"])
    request.clock.case = request.case
    stop_clock(request.clock, on)
    _attach(
        files or [],
        case=request.case,
        department=request.to_department,
        actor=actor,
        assistance_request=request,
    )
    log_step(
        case=request.case,
        actor=actor,
        action="assistance_answered",
        obj=request,
        department=request.to_department,
    )
    return request


def _due_working_days(value: Any, default_key: str) -> int:
    """The working days a task or request is due in: ``value``, else the configured default."""
    try:
        days = int(value) if value not in (None, "") else int(clock_rules.value(default_key))
    except (TypeError, ValueError):
        days = 0
    require(
        0 < days <= 250,
        _("Enter a number of working days between 1 and 250."),
        "invalid",
        "due_working_days",
    )
    return days
