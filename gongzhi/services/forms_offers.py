"""Forms of the offers part: the items a place offers (checkboxes by category), one offer's capacity and note, the
working plan (seven weekday rows), the booking rules and the duty roster (staff × weekday)."""

from __future__ import annotations

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from gongzhi.services.services.offers import PLAN_FIELDS, RULE_LIMITS

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OfferedItemsForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Items offered"), required=False,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i.code, i.name) for i in items]


class OfferForm(forms.Form):
    capacity = forms.IntegerField(label=_("capacity per slot"), required=False, min_value=1, max_value=99,
                                  help_text=_("Empty: the place's default."))
    note = forms.CharField(label=_("note"), required=False, max_length=200)


class WorkingPlanForm(forms.Form):
    """Seven rows: open or not, the hours and an optional break. The service checks the times (field errors are
    named "<field>_<weekday>", as here)."""

    LABELS = {"opens_at": _("opens at"), "closes_at": _("closes at"), "break_starts_at": _("break starts at"),
              "break_ends_at": _("break ends at")}

    def __init__(self, *args, plans=None, **kwargs):
        plans = plans or {}
        initial = kwargs.pop("initial", {}) or {}
        for d, plan in plans.items():
            initial[f"open_{d}"] = True
            for f in PLAN_FIELDS:
                initial[f"{f}_{d}"] = getattr(plan, f)
        super().__init__(*args, initial=initial, **kwargs)
        for d in range(7):
            self.fields[f"open_{d}"] = forms.BooleanField(label=WEEKDAYS[d], required=False)
            for f in PLAN_FIELDS:
                self.fields[f"{f}_{d}"] = forms.TimeField(label=self.LABELS[f], required=False, widget=TIME_INPUT)

    def rows(self):
        """[(weekday name, open field, [time fields])] for the template's table."""
        return [(WEEKDAYS[d], self[f"open_{d}"], [self[f"{f}_{d}"] for f in PLAN_FIELDS]) for d in range(7)]

    def days(self) -> dict[int, dict | None]:
        data = self.cleaned_data
        return {d: ({f: data.get(f"{f}_{d}") for f in PLAN_FIELDS} if data.get(f"open_{d}") else None)
                for d in range(7)}


class BookingRulesForm(forms.Form):
    LABELS = {"slot_minutes": _("slot length (minutes)"), "capacity": _("default capacity per slot"),
              "min_notice_hours": _("minimum notice (hours)"), "max_advance_days": _("maximum advance (days)"),
              "max_per_phone": _("active bookings per phone"), "remind_hours_before": _("reminder (hours before)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in RULE_LIMITS.items():
            self.fields[name] = forms.IntegerField(label=self.LABELS[name], min_value=low, max_value=high)


class RosterForm(forms.Form):
    """The roster as checkboxes "<user id>-<weekday>" over the staff who may serve at the place."""

    duties = forms.MultipleChoiceField(label=_("duty roster"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.fields["duties"].choices = [(f"{u.pk}-{d}", f"{u} {WEEKDAYS[d]}") for u in self.candidates
                                         for d in range(7)]

    def rows(self):
        chosen = set(self["duties"].value() or [])
        return [(u, [(f"{u.pk}-{d}", f"{u.pk}-{d}" in chosen) for d in range(7)]) for u in self.candidates]

    def pairs(self) -> list[tuple]:
        users = {u.pk: u for u in self.candidates}
        found = []
        for value in self.cleaned_data["duties"]:
            pk, weekday = value.split("-")
            found.append((users[int(pk)], int(weekday)))
        return found
