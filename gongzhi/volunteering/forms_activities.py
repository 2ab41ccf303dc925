"""Forms of the activities part: an activity with its organiser and shifts (a formset), a recurring series, the
organiser's actions (a reason to cancel, hours at check-out) and the H5 sign-up (consent, waiting list)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.volunteering.models import OrganiserKind, Recurrence

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ORGANISER_FIELDS = ("team", "unit", "place", "organization")


class OrganiserMixin(forms.Form):
    organiser_kind = forms.ChoiceField(label=_("Organised by"), choices=OrganiserKind.choices)
    team = forms.TypedChoiceField(label=_("Volunteer team"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Member unit"), required=False, coerce=int, empty_value=None)
    place = forms.TypedChoiceField(label=_("Service station"), required=False, coerce=int, empty_value=None)
    organization = forms.TypedChoiceField(label=_("Party organization"), required=False, coerce=int,
                                          empty_value=None)

    def set_organisers(self, choices: dict) -> None:
        for name in ORGANISER_FIELDS:
            self.fields[name].choices = [("", "—")] + [(o.pk, o.name) for o in choices[name]]

    def clean(self):
        data = super().clean()
        kind = data.get("organiser_kind")
        if kind and not data.get(kind):
            self.add_error(kind if kind in self.fields else None, _("Choose the organiser."))
        return data

    @property
    def organiser(self):
        return self.cleaned_data.get(self.cleaned_data.get("organiser_kind") or "")


class ActivityForm(OrganiserMixin):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)
    location = forms.CharField(label=_("Place"), max_length=120)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class ShiftForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Role or shift"), max_length=60)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000,
                                  error_messages={"min_value": _("The places must be at least 1.")})

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


ShiftFormSet = forms.formset_factory(ShiftForm, extra=1, min_num=1, validate_min=True, max_num=20,
                                     validate_max=True)


class SeriesForm(OrganiserMixin):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Recurrence.choices)
    weekday = forms.TypedChoiceField(label=_("Weekday"), required=False, coerce=int, empty_value=None, choices=[
        ("", "—"), (1, _("Monday")), (2, _("Tuesday")), (3, _("Wednesday")), (4, _("Thursday")), (5, _("Friday")),
        (6, _("Saturday")), (7, _("Sunday"))])
    day_of_month = forms.IntegerField(label=_("Day of the month"), required=False, min_value=1, max_value=31)
    starts_on = forms.DateField(label=_("First date"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_INPUT)
    location = forms.CharField(label=_("Place"), max_length=120)
    capacity = forms.IntegerField(label=_("Places per shift"), min_value=1, max_value=10000,
                                  error_messages={"min_value": _("The places must be at least 1.")})
    shift_names = forms.CharField(label=_("Roles or shifts"), required=False, max_length=300,
                                  help_text=_("Separated by commas; one shift “Volunteer” when empty."))


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SignUpForm(forms.Form):
    consent = forms.BooleanField(label=_("I agree that my name and phone are used to organise volunteering and "
                                         "to certify my hours."), required=False)
    wait = forms.BooleanField(label=_("Put me on the waiting list if the shift is full."), required=False)
