"""Forms of the volunteers part: registering or editing a volunteer, a correction of their hours. The services check
the rules (gongzhi.volunteering.services.volunteers); these forms only read the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.volunteering.services.volunteers import AVAILABILITY_MAX, NAME_MAX, NOTE_MAX, SKILLS_MAX


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    region = forms.TypedChoiceField(label=_("Registered at"), coerce=int)
    party_member = forms.TypedChoiceField(label=_("Party member"), coerce=int, required=False, empty_value=None,
                                          help_text=_("When the volunteer is a party member of your scope."))
    member_unit = forms.TypedChoiceField(label=_("Member unit"), coerce=int, required=False, empty_value=None,
                                         help_text=_("For a unit's staff member."))
    teams = forms.TypedMultipleChoiceField(label=_("Volunteer teams"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    skills = forms.CharField(label=_("Skills"), max_length=SKILLS_MAX, required=False,
                             help_text=_("Separated by commas, e.g. 理发, 法律咨询, 电器维修."))
    availability = forms.CharField(label=_("Availability"), max_length=AVAILABILITY_MAX, required=False,
                                   help_text=_("e.g. 周四下午, 周末."))
    born_on = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    consent = forms.BooleanField(label=_("The volunteer agrees that their data may be used"), required=False)
    consented_on = forms.DateField(label=_("Consent given on"), required=False, widget=DATE_INPUT,
                                   help_text=_("Today when left blank."))

    def __init__(self, *args, regions=(), members=(), units=(), teams=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [(r.pk, r.name) for r in regions]
        self.fields["party_member"].choices = [("", "—")] + [(m.pk, f"{m.name}（{m.organization.name}）")
                                                             for m in members]
        self.fields["member_unit"].choices = [("", "—")] + [(u.pk, u.name) for u in units]
        self.fields["teams"].choices = [(t.pk, t.name) for t in teams]
        if editing:  # consent was given at registration
            del self.fields["consent"]
            del self.fields["consented_on"]


class CorrectionForm(forms.Form):
    served_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    hours = forms.CharField(label=_("Hours"), max_length=8,
                            help_text=_("Positive to add hours, negative to take them away, e.g. -1.5."),
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    note = forms.CharField(label=_("Reason"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
