"""Forms of the territory app: grid cells and their officers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import User
from yaojian.territory.choices import GridLevel
from yaojian.territory.models import GridCell, Region


class GridCellCreateForm(forms.Form):
    """A new grid cell in one of the counties the user manages."""

    code = forms.CharField(label=_("Grid code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=128)
    region = forms.ModelChoiceField(label=_("County"), queryset=Region.objects.none())
    level = forms.ChoiceField(
        label=_("Grid level"),
        choices=GridLevel.choices,
        initial=GridLevel.TOWNSHIP,
        required=False,
    )
    parent = forms.ModelChoiceField(
        label=_("Parent cell"), queryset=GridCell.objects.none(), required=False
    )
    place_names = forms.CharField(
        label=_("Place names"),
        max_length=255,
        required=False,
        help_text=_(
            "Township or village names, separated by commas, that place an entity in this "
            "cell when its address contains one of them."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, counties: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = counties
        cast(
            "forms.ModelChoiceField[GridCell]", self.fields["parent"]
        ).queryset = GridCell.objects.filter(region__in=counties).order_by("code")


class GridCellUpdateForm(forms.Form):
    """Name and description of a grid cell (its code and county never change)."""

    name = forms.CharField(label=_("Name"), max_length=128)
    place_names = forms.CharField(
        label=_("Place names"),
        max_length=255,
        required=False,
        help_text=_(
            "Township or village names, separated by commas, that place an entity in this "
            "cell when its address contains one of them."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OfficerAssignmentForm(forms.Form):
    """The responsible officers of a grid cell, chosen among the eligible users."""

    officers = forms.ModelMultipleChoiceField(
        label=_("Responsible officers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Only members of a department covering this county can be chosen."),
    )

    def __init__(self, *args: Any, eligible: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelMultipleChoiceField[User]", self.fields["officers"]).queryset = eligible
