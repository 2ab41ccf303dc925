"""Forms of the agreements part. They read the input; the services decide what is valid (their field errors come
back onto these forms through gongzhi.core.forms.apply_error)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.joint.models import KpiDirection, PledgeKind
from gongzhi.joint.workflow_agreements import AgreementAction

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class AgreementForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Sub-district"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    code = forms.CharField(label=_("Number"), max_length=40, required=False,
                           help_text=_("Blank: numbered automatically."))
    party_org = forms.ModelChoiceField(label=_("Signing party organization"), queryset=None, required=False,
                                       help_text=_("Blank: the sub-district office signs."))
    units = forms.ModelMultipleChoiceField(label=_("Member units"), queryset=None,
                                           widget=forms.SelectMultiple(attrs={"size": 8}))
    platform = forms.ModelChoiceField(label=_("Joint-meeting platform"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("Term from"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Term to"), widget=DATE_INPUT)
    memo = forms.CharField(label=_("Work memo"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=5000)

    def __init__(self, *args, regions, units, orgs, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["units"].queryset = units
        self.fields["party_org"].queryset = orgs
        self.fields["platform"].queryset = platforms
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), max_length=200)
    kpi_name = forms.CharField(label=_("KPI"), max_length=60)
    measure = forms.CharField(label=_("Unit of measure"), max_length=20)
    baseline = forms.DecimalField(label=_("Baseline"), initial=0, **AMOUNT)
    target = forms.DecimalField(label=_("Target"), **AMOUNT)
    direction = forms.ChoiceField(label=_("Direction"), choices=KpiDirection.choices)
    member_unit = forms.ModelChoiceField(label=_("Committed by"), queryset=None, required=False,
                                         empty_label=_("The parties jointly"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_unit"].queryset = units


class ReportForm(forms.Form):
    period = forms.CharField(label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}),
                             help_text=_("YYYY-MM"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=2000)

    def __init__(self, *args, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.commitments = commitments
        for c in commitments:
            self.fields[f"value_{c.pk}"] = forms.DecimalField(
                label=f"{c.kpi_name}（{c.measure}）", **AMOUNT,
                help_text=_("Target %(target)s") % {"target": format(c.target.normalize(), "f")})

    def clean_period(self):
        m = MONTH.match(self.cleaned_data["period"].strip())
        try:
            return dt.date(int(m[1]), int(m[2]), 1) if m else None
        except ValueError:
            pass
        raise forms.ValidationError(_("Enter a month as YYYY-MM."))

    def clean(self):
        data = super().clean()
        if data.get("period") is None and "period" not in self.errors:
            self.add_error("period", _("Enter a month as YYYY-MM."))
        return data

    def values(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"value_{c.pk}") for c in self.commitments}


class RenewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, required=False,
                            help_text=_("Blank: the same title."))
    starts_on = forms.DateField(label=_("Term from"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Term to"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in (AgreementAction.SIGN, AgreementAction.EXPIRE,
                                                          AgreementAction.CANCEL)])
    note = forms.CharField(required=False, max_length=2000)


class ProjectForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Sub-district"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  max_length=5000)
    goal_money = forms.DecimalField(label=_("Money goal (yuan)"), initial=0, **AMOUNT)
    goal_venue = forms.DecimalField(label=_("Venue goal (sessions)"), initial=0, **AMOUNT)
    goal_hours = forms.DecimalField(label=_("People-hours goal"), initial=0, **AMOUNT)
    platform = forms.ModelChoiceField(label=_("Joint-meeting platform"), queryset=None, required=False)

    def __init__(self, *args, regions, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["platform"].queryset = platforms
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()


class PledgeForm(forms.Form):
    member_unit = forms.ModelChoiceField(label=_("Member unit"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=PledgeKind.choices)
    amount = forms.DecimalField(label=_("Amount"), **AMOUNT)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_unit"].queryset = units
