from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "yaojian.complaints"
    label = "complaints"
    verbose_name = _("Complaints and reports")

    def ready(self) -> None:
        from yaojian.complaints import labels
        from yaojian.core.labels import AUDIT_ACTIONS

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from datetime import timedelta

        from yaojian.accounts.roles import grant_to_roles
        from yaojian.clocks.schedule import register_periodic
        from yaojian.complaints import handlers, imports, workbench
        from yaojian.complaints.events import (
            ComplaintOverdue,
            ComplaintReceived,
            ComplaintSubstantiated,
            ComplaintTransferred,
        )
        from yaojian.complaints.permissions import ROLE_PERMISSIONS
        from yaojian.complaints.tasks import complaints_sweep_task
        from yaojian.core.events import subscribe
        from yaojian.enforcement.events import (
            CaseClosed,
            CaseDecided,
            CaseFiled,
            DecisionChanged,
        )
        from yaojian.enforcement.panels import register_case_panel

        grant_to_roles(ROLE_PERMISSIONS)  # type: ignore[arg-type]
        subscribe(ComplaintTransferred, handlers.notify_transfer)
        subscribe(ComplaintReceived, handlers.notify_also)
        subscribe(ComplaintReceived, handlers.webhook_received)
        subscribe(ComplaintOverdue, handlers.escalate)
        subscribe(ComplaintSubstantiated, handlers.record_substantiated_on_credit)
        subscribe(CaseFiled, handlers.on_case_filed)
        subscribe(CaseDecided, handlers.on_case_decided)
        subscribe(CaseClosed, handlers.on_case_closed)
        subscribe(DecisionChanged, handlers.on_decision_changed)
        register_case_panel(
            "complaints", _("Report behind this case"), "complaints:case_panel", order=20
        )
        register_periodic(
            "complaints.sweep",
            complaints_sweep_task,
            timedelta(hours=1),
            label=_("Warn of and escalate overdue complaints and reports"),
        )
        workbench.register_all()
        imports.register()
