from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "yaojian.referrals"
    label = "referrals"
    verbose_name = _("Criminal referrals")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.referrals import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.core.events import subscribe
        from yaojian.documents.access import register_access_rule
        from yaojian.enforcement.events import CaseDecided
        from yaojian.enforcement.panels import register_case_panel
        from yaojian.referrals import handlers
        from yaojian.referrals.events import ReferralAnswered, ReferralMade
        from yaojian.referrals.permissions import ROLE_PERMISSIONS

        grant_to_roles(ROLE_PERMISSIONS)  # type: ignore[arg-type]
        register_access_rule("referrals.referral:", handlers.can_read_referral_document)
        subscribe(ReferralMade, handlers.notify_police)
        subscribe(ReferralAnswered, handlers.notify_referring_department)
        subscribe(CaseDecided, handlers.warn_on_penalty_instead_of_transfer)
        register_case_panel(
            "referrals", _("Transfer to the police (行刑衔接)"), "referrals:case_panel", order=10
        )
