"""The entity list's rows, written in Python (ADR 0033: a list page's hot path).

A search page draws 25 rows of six cells; as a template partial included per row each cell's
``columns.N.label`` lookup, the licence loop and the URL reversal cost some 12 ms of CPU per
page on the search benchmark (docs/benchmarks.md). The HTML is the partial's, escaped by
``format_html``; the column labels are the table's own (translated once per page).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from yaojian.core.templatetags.ui import status_tag

register = template.Library()

_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _licences(entity: Any) -> SafeString:
    licences = list(entity.licences.all())
    if not licences:
        return mark_safe('<span class="text-secondary">—</span>')
    return format_html_join(
        "",
        "<div>{} {}</div>",
        (
            (licence.number, status_tag(licence.status, licence.get_status_display()))
            for licence in licences
        ),
    )


@register.simple_tag
def entity_rows(entities: Iterable[Any], columns: Sequence[Any]) -> SafeString:
    """``{% entity_rows entities columns as body %}``: the ``<tr>`` of each entity, for
    ``components/data_table.html``'s ``body``; empty (so the table shows its empty state)
    when there is none."""
    labels = [str(column.label) for column in columns]
    detail = reverse("registry:entity_detail", args=[_PLACEHOLDER])
    dash = "—"
    rows = [
        format_html(
            '<tr data-testid="entity-row">'
            '<td data-label="{}"><a href="{}">{}</a></td>'
            '<td data-label="{}">{}</td>'
            '<td data-label="{}">{}</td>'
            '<td data-label="{}">{}</td>'
            '<td data-label="{}">{}</td>'
            '<td data-label="{}">{}</td>'
            "</tr>",
            labels[0],
            detail.replace(_PLACEHOLDER, str(entity.public_id)),
            entity.name,
            labels[1],
            entity.unified_social_credit_code or dash,
            labels[2],
            entity.get_kind_display(),
            labels[3],
            entity.region.name,
            labels[4],
            status_tag(entity.status, entity.get_status_display()),
            labels[5],
            _licences(entity),
        )
        for entity in entities
    ]
    return mark_safe("\n".join(rows))
