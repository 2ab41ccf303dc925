"""Forms of the coverage part: a 联合党委 taking a unit in, an instructor assigned, the end of either. The
services check the rules (gongzhi.orglife.services.coverage); these forms only read the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.orglife.services.coverage import NAME_MAX


def _choices(rows, label=str) -> list:
    return [("", "—")] + [(r.pk, label(r)) for r in rows]


class JointCoverageForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    joint_org = forms.TypedChoiceField(label=_("Joint party committee"), coerce=int)
    since = forms.DateField(label=_("Covered since"), widget=DATE_INPUT)

    def __init__(self, *args, units=(), orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _choices(units, lambda u: f"{u.name}（{u.code}，{u.headcount}人）")
        self.fields["joint_org"].choices = _choices(orgs, lambda o: o.name)


class InstructorForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    instructor = forms.CharField(label=_("Instructor's name"), max_length=NAME_MAX, required=False,
                                 help_text=_("Leave blank to use the chosen party member's name."))
    member = forms.TypedChoiceField(label=_("Party member"), coerce=int, required=False, empty_value=None)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DATE_INPUT)

    def __init__(self, *args, units=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _choices(units, lambda u: f"{u.name}（{u.code}）")
        self.fields["member"].choices = _choices(members, lambda m: f"{m.name}（{m.organization.name}）")


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT, required=False,
                               help_text=_("Today when left blank."))
