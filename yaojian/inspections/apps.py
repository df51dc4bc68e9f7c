from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "yaojian.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.inspections import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.core.events import subscribe
        from yaojian.core.workbench import work_sections
        from yaojian.exchange.events import BatchApplied
        from yaojian.inspections import figures, handlers, work
        from yaojian.inspections.events import InspectionPassed
        from yaojian.inspections.permissions import ROLE_PERMISSIONS
        from yaojian.registry.events import EntityRegisteredByHand
        from yaojian.registry.panels import register_panel

        grant_to_roles(ROLE_PERMISSIONS)  # type: ignore[arg-type]
        register_panel(
            "inspections-grid", _("Grid and inspections"), "inspections:entity_panel", order=15
        )
        subscribe(BatchApplied, handlers.place_imported_entities)
        subscribe(EntityRegisteredByHand, handlers.place_registered_entity)
        subscribe(InspectionPassed, handlers.record_passed_inspection)
        work_sections.register("inspections.assignments", work.my_assignments)
        work_sections.register("inspections.due", work.due_inspections)
        figures.register()
        handlers.register_lab_results_source()
