"""Forms of the referral pages (shape only; the services validate and write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department, User
from yaojian.referrals.choices import PoliceComplexity


class CreateForm(forms.Form):
    suspected_crime = forms.CharField(label=_("Suspected crime"), max_length=200)
    report = forms.CharField(label=_("Transfer report"), widget=forms.Textarea(attrs={"rows": 5}))
    team = forms.ModelMultipleChoiceField(
        label=_("Team (at least two officers)"), queryset=User.objects.none()
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = members  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve the transfer")), ("0", _("Refuse the transfer"))],
        coerce=lambda v: v == "1",
    )
    police_department = forms.ModelChoiceField(
        label=_("Police department"), queryset=Department.objects.none(), required=False
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, police: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["police_department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            pk__in=[d.pk for d in police]
        )


class TransferForm(forms.Form):
    attachments = forms.CharField(
        label=_("Materials sent with the letter (one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReceiptForm(forms.Form):
    complexity = forms.ChoiceField(label=_("Complexity"), choices=PoliceComplexity.choices)
    approval = forms.CharField(
        label=_("Approval of a longer period"), max_length=200, required=False
    )


class ForwardForm(forms.Form):
    to_department = forms.ModelChoiceField(
        label=_("Police department"), queryset=Department.objects.none()
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, police: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if police is not None:
            self.fields["to_department"].queryset = police  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Open a case")), ("0", _("Decline to open a case"))],
        coerce=lambda v: v == "1",
    )
    police_case_number = forms.CharField(
        label=_("Police case number"), max_length=64, required=False
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReconsiderationRequestForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ReconsiderationDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Open a case")), ("0", _("Uphold the refusal"))],
        coerce=lambda v: v == "1",
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SupervisionForm(forms.Form):
    procuratorate = forms.CharField(label=_("Procuratorate"), max_length=200)
    note = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 3}))


class HandOverForm(forms.Form):
    note = forms.CharField(
        label=_("Items and materials handed over"), widget=forms.Textarea(attrs={"rows": 3})
    )
