"""Complaints (投诉) and reports (举报) from the public and other channels, with the reporter's
identity kept apart (``ReporterIdentity``), attachments, a public timeline and rewards."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import overseen_department_ids, scope_for
from yaojian.complaints.choices import (
    Channel,
    Kind,
    NoticeKind,
    OutcomeKind,
    RefusalGround,
    RewardState,
    RewardTier,
    State,
    Topic,
)
from yaojian.complaints.permissions import VIEW
from yaojian.core.models import PublicIdModel, TimeStampedModel


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    """A complaint belongs to its handling department. ``view``: members of that department
    holding ``complaints.view_complaint``, and those who oversee it (heads, leaders); other
    actions (``handle``, ``add``, ``approve``): the handling department's members holding
    ``complaints.<action>_complaint`` (``approve_reward`` for approve)."""

    def visible_to(self, user: Any, action: str = "view") -> ComplaintQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        permission = {
            "view": VIEW,
            "approve": "complaints.approve_reward",
        }.get(action, f"complaints.{action}_complaint")
        ids = {m.department_id for m in scope.members_with(permission)}
        if action == "view":
            ids |= set(overseen_department_ids(user, VIEW) or ())
        if not ids:
            return self.none()
        return self.filter(department_id__in=sorted(ids))


class Complaint(PublicIdModel, TimeStampedModel):
    """A complaint or a report, from its receipt to its outcome.

    ``due_on``/``clock_kind`` repeat the most urgent running clock (``clocks.py``), so work
    lists sort and filter by urgency from an index. The reporter's identity and contact live
    only in :class:`ReporterIdentity`; this row carries hashes for rate limits and duplicates.
    """

    number = models.CharField(_("tracking number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("handling department"),
    )
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Where the respondent does business, or where the conduct occurred."),
    )
    routing_basis = models.CharField(_("routing basis"), max_length=200, blank=True)
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("entity"),
    )
    subject_name = models.CharField(_("respondent"), max_length=200)
    subject_address = models.CharField(_("respondent's address"), max_length=200, blank=True)
    is_ecommerce = models.BooleanField(_("bought online"), default=False)
    platform_name = models.CharField(_("platform"), max_length=200, blank=True)
    platform_region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("platform's domicile"),
    )
    summary = models.TextField(_("what happened"))
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)
    products = models.CharField(_("products"), max_length=500, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_hash = models.CharField(_("contact fingerprint"), max_length=64, blank=True)
    address_hash = models.CharField(_("address fingerprint"), max_length=64, blank=True)
    text_key = models.CharField(_("text key"), max_length=500, blank=True)
    query_code_hash = models.CharField(_("query code hash"), max_length=64)
    challenge_nonce = models.CharField(
        _("challenge nonce"), max_length=32, null=True, blank=True, unique=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    source_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received from"),
    )
    external_reference = models.CharField(_("external reference"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    refusal_ground = models.CharField(
        _("ground"), max_length=24, choices=RefusalGround.choices, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    mediation_started_on = models.DateField(_("mediation started on"), null=True, blank=True)
    testing_days = models.PositiveIntegerField(
        _("testing days"),
        default=0,
        help_text=_("Working days of testing or appraisal, excluded from the mediation period."),
    )
    mediation_ended_on = models.DateField(_("mediation ended on"), null=True, blank=True)
    parties_notified_on = models.DateField(_("parties told on"), null=True, blank=True)
    case = models.ForeignKey(
        "enforcement.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("case"),
    )
    opening_decided_on = models.DateField(_("opening decided on"), null=True, blank=True)
    reporter_told_on = models.DateField(_("reporter told on"), null=True, blank=True)
    outcome_kind = models.CharField(
        _("outcome"), max_length=24, choices=OutcomeKind.choices, blank=True
    )
    outcome = models.TextField(_("outcome and reasons"), blank=True)
    penalty_amount = models.DecimalField(
        _("fines and confiscations"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    transferred_to = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to"),
    )
    dispute_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department claimed competent"),
    )
    dispute_reason = models.TextField(_("reason of the dispute"), blank=True)
    dispute_raised_on = models.DateField(_("dispute raised on"), null=True, blank=True)
    dispute_resolved_on = models.DateField(_("dispute settled on"), null=True, blank=True)
    due_on = models.DateField(_("next due on"), null=True, blank=True)
    clock_kind = models.CharField(_("next clock"), max_length=24, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    publish_outcome = models.BooleanField(_("outcome published"), default=False)
    public_summary = models.TextField(_("published summary"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state"], name="complaints_dept_state"),
            models.Index(fields=["due_on"], name="complaints_due_on"),
            models.Index(fields=["contact_hash", "received_at"], name="complaints_contact"),
            models.Index(fields=["address_hash", "received_at"], name="complaints_address"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_ground=""),
                name="complaints_complaint_refusal_has_ground",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_report(self) -> bool:
        return self.kind == Kind.REPORT


class ReporterIdentity(models.Model):
    """Who complained or reported, and how to reach them. Confidential (第33条): read only
    through ``selectors.reveal_reporter`` (handling officers of the handling department, each
    view audited); never serialised, exported, printed or sent."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="identity", verbose_name=_("complaint")
    )
    name = models.CharField(_("name"), max_length=64, blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    payee_account = models.CharField(_("account for the reward"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("reporter's identity")
        verbose_name_plural = _("reporters' identities")
        ordering = ["complaint_id"]

    def __str__(self) -> str:
        return f"identity of {self.complaint_id}"


class Attachment(models.Model):
    """A photo, receipt or PDF sent with a complaint; its type sniffed from the content."""

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("complaint"),
    )
    filename = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["complaint_id", "id"]

    def __str__(self) -> str:
        return self.filename


class ComplaintNotice(PublicIdModel):
    """The acceptance or refusal notice (受理/不予受理告知书) of a complaint: a PDF rendered with
    the documents app's renderer, stored here with its SHA-256 (immutable). The complainant
    downloads it with the tracking number and query code; the handling officers from the
    complaint's page. It never carries the complainant's identity."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="notices", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=120)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("complaint notice")
        verbose_name_plural = _("complaint notices")
        ordering = ["complaint_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind"], name="complaints_notice_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return f"{self.complaint.number}-{self.kind}.pdf"


class ComplaintStep(models.Model):
    """One step of a complaint's timeline; ``is_public`` steps are shown to the reporter."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="steps", verbose_name=_("complaint")
    )
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from state"), max_length=16, blank=True)
    to_state = models.CharField(_("to state"), max_length=16, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the reporter"), default=True)

    class Meta:
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        ordering = ["complaint_id", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.action}"


class Reward(PublicIdModel, TimeStampedModel):
    """A reporter's reward (举报奖励): proposed from the final penalty, approved, claimed with
    the query code, paid."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="reward", verbose_name=_("report")
    )
    basis = models.DecimalField(_("fines and confiscations"), max_digits=14, decimal_places=2)
    tier = models.CharField(_("tier"), max_length=1, choices=RewardTier.choices)
    is_insider = models.BooleanField(_("insider"), default=False)
    amount = models.DecimalField(_("reward"), max_digits=12, decimal_places=2)
    needs_finance_approval = models.BooleanField(_("needs the finance department"), default=False)
    finance_reference = models.CharField(_("finance approval"), max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=RewardState.choices, default=RewardState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.amount}"


class ThrottleHit(models.Model):
    """One counted attempt for the public rate limits (per address, per contact, tracking
    failures), so every web worker shares them."""

    scope = models.CharField(_("scope"), max_length=16)
    key = models.CharField(_("key"), max_length=64)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("rate-limit hit")
        verbose_name_plural = _("rate-limit hits")
        ordering = ["-at"]
        indexes = [models.Index(fields=["scope", "key", "at"], name="complaints_throttle")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:8]}"
