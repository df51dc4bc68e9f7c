"""Pages are built from the shared components (templates/components/, ADR 0015), not from raw
layout markup: a scan of every template under yaojian/*/templates and templates/.

Each rule has an explicit allowlist of files, each with its reason. An allowlisted file must
still break the rule (a converted page leaves the list), so the lists only shrink and a new
page cannot regress. See docs/subsystems/ui.md ("Raw markup the scan refuses").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
COMPONENTS = ROOT / "templates" / "components"


def _templates() -> dict[str, str]:
    paths = [*ROOT.glob("yaojian/*/templates/**/*.html"), *(ROOT / "templates").glob("**/*.html")]
    return {
        p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(paths)
        if COMPONENTS not in p.parents
    }


TEMPLATES = _templates()
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
# A control written by hand (hidden inputs and buttons are not fields), or a field rendered
# bare ({{ form.x }}, form.as_div/as_p/as_table) instead of through form_field.html.
HAND_MADE_FIELD = re.compile(
    r"<label\b|<(?:textarea|select)\b"
    r'|<input\b(?![^>]*type="(?:hidden|submit|checkbox|radio)")'
    r"|\{\{\s*[\w.]*form\.\w+\s*\}\}"
)
FIELD_COMPONENTS = (
    "components/form_field.html",
    "components/form_fields.html",
    "components/filter_bar.html",
)
TABLE = re.compile(r"<table\b([^>]*)>")
INLINE_STYLE = re.compile(r"\sstyle=\"")
HAND_MADE_SORT_OR_PAGE = re.compile(r"""[?&](?:\w+_)?(?:sort|page)=|querystring page=""")

# --- the allowlists ----------------------------------------------------------------------------

#: Forms whose fields are written by hand.
FORMS_ALLOWED = {
    # the shell's global search box (top bar) and its page: one box, its own component
    "templates/_base.html": "global search in the top bar",
}

#: Tables without the design system's ``table`` class (unstyled, overflowing on a phone).
UNSTYLED_TABLES_ALLOWED: dict[str, str] = {}

#: ``style=""`` attributes (the Content-Security-Policy forbids inline styles).
INLINE_STYLES_ALLOWED: dict[str, str] = {}

#: Pages that still write their own <table> instead of components/data_table.html (with a
#: row template). Frozen: a new page uses the component; a converted page leaves the list.
HAND_MADE_TABLES_ALLOWED = frozenset(
    {
        # the months as calendar grids (a week a row), not a data list; its day list is converted
        "yaojian/clocks/templates/clocks/year_detail.html",
    }
)


# --- the rules ---------------------------------------------------------------------------------


def forms_with_hand_made_fields(text: str) -> list[str]:
    """The hand-made field markup of each <form> that renders no field component."""
    found: list[str] = []
    for match in FORM.finditer(text):
        body = match.group(2)
        if any(component in body for component in FIELD_COMPONENTS):
            continue
        found.extend(m.group(0) for m in HAND_MADE_FIELD.finditer(body))
    return found


def unstyled_tables(text: str) -> list[str]:
    """<table> tags without the design system's ``table`` class."""
    return [
        m.group(0)
        for m in TABLE.finditer(text)
        if not re.search(r'class="[^"]*\btable\b', m.group(1))
    ]


def test_the_scan_sees_the_templates() -> None:
    assert "templates/_base.html" in TEMPLATES
    assert "yaojian/registry/templates/registry/entity_detail.html" in TEMPLATES
    assert len(TEMPLATES) > 100
    assert not any(name.startswith("templates/components/") for name in TEMPLATES)


@pytest.mark.parametrize(
    ("markup", "caught"),
    [
        ('<form method="post"><label>Name <input name="n"></label></form>', True),
        ('<form method="post"><textarea name="t"></textarea></form>', True),
        ('<form method="post">{{ form.as_div }}</form>', True),
        ('<form method="post">{{ reject_form.reason }}</form>', True),
        ('<form method="post"><input type="hidden" name="x"><button>Go</button></form>', False),
        (
            '<form method="post">{% include "components/form_field.html" with field=f %}</form>',
            False,
        ),
    ],
)
def test_the_form_rule_catches_hand_made_fields(markup: str, caught: bool) -> None:
    assert bool(forms_with_hand_made_fields(markup)) is caught


@pytest.mark.parametrize(
    ("markup", "caught"),
    [
        ("<table>", True),
        ('<table class="weights">', True),
        ('<table class="table table-vcenter" data-testid="x">', False),
        ('<table data-testid="x" class="yj-stack table">', False),
    ],
)
def test_the_table_rule_catches_unstyled_tables(markup: str, caught: bool) -> None:
    assert bool(unstyled_tables(markup)) is caught


def test_form_fields_go_through_the_form_field_component() -> None:
    offenders = {
        name: hits[:3]
        for name, text in TEMPLATES.items()
        if (hits := forms_with_hand_made_fields(text)) and name not in FORMS_ALLOWED
    }
    assert offenders == {}, "use components/form_field.html, form_fields.html or filter_bar.html"


def test_tables_carry_the_design_systems_classes() -> None:
    offenders = {
        name: hits
        for name, text in TEMPLATES.items()
        if (hits := unstyled_tables(text)) and name not in UNSTYLED_TABLES_ALLOWED
    }
    assert offenders == {}, "use components/data_table.html"


def test_new_pages_use_the_data_table_component() -> None:
    offenders = sorted(
        name
        for name, text in TEMPLATES.items()
        if TABLE.search(text) and name not in HAND_MADE_TABLES_ALLOWED
    )
    assert offenders == [], "use components/data_table.html (with row_template=…)"


def test_no_inline_style_attributes() -> None:
    offenders = sorted(
        name
        for name, text in TEMPLATES.items()
        if INLINE_STYLE.search(text) and name not in INLINE_STYLES_ALLOWED
    )
    assert offenders == [], "the CSP forbids style attributes: a class in static/css/yaojian.css"


def test_sort_and_page_links_come_from_the_components() -> None:
    offenders = sorted(
        name for name, text in TEMPLATES.items() if HAND_MADE_SORT_OR_PAGE.search(text)
    )
    assert offenders == [], "use sortable_th.html / pagination.html (or data_table.html)"


@pytest.mark.parametrize(
    ("allowlist", "still_breaks"),
    [
        (FORMS_ALLOWED, forms_with_hand_made_fields),
        (UNSTYLED_TABLES_ALLOWED, unstyled_tables),
        (INLINE_STYLES_ALLOWED, lambda text: INLINE_STYLE.findall(text)),
        (HAND_MADE_TABLES_ALLOWED, lambda text: TABLE.findall(text)),
    ],
    ids=["forms", "unstyled-tables", "inline-styles", "hand-made-tables"],
)
def test_the_allowlists_only_shrink(allowlist: object, still_breaks: object) -> None:
    # A listed file that was deleted, or converted to the components, leaves the list.
    stale = sorted(
        name
        for name in allowlist  # type: ignore[attr-defined]
        if name not in TEMPLATES or not still_breaks(TEMPLATES[name])  # type: ignore[operator]
    )
    assert stale == []
