"""The public complaint and report forms (the complaints app validates and records)."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.forms.widgets import ChoiceWidget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from yaojian.complaints import selectors as complaint_selectors
from yaojian.complaints.choices import Topic

REGION_CODE = re.compile(r"[0-9]{6}")
TEXTAREA = forms.Textarea(attrs={"rows": 6, "maxlength": 4000})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _counties() -> list[tuple[str, str]]:
    return [("", "—"), *complaint_selectors.county_choices()]


class CountySelect(forms.Select):
    """The county list written directly: a few hundred options rendered through Django's
    per-option widget templates cost about two thirds of the form page's time."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, mark_safe(" selected") if str(code) == chosen else "", label)
                for code, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class CountyField(forms.ChoiceField):
    """A county picker whose list is built only when the form is shown: a submission is
    checked for the code's shape here and against the regions and the offices by the
    complaints app (which answers under the field), so a valid POST reads no list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=(), required=False, widget=CountySelect, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return bool(REGION_CODE.fullmatch(str(value)))


def _copy_field(field: forms.Field) -> forms.Field:
    """``copy.deepcopy(field)`` as Django's ``Field.__deepcopy__`` does it (own widget, own
    widget attributes, own error messages and validators), but the choices shared: Django
    deep-copies every choice and its lazy label, which no code here changes in place (a
    field's choices are only ever replaced, as ``PublicComplaintForm.__init__`` does)."""
    new = object.__new__(type(field))
    new.__dict__.update(field.__dict__)
    widget = object.__new__(type(field.widget))
    widget.__dict__.update(field.widget.__dict__)
    widget.attrs = dict(field.widget.attrs)
    if isinstance(widget, ChoiceWidget):
        widget.choices = copy.copy(widget.choices)
    new.widget = widget
    new.error_messages = dict(field.error_messages)
    new.validators = list(field.validators)
    return new


class _Fields(dict[str, forms.Field]):
    """The form's declared fields, copied per form by :func:`_copy_field` (the deep copy of
    each form's 22 fields was half of a submission's form handling)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: _copy_field(field) for name, field in self.items()}


class PublicComplaintForm(forms.Form):
    """One form for both kinds; ``kind`` decides whether anonymity is offered."""

    topic = forms.ChoiceField(label=_("What is it about?"), choices=Topic.choices)
    entity_q = forms.CharField(
        label=_("Search the business by name"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-testid": "entity-search"}),
    )
    entity = forms.CharField(required=False, max_length=40)
    subject_name = forms.CharField(
        label=_("Business or person"),
        required=False,
        max_length=200,
        help_text=_("If the search does not find it, type its name."),
    )
    subject_address = forms.CharField(label=_("Its address"), required=False, max_length=200)
    region_code = CountyField(label=_("County where it is"))
    is_ecommerce = forms.BooleanField(label=_("Bought online"), required=False)
    platform_name = forms.CharField(label=_("Platform"), required=False, max_length=200)
    platform_region_code = CountyField(label=_("Platform's domicile"))
    against_platform = forms.BooleanField(
        label=_("The complaint is against the platform itself"), required=False
    )
    summary = forms.CharField(label=_("What happened"), widget=TEXTAREA, max_length=4000)
    occurred_on = forms.DateField(
        label=_("When"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    products = forms.CharField(label=_("Products concerned"), required=False, max_length=500)
    attachments = MultipleFileField(
        label=_("Photos, receipts or PDFs"),
        required=False,
        help_text=_("At most 3 files of 5 MB each: JPEG, PNG, WebP or PDF."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_("You can still follow it and claim a reward with the query code."),
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=64)
    phone = forms.CharField(label=_("Telephone"), required=False, max_length=32)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_("Postal address"), required=False, max_length=200)
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        max_length=100,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    challenge_token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    challenge_answer = forms.CharField(
        label=_("Answer"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "aria-describedby": "challenge-question",
                "data-testid": "challenge-answer",
            }
        ),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        counties = functools.cache(_counties)  # built once, and only if the form is shown
        self.fields["region_code"].choices = counties  # type: ignore[attr-defined]
        self.fields["platform_region_code"].choices = counties  # type: ignore[attr-defined]
        if kind != "report":
            del self.fields["is_anonymous"]


PublicComplaintForm.base_fields = _Fields(PublicComplaintForm.base_fields)


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Tracking number"), max_length=24)
    code = forms.CharField(label=_("Query code"), max_length=20)


class NoticeForm(TrackForm):
    notice = forms.UUIDField()


class ClaimForm(TrackForm):
    payee_account = forms.CharField(label=_("Bank account for the reward"), max_length=64)
