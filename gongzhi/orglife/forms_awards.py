"""Forms of the awards part (the services check again: weights, points, files)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.orglife.models import CriterionSource, Indicator, SchemeKind


class SchemeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=SchemeKind.choices)
    region = forms.ModelChoiceField(label=_("Awarding region"), queryset=None)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RoundForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=None)
    number = forms.IntegerField(label=_("Round"), min_value=1, max_value=999)
    name = forms.CharField(label=_("Name"), max_length=120)
    period_start = forms.DateField(label=_("Period from"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=120)
    weight = forms.IntegerField(label=_("Weight (points)"), min_value=1, max_value=100)
    source = forms.ChoiceField(label=_("Source"), choices=CriterionSource.choices)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=[("", "—"), *Indicator.choices], required=False)
    target = forms.DecimalField(label=_("Target (full points)"), max_digits=8, decimal_places=2, min_value=0.01,
                                required=False)
    guidance = forms.CharField(label=_("Guidance"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("source") == CriterionSource.INDICATOR and not data.get("indicator"):
            self.add_error("indicator", _("Choose the indicator."))
        return data


class BaseCriteriaFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        total = sum(r.get("weight") or 0 for r in rows)
        if total != 100:
            raise forms.ValidationError(_("The weights sum to %(total)s; they must sum to 100.") % {"total": total},
                                        code="weights")


CriteriaFormSet = forms.formset_factory(CriterionForm, formset=BaseCriteriaFormSet, extra=2, can_delete=True,
                                        max_num=20)


class TierForm(forms.Form):
    name = forms.CharField(label=_("Tier"), max_length=40)
    min_score = forms.DecimalField(label=_("From score"), max_digits=6, decimal_places=2, min_value=0,
                                   max_value=100)


TiersFormSet = forms.formset_factory(TierForm, extra=2, can_delete=True, max_num=10)


class EvidenceForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    statement = forms.CharField(label=_("Self-assessment"), widget=forms.Textarea(attrs={"rows": 3}),
                                max_length=4000)
    file = forms.FileField(label=_("Evidence file"), required=False,
                           help_text=_("An image, PDF, Excel or Word file, at most 10 MB."))


class ScoreForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    points = forms.CharField(label=_("Points"), max_length=8)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500,
                           required=False)


class ReviewerForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)
