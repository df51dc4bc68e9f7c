# mypy: disable-error-code="var-annotated,attr-defined"
"""Forms of the enforcement pages: shape only; every action calls a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department, User
from yaojian.enforcement import access, permissions
from yaojian.enforcement.choices import (
    CaseStage,
    ClueSource,
    DefenceKind,
    EvidenceKind,
    MeasureKind,
    PartyKind,
    PauseReason,
    ReviewConclusion,
)
from yaojian.registry.models import Entity


class ClueForm(forms.Form):
    source = forms.ChoiceField(label=_("Clue source"), choices=ClueSource.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    entity = forms.UUIDField(label=_("Entity"), required=False, widget=forms.HiddenInput)
    party_name = forms.CharField(label=_("Party"), max_length=200, required=False)
    party_kind = forms.ChoiceField(
        label=_("Kind of party"),
        choices=PartyKind.choices,
        initial=PartyKind.ORGANISATION,
        required=False,
    )
    region = forms.CharField(label=_("Region code"), max_length=12, required=False)
    source_reference = forms.CharField(label=_("Source reference"), max_length=128, required=False)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea, required=False)
    clue_received_on = forms.DateField(
        label=_("Clue received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def entity_for(self, user: Any) -> Entity | None:
        public_id = self.cleaned_data.get("entity")
        if not public_id:
            return None
        return Entity.objects.visible_to(user).filter(public_id=public_id).first()


class CaseFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", "—"), *CaseStage.choices], required=False
    )
    due = forms.ChoiceField(
        label=_("Clocks"),
        choices=[("", "—"), ("overdue", _("Overdue")), ("soon", _("Due soon"))],
        required=False,
    )
    officer = forms.CharField(label=_("Officer (user name)"), max_length=150, required=False)
    region = forms.CharField(label=_("Region code"), max_length=12, required=False)


def _officer_choices(case: Any) -> Any:
    ids = [
        u.pk
        for u in User.objects.filter(
            memberships__department=case.department, memberships__is_active=True
        ).distinct()
        if access.acts_for(u, permissions.CHANGE, case.department_id)
    ]
    return User.objects.filter(pk__in=ids).order_by("username")


class CaseForm(forms.Form):
    """An action form bound to a case (subclasses add fields)."""

    def __init__(self, *args: Any, case: Any, user: Any = None, **kwargs: Any) -> None:
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)

    def departments_of_user(self, permission: str) -> frozenset[int] | None:
        """The user's departments holding ``permission`` (``None``: all, or no user given)."""
        if self.user is None:
            return None
        return access.departments_with(self.user, permission)


class OfficersForm(CaseForm):
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = _officer_choices(self.case)  # type: ignore[attr-defined]


class FileForm(OfficersForm):
    is_major = forms.BooleanField(label=_("Major case"), required=False)
    legal_basis = forms.CharField(
        label=_("Basis for filing"),
        required=False,
        max_length=500,
        help_text=_("The articles the suspected violation falls under (printed as 立案依据)."),
    )
    officer_opinion = forms.CharField(
        label=_("Case officer's opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed as 承办人意见 on the case filing approval form."),
    )
    opinion = forms.CharField(
        label=_("Head's opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(CaseForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(CaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    collected_on = forms.DateField(
        label=_("Collected on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("File"), required=False)


class MeasureForm(CaseForm):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    items = forms.CharField(label=_("Items"), widget=forms.Textarea(attrs={"rows": 2}))


class EndMeasureForm(CaseForm):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=None)  # type: ignore[arg-type]
    outcome = forms.CharField(label=_("Outcome"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = self.case.measures.filter(ended_on__isnull=True)  # type: ignore[attr-defined]


class DepartmentForm(CaseForm):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.filter(is_active=True)
    )


class TaskForm(CaseForm):
    department = forms.ModelChoiceField(
        label=_("Assignee department"), queryset=Department.objects.none()
    )
    description = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    due_working_days = forms.IntegerField(
        label=_("Due in working days"), min_value=1, max_value=250, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [
            self.case.department_id,
            *self.case.participants.values_list("department_id", flat=True),
        ]
        self.fields["department"].queryset = Department.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


class AssistanceForm(CaseForm):
    to_department = forms.ModelChoiceField(
        label=_("Requested department"), queryset=Department.objects.filter(is_active=True)
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    questions = forms.CharField(label=_("What to check"), widget=forms.Textarea(attrs={"rows": 2}))
    due_working_days = forms.IntegerField(
        label=_("Due in working days"), min_value=1, max_value=250, required=False
    )


class ClockForm(CaseForm):
    clock = forms.ModelChoiceField(label=_("Clock"), queryset=None)  # type: ignore[arg-type]
    state = "running"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clock"].queryset = self.case.clocks.filter(state=self.state)  # type: ignore[attr-defined]


class PauseForm(ClockForm):
    reason = forms.ChoiceField(label=_("Why"), choices=PauseReason.choices)
    paused_on = forms.DateField(
        label=_("Paused on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )
    note = forms.CharField(label=_("Note"), required=False)


class ResumeForm(ClockForm):
    """Resume a paused clock, e.g. a seizure once the test report is in (testing excluded)."""

    state = "paused"
    resumed_on = forms.DateField(
        label=_("Resumed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the pause ended, e.g. the day the test report arrived. Empty: today."),
    )


class ExtensionForm(ClockForm):
    days = forms.IntegerField(label=_("Days"), min_value=1, required=False)
    reason = forms.CharField(label=_("Reason"))
    is_collective = forms.BooleanField(label=_("Collective decision of the heads"), required=False)


class DecideExtensionForm(CaseForm):
    extension = forms.ModelChoiceField(label=_("Extension"), queryset=None)  # type: ignore[arg-type]
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from yaojian.enforcement.models import ClockExtension

        self.fields["extension"].queryset = ClockExtension.objects.filter(
            clock__case=self.case, state="requested"
        )  # type: ignore[attr-defined]


class ProposeForm(CaseForm):
    violation = forms.CharField(
        label=_("Facts of the violation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(label=_("Legal basis"))
    warning = forms.BooleanField(label=_("Warning"), required=False)
    conduct = forms.ChoiceField(label=_("Conduct (fine calculator)"), required=False)
    goods_value = forms.DecimalField(
        label=_("Value of the goods (yuan)"), required=False, min_value=0
    )
    retail = forms.BooleanField(label=_("Retail"), required=False)
    serious = forms.BooleanField(label=_("Serious"), required=False)
    fine = forms.DecimalField(label=_("Fine (yuan)"), required=False, min_value=0)
    confiscated = forms.DecimalField(
        label=_("Illegal gains confiscated (yuan)"), required=False, min_value=0
    )
    confiscated_goods = forms.DecimalField(
        label=_("Value of the illegal property confiscated (yuan)"), required=False, min_value=0
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Responsible person fined (article 118 and the like)"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    responsible_income = forms.DecimalField(
        label=_("Income the person took from the organisation (yuan)"),
        required=False,
        min_value=0,
    )
    responsible_fine = forms.DecimalField(
        label=_("Fine on the responsible person (yuan)"), required=False, min_value=0
    )
    suspend_business = forms.BooleanField(
        label=_("Suspension of production or business"), required=False
    )
    revoke_licence = forms.ModelChoiceField(
        label=_("Revoke licence"), queryset=None, required=False
    )  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from yaojian.enforcement import fines
        from yaojian.registry.models import Licence

        self.fields["conduct"].choices = [
            ("", "—"),
            *((code, c.label_zh) for code, c in fines.CONDUCTS.items()),
        ]  # type: ignore[attr-defined]
        self.fields["revoke_licence"].queryset = Licence.objects.filter(
            entity_id=self.case.entity_id, status="valid"
        )  # type: ignore[attr-defined]
        from yaojian.registry.models import Person

        self.fields["responsible_person"].queryset = Person.objects.filter(
            entities__id=self.case.entity_id or 0
        ).distinct()  # type: ignore[attr-defined]

    def items(self) -> list[Any]:
        from yaojian.enforcement.choices import PenaltyKind
        from yaojian.enforcement.services import ItemInput

        data = self.cleaned_data
        items = []
        if data.get("warning"):
            items.append(ItemInput(kind=PenaltyKind.WARNING))
        if data.get("fine") is not None:
            items.append(
                ItemInput(
                    kind=PenaltyKind.FINE,
                    amount=data["fine"],
                    conduct=data.get("conduct") or "",
                    goods_value=data.get("goods_value"),
                    retail=data.get("retail", False),
                    serious=data.get("serious", False),
                )
            )
        if data.get("responsible_person") is not None or data.get("responsible_fine") is not None:
            items.append(
                ItemInput(
                    kind=PenaltyKind.FINE,
                    amount=data.get("responsible_fine"),
                    conduct=data.get("conduct") or "",
                    goods_value=data.get("responsible_income"),
                    serious=data.get("serious", False),
                    responsible_person=True,
                    person=data.get("responsible_person"),
                )
            )
        if data.get("confiscated") is not None:
            items.append(ItemInput(kind=PenaltyKind.CONFISCATE_GAINS, amount=data["confiscated"]))
        if data.get("confiscated_goods") is not None:
            items.append(
                ItemInput(kind=PenaltyKind.CONFISCATE_GOODS, amount=data["confiscated_goods"])
            )
        if data.get("suspend_business"):
            items.append(ItemInput(kind=PenaltyKind.SUSPEND_BUSINESS))
        if data.get("revoke_licence"):
            items.append(ItemInput(kind=PenaltyKind.REVOKE_LICENCE, licence=data["revoke_licence"]))
        return items


class EmptyForm(CaseForm):
    pass


class ReviewForm(CaseForm):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}))
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=ReviewConclusion.choices)


class DefenceForm(CaseForm):
    kind = forms.ChoiceField(label=_("The party"), choices=DefenceKind.choices)
    text = forms.CharField(
        label=_("Statement"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    hearing_requested = forms.BooleanField(label=_("Hearing requested"), required=False)


class PresidingForm(CaseForm):
    presiding_officer = forms.ModelChoiceField(label=_("Presiding officer"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presiding_officer"].queryset = (
            User.objects.filter(  # type: ignore[attr-defined]
                memberships__department=self.case.department
            )
            .exclude(enforcement_assignments__case=self.case)
            .distinct()
        )


class ScheduleForm(CaseForm):
    scheduled_for = forms.DateField(
        label=_("Hearing date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"))
    notice_served_on = forms.DateField(
        label=_("Hearing notice served on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    announced_on = forms.DateField(
        label=_("Public announcement on"),
        required=False,
        help_text=_("At least 3 working days before the hearing; empty: the day of the notice."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_public = forms.BooleanField(
        label=_("Public hearing"),
        required=False,
        initial=True,
        help_text=_("Hearings on state secrets, trade secrets or privacy are not public."),
    )


class ReportForm(CaseForm):
    report = forms.CharField(label=_("Hearing report"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(CaseForm):
    is_collective = forms.BooleanField(label=_("Collective decision of the heads"), required=False)


class PaymentForm(CaseForm):
    amount = forms.DecimalField(label=_("Amount paid (yuan)"), min_value=0)


class CloseForm(CaseForm):
    note = forms.CharField(label=_("Note"), required=False)


class OutcomeForm(forms.Form):
    text = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Attachment"), required=False)


class DepartmentDecisionForm(CaseForm):
    """A participating department's own decision (e.g. the insurance bureau's measures)."""

    department = forms.ModelChoiceField(label=_("Deciding department"), queryset=None)  # type: ignore[arg-type]
    violation = forms.CharField(
        label=_("Facts of the violation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(label=_("Legal basis"))
    warning = forms.BooleanField(label=_("Warning"), required=False)
    fine = forms.DecimalField(label=_("Fine (yuan)"), required=False, min_value=0)
    agreement = forms.ChoiceField(
        label=_("Insurance agreement"),
        required=False,
        choices=[
            ("", "—"),
            ("agreement_suspension", _("Suspend the agreement")),
            ("agreement_termination", _("Terminate the agreement")),
        ],
    )
    agreement_licence = forms.ModelChoiceField(label=_("Agreement"), queryset=None, required=False)  # type: ignore[arg-type]
    months = forms.IntegerField(
        label=_("Suspension (months)"), min_value=1, max_value=120, required=False
    )
    fund_recovery = forms.DecimalField(
        label=_("Insurance funds recovered (yuan)"), required=False, min_value=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from yaojian.registry.choices import LicenceKind
        from yaojian.registry.models import Licence

        departments = Department.objects.filter(
            pk__in=self.case.participants.values("department_id")
        )
        ids = self.departments_of_user(permissions.APPROVE)
        if ids is not None:
            departments = departments.filter(pk__in=sorted(ids))
        self.fields["department"].queryset = departments.order_by("name")  # type: ignore[attr-defined]
        self.fields["agreement_licence"].queryset = Licence.objects.filter(  # type: ignore[attr-defined]
            entity_id=self.case.entity_id, kind=LicenceKind.INSURANCE_AGREEMENT
        ).exclude(status__in=["revoked", "cancelled"])
        if departments.count() == 1:
            self.fields["department"].initial = departments.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agreement") and not data.get("agreement_licence"):
            self.add_error("agreement_licence", _("Choose the party's insurance agreement."))
        return data

    def items(self) -> list[Any]:
        from yaojian.enforcement.choices import PenaltyKind
        from yaojian.enforcement.services import ItemInput

        data = self.cleaned_data
        items = []
        if data.get("warning"):
            items.append(ItemInput(kind=PenaltyKind.WARNING))
        if data.get("fine") is not None:
            items.append(ItemInput(kind=PenaltyKind.FINE, amount=data["fine"]))
        if data.get("agreement"):
            items.append(
                ItemInput(
                    kind=data["agreement"],
                    licence=data.get("agreement_licence"),
                    months=data.get("months"),
                )
            )
        if data.get("fund_recovery") is not None:
            items.append(ItemInput(kind=PenaltyKind.FUND_RECOVERY, amount=data["fund_recovery"]))
        return items


class ChangeDecisionForm(CaseForm):
    """Change, revoke or declare void a decision in effect (after administrative review…)."""

    decision = forms.ModelChoiceField(label=_("Decision"), queryset=None)  # type: ignore[arg-type]
    change = forms.ChoiceField(
        label=_("Kind of change"),
        choices=[
            ("changed", _("Changed")),
            ("revoked", _("Revoked")),
            ("void", _("Declared void")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decisions = self.case.decisions.filter(state="effective").select_related("department")
        ids = self.departments_of_user(permissions.APPROVE)
        if ids is not None:
            decisions = decisions.filter(department_id__in=sorted(ids))
        self.fields["decision"].queryset = decisions.order_by("id")  # type: ignore[attr-defined]
