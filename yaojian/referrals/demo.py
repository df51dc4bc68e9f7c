"""Demo referrals: cases of the demo case officer transferred to the police and waiting for
them (the user guide's journey for the ``police`` account). Called by the demo generator after
the cases exist; through the services, so clocks, letters, audit and notices are real."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from yaojian.accounts.models import Membership
from yaojian.enforcement.choices import CaseStage
from yaojian.enforcement.models import Case
from yaojian.referrals import services
from yaojian.referrals.models import Referral
from yaojian.referrals.selectors import police_departments_for

CRIMES = ("生产、销售、提供假药罪", "生产、销售、提供劣药罪")


def seed_demo_referrals(*, count: int = 2) -> int:
    """Transfer ``count`` cases under investigation of the demo ``caseofficer``'s department to
    the police department of the demo ``police`` account (when it covers the case); returns how
    many were transferred. Does nothing when referrals already exist or an account is missing."""
    if Referral.objects.exists():
        return 0
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=("caseofficer", "head", "police"))
    }
    if len(users) < 3:
        return 0
    officer, head = users["caseofficer"], users["head"]
    membership = Membership.objects.filter(user=officer, is_active=True).first()
    if membership is None:
        return 0
    department = membership.department
    colleague = (
        Membership.objects.filter(department=department, is_active=True, role=membership.role)
        .exclude(user=officer)
        .values_list("user", flat=True)
        .first()
    )
    police_ids = set(
        Membership.objects.filter(user=users["police"], is_active=True).values_list(
            "department_id", flat=True
        )
    )
    if colleague is None:
        return 0
    team: list[Any] = [officer, get_user_model().objects.get(pk=colleague)]
    made = 0
    for case in Case.objects.filter(department=department, stage=CaseStage.INVESTIGATION).order_by(
        "id"
    ):
        if made >= count:
            break
        choices = police_departments_for(case)
        police = next((d for d in choices if d.pk in police_ids), choices[0] if choices else None)
        if police is None:
            continue
        referral = services.create_referral(
            actor=officer,
            case=case,
            suspected_crime=CRIMES[made % len(CRIMES)],
            report="经调查，涉案药品货值金额较大，涉嫌犯罪，建议移送公安机关。",
            team=team,
        )
        referral = services.decide_referral(
            actor=head, referral=referral, approve=True, police_department=police
        )
        services.transfer_referral(actor=officer, referral=referral)
        made += 1
    return made
