"""Forms of the credit pages (validation of meaning lives in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.credit.choices import (
    CHECKED_DECISION_CHOICES,
    Grade,
    LedgerState,
    ListingState,
    RecordKind,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _box(rows: int, extra: str = "") -> forms.Textarea:
    """A text box that fits a phone's width (``form-control``: it shrinks with its card)."""
    return forms.Textarea(attrs={"rows": rows, "class": f"form-control {extra}".strip()})


class RecordForm(forms.Form):
    """A credit fact entered by an officer: about an entity (credit code) and/or a person."""

    credit_code = forms.CharField(
        label=_("Unified social credit code of the entity"), required=False, max_length=32
    )
    id_number = forms.CharField(
        label=_("Identity card number of the person"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=RecordKind.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: the rule set's period for this kind."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=_box(2))


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("Entity name or credit code"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *RecordKind.choices]
    )


class GradeFilterForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", _("All")), *Grade.choices]
    )
    q = forms.CharField(label=_("Entity name or credit code"), required=False)


class ListingProposalForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=_box(3))
    refused_to_comply = forms.BooleanField(
        label=_("The party refused to carry out the penalty while able to (第11条)"),
        required=False,
    )
    other_serious = forms.BooleanField(
        label=_("Other conduct that seriously endangers life and health (第6条(四))"),
        required=False,
    )
    no_intent_proved = forms.BooleanField(
        label=_("The party proved it had no intent (第12条)"), required=False
    )


class ListingFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *ListingState.choices]
    )


class ApproveForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=_box(2))


class DateForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)


class RemovalApplicationForm(forms.Form):
    statement = forms.CharField(label=_("The entity's statement"), widget=_box(3))
    on = forms.DateField(label=_("Applied on"), required=False, widget=DATE_INPUT)


class RemovalDecisionForm(forms.Form):
    obligations_fulfilled = forms.BooleanField(
        label=_("The obligations of the penalty are fulfilled"), required=False
    )
    harm_remedied = forms.BooleanField(label=_("The harm is remedied"), required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=_box(2))


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=_box(2))


class RepairForm(forms.Form):
    penalty_complied = forms.BooleanField(
        label=_("The penalty has been complied with"), required=False
    )
    harm_remedied = forms.BooleanField(label=_("The harm has been remedied"), required=False)
    statement = forms.CharField(label=_("The entity's statement"), required=False, widget=_box(2))


class RepairDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Grant")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    reasons = forms.CharField(label=_("Reasons"), widget=_box(2))


class LedgerForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (LedgerState.APPLIED, LedgerState.APPLIED.label),
            (LedgerState.NOT_APPLICABLE, LedgerState.NOT_APPLICABLE.label),
        ],
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=_box(2))
    reason = forms.CharField(
        label=_("Reason (when not applicable)"),
        required=False,
        widget=_box(2),
    )


class LedgerFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *LedgerState.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class RuleSetForm(forms.Form):
    text = forms.CharField(
        label=_("Rules (JSON)"),
        widget=_box(24, "font-monospace"),
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class RestrictionCheckForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code"), required=False)
    id_number = forms.CharField(
        label=_("Identity card number"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    action = forms.ChoiceField(label=_("Action"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from yaojian.credit.choices import Action

        self.fields["action"].choices = Action.choices  # type: ignore[attr-defined]


class OverrideForm(RestrictionCheckForm):
    """A head's override of a restriction on one decision (the reason is audited)."""

    reason = forms.CharField(label=_("Reason"), widget=_box(3))


class CheckedDecisionForm(forms.Form):
    """An honour or a 告知承诺制 approval, checked for credit restrictions before it is saved."""

    action = forms.ChoiceField(
        label=_("Kind of decision"),
        choices=CHECKED_DECISION_CHOICES,
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code of the entity"), max_length=32
    )
    title = forms.CharField(
        label=_("Honour or matter"),
        max_length=200,
        help_text=_("The honour granted or the matter approved on the applicant's commitment."),
    )
    decided_on = forms.DateField(label=_("Date decided"), widget=DATE_INPUT, required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding a credit restriction"),
        required=False,
        widget=_box(2),
        help_text=_("Only when the decision is restricted: a department head's reason (audited)."),
    )
