"""Template tags of the design system (docs/subsystems/ui.md)."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from yaojian.core.tables import Column

register = template.Library()

ICON_SPRITE = "vendor/tabler-icons-3.48.0/icons.svg"

# State → colour of a status tag (Tabler's ``bg-<colour>-lt``). States not listed are grey.
TAG_COLOURS = {
    # good, finished well
    "valid": "green",
    "active": "green",
    "succeeded": "green",
    "done": "green",
    "met": "green",
    "accepted": "green",
    "answered": "green",
    "published": "green",
    "on_time": "green",
    "confirmed": "green",
    "delivered": "green",
    "sent": "green",
    "closed": "secondary",
    "filed": "blue",
    # under way
    "running": "blue",
    "open": "blue",
    "investigation": "blue",
    "verification": "blue",
    "review": "blue",
    "notice": "blue",
    "hearing": "blue",
    "decided": "blue",
    "execution": "blue",
    "clue": "azure",
    "read": "azure",
    "acknowledged": "azure",
    "pending": "azure",
    "draft": "azure",
    "transferred": "blue",
    # look at it
    "unread": "orange",
    "due_soon": "orange",
    "suspended": "orange",
    "expired": "orange",
    "paused": "yellow",
    "withdrawn": "orange",
    "escalated": "orange",
    "done_late": "orange",
    # referrals
    "reported": "azure",
    "approved": "blue",
    "received": "blue",
    "reconsideration": "orange",
    "upheld": "orange",
    "supervision": "orange",
    "handed_over": "green",
    "refused": "red",
    "declined": "red",
    # wrong
    "overdue": "red",
    "revoked": "red",
    "failed": "red",
    "dead": "red",
    "rejected": "red",
    "missed": "red",
    "not_filed": "secondary",
    "cancelled": "secondary",
    "stopped": "secondary",
}


@functools.cache
def _sprite_url() -> str:
    # The static files' URLs do not change while the process runs: resolve the sprite's once
    # (a page draws fifty icons; the manifest lookup each time cost more than the markup).
    return static(ICON_SPRITE)


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """An icon from the vendored Tabler sprite: ``{% icon "home" %}`` (decorative)."""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#tabler-{}"></use></svg>',
        f" {css}" if css else "",
        _sprite_url(),
        name,
    )


@register.simple_tag
def menu_groups(entries: Any) -> str:
    """The left menu's groups and items (``core.menu.menu_for``), written in Python.

    The shell draws it on every page: some fifty items, each with an icon, a label and its
    state, cost several milliseconds as template loops. Each label is translated once, and
    the HTML of a menu (the same items, states and language) is kept for the next page.
    """
    key = (
        get_language(),
        tuple(
            (
                entry["group"].key,
                entry["active"],
                tuple((link["item"].key, link["url"], link["active"]) for link in entry["items"]),
            )
            for entry in entries
        ),
    )
    html = _MENU_HTML.get(key)
    if html is None:
        if len(_MENU_HTML) >= _MENU_HTML_SIZE:
            _MENU_HTML.clear()
        html = _MENU_HTML[key] = _menu_html(entries)
    return html


# Written menus by (language, items and their states): a few hundred kinds of user and page.
_MENU_HTML: dict[Any, str] = {}
_MENU_HTML_SIZE = 2048


def _menu_html(entries: Any) -> str:
    parts = []
    for entry in entries:
        group = entry["group"]
        active = entry["active"]
        label = str(group.label)
        parts.append(
            format_html(
                '<div class="yj-menu-group" data-testid="menu-group" data-group="{key}">'
                '<button type="button" class="yj-menu-group-toggle{collapsed}"'
                ' data-bs-toggle="collapse" data-bs-target="#menu-{key}" aria-expanded="{expanded}"'
                ' aria-controls="menu-{key}" title="{label}">{icon}<span class="yj-label">{label}'
                "</span>{caret}</button>"
                '<div class="collapse{show}" id="menu-{key}">',
                key=group.key,
                collapsed="" if active else " collapsed",
                expanded="true" if active else "false",
                label=label,
                icon=icon(group.icon),
                caret=icon("chevron-down", "yj-caret"),
                show=" show" if active else "",
            )
        )
        for link in entry["items"]:
            item = link["item"]
            item_label = str(item.label)
            parts.append(
                format_html(
                    '<a class="yj-menu-link yj-menu-item{active}" href="{url}"'
                    ' data-testid="menu-item" data-key="{key}"{current} title="{label}">'
                    '{icon}<span class="yj-label">{label}</span></a>',
                    active=" active" if link["active"] else "",
                    url=link["url"],
                    key=item.key,
                    current=mark_safe(' aria-current="page"') if link["active"] else "",
                    label=item_label,
                    icon=icon(item.icon),
                )
            )
        parts.append(mark_safe("</div></div>"))
    return mark_safe("".join(parts))


@register.filter
def tag_colour(state: Any) -> str:
    """The colour of a status tag for a state value (``{{ state|tag_colour }}``)."""
    return TAG_COLOURS.get(str(state), "secondary")


@register.simple_tag
def status_tag(state: Any, label: Any = "", testid: str = "") -> str:
    """A coloured status tag: ``{% status_tag obj.state obj.get_state_display testid="x" %}``.

    The one definition of the component (``components/status_tag.html`` calls it); a tag, not
    an include, because list rows draw dozens of them per page. The label falls back to the
    state; the colour follows :data:`TAG_COLOURS`.
    """
    return format_html(
        '<span class="badge bg-{}-lt status-tag"{} data-state="{}">{}</span>',
        tag_colour(state),
        format_html(' data-testid="{}"', testid) if testid else "",
        "" if state is None else state,
        label or ("" if state is None else state),
    )


@register.simple_tag(takes_context=True)
def sort_url(context: Any, field: str, prefix: str = "") -> str:
    """The current URL with ``sort`` set to ``field``, or ``-field`` if already sorted by it.

    ``prefix`` names another table's parameters on the same page (``<prefix>sort``); the
    table's page goes back to the first."""
    request = context["request"]
    name = f"{prefix or ''}sort"
    current = request.GET.get(name, "")
    query = request.GET.copy()
    query[name] = f"-{field}" if current == field else field
    query.pop(f"{prefix or ''}page", None)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def sort_state(context: Any, field: str, prefix: str = "") -> str:
    """``asc``, ``desc`` or ``""``: how the list is sorted by ``field`` now."""
    current = context["request"].GET.get(f"{prefix or ''}sort", "")
    if current == field:
        return "asc"
    if current == f"-{field}":
        return "desc"
    return ""


@register.simple_tag(takes_context=True)
def page_url(context: Any, number: int, prefix: str = "") -> str:
    """The current URL on page ``number`` (``<prefix>page``), the other parameters kept."""
    query = context["request"].GET.copy()
    query[f"{prefix or ''}page"] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag
def table_columns(*specs: Any) -> list[Any]:
    """The columns of a data table named in the template, as pairs of key and label:
    ``{% table_columns "sort:created" _("Created") "error" _("Error") as columns %}``.

    A key ``sort:<field>`` makes a sortable column (``<field>`` a key of the view's sort
    whitelist); otherwise the key only names the column. A view may instead pass
    ``core.tables.columns(...)``; both give ``core.tables.Column``.
    """
    if len(specs) % 2:
        raise ValueError("table_columns takes pairs of key and label")
    result = []
    for key, label in zip(specs[::2], specs[1::2], strict=True):
        sortable = str(key).startswith("sort:")
        result.append(Column(str(key).removeprefix("sort:"), label, sortable))
    return result


@register.simple_tag
def live_search(field: Any, testid: str, url: str) -> str:
    """A filter bar's search box that refreshes the list as the user types (htmx inherits the
    form's target, swap and URL push): ``{% live_search form.q "entity-search" request.path %}``."""
    return field.as_widget(  # type: ignore[no-any-return]
        attrs={
            "data-testid": testid,
            "autocomplete": "off",
            "hx-get": url,
            "hx-trigger": "input changed delay:300ms, search",
            "hx-include": "closest form",
        }
    )


class _CaptureNode(template.Node):
    def __init__(self, nodelist: Any, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: Any) -> str:
        # The inner output is already rendered and escaped by the template engine.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser: Any, token: Any) -> _CaptureNode:
    """``{% capture as title %}…{% endcapture %}``: a piece of template output as a variable, to
    hand to a component (a page header's title with its translated placeholders)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return _CaptureNode(nodelist, bits[2])


class _ConstantNode(template.Node):
    def __init__(self, nodelist: Any) -> None:
        self.nodelist = nodelist
        # Written HTML by (language, script prefix, URL configuration), kept with the node
        # (so with its compiled template), forgotten when the settings change (tests).
        self.html: dict[Any, str] = {}
        self.generation = _GENERATION[0]

    def render(self, context: Any) -> str:
        if self.generation != _GENERATION[0]:
            self.html, self.generation = {}, _GENERATION[0]
        key = (get_language(), get_script_prefix(), get_urlconf())
        html = self.html.get(key)
        if html is None:
            html = self.html[key] = self.nodelist.render(context)
        return html


_GENERATION = [0]


@receiver(setting_changed)
def _forget_constant_html(**kwargs: Any) -> None:
    """Settings changed (tests): URLs, static files or translations may render otherwise."""
    _GENERATION[0] += 1


@register.tag
def constant(parser: Any, token: Any) -> _ConstantNode:
    """``{% constant %}…{% endconstant %}``: markup that depends only on the language, the
    URL configuration and the static files (``{% url %}`` without per-request arguments,
    ``{% translate %}``, ``{% static %}``), rendered once per language and process and reused.
    Never around anything of the request, the user, the CSRF token or the CSP nonce."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% constant %} takes no arguments.")
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    return _ConstantNode(nodelist)
