import importlib
import logging
from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class PortalConfig(AppConfig):
    name = "yaojian.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.portal import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.core.events import subscribe
        from yaojian.credit.events import CreditRepaired
        from yaojian.enforcement.events import CaseDecided, DecisionChanged
        from yaojian.portal import handlers
        from yaojian.portal.permissions import PORTAL_PERMISSIONS
        from yaojian.registry.panels import register_panel

        grant_to_roles(dict(PORTAL_PERMISSIONS))
        subscribe(CaseDecided, handlers.on_case_decided)
        subscribe(DecisionChanged, handlers.on_decision_changed)
        subscribe(CreditRepaired, handlers.on_credit_repaired)
        register_panel(
            "portal-publications",
            _("Published penalty information"),
            "portal:entity_publications",
            order=60,
        )
        self._register_expiry()

    @staticmethod
    def _register_expiry() -> None:
        """Expire publications daily through the clocks scheduler, when it is installed."""
        try:
            schedule = importlib.import_module("yaojian.clocks.schedule")
        except ImportError:  # pragma: no cover - until the scheduler lands
            return
        register = getattr(schedule, "register_periodic", None)
        if register is None:  # pragma: no cover
            return
        from yaojian.portal.tasks import expire_publications_task

        register(
            "portal.expire_publications",
            expire_publications_task,
            timedelta(hours=1),
            label=_("End the publications whose period is over"),
        )
