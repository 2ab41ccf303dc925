"""Forms of the appointments part: the resident's booking (a slot among those with seats left, name, phone) and
the booking code with the phone's last four digits; the SMS code step reuses the demands app's `CodeForm`."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.registry.models import phone_validator


def slot_choices(slots) -> list[tuple[str, str]]:
    return [(s.starts_at.isoformat(), f"{timezone.localtime(s.starts_at):%H:%M}–{timezone.localtime(s.ends_at):%H:%M}"
             f" · " + str(_("%(n)s left") % {"n": s.remaining})) for s in slots]


class SlotForm(forms.Form):
    starts_at = forms.ChoiceField(label=_("Time slot"), widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = slot_choices(slots)

    @staticmethod
    def parse(value: str) -> datetime:
        return datetime.fromisoformat(value)

    def clean_starts_at(self) -> datetime:
        return self.parse(self.cleaned_data["starts_at"])


class BookForm(SlotForm):
    name = forms.CharField(label=_("Your name"), max_length=40)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, validators=[phone_validator],
                            help_text=_("We send a code to confirm it, then the booking code."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "")


class ManageForm(forms.Form):
    code = forms.CharField(label=_("Booking code"), max_length=12)
    last4 = forms.RegexField(label=_("Last four digits of your phone"), regex=r"^\d{4}$", max_length=4,
                             error_messages={"invalid": _("Enter four digits.")})

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
