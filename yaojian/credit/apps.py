from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "yaojian.credit"
    label = "credit"
    verbose_name = _("Credit supervision")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.credit import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.clocks.schedule import register_periodic
        from yaojian.core.events import subscribe
        from yaojian.credit import handlers, work
        from yaojian.credit.permissions import ROLE_PERMISSIONS
        from yaojian.credit.services import CreditChecker
        from yaojian.credit.tasks import nightly_credit_task
        from yaojian.enforcement.events import CaseDecided, DecisionChanged
        from yaojian.registry.decisions import register_checker
        from yaojian.registry.panels import register_panel

        grant_to_roles(ROLE_PERMISSIONS)  # type: ignore[arg-type]
        subscribe(CaseDecided, handlers.on_case_decided)
        subscribe(DecisionChanged, handlers.on_decision_changed)
        register_checker("credit", CreditChecker())
        register_panel("credit", _("Credit"), "credit:entity_panel", order=15)
        register_periodic(
            "credit.nightly",
            nightly_credit_task,
            timedelta(hours=24),
            label=_("Recompute credit grades and end expired listings"),
        )
        work.register()
        from yaojian.credit import filtersets, imports

        imports.register()
        filtersets.register()
