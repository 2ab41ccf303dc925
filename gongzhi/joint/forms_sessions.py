"""Forms of the sessions pages. They only carry the input: the services check it (required fields, the
platform's region, one sign-in each, the owner unit and the deadline of a decision) and their field errors land
on these forms (gongzhi.core.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.joint.models import AgendaKind

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _choices(rows, label=str) -> list[tuple[str, str]]:
    return [("", "—"), *((str(r.pk), label(r)) for r in rows)]


class PlanForm(forms.Form):
    platform = forms.ChoiceField(label=_("platform"))
    title = forms.CharField(label=_("title"), max_length=120, required=False)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME_INPUT, required=False)
    place = forms.CharField(label=_("place"), max_length=120, required=False)

    def __init__(self, *args, platforms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = _choices(platforms)


class AgendaForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[(k, label) for k, label in AgendaKind.choices
                                                       if k != AgendaKind.DEMAND])
    need = forms.ChoiceField(label=_("open need"), required=False)
    resource = forms.ChoiceField(label=_("unclaimed resource"), required=False)
    project = forms.ChoiceField(label=_("project awaiting a decision"), required=False)
    title = forms.CharField(label=_("title"), max_length=200, required=False,
                            help_text=_("Required for another item; otherwise the chosen item's name."))
    note = forms.CharField(label=_("note"), widget=TEXTAREA, required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or {}
        for name in ("need", "resource", "project"):
            self.fields[name].choices = _choices(choices.get(name, ()))


class SignInForm(forms.Form):
    member_unit = forms.ChoiceField(label=_("member unit"), required=False)
    party_org = forms.ChoiceField(label=_("party organization"), required=False)
    area = forms.ChoiceField(label=_("residential area"), required=False)
    person_name = forms.CharField(label=_("representative or guest"), max_length=40, required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or {}
        for name in ("member_unit", "party_org", "area"):
            self.fields[name].choices = _choices(choices.get(name, ()))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False)


class DecisionForm(forms.Form):
    agenda_item = forms.ChoiceField(label=_("agenda item"), required=False)
    text = forms.CharField(label=_("decision"), widget=TEXTAREA, required=False)
    owner_unit = forms.ChoiceField(label=_("owner unit"), required=False)
    deadline = forms.DateField(label=_("deadline"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, items=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = _choices(items)
        self.fields["owner_unit"].choices = _choices(units)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), widget=TEXTAREA, required=False)


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("reason"), widget=TEXTAREA, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("outcome"), widget=TEXTAREA, required=False)


class ReferForm(forms.Form):
    platform = forms.ChoiceField(label=_("platform"))
    note = forms.CharField(label=_("reason for the referral"), widget=TEXTAREA, required=False,
                           help_text=_("Why the sub-district cannot settle it alone, and which departments it needs."))

    def __init__(self, *args, platforms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = _choices(platforms)
