"""Problems pushed between departments, the routing rules that pick the recipients, notices.

Scoping (who sees which rows) is decided here, once:

* a **notice** is seen by the members of its sender and of its recipient department;
* a **problem** is seen by the members of the reporting department and of every department
  it was pushed to (a notice about it);
* **personal data** on a problem is masked outside the reporting department unless it gave
  the reader's department an active ShareGrant of kind ``personal_data``
  (``selectors.personal_data_department_id``); every unmasked cross-department read is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.scoping import ScopedQuerySet, overseen_department_ids, scope_for
from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.notices.choices import (
    NoticeEventKind,
    NoticeState,
    PersonRole,
    TargetLevel,
)
from yaojian.registry.choices import EntityKind


class ProblemCategory(models.Model):
    """A kind of problem (假药, 劣药, 无证经营 …) that routing rules are keyed on."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=96)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class RoutingRule(PublicIdModel, TimeStampedModel):
    """Problem category × entity kind → a department kind to notify, with a clock and a question."""

    category = models.ForeignKey(
        ProblemCategory,
        on_delete=models.PROTECT,
        related_name="routing_rules",
        verbose_name=_("problem category"),
    )
    entity_kind = models.CharField(
        _("entity kind"),
        max_length=32,
        choices=EntityKind.choices,
        blank=True,
        help_text=_("Empty: any entity, and problems without an entity."),
    )
    target_kind = models.CharField(
        _("department to notify"), max_length=32, choices=DepartmentKind.choices
    )
    target_level = models.CharField(
        _("level"),
        max_length=16,
        choices=TargetLevel.choices,
        default=TargetLevel.SAME,
        help_text=_("The department covering the problem's region, its city, or the province."),
    )
    due_working_days = models.PositiveSmallIntegerField(_("deadline (working days)"), default=10)
    expected_answer = models.TextField(_("answer expected"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category__order", "category__code", "entity_kind", "target_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "entity_kind", "target_kind", "target_level"],
                name="notices_routingrule_unique",
            ),
            models.CheckConstraint(
                condition=Q(due_working_days__gte=1) & Q(due_working_days__lte=60),
                name="notices_routingrule_due_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} × {self.get_entity_kind_display() or '*'} → {self.get_target_kind_display()}"


class ProblemQuerySet(ScopedQuerySet["Problem"]):
    """Problems: the reporting department and the departments they were pushed to."""

    def visible_to(self, user: Any, action: str = "view") -> ProblemQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if action != "view":
            return super().visible_to(user, action)  # type: ignore[return-value]
        ids = sorted(scope.department_ids | (overseen_department_ids(user) or frozenset()))
        return self.filter(
            Q(department_id__in=ids)
            | Q(pk__in=Notice.objects.filter(recipient_id__in=ids).values("problem_id"))
        )


class Problem(PublicIdModel, TimeStampedModel):
    """A problem one department found that others must act on (信息推送的源头)."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="notices_problems",
        verbose_name=_("reporting department"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices_problems",
        verbose_name=_("entity"),
    )
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    category = models.ForeignKey(
        ProblemCategory,
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("problem category"),
    )
    description = models.TextField(_("description"))
    found_on = models.DateField(_("found on"))

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "-created_at"], name="notices_problem_dept")]

    def __str__(self) -> str:
        return f"{self.category} {self.found_on.isoformat()}"


class ProblemPerson(models.Model):
    """Personal data carried by a problem: a patient, insured person or complainant."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="persons", verbose_name=_("problem")
    )
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices)
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("identity card number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("person in a problem")
        verbose_name_plural = _("persons in problems")
        ordering = ["problem", "id"]

    def __str__(self) -> str:
        return self.get_role_display()


class NoticeQuerySet(ScopedQuerySet["Notice"]):
    """Notices: seen by the members of the sender and the recipient department."""

    def visible_to(self, user: Any, action: str = "view") -> NoticeQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        # Members' own departments, and those a leader or head oversees (view only).
        ids_set = set(scope.department_ids)
        if action == "view":
            ids_set |= overseen_department_ids(user) or frozenset()
        ids = sorted(ids_set)
        return self.filter(Q(recipient_id__in=ids) | Q(sender_id__in=ids))


class Notice(PublicIdModel, TimeStampedModel):
    """One department's message to another, with a working-day clock and an answer expected."""

    problem = models.ForeignKey(
        Problem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("problem"),
    )
    rule = models.ForeignKey(
        RoutingRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("routing rule"),
    )
    escalated_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("escalated from"),
    )
    sender = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="notices_sent",
        verbose_name=_("sender department"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    recipient = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="notices_received",
        verbose_name=_("recipient department"),
    )
    category = models.ForeignKey(
        ProblemCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("problem category"),
    )
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("entity"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    expected_answer = models.TextField(_("answer expected"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=NoticeState.choices, default=NoticeState.UNREAD
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"),
        null=True,
        blank=True,
        help_text=_(
            "The working days from the day it was sent: the due date is recomputed from them "
            "when a year's holiday schedule is loaded or changed."
        ),
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    source_app = models.CharField(_("source app"), max_length=32, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=128, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "state", "-created_at"], name="notices_inbox"),
            models.Index(fields=["sender", "-created_at"], name="notices_sent"),
            models.Index(fields=["state", "due_on"], name="notices_open_due"),
            # A department's open notices by deadline (the first page, the overdue count):
            # an index walk of the few open rows instead of a heap read of all of them.
            models.Index(
                fields=["recipient", "due_on", "id"],
                condition=Q(state__in=["acknowledged", "read", "unread"]),
                name="notices_open_by_recipient_due",
            ),
            # The open escalated notices of the heads' departments (the first page's
            # escalation section, the inbox's escalated tab): a handful among a department's
            # thousands of open notices, found without reading those from the heap.
            models.Index(
                fields=["recipient"],
                condition=Q(escalation_level__gte=1, state__in=["acknowledged", "read", "unread"]),
                name="notices_escalated_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_level__lte=2), name="notices_notice_escalation_level"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Attachment(PublicIdModel, TimeStampedModel):
    """A file: evidence on a problem, or part of a notice's answer."""

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("problem"),
    )
    notice = models.ForeignKey(
        Notice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("notice"),
    )
    file = models.FileField(_("file"), upload_to="notices/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False, notice__isnull=True)
                | Q(problem__isnull=True, notice__isnull=False),
                name="notices_attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class NoticeEvent(models.Model):
    """Who did or saw what on a notice, and when (the notice's timeline)."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="events", verbose_name=_("notice")
    )
    kind = models.CharField(_("what"), max_length=16, choices=NoticeEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    occurred_at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
