"""Rewards (举报奖励): proposed from the final penalty, approved (the finance department signs
at or above the threshold), claimed by the reporter with the query code, paid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yaojian.audit.services import record
from yaojian.complaints.choices import Kind, RewardState, RewardTier, State
from yaojian.complaints.models import Complaint, ReporterIdentity, Reward
from yaojian.complaints.permissions import APPROVE, HANDLE
from yaojian.complaints.rewards import compute_reward
from yaojian.complaints.services.common import lock, raise_if, require, save, step, text


def _lock(reward: Reward, *states: str) -> Reward:
    locked = (
        Reward.objects.select_for_update(no_key=True, of=("self",))
        .select_related("complaint", "complaint__department")
        .get(pk=reward.pk)
    )
    if locked.state not in states:
        raise ValidationError(
            {
                "__all__": [
                    _("This step is not possible while the reward is “%(state)s”.")
                    % {"state": locked.get_state_display()}
                ]
            }
        )
    return locked


def _audit(actor: Any, reward: Reward, action: str, **changes: Any) -> None:
    record(
        actor=actor,
        action=f"complaints.reward_{action}",
        obj=reward,
        department=reward.complaint.department,
        changes={"state": reward.state, "amount": str(reward.amount), **changes},
    )


@transaction.atomic
def propose_reward(
    *, actor: Any, complaint: Complaint, tier: str, insider: bool = False, note: str = ""
) -> Reward:
    """Propose the reward of a report confirmed by a penalty decision."""
    complaint = Complaint.objects.select_for_update(no_key=True, of=("self",)).get(pk=complaint.pk)
    require(actor, HANDLE, complaint.department_id)
    errors: dict[str, list[str]] = {}
    if not complaint.is_report or complaint.state not in (State.CONCLUDED, State.CLOSED):
        errors["__all__"] = [_("Only a report confirmed by a decided case earns a reward.")]
    if complaint.penalty_amount is None:
        errors.setdefault("__all__", []).append(_("The case's penalty is not known yet."))
    if Reward.objects.filter(complaint=complaint).exists():
        errors.setdefault("__all__", []).append(_("A reward was proposed already."))
    if tier not in RewardTier.values:
        errors["tier"] = [_("Choose the tier.")]
    raise_if(errors)
    figure = compute_reward(basis=complaint.penalty_amount, tier=tier, insider=insider)  # type: ignore[arg-type]
    reward = Reward.objects.create(
        complaint=complaint,
        basis=figure.basis,
        tier=tier,
        is_insider=insider,
        amount=figure.amount,
        needs_finance_approval=figure.needs_finance_approval,
        proposed_by=actor,
        note=text({}, "note", note),
    )
    step(complaint, actor=actor, action="reward_proposed", note="", public=False)
    _audit(actor, reward, "proposed", tier=tier, insider=insider, basis=str(figure.basis))
    return reward


@transaction.atomic
def decide_reward(
    *, actor: Any, reward: Reward, approve: bool, finance_reference: str = "", note: str = ""
) -> Reward:
    """The head approves or rejects; at or above the threshold, only with the finance
    department's approval reference."""
    reward = _lock(reward, RewardState.PROPOSED)
    require(actor, APPROVE, reward.complaint.department_id)
    errors: dict[str, list[str]] = {}
    reference = text(errors, "finance_reference", finance_reference, limit=100)
    if approve and reward.needs_finance_approval and not reference:
        errors["finance_reference"] = [
            _("A reward this large needs the finance department's approval; give its reference.")
        ]
    if not approve and not (note or "").strip():
        errors["note"] = [_("A rejection must give its reasons.")]
    raise_if(errors)
    reward.state = RewardState.APPROVED if approve else RewardState.REJECTED
    reward.approved_by = actor
    reward.approved_at = timezone.now()
    reward.finance_reference = reference
    reward.note = text({}, "note", note) or reward.note
    reward.save()
    step(
        reward.complaint,
        actor=actor,
        action="reward_approved" if approve else "reward_rejected",
        note=_("A reward was approved; claim it with your query code.") if approve else "",
    )
    _audit(actor, reward, "approved" if approve else "rejected")
    return reward


@transaction.atomic
def claim_reward(*, complaint: Complaint, payee_account: str) -> Reward:
    """The reporter claims an approved reward (after proving the query code), naming where to
    pay it; the account is kept with the confidential identity."""
    reward = Reward.objects.filter(complaint=complaint).first()
    if reward is None:
        raise ValidationError({"__all__": [_("There is no reward to claim.")]})
    reward = _lock(reward, RewardState.APPROVED)
    errors: dict[str, list[str]] = {}
    account = text(errors, "payee_account", payee_account, _("Give the account to pay."), 64)
    raise_if(errors)
    identity, _created = ReporterIdentity.objects.get_or_create(complaint=complaint)
    identity.payee_account = account
    identity.save(update_fields=["payee_account"])
    reward.state = RewardState.CLAIMED
    reward.claimed_at = timezone.now()
    reward.save(update_fields=["state", "claimed_at", "updated_at"])
    step(complaint, actor=None, action="reward_claimed", note=_("You claimed the reward."))
    _audit(None, reward, "claimed")
    return reward


@transaction.atomic
def record_reward_payment(
    *, actor: Any, reward: Reward, reference: str, paid_on: dt.date | None = None
) -> Reward:
    """The payment was made."""
    reward = _lock(reward, RewardState.CLAIMED)
    require(actor, HANDLE, reward.complaint.department_id)
    errors: dict[str, list[str]] = {}
    reference = text(errors, "reference", reference, _("Give the payment reference."), 100)
    raise_if(errors)
    reward.state = RewardState.PAID
    reward.paid_on = paid_on or timezone.localdate()
    reward.payment_reference = reference
    reward.save()
    step(reward.complaint, actor=actor, action="reward_paid", note=_("The reward was paid."))
    _audit(actor, reward, "paid", reference=reference)
    return reward


@transaction.atomic
def penalty_changed(*, complaint: Complaint, change: str, changed_on: dt.date) -> Complaint:
    """The decision behind a substantiated report was changed, revoked or declared void (review,
    litigation, the office's own correction). The reward is computed from the final penalty:
    the superseded amount is cleared until a new decision gives it, a reward not yet claimed
    is withdrawn, and the reporter reads why. Idempotent (nothing to clear the second time)."""
    complaint = lock(complaint)
    if complaint.kind != Kind.REPORT or complaint.penalty_amount is None:
        return complaint
    params = {"date": changed_on.isoformat()}
    if change == "revoked":
        note = _("The penalty decision was revoked on %(date)s.") % params
    elif change == "void":
        note = _("The penalty decision was declared void on %(date)s.") % params
    else:
        note = _("The penalty decision was changed on %(date)s.") % params
    save(
        complaint,
        actor=None,
        action="penalty_changed",
        fields={"penalty_amount": None, "outcome": f"{complaint.outcome}\n{note}".strip()},
        note=note,
        audit_changes={"change": change, "penalty_amount": str(complaint.penalty_amount)},
    )
    open_reward = (
        Reward.objects.select_for_update(no_key=True)
        .filter(complaint=complaint, state__in=[RewardState.PROPOSED, RewardState.APPROVED])
        .first()
    )
    if open_reward is not None:
        open_reward.state = RewardState.REJECTED
        open_reward.note = note
        open_reward.save(update_fields=["state", "note", "updated_at"])
        step(
            complaint,
            actor=None,
            action="reward_rejected",
            note=_("The reward was withdrawn: it waits for the final penalty."),
        )
        _audit(None, open_reward, "rejected", reason="penalty_changed")
    return complaint
