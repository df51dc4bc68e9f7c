"""The project's form renderer writes exactly the markup of Django's select templates."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from yaojian.core.form_renderer import FormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "Alpha"), ("b", "<b>&\"'")])
    grouped = forms.ChoiceField(
        choices=[("Cities", [("540100", "拉萨市"), ("540200", "日喀则市")]), ("x", "Other")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, gettext_lazy("two")), (3, 3000)])
    flag = forms.NullBooleanField()
    safe = forms.ChoiceField(choices=[(mark_safe("a&amp;b"), mark_safe("<i>i</i>"))])
    day = forms.TypedChoiceField(choices=[(dt.date(2026, 1, 2), dt.date(2026, 1, 2))])
    attrs = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(attrs={"disabled": True, "data-x": '"q"', "hidden": False}),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "plain": "b",
            "grouped": "540200",
            "many": ["1", "3"],
            "flag": "true",
            "day": "2026-01-02",
        },
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_selects_render_as_the_stock_templates(data: dict, language: str) -> None:
    from django.utils import translation

    with translation.override(language):
        form = Sample(data or None)
        assert isinstance(form.renderer, FormRenderer)  # the setting
        for name in form.fields:
            ours = form[name].as_widget()
            form.renderer = DjangoTemplates()
            expected = form[name].as_widget()
            form.renderer = FormRenderer()
            assert ours == expected, name


def test_a_custom_option_template_goes_to_the_engine() -> None:
    class Widget(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    field = forms.ChoiceField(choices=[("a", "A")], widget=Widget)
    html = field.widget.render("x", "a", renderer=FormRenderer())
    assert html == field.widget.render("x", "a", renderer=DjangoTemplates())
