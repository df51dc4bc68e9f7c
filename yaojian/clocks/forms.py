"""Forms of the clocks pages: shape only; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.clocks.calculator import CALENDAR, MAX_DAYS, WORKING
from yaojian.clocks.models import DayKind, YearStatus

MAX_UPLOAD_BYTES = 64 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=YearStatus.choices)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("E.g. the State Council General Office notice and its number."),
    )


class CalendarYearChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=YearStatus.choices)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("Name"), max_length=100, required=False, help_text=_("E.g. Spring Festival.")
    )


class CalendarImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=YearStatus.choices)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, one day a line: date,kind,name (kind is holiday or workday)."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (64 KB at most)."))
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


class CalculatorForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=DateInput)
    days = forms.IntegerField(label=_("Days"), min_value=0, max_value=MAX_DAYS)
    mode = forms.ChoiceField(
        label=_("Count"),
        choices=[
            (WORKING, _("Working days")),
            (CALENDAR, _("Calendar days (a last day off moves to the next working day)")),
        ],
        initial=WORKING,
    )
