"""Forms of the enterprise part's pages: the shape of the input; the services check the rules (a firm in scope,
no visit in the future) and their errors land on the same fields (gongzhi.core.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.demands.models import Priority
from gongzhi.joint.workflow_enterprise import VISIT_FLOW

TEXT = {"rows": 4}


class VisitForm(forms.Form):
    member_unit = forms.ModelChoiceField(label=_("firm"), queryset=None)
    liaison = forms.ModelChoiceField(label=_("liaison"), queryset=None, required=False,
                                     help_text=_("Leave empty when you visited yourself."))
    visited_on = forms.DateField(label=_("visited on"), widget=DATE_INPUT)
    needs_found = forms.CharField(label=_("needs found"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs=TEXT))
    follow_up = forms.CharField(label=_("follow-up"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, units=None, liaisons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_unit"].queryset = units
        self.fields["liaison"].queryset = liaisons

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"member_unit_id": d["member_unit"].pk, "liaison_id": d["liaison"].pk if d["liaison"] else None,
                "visited_on": d["visited_on"], "needs_found": d["needs_found"], "follow_up": d["follow_up"]}


class VisitStepForm(forms.Form):
    action = forms.ChoiceField(choices=sorted({(a, a) for (_s, a) in VISIT_FLOW.transitions}))
    note = forms.CharField(required=False, max_length=5000)


class RaiseDemandForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(label=_("description"), max_length=5000, widget=forms.Textarea(attrs=TEXT))
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices, initial=Priority.NORMAL)
    contact_phone = forms.CharField(label=_("contact phone"), required=False, max_length=20,
                                    help_text=_("Leave empty to use the firm's contact phone."))
