"""Decisions (行政处罚决定) of a case, their penalty items and payments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.enforcement.choices import DecisionState, PenaltyKind
from yaojian.enforcement.models.case import Case


class Decision(PublicIdModel, TimeStampedModel):
    """A decision of one department on a case; in a joint case several departments decide.

    The lead department's decision goes through notice (告知), defence and hearing while
    ``proposed``; it takes effect when the head decides. A participating department (e.g. the
    insurance bureau) records its own measures as its own decision.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_decisions",
        verbose_name=_("deciding department"),
    )
    number = models.CharField(_("document number"), max_length=64, blank=True)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DecisionState.choices, default=DecisionState.PROPOSED
    )
    violation = models.TextField(_("facts of the violation"))
    legal_basis = models.TextField(_("legal basis"))
    is_collective = models.BooleanField(_("collective decision"), default=False)
    simple_procedure = models.BooleanField(_("simple procedure"), default=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    change_reason = models.TextField(_("reason for the change"), blank=True)
    changed_on = models.DateField(_("changed on"), null=True, blank=True)
    payment_due_on = models.DateField(_("payment due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="enforcement_decision_department_year_sequence_unique",
            )
        ]

    def __str__(self) -> str:
        return self.number or str(_("(proposed decision)"))


class PenaltyItem(models.Model):
    """One penalty or measure of a decision."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="items", verbose_name=_("decision")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PenaltyKind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    conduct = models.CharField(_("conduct"), max_length=64, blank=True)
    goods_value = models.DecimalField(
        _("value of the goods (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_minimum = models.DecimalField(
        _("legal minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_maximum = models.DecimalField(
        _("legal maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    article = models.CharField(_("article"), max_length=128, blank=True)
    licence = models.ForeignKey(
        "registry.Licence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("licence"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    ban_years = models.PositiveIntegerField(
        _("ban (years)"), null=True, blank=True, help_text=_("Empty with a ban: for life.")
    )
    months = models.PositiveIntegerField(_("months"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("penalty item")
        verbose_name_plural = _("penalty items")
        ordering = ["decision_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="enforcement_penaltyitem_amount_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Payment(TimeStampedModel):
    """A payment towards a decision's fine, with the late fee owed at that date."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="payments", verbose_name=_("decision")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    late_fee = models.DecimalField(_("late fee (yuan)"), max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["decision_id", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="enforcement_payment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_on})"
