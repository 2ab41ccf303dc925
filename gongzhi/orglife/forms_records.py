"""Forms of the records part: a "四先" contribution, a mobile member's record and a contact. The services check the
rules (gongzhi.orglife.services.records); these forms only read the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.orglife.models import ContactChannel, FourFirstKind
from gongzhi.orglife.services.records import (
    CONTACT_NOTE_MAX,
    DESCRIPTION_MAX,
    HOME_NAME_MAX,
    WHEREABOUTS_MAX,
)


class FourFirstForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FourFirstKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    description = forms.CharField(label=_("What they did"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    work = forms.ChoiceField(label=_("Linked work"), required=False,
                             help_text=_("The member's own work: a demand they claimed, a micro-item they "
                                         "promised, a wish they claimed, a topic they proposed."))

    def __init__(self, *args, works=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].choices = [("", "—")] + [
            (w.key, f"{w.kind} · {w.title}" + (f"（{w.on:%Y-%m-%d}）" if w.on else "")) for w in works]

    def work_ids(self) -> tuple[int | None, int | None]:
        """(content type id, object id) of the chosen work, or (None, None)."""
        type_id, _sep, work_id = (self.cleaned_data.get("work") or "").partition(":")
        if type_id.isdigit() and work_id.isdigit():
            return int(type_id), int(work_id)
        return None, None


class MobileForm(forms.Form):
    home_org = forms.TypedChoiceField(label=_("Home organization"), coerce=int, required=False, empty_value=None)
    home_org_name = forms.CharField(label=_("Home organization (outside the platform)"), max_length=HOME_NAME_MAX,
                                    required=False)
    whereabouts = forms.CharField(label=_("Whereabouts"), max_length=WHEREABOUTS_MAX, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    clear_whereabouts = forms.BooleanField(label=_("Clear the recorded whereabouts"), required=False)
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DATE_INPUT)
    active = forms.BooleanField(label=_("Still mobile"), required=False, initial=True)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = {o.pk: o for o in orgs}
        self.fields["home_org"].choices = [("", "—")] + [(o.pk, o.name) for o in orgs]

    def clean(self):
        data = super().clean()
        if data.get("clear_whereabouts") and data.get("whereabouts"):
            self.add_error("whereabouts", _("Type new whereabouts or clear them, not both."))
        return data


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Contacted on"), widget=DATE_INPUT)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    note = forms.CharField(label=_("Note"), max_length=CONTACT_NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
