"""The work on a case: evidence, measures, reviews, defence, hearing, joint tasks,
assistance requests and generated documents."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.enforcement.choices import (
    AssistanceState,
    CaseDocumentKind,
    DefenceKind,
    EvidenceKind,
    MeasureKind,
    ReviewConclusion,
    ReviewKind,
    TaskState,
)
from yaojian.enforcement.models.case import Case
from yaojian.enforcement.models.clock import CaseClock


def _user_fk(verbose: Any, *, null: bool = False) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
        verbose_name=verbose,
    )


class EvidenceItem(PublicIdModel, TimeStampedModel):
    """One item of evidence; seen only by the lead department."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    description = models.TextField(_("description"))
    collected_on = models.DateField(_("collected on"))
    file = models.FileField(_("file"), upload_to="enforcement/evidence/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    collected_by = _user_fk(_("collected by"))

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["case_id", "collected_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class Measure(PublicIdModel, TimeStampedModel):
    """先行登记保存 or 查封扣押, with its clock."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="measures", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeasureKind.choices)
    items = models.TextField(_("items"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    clock = models.OneToOneField(
        CaseClock, on_delete=models.PROTECT, related_name="measure", verbose_name=_("clock")
    )
    applied_by = _user_fk(_("applied by"))

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["case_id", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class Review(TimeStampedModel):
    """A review opinion (法制审核 or 案件审核)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReviewKind.choices)
    reviewer = _user_fk(_("reviewer"))
    opinion = models.TextField(_("opinion"))
    conclusion = models.CharField(_("conclusion"), max_length=8, choices=ReviewConclusion.choices)
    reviewed_on = models.DateField(_("reviewed on"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["case_id", "reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_conclusion_display()}"


class Defence(TimeStampedModel):
    """The party's statement and defence, or its waiver (第57–58条)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="defences", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DefenceKind.choices)
    text = models.TextField(_("statement"), blank=True)
    received_on = models.DateField(_("received on"))
    hearing_requested = models.BooleanField(_("hearing requested"), default=False)
    recorded_by = _user_fk(_("recorded by"), null=True)

    class Meta:
        verbose_name = _("defence")
        verbose_name_plural = _("defences")
        ordering = ["case_id", "received_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Hearing(TimeStampedModel):
    """A hearing (听证) and its timetable (听证办法 第7–29条)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="hearing", verbose_name=_("case")
    )
    requested_on = models.DateField(_("requested on"))
    presiding_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presiding officer"),
    )
    presiding_appointed_on = models.DateField(_("presiding officer appointed on"), null=True)
    file_handed_on = models.DateField(_("case file handed over on"), null=True)
    scheduled_for = models.DateField(_("hearing date"), null=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    notice_served_on = models.DateField(_("hearing notice served on"), null=True)
    is_public = models.BooleanField(
        _("public hearing"),
        default=True,
        help_text=_("Hearings on state secrets, trade secrets or privacy are not public."),
    )
    announced_on = models.DateField(
        _("public announcement on"),
        null=True,
        help_text=_("At least 3 working days before a public hearing (听证办法 第22条)."),
    )
    held_on = models.DateField(_("held on"), null=True)
    report_on = models.DateField(_("report on"), null=True)
    report = models.TextField(_("hearing report"), blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["case_id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.scheduled_for or self.requested_on}"


class JointTask(PublicIdModel, TimeStampedModel):
    """A task of a joint case given to a department, with its deadline and its outcome."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("case")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_tasks",
        verbose_name=_("assignee department"),
    )
    description = models.TextField(_("description"))
    due_working_days = models.PositiveIntegerField(_("due in working days"))
    clock = models.OneToOneField(
        CaseClock, on_delete=models.PROTECT, related_name="task", verbose_name=_("clock")
    )
    state = models.CharField(
        _("state"), max_length=8, choices=TaskState.choices, default=TaskState.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = _user_fk(_("completed by"), null=True)
    created_by = _user_fk(_("given by"))

    class Meta:
        verbose_name = _("joint task")
        verbose_name_plural = _("joint tasks")
        ordering = ["case_id", "id"]
        indexes = [models.Index(fields=["department", "state"], name="enforcement_task_dept")]

    def __str__(self) -> str:
        return self.description[:60]


class AssistanceRequest(PublicIdModel, TimeStampedModel):
    """An assistance request (协查函) to a department of another region or level."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assistance_requests", verbose_name=_("case")
    )
    to_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_assistance_requests",
        verbose_name=_("requested department"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    questions = models.TextField(_("what to check"))
    sent_on = models.DateField(_("sent on"))
    clock = models.OneToOneField(
        CaseClock, on_delete=models.PROTECT, related_name="assistance", verbose_name=_("clock")
    )
    state = models.CharField(
        _("state"), max_length=8, choices=AssistanceState.choices, default=AssistanceState.SENT
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = _user_fk(_("answered by"), null=True)
    sent_by = _user_fk(_("sent by"))

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["case_id", "sent_on", "id"]
        indexes = [models.Index(fields=["to_department", "state"], name="enforcement_assist_dept")]

    def __str__(self) -> str:
        return self.subject


class CaseDocument(PublicIdModel, TimeStampedModel):
    """A document of the case: a generated PDF (by the documents app) or an attachment.

    Generated documents keep the documents app's public id and SHA-256 (no foreign key:
    the file and its download live there). Attachments are stored here. ``shared`` opens
    a document to the participating departments.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CaseDocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    document_public_id = models.UUIDField(_("document id"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="enforcement/documents/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    shared = models.BooleanField(_("shared with participants"), default=False)
    task = models.ForeignKey(
        JointTask,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("joint task"),
    )
    assistance_request = models.ForeignKey(
        AssistanceRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("assistance request"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("The department that produced the document."),
    )
    created_by = _user_fk(_("created by"), null=True)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["case_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.title
