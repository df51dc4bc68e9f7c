"""Template tags of the dashboard pages."""

from __future__ import annotations

from django import template

from yaojian.dashboard.forms import ExportForm

register = template.Library()


@register.simple_tag
def export_form(list_name: str) -> ExportForm:
    """The export picker of a list page: ``{% export_form "cases" as form %}``."""
    return ExportForm(list_name=list_name)
