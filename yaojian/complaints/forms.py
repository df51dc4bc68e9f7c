"""Forms of the staff pages (the public forms live in the portal)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.complaints import selectors
from yaojian.complaints.choices import Channel, Kind, RefusalGround, RewardTier, State, Topic

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), ("open", _("Open")), *State.choices],
        required=False,
    )
    q = forms.CharField(label=_("Number or respondent"), required=False, max_length=100)


class StaffIntakeForm(forms.Form):
    """A complaint taken by phone or letter, or received from another department."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    channel = forms.ChoiceField(
        label=_("Received by"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )
    source_department = forms.ModelChoiceField(
        label=_("Received from"),
        queryset=Department.objects.filter(is_active=True).order_by("code"),
        required=False,
    )
    external_reference = forms.CharField(
        label=_("Reference of the sender"), max_length=64, required=False
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    subject_name = forms.CharField(label=_("Respondent"), max_length=200)
    subject_address = forms.CharField(
        label=_("Respondent's address"), max_length=200, required=False
    )
    region_code = forms.ChoiceField(label=_("County"), choices=())
    summary = forms.CharField(label=_("What happened"), widget=TEXTAREA, max_length=4000)
    occurred_on = forms.DateField(
        label=_("When it happened"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    products = forms.CharField(label=_("Products"), max_length=500, required=False)
    is_anonymous = forms.BooleanField(label=_("Anonymous (reports only)"), required=False)
    name = forms.CharField(label=_("Name"), max_length=64, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=32, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = selectors.county_choices()  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False, max_length=2000)


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=RefusalGround.choices)
    reasons = forms.CharField(
        label=_("Reasons told to the complainant"), widget=TEXTAREA, max_length=4000
    )


class TestingForm(forms.Form):
    days = forms.IntegerField(label=_("Working days of testing"), min_value=1, max_value=365)


class EndMediationForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Agreement reached")), ("0", _("No agreement: mediation ends"))],
        coerce=lambda v: v == "1",
    )
    reasons = forms.CharField(
        label=_("What was agreed, or why it failed"), widget=TEXTAREA, max_length=4000
    )


class EmptyForm(forms.Form):
    pass


class ReasonsForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons told to the reporter"), widget=TEXTAREA, max_length=4000
    )


class TransferForm(forms.Form):
    to_department = forms.ModelChoiceField(
        label=_("Competent department"),
        queryset=Department.objects.filter(is_active=True).order_by("code"),
    )
    reasons = forms.CharField(label=_("Reasons"), widget=TEXTAREA, max_length=4000)


class DisputeForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Office you hold competent"),
        queryset=Department.objects.filter(
            is_active=True, kind__in=["drug_regulator", "market_regulator"]
        ).order_by("code"),
    )
    reason = forms.CharField(label=_("Reasons"), widget=TEXTAREA, max_length=4000)


class ResolveDisputeForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Office that handles it"), queryset=Department.objects.none()
    )

    def __init__(self, *args: Any, complaint: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [complaint.department_id, complaint.dispute_department_id] if complaint else []
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            pk__in=[i for i in ids if i]
        )


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Handling officer"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, complaint: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["officer"]
        field.queryset = selectors.handling_officers(complaint) if complaint else field.queryset
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class ToldForm(forms.Form):
    how = forms.CharField(label=_("How the reporter was told"), max_length=200, required=False)


class PublishForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary to publish"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("No names of natural persons; long numbers are masked."),
    )


class RewardProposeForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=RewardTier.choices)
    insider = forms.BooleanField(label=_("The reporter is an insider"), required=False)
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False, max_length=2000)


class RewardDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    finance_reference = forms.CharField(
        label=_("Finance department's approval"), max_length=100, required=False
    )
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False, max_length=2000)


class RewardPaymentForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference"), max_length=100)
