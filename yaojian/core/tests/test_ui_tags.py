"""The design system's Python-written components: the status tag, the menu's groups and the
cached choice labels (the shell's hot paths; docs/subsystems/ui.md)."""

from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.utils import translation

from yaojian.core.menu import GROUPS, MenuItem
from yaojian.core.models import choice_label
from yaojian.core.templatetags.ui import menu_groups, status_tag
from yaojian.registry.choices import EntityKind
from yaojian.registry.models import Entity


def _render(source: str, **context: Any) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def test_the_status_tag_and_its_include_draw_the_same_markup() -> None:
    tag = _render('{% status_tag "overdue" "逾期" testid="x-state" %}')
    include = _render(
        '{% include "components/status_tag.html" with state="overdue" label="逾期" testid="x-state" %}'
    )
    assert tag == include
    assert tag == (
        '<span class="badge bg-red-lt status-tag" data-testid="x-state" data-state="overdue">'
        "逾期</span>"
    )


def test_the_status_tag_escapes_and_falls_back_to_the_state() -> None:
    html = status_tag('"><script>', "")
    assert "<script>" not in html
    assert 'data-state="&quot;&gt;&lt;script&gt;"' in html
    assert html.endswith("&quot;&gt;&lt;script&gt;</span>")
    assert "data-testid" not in status_tag("valid", "有效")
    assert "bg-green-lt" in status_tag("valid", "有效")
    assert "bg-secondary-lt" in status_tag("unheard-of", "")


def test_the_status_tag_does_not_inherit_a_test_id_from_the_page() -> None:
    # An include inherits the context: a table's ``testid`` leaked into its rows' tags.
    html = _render('{% status_tag "valid" "有效" %}', testid="entity-table")
    assert "data-testid" not in html


def test_menu_groups_escape_labels_and_mark_the_active_item() -> None:
    item = MenuItem("x.list", "records", '<b>"列表"</b>', "home", icon="list")
    other = MenuItem("x.other", "records", "其他", "home")
    entries = [
        {
            "group": GROUPS["records"],
            "active": True,
            "items": [
                {"item": item, "url": "/x/?a=1&b=2", "active": True},
                {"item": other, "url": "/y/", "active": False},
            ],
        }
    ]
    html = menu_groups(entries)
    assert "<b>" not in html
    assert "&lt;b&gt;&quot;列表&quot;&lt;/b&gt;" in html
    assert 'href="/x/?a=1&amp;b=2"' in html
    assert html.count('aria-current="page"') == 1
    assert 'data-key="x.list" aria-current="page"' in html
    assert 'class="collapse show" id="menu-records"' in html
    assert html.count('data-testid="menu-item"') == 2
    closed = menu_groups([{**entries[0], "active": False}])
    assert 'class="yj-menu-group-toggle collapsed"' in closed
    assert 'aria-expanded="false"' in closed


def test_choice_labels_are_djangos_labels_in_the_active_language() -> None:
    field = Entity._meta.get_field("kind")
    entity = Entity(kind=EntityKind.SINGLE_PHARMACY)
    with translation.override("zh-hans"):
        assert entity.get_kind_display() == str(EntityKind.SINGLE_PHARMACY.label)
        assert str(choice_label(field, EntityKind.SINGLE_PHARMACY)) == "单体药店"
    with translation.override("en"):
        assert entity.get_kind_display() == "Single pharmacy"
    entity.kind = "not-a-kind"
    assert entity.get_kind_display() == "not-a-kind"
    entity.kind = None  # type: ignore[assignment]
    assert entity.get_kind_display() is None


def test_a_constant_block_is_rendered_once_per_language() -> None:
    """``{% constant %}`` keeps its markup per language (and URL configuration): a second
    render of the same template reuses it, another language renders its own."""
    template = Template(
        '{% load ui i18n %}{% constant %}<a href="{% url "portal:complaint_track" %}">'
        '{% translate "Follow it" %}</a> {{ n }}{% endconstant %}'
    )
    with translation.override("en"):
        first = template.render(Context({"n": 1}))
        again = template.render(Context({"n": 2}))
    with translation.override("zh-hans"):
        chinese = template.render(Context({"n": 3}))
    assert first == '<a href="/public/complaints/track/">Follow it</a> 1'
    assert again == first  # kept: a constant block must name nothing of the request
    assert chinese == '<a href="/public/complaints/track/">查询进度</a> 3'


def test_a_constant_block_is_rendered_again_when_the_settings_change(settings: Any) -> None:
    template = Template("{% load ui %}{% constant %}{{ n }}{% endconstant %}")
    assert template.render(Context({"n": 1})) == "1"
    settings.STATIC_URL = "/other-static/"
    assert template.render(Context({"n": 2})) == "2"
