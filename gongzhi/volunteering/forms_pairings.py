"""Forms of the pairings part: a new pairing, a contact, ending, a rule, a cohort, its checklist, participants
and progress. The services check the rules (gongzhi.volunteering.services.pairings); these forms only read."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.volunteering.models import MAX_CAPACITY, MAX_INTERVAL_DAYS, ContactKind, PairingKind

DATE = forms.DateInput(attrs={"type": "date"})


class PairingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    member = forms.IntegerField(label=_("Party member"), required=False, min_value=1,
                                help_text=_("For every kind but unit ↔ household."))
    unit = forms.IntegerField(label=_("Member unit"), required=False, min_value=1,
                              help_text=_("For unit ↔ household in hardship."))
    volunteer = forms.IntegerField(label=_("Young volunteer"), required=False, min_value=1)
    household = forms.IntegerField(label=_("Household"), required=False, min_value=1)
    shop_name = forms.CharField(label=_("Shop"), required=False, max_length=80)
    shop_address = forms.CharField(label=_("Shop address"), required=False, max_length=120)
    started_on = forms.DateField(label=_("Paired on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, regions=(), members=(), units=(), volunteers=(), households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [(r.pk, r.name) for r in regions]
        for name, rows in (("member", members), ("unit", units), ("volunteer", volunteers),
                           ("household", households)):
            field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(label=field.label, help_text=field.help_text, required=False,
                                                       coerce=int, empty_value=None,
                                                       choices=[("", "—")] + [(o.pk, str(o)) for o in rows])


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("How"), choices=ContactKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DATE)


class RuleForm(forms.Form):
    region = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    kind = forms.ChoiceField(choices=PairingKind.choices, widget=forms.HiddenInput)
    capacity = forms.IntegerField(label=_("Capacity per anchor"), min_value=1, max_value=MAX_CAPACITY)
    contact_interval_days = forms.IntegerField(label=_("Contact interval (days)"), min_value=1,
                                               max_value=MAX_INTERVAL_DAYS)


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    organiser = forms.CharField(label=_("Organiser"), required=False, max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [(r.pk, r.name) for r in regions]


class RequirementForm(forms.Form):
    title = forms.CharField(label=_("Required activity"), max_length=60)


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40, required=False)
    volunteer = forms.IntegerField(label=_("Volunteer"), required=False, min_value=1, widget=forms.HiddenInput)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    workplace = forms.CharField(label=_("Workplace"), max_length=80, required=False)


class ProgressForm(forms.Form):
    participant = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    requirement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    clear = forms.BooleanField(required=False, widget=forms.HiddenInput)
