"""The form renderer: Django's templates, with the plain ``<select>`` written in Python.

Django renders each ``<option>`` of a select through two template includes (the option and
its attributes). A filter bar with a region list renders about a hundred options, and the
entity list spent 15 % of its time there (docs/benchmarks.md, "search at 1,000,000
entities"). For the stock templates only — ``django/forms/widgets/select.html`` with the
stock option template — this renderer writes the same markup directly; any other template,
or a widget with its own option template, is rendered by the template engine as before.
``core/tests/test_form_renderer.py`` compares both renderings.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the string, escaped unless already safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(out)


def _option(option: dict[str, Any]) -> str:
    label = option["label"]
    shown = conditional_escape(label if isinstance(label, str) else localize(label))
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{shown}</option>'


def render_select(widget: dict[str, Any]) -> str | None:
    """The markup of ``select.html`` for ``widget`` (None when an option has its own
    template)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            parts.append(f"\n  {_option(option)}\n")  # the option template ends with one
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """``DjangoTemplates`` with the stock select written directly (same markup)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT and "widget" in context:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value above is escaped
        return super().render(template_name, context, request)
