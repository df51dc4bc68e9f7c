"""A criminal referral (行刑衔接): a case's transfer to the police, step by step, with clocks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import scope_for
from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.referrals.choices import POLICE_STATES, PoliceComplexity, ReferralState


class ReferralQuerySet(models.QuerySet["Referral"]):
    """Referrals are seen by the referring department's members (``referrals.view_referral``)
    and by the members of the police department they are addressed to (once transferred),
    or that forwarded them."""

    def visible_to(self, user: Any, action: str = "view") -> ReferralQuerySet:
        """Referrals ``user`` may ``action`` (``view`` / ``change`` / ``approve`` / ``answer``)."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        ids = sorted({m.department_id for m in scope.members_with(f"referrals.{action}_referral")})
        if not ids:
            return self.none()
        if action == "answer":
            return self.filter(state__in=sorted(POLICE_STATES), police_department_id__in=ids)
        if action == "view":
            police = Q(state__in=sorted(POLICE_STATES)) & (
                Q(police_department_id__in=ids) | Q(forwarded_from_id__in=ids)
            )
            return self.filter(Q(department_id__in=ids) | police)
        return self.filter(department_id__in=ids)


class Referral(PublicIdModel, TimeStampedModel):
    """The transfer of a suspected crime found in an enforcement case to the police.

    Every step's time is kept, so each clock of DOMAIN.md §2.7 is computed from them
    (``referrals.clocks``). ``police_department`` is where it is now; ``forwarded_from`` the
    police department that passed it on (第7条).
    """

    case = models.ForeignKey(
        "enforcement.Case",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("case"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("referring department"),
    )
    police_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("police department"),
    )
    forwarded_from = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forwarded by"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReferralState.choices, default=ReferralState.REPORTED
    )
    suspected_crime = models.CharField(_("suspected crime"), max_length=200)
    report = models.TextField(_("transfer report"))
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("team")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    letter_document_id = models.UUIDField(_("transfer letter"), null=True, blank=True)
    received_at = models.DateTimeField(_("receipt signed at"), null=True, blank=True)
    complexity = models.CharField(
        _("complexity"),
        max_length=16,
        choices=PoliceComplexity.choices,
        default=PoliceComplexity.ORDINARY,
    )
    complexity_approval = models.CharField(
        _("approval of the longer period"), max_length=200, blank=True
    )
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_reasons = models.TextField(_("reasons of the answer"), blank=True)
    police_case_number = models.CharField(_("police case number"), max_length=64, blank=True)
    reconsideration_requested_at = models.DateTimeField(
        _("reconsideration requested at"), null=True, blank=True
    )
    reconsideration_reasons = models.TextField(_("reasons for reconsideration"), blank=True)
    reconsideration_decided_at = models.DateTimeField(
        _("reconsideration decided at"), null=True, blank=True
    )
    reconsideration_answer = models.TextField(_("reconsideration answer"), blank=True)
    supervision_requested_at = models.DateTimeField(
        _("supervision requested at"), null=True, blank=True
    )
    procuratorate = models.CharField(_("procuratorate"), max_length=200, blank=True)
    supervision_note = models.TextField(_("supervision request"), blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handover_note = models.TextField(_("items and materials handed over"), blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("criminal referral")
        verbose_name_plural = _("criminal referrals")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state"], name="referrals_dept_state"),
            models.Index(fields=["police_department", "state"], name="referrals_police_state"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.suspected_crime}"


class ReferralStep(models.Model):
    """One step of a referral, as shown on its timeline (the audit chain has the same)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="steps", verbose_name=_("referral")
    )
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from state"), max_length=16, blank=True)
    to_state = models.CharField(_("to state"), max_length=16)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("department"),
    )
    note = models.TextField(_("note"), blank=True)
    is_late = models.BooleanField(_("after the deadline"), default=False)

    class Meta:
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        ordering = ["referral_id", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.action}"
