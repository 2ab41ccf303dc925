"""Forms of the cases part: accepting a case at the counter, the steps of a case, a remote session. The services
check the rules (gongzhi.services.services.cases); these forms only read the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.services.models import RemoteKind
from gongzhi.services.services.cases import MAX_REMOTE_MINUTES, NAME_MAX
from gongzhi.services.workflow import CaseAction


class OpenCaseForm(forms.Form):
    place = forms.TypedChoiceField(label=_("Service place"), coerce=int)
    item = forms.TypedChoiceField(label=_("Service item"), coerce=int,
                                  help_text=_("Any item of the catalogue: every worker accepts every item."))
    provided = forms.TypedMultipleChoiceField(label=_("Materials provided"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    applicant_name = forms.CharField(label=_("Applicant"), max_length=NAME_MAX)
    applicant_phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    applicant_id_number = forms.CharField(label=_("ID number"), max_length=18, required=False,
                                          widget=forms.TextInput(attrs={"autocomplete": "off"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    appointment = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, places=(), items=(), materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "—")] + [(p.pk, p.name) for p in places]
        self.fields["item"].choices = [("", "—")] + [(i.pk, f"{i.name}（{i.category.name}）") for i in items]
        self.fields["provided"].choices = [(m.pk, m.name) for m in materials]


class CaseActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in CaseAction.values if a != CaseAction.OPEN],
                               widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    back_office = forms.CharField(label=_("Back office"), required=False, max_length=80)
    result = forms.CharField(label=_("Result"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    provided = forms.TypedMultipleChoiceField(label=_("Materials provided"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provided"].choices = [(m.pk, m.name) for m in materials]


class RemoteSessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RemoteKind.choices)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=MAX_REMOTE_MINUTES)
    outcome = forms.CharField(label=_("Outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
